// A MediaClock that moves only when told to: for tests of pacing, timeouts and RTCP scheduling.
// Timers fire in deadline order as advance() passes them; `latenessMs` makes every timer fire that
// much after its deadline, as a loaded event loop would.
import type { MediaClock, TimerHandle } from './media-clock.js';

interface Timer {
  at: number;
  fn: () => void;
  seq: number;
}

export class ManualClock implements MediaClock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Set<Timer>();
  latenessMs = 0;

  constructor(private readonly wallEpochMs = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  wallNow(): number {
    return this.wallEpochMs + this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.t + Math.max(0, ms) + this.latenessMs, fn, seq: this.seq++ };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as Timer);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones set meanwhile). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.timers) if (timer.at <= end && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) next = timer;
      if (!next) break;
      this.timers.delete(next);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }

  /** Jumps time forward without firing timers (a blocked event loop); they fire on the next advance(). */
  block(ms: number): void {
    this.t += ms;
  }
}
