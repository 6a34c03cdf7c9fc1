// A Clock that moves only when a test says so: the one fake for every layer (SIP timers, media
// pacing, turn-taking, sessions, bookings). Timers fire in deadline order (ties in the order they
// were set) as advance() passes them, each seeing now() and monotonic() at its own deadline;
// intervals re-arm. `latenessMs` makes every timer fire that much after its deadline, as a loaded
// event loop would; block() jumps time without firing anything (a stalled event loop).
// For code that awaits between timers (promises, async generators), advanceAsync() lets pending
// promise callbacks run after every timer and before the next one, without real time passing.
import type { Clock, TimerHandle, TimerOptions } from './clock.js';

interface FakeTimer {
  at: number;
  readonly seq: number;
  readonly fn: () => void;
  /** Re-arm period for intervals; 0 for timeouts. */
  readonly every: number;
}

export interface FakeClockOptions {
  /** Wall-clock reading at monotonic 0 (default 2023-11-14T22:13:20Z, 1_700_000_000_000). */
  epochMs?: number;
}

/** Lets every promise callback already queued (and those they queue) run; no time passes on any clock. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private t = 0;
  private epochMs: number;
  private seq = 0;
  private readonly timers = new Set<FakeTimer>();
  /** Every timer fires this much after its deadline (a loaded event loop). */
  latenessMs = 0;

  constructor(opts: FakeClockOptions = {}) {
    this.epochMs = opts.epochMs ?? 1_700_000_000_000;
  }

  now(): number {
    return this.epochMs + this.t;
  }

  monotonic(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number, _opts?: TimerOptions): TimerHandle {
    return this.add(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number, _opts?: TimerOptions): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | null | undefined): void {
    if (handle) this.timers.delete(handle as FakeTimer);
  }

  clearInterval(handle: TimerHandle | null | undefined): void {
    this.clearTimeout(handle);
  }

  /** Timers (timeouts and intervals) still armed. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Monotonic ms until the next timer is due, or null when none is armed. */
  nextDueIn(): number | null {
    const next = this.earliest(Number.POSITIVE_INFINITY);
    return next ? Math.max(0, next.at - this.t) : null;
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones set meanwhile). */
  advance(ms: number): void {
    const end = this.t + Math.max(0, ms);
    for (;;) {
      const next = this.earliest(end);
      if (!next) break;
      this.fire(next);
    }
    this.t = end;
  }

  /** Moves to a monotonic time (never backwards), firing what falls due. */
  advanceTo(monotonicMs: number): void {
    this.advance(Math.max(0, monotonicMs - this.t));
  }

  /**
   * Like advance(), but after every timer (and once at the start) lets pending promise callbacks
   * run, so async code chained on a timer (an awaited reply, an async generator) makes its progress
   * at the right fake time before the next timer fires.
   */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + Math.max(0, ms);
    await settle();
    for (;;) {
      const next = this.earliest(end);
      if (!next) break;
      this.fire(next);
      await settle();
    }
    this.t = end;
    await settle();
  }

  /** Jumps time forward without firing timers (a blocked event loop); they fire on the next advance. */
  block(ms: number): void {
    this.t += Math.max(0, ms);
  }

  /** Steps the wall clock (NTP correction, a time-zone test) without moving monotonic time or timers. */
  setWallTime(epochMs: number): void {
    this.epochMs = epochMs - this.t;
  }

  private add(fn: () => void, ms: number, every: number): FakeTimer {
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0;
    const timer: FakeTimer = { at: this.t + delay + this.latenessMs, seq: this.seq++, fn, every };
    this.timers.add(timer);
    return timer;
  }

  private fire(timer: FakeTimer): void {
    this.t = Math.max(this.t, timer.at);
    if (timer.every > 0) {
      // Re-armed from its deadline, as Node's setInterval does; cleared inside fn stays cleared.
      timer.at = timer.at + timer.every + this.latenessMs;
    } else {
      this.timers.delete(timer);
    }
    timer.fn();
  }

  private earliest(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.timers) {
      if (timer.at > limit) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
