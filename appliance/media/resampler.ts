// 2:1 sample-rate conversion (8 kHz <-> 16 kHz) with a linear-phase half-band FIR, designed as a
// Kaiser-windowed sinc. In a half-band filter every second tap is zero and the centre tap is 1/2,
// so the polyphase forms are cheap: upsampling copies every second output sample straight from the
// (delayed) input and interpolates the others with 2P taps; downsampling needs 2P taps plus the
// centre one per output. Both keep their history across calls, so 20 ms frames join without clicks.
//
// With P = 24 (95 taps) and beta = 7.86 the stopband is below -80 dB from 4.43 kHz (at 16 kHz) and
// the passband is flat to 3.57 kHz; the delay is 47 samples at 16 kHz (2.9 ms) each way.

const P = 24;
const LENGTH = 4 * P - 1; // 95
const CENTER = 2 * P - 1; // 47
const BETA = 7.86;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/** The 2P non-zero off-centre taps h[0], h[2], ..., h[94] (offsets -47, -45, ..., +47), summing to 1/2. */
function designHalfband(): Float64Array {
  const taps = new Float64Array(2 * P);
  const i0b = besselI0(BETA);
  let sum = 0;
  for (let m = 0; m < 2 * P; m++) {
    const k = 2 * m - CENTER; // odd offset from the centre
    const x = (Math.PI * k) / 2;
    const r = k / CENTER;
    const window = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    taps[m] = (0.5 * Math.sin(x)) / x * window;
    sum += taps[m] ?? 0;
  }
  for (let m = 0; m < 2 * P; m++) taps[m] = ((taps[m] ?? 0) * 0.5) / sum;
  return taps;
}

const TAPS = designHalfband();

function toInt16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** Grows a work buffer to hold `history` + `n` samples, keeping the history at its start. */
function workBuffer(current: Float64Array, needed: number): Float64Array {
  return current.length >= needed ? current : new Float64Array(needed);
}

/** 8 kHz -> 16 kHz: every input sample gives two output samples. Delay: 47 output samples. */
export class Upsampler2x {
  static readonly delaySamples = CENTER;
  /** The last 2P - 1 input samples, oldest first. */
  private readonly history = new Float64Array(2 * P - 1);
  private work: Float64Array = new Float64Array(0);

  process(input: Int16Array): Int16Array {
    const h = this.history.length; // 47
    const n = input.length;
    const w = (this.work = workBuffer(this.work, h + n));
    w.set(this.history, 0);
    for (let i = 0; i < n; i++) w[h + i] = input[i] ?? 0;
    const out = new Int16Array(2 * n);
    for (let i = 0; i < n; i++) {
      const j = h + i; // w[j] is x[n]; x[n - m] is w[j - m]
      let acc = 0;
      for (let m = 0; m < P; m++) {
        acc += (TAPS[m] ?? 0) * ((w[j - m] ?? 0) + (w[j - (2 * P - 1) + m] ?? 0));
      }
      out[2 * i] = toInt16(2 * acc);
      out[2 * i + 1] = toInt16(w[j - (P - 1)] ?? 0);
    }
    this.history.set(w.subarray(n, n + h));
    return out;
  }

  reset(): void {
    this.history.fill(0);
  }
}

/** 16 kHz -> 8 kHz with anti-alias filtering: two input samples give one output sample. Delay: 47 input samples. */
export class Downsampler2x {
  static readonly delaySamples = CENTER;
  /** The last LENGTH - 1 input samples, oldest first. */
  private readonly history = new Float64Array(LENGTH - 1);
  private work: Float64Array = new Float64Array(0);
  /** Parity of the number of input samples consumed so far: outputs are taken at even positions. */
  private odd = false;

  process(input: Int16Array): Int16Array {
    const h = this.history.length; // 94
    const n = input.length;
    const w = (this.work = workBuffer(this.work, h + n));
    w.set(this.history, 0);
    for (let i = 0; i < n; i++) w[h + i] = input[i] ?? 0;
    const first = this.odd ? 1 : 0;
    const count = Math.max(0, Math.ceil((n - first) / 2));
    const out = new Int16Array(count);
    for (let o = 0; o < count; o++) {
      const j = h + first + 2 * o; // w[j] is v[t], t even
      let acc = 0.5 * (w[j - CENTER] ?? 0);
      for (let m = 0; m < P; m++) {
        acc += (TAPS[m] ?? 0) * ((w[j - 2 * m] ?? 0) + (w[j - (LENGTH - 1) + 2 * m] ?? 0));
      }
      out[o] = toInt16(acc);
    }
    this.history.set(w.subarray(n, n + h));
    if (n % 2 === 1) this.odd = !this.odd;
    return out;
  }

  reset(): void {
    this.history.fill(0);
    this.odd = false;
  }
}
