// Fires a callback every frame interval on a drift-free schedule: tick n is due at start + n *
// interval on the monotonic clock, and each timer is set for the time left to the next deadline,
// so lateness of one timer does not push the following ones back. A late wake-up runs the ticks
// that are due (a short burst); if the loop was blocked for longer than maxCatchUpFrames, the
// oldest ticks are skipped so the stream keeps real time. No busy-waiting.
import type { Clock, TimerHandle } from '../shared/clock.js';

export interface FramePacerStats {
  ticks: number;
  /** Ticks run more than one interval after their deadline. */
  lateTicks: number;
  /** Ticks dropped after the event loop was blocked for too long. */
  skippedTicks: number;
  maxLateMs: number;
  /** Ticks whose callback threw (the schedule goes on). */
  errors: number;
}

export interface FramePacerDeps {
  /** Deadlines on its monotonic time (performance.now on the system clock: sub-millisecond). */
  clock: Clock;
  /** Called with the tick's index (0, 1, ...; skipped ticks leave gaps) and how late it runs. */
  onTick: (index: number, lateMs: number) => void;
  /** Called when onTick throws; the pacer keeps running. */
  onError?: (err: unknown) => void;
  intervalMs?: number;
  maxCatchUpFrames?: number;
}

/** A timer may wake this much before its deadline (millisecond timer resolution); the tick still runs. */
const EARLY_TOLERANCE_MS = 1;

export class FramePacer {
  readonly stats: FramePacerStats = { ticks: 0, lateTicks: 0, skippedTicks: 0, maxLateMs: 0, errors: 0 };
  private startMs = 0;
  private next = 0;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly deps: FramePacerDeps) {}

  get intervalMs(): number {
    return this.deps.intervalMs ?? 20;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts ticking; the first tick runs at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startMs = this.deps.clock.monotonic();
    this.next = 0;
    this.run();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run = (): void => {
    this.timer = undefined;
    if (!this.running) return;
    const interval = this.intervalMs;
    const maxCatchUp = this.deps.maxCatchUpFrames ?? 5;
    let now = this.deps.clock.monotonic();
    const behind = Math.floor((now - this.startMs) / interval) - this.next;
    if (behind > maxCatchUp) {
      this.stats.skippedTicks += behind - maxCatchUp;
      this.next += behind - maxCatchUp;
    }
    while (this.running && this.startMs + this.next * interval <= now + EARLY_TOLERANCE_MS) {
      const lateMs = Math.max(0, now - (this.startMs + this.next * interval));
      this.stats.ticks++;
      if (lateMs > interval) this.stats.lateTicks++;
      if (lateMs > this.stats.maxLateMs) this.stats.maxLateMs = lateMs;
      const index = this.next++;
      try {
        this.deps.onTick(index, lateMs);
      } catch (err) {
        this.stats.errors++;
        this.deps.onError?.(err);
      }
      now = this.deps.clock.monotonic();
    }
    if (!this.running) return;
    const wait = Math.max(0, Math.ceil(this.startMs + this.next * interval - now));
    this.timer = this.deps.clock.setTimeout(this.run, wait);
  };
}
