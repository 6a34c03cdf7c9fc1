// The transport-neutral audio output of a call (in the manner of LiveKit's AudioOutput): play()
// queues 16 kHz mono PCM (a buffer or a stream), clear() stops at once, and every playback ends
// with how much of it was actually played and whether it was interrupted. It has no clock: the
// sender pulls one frame per packet time with nextFrame(), so "played" means "handed to the wire".

export interface PlaybackResult {
  id: number;
  /** Audio actually sent, in ms. */
  playedMs: number;
  /** True when clear(), interrupt(), an abort signal or the end of the session cut it short. */
  interrupted: boolean;
  /** Set when the source stream failed. */
  error?: unknown;
}

export interface PlayOptions {
  /** Aborting interrupts this playback only. */
  signal?: AbortSignal;
}

export type AudioSource = AsyncIterable<Int16Array> | Int16Array;

/** What play() returns: await `done` for the outcome. */
export interface PlaybackHandle {
  readonly id: number;
  readonly done: Promise<PlaybackResult>;
  /** Audio sent so far, ms. */
  readonly playedMs: number;
  /** Stops this playback (if it is queued, it never starts). */
  interrupt(): void;
}

export interface PlaybackQueueStats {
  framesPlayed: number;
  /** Ticks where the playing stream had no audio ready (the source is slower than real time). */
  underruns: number;
  interrupted: number;
  completed: number;
}

class Playback implements PlaybackHandle {
  readonly done: Promise<PlaybackResult>;
  played = 0;
  finished = false;
  /** Buffered chunks not yet played, and the read offset into the first one. */
  readonly chunks: Int16Array[] = [];
  offset = 0;
  buffered = 0;
  sourceEnded = false;
  error: unknown;
  private resolve!: (r: PlaybackResult) => void;
  private drained: (() => void) | undefined;
  private iterator: AsyncIterator<Int16Array> | undefined;

  constructor(
    readonly id: number,
    private readonly queue: PlaybackQueue,
    private readonly sampleRate: number,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  get playedMs(): number {
    return Math.round((this.played * 1000) / this.sampleRate);
  }

  interrupt(): void {
    this.queue.interrupt(this);
  }

  async pump(source: AsyncIterable<Int16Array>, maxBuffered: number): Promise<void> {
    const it = (this.iterator = source[Symbol.asyncIterator]());
    try {
      while (!this.finished) {
        if (this.buffered >= maxBuffered) {
          await new Promise<void>((resolve) => (this.drained = resolve));
          continue;
        }
        const r = await it.next();
        if (r.done || this.finished) break;
        if (r.value.length > 0) {
          this.chunks.push(r.value);
          this.buffered += r.value.length;
        }
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.sourceEnded = true;
    }
  }

  /** Copies up to out.length buffered samples into `out`; returns how many. */
  take(out: Int16Array): number {
    let n = 0;
    while (n < out.length) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const k = Math.min(out.length - n, chunk.length - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + k), n);
      n += k;
      this.offset += k;
      if (this.offset >= chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.buffered -= n;
    this.played += n;
    const wake = this.drained;
    this.drained = undefined;
    wake?.();
    return n;
  }

  finish(interrupted: boolean): PlaybackResult {
    this.finished = true;
    this.chunks.length = 0;
    this.buffered = 0;
    const wake = this.drained;
    this.drained = undefined;
    wake?.();
    if (interrupted && !this.sourceEnded && this.iterator?.return) {
      // Let the producer (TTS) stop generating; its result no longer matters.
      this.iterator.return().catch(() => undefined);
    }
    const result: PlaybackResult = { id: this.id, playedMs: this.playedMs, interrupted };
    if (this.error !== undefined) result.error = this.error;
    this.resolve(result);
    return result;
  }
}

export interface PlaybackQueueOptions {
  /** Samples per frame handed out by nextFrame() (320 = 20 ms at 16 kHz). */
  frameSamples?: number;
  sampleRate?: number;
  /** How far a stream source may be read ahead of playout. */
  maxBufferedMs?: number;
  /** Called when a playback ends, completed or interrupted. */
  onEnded?: (result: PlaybackResult) => void;
}

export class PlaybackQueue {
  readonly stats: PlaybackQueueStats = { framesPlayed: 0, underruns: 0, interrupted: 0, completed: 0 };
  private readonly items: Playback[] = [];
  private readonly frameSamples: number;
  private readonly sampleRate: number;
  private readonly maxBuffered: number;
  private nextId = 1;
  private paused = false;

  constructor(private readonly opts: PlaybackQueueOptions = {}) {
    this.sampleRate = opts.sampleRate ?? 16000;
    this.frameSamples = opts.frameSamples ?? Math.round(this.sampleRate / 50);
    this.maxBuffered = Math.round(((opts.maxBufferedMs ?? 1000) * this.sampleRate) / 1000);
  }

  /** True while something is playing or queued. */
  get active(): boolean {
    return this.items.length > 0;
  }

  play(source: AudioSource, opts: PlayOptions = {}): PlaybackHandle {
    const p = new Playback(this.nextId++, this, this.sampleRate);
    this.items.push(p);
    if (source instanceof Int16Array) {
      if (source.length > 0) p.chunks.push(source);
      p.buffered = source.length;
      p.sourceEnded = true;
    } else {
      void p.pump(source, this.maxBuffered);
    }
    if (opts.signal) {
      const signal = opts.signal;
      if (signal.aborted) this.interrupt(p);
      else {
        const onAbort = (): void => this.interrupt(p);
        signal.addEventListener('abort', onAbort, { once: true });
        void p.done.then(() => signal.removeEventListener('abort', onAbort));
      }
    }
    return p;
  }

  /**
   * The next frame to send, or undefined when nothing is ready (send comfort silence). A stream's
   * last partial frame is padded with silence. A playback that ends resolves here, when its last
   * frame is handed out.
   */
  nextFrame(): Int16Array | undefined {
    if (this.paused) return undefined;
    for (;;) {
      const p = this.items[0];
      if (!p) return undefined;
      if (p.buffered >= this.frameSamples || (p.sourceEnded && p.buffered > 0)) {
        const frame = new Int16Array(this.frameSamples);
        p.take(frame);
        this.stats.framesPlayed++;
        if (p.sourceEnded && p.buffered === 0) this.end(p, false);
        return frame;
      }
      if (!p.sourceEnded) {
        this.stats.underruns++;
        return undefined;
      }
      this.end(p, false); // an empty source: done without a frame; try the next
    }
  }

  /** Stops the current playback and drops the queued ones; each resolves as interrupted. Ends a pause. */
  clear(): void {
    this.paused = false;
    for (const p of this.items.splice(0)) this.finish(p, true);
  }

  /** Holds playback where it is: nextFrame() gives nothing (comfort silence) until resume() or clear(). */
  pause(): void {
    this.paused = true;
  }

  /** Goes on from where pause() held it. */
  resume(): void {
    this.paused = false;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  interrupt(p: Playback): void {
    const i = this.items.indexOf(p);
    if (i < 0) return;
    this.items.splice(i, 1);
    this.finish(p, true);
  }

  private end(p: Playback, interrupted: boolean): void {
    const i = this.items.indexOf(p);
    if (i >= 0) this.items.splice(i, 1);
    this.finish(p, interrupted);
  }

  private finish(p: Playback, interrupted: boolean): void {
    if (p.finished) return;
    const cut = interrupted || p.error !== undefined;
    if (cut) this.stats.interrupted++;
    else this.stats.completed++;
    const result = p.finish(cut);
    this.opts.onEnded?.(result);
  }
}
