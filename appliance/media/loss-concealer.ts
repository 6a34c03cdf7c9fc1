// Packet-loss concealment for one stream: a lost frame is replaced by the last good frame, faded
// down a little more with every consecutive loss, so a single loss is barely heard and a burst
// fades to silence instead of buzzing. A good frame after a loss is faded in to avoid a click.

export class LossConcealer {
  private readonly last: Int16Array;
  private hasLast = false;
  private gain = 1;
  private concealed = 0;

  constructor(
    frameSamples: number,
    /** Gain lost per concealed frame; after 1/decay frames the output is silent. */
    private readonly decay = 0.34,
  ) {
    this.last = new Int16Array(frameSamples);
  }

  /** Notes a good frame (and fades it in from the concealment's level if it follows a loss). Modifies `frame` in place. */
  good(frame: Int16Array): void {
    if (this.concealed > 0) {
      const n = frame.length;
      const g = this.gain;
      for (let i = 0; i < n; i++) frame[i] = Math.round((frame[i] ?? 0) * (g + ((1 - g) * i) / n));
    }
    this.concealed = 0;
    this.gain = 1;
    this.last.set(frame.subarray(0, this.last.length));
    this.hasLast = true;
  }

  /** Fills `out` with the concealment of a lost frame. */
  conceal(out: Int16Array): void {
    this.concealed++;
    const from = this.gain;
    const to = Math.max(0, this.gain - this.decay);
    this.gain = to;
    if (!this.hasLast || from === 0) {
      out.fill(0);
      return;
    }
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = Math.round((this.last[i % this.last.length] ?? 0) * (from + ((to - from) * i) / n));
  }

  reset(): void {
    this.hasLast = false;
    this.gain = 1;
    this.concealed = 0;
    this.last.fill(0);
  }
}
