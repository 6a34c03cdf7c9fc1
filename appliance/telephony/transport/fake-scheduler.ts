// A scriptable clock for tests of the retransmission timers: time moves only when `advance` is
// called, and due timers run in deadline order (ties in creation order), each seeing `now()` equal
// to its own deadline.
import type { TimerHandle, TimerScheduler } from './scheduler.js';

interface FakeTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class FakeScheduler implements TimerScheduler {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: this.nextId++, at: this.time + Math.max(0, ms), callback };
    this.timers.set(timer.id, timer);
    return { fakeTimerId: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { fakeTimerId?: unknown }).fakeTimerId;
    if (typeof id === 'number') this.timers.delete(id);
  }

  /** Number of timers still pending. */
  pending(): number {
    return this.timers.size;
  }

  /** Moves the clock forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers.delete(next.id);
      this.time = next.at;
      next.callback();
    }
    this.time = target;
  }

  /** Moves the clock to an absolute time (not backwards). */
  advanceTo(time: number): void {
    this.advance(Math.max(0, time - this.time));
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    }
    return best;
  }
}
