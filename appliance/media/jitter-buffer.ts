// Receive-side jitter buffer. Decoded audio is stored by RTP timestamp and read out in fixed-size
// frames by the playout clock, so reordered packets fall into place, lost ones leave a gap (which
// the caller conceals), and packets of any ptime give frames of our size. Playout starts after a
// prefill (the reorder window); it stops and prefills again after a long underrun (silence
// suppression, hold). An SSRC change or a jump in timestamp or sequence number resets it.

export interface JitterBufferOptions {
  clockRate: number;
  /** Audio collected before playout starts, and the window within which reordering is repaired. */
  prefillMs?: number;
  /** Audio buffered ahead of the playout point beyond which playout skips forward (sender clock drift). */
  maxDelayMs?: number;
  /** Underrun with nothing buffered after which playout stops until packets come again. */
  idleAfterMs?: number;
  /** Timestamp distance from the playout point treated as a discontinuity. */
  maxJumpMs?: number;
}

export interface JitterPacket {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  samples: Int16Array;
}

/** Outcome of one read: real audio, audio with a gap (zero-filled), a lost frame to conceal, or nothing playing. */
export type ReadStatus = 'audio' | 'partial' | 'missing' | 'idle';

export type PushResult = 'buffered' | 'late' | 'duplicate' | 'reset';

export interface JitterBufferStats {
  buffered: number;
  late: number;
  duplicates: number;
  resets: number;
  ssrcChanges: number;
  lostFrames: number;
  overflowSkips: number;
}

interface Segment {
  ts: number; // extended timestamp
  samples: Int16Array;
}

const SEQ_JUMP = 1000;

export class JitterBuffer {
  private readonly prefill: number;
  private readonly maxDelay: number;
  private readonly idleAfter: number;
  private readonly maxJump: number;
  private readonly segments: Segment[] = [];
  private ssrc: number | undefined;
  private refTs = 0; // extended timestamp of the newest packet, the reference for extending the next
  private lastSeq: number | undefined;
  private playing = false;
  private playTs = 0;
  private waited = 0;
  private underrun = 0;
  readonly stats: JitterBufferStats = { buffered: 0, late: 0, duplicates: 0, resets: 0, ssrcChanges: 0, lostFrames: 0, overflowSkips: 0 };

  constructor(opts: JitterBufferOptions) {
    const perMs = opts.clockRate / 1000;
    this.prefill = Math.round((opts.prefillMs ?? 60) * perMs);
    this.maxDelay = Math.round((opts.maxDelayMs ?? 200) * perMs);
    this.idleAfter = Math.round((opts.idleAfterMs ?? 200) * perMs);
    this.maxJump = Math.round((opts.maxJumpMs ?? 1000) * perMs);
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** Audio buffered ahead of the playout point, in timestamp units. */
  get depth(): number {
    const last = this.segments[this.segments.length - 1];
    if (!last) return 0;
    const from = this.playing ? this.playTs : (this.segments[0]?.ts ?? 0);
    return Math.max(0, last.ts + last.samples.length - from);
  }

  /**
   * True when the next `n` samples of playout are all here (a read would return 'audio'), so a
   * reader that does not wait for the playout clock can take them now.
   */
  hasFrame(n: number): boolean {
    const first = this.segments[0];
    if (!first) return false;
    if (!this.playing && this.depth < this.prefill) return false;
    let at = this.playing ? this.playTs : first.ts;
    const to = at + n;
    for (const s of this.segments) {
      const end = s.ts + s.samples.length;
      if (end <= at) continue;
      if (s.ts > at) return false;
      at = end;
      if (at >= to) return true;
    }
    return false;
  }

  push(p: JitterPacket): PushResult {
    let result: PushResult = 'buffered';
    if (this.ssrc !== p.ssrc) {
      if (this.ssrc !== undefined) {
        this.stats.ssrcChanges++;
        result = 'reset';
      }
      this.restart(p);
    } else if (this.lastSeq !== undefined && Math.abs(int16(p.sequenceNumber - this.lastSeq)) > SEQ_JUMP) {
      this.restart(p);
      result = 'reset';
    }
    const ts = this.extend(p.timestamp);
    const anchor = this.playing ? this.playTs : this.segments[0]?.ts;
    if (anchor !== undefined && Math.abs(ts - anchor) > this.maxJump) {
      this.restart(p);
      return this.insert(this.extend(p.timestamp), p, 'reset');
    }
    return this.insert(ts, p, result);
  }

  /** Fills `out` with the next out.length samples of playout. */
  read(out: Int16Array): ReadStatus {
    const n = out.length;
    out.fill(0);
    if (!this.playing) {
      const first = this.segments[0];
      if (!first) return 'idle';
      this.waited += n;
      if (this.depth < this.prefill && this.waited < this.prefill) return 'idle';
      this.playing = true;
      this.playTs = first.ts;
      this.underrun = 0;
    }
    const from = this.playTs;
    const to = from + n;
    let covered = 0;
    for (const s of this.segments) {
      if (s.ts >= to) break;
      const start = Math.max(from, s.ts);
      const end = Math.min(to, s.ts + s.samples.length);
      if (end <= start) continue;
      out.set(s.samples.subarray(start - s.ts, end - s.ts), start - from);
      covered += end - start;
    }
    while (this.segments[0] && this.segments[0].ts + this.segments[0].samples.length <= to) this.segments.shift();
    this.playTs = to;
    if (covered >= n) {
      this.underrun = 0;
      return 'audio';
    }
    if (covered > 0) {
      this.underrun = 0;
      return 'partial';
    }
    this.stats.lostFrames++;
    if (this.segments.length === 0) {
      this.underrun += n;
      if (this.underrun >= this.idleAfter) this.stop();
    }
    return 'missing';
  }

  /** Forgets everything, including the source. */
  reset(): void {
    this.ssrc = undefined;
    this.lastSeq = undefined;
    this.stop();
    this.segments.length = 0;
  }

  private stop(): void {
    this.playing = false;
    this.waited = 0;
    this.underrun = 0;
  }

  private restart(p: JitterPacket): void {
    if (this.segments.length > 0 || this.playing) this.stats.resets++;
    this.segments.length = 0;
    this.stop();
    this.ssrc = p.ssrc;
    this.lastSeq = undefined;
    this.refTs = p.timestamp >>> 0;
  }

  /** Unwraps a 32-bit timestamp to the one nearest the newest seen. */
  private extend(ts: number): number {
    const delta = (ts - this.refTs) | 0; // signed 32-bit difference
    return this.refTs + delta;
  }

  private insert(ts: number, p: JitterPacket, result: PushResult): PushResult {
    const end = ts + p.samples.length;
    if (this.playing && end <= this.playTs) {
      this.stats.late++;
      return 'late';
    }
    let i = this.segments.length;
    while (i > 0 && (this.segments[i - 1]?.ts ?? 0) > ts) i--;
    if (this.segments[i - 1]?.ts === ts) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    this.segments.splice(i, 0, { ts, samples: p.samples });
    if (ts > this.refTs) this.refTs = ts;
    this.lastSeq = p.sequenceNumber;
    this.stats.buffered++;
    if (this.playing) this.trimOverflow();
    return result;
  }

  /** Keeps latency bounded when the sender's clock runs faster than ours. */
  private trimOverflow(): void {
    const last = this.segments[this.segments.length - 1];
    if (!last || last.ts + last.samples.length - this.playTs <= this.maxDelay) return;
    this.playTs = last.ts + last.samples.length - this.prefill;
    while (this.segments[0] && this.segments[0].ts + this.segments[0].samples.length <= this.playTs) this.segments.shift();
    this.stats.overflowSkips++;
  }
}

function int16(v: number): number {
  return (v << 16) >> 16;
}
