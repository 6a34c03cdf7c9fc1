// A job that runs once a day at a wall-clock time in the spa's time zone (the nightly backup, the
// retention purge), on the project's Clock so tests run it on fake time. The next run is worked
// out from the wall clock each time (daylight-saving days included); a timer that fires early
// because the wall clock was stepped back (NTP) waits again instead of running twice.
import { DateTime } from 'luxon';
import type { Clock, TimerHandle } from '../shared/clock.js';

/** The first instant after `nowMs` whose local time in `zone` is hour:minute (pure). */
export function nextDailyRun(nowMs: number, zone: string, hour: number, minute: number): number {
  const now = DateTime.fromMillis(nowMs, { zone });
  let at = now.set({ hour, minute, second: 0, millisecond: 0 });
  if (at.toMillis() <= nowMs) at = at.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return at.toMillis();
}

export interface DailyJobDeps {
  clock: Clock;
  zone: string;
  hour: number;
  minute: number;
  /** The work; its rejection is the caller's to log (run() catches nothing on its behalf but the timer keeps going). */
  run: () => Promise<void>;
  onError: (err: unknown) => void;
}

export class DailyJob {
  private timer: TimerHandle | null = null;
  private due = 0;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly deps: DailyJobDeps) {}

  /** When the job runs next (epoch ms), or null when stopped. */
  get nextRunAt(): number | null {
    return this.stopped ? null : this.due;
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** Resolves when no run is in progress (tests and stop() wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops the timer and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
  }

  private arm(): void {
    const { clock } = this.deps;
    this.due = nextDailyRun(clock.now(), this.deps.zone, this.deps.hour, this.deps.minute);
    this.schedule();
  }

  private schedule(): void {
    const { clock } = this.deps;
    // A day at most (well under setTimeout's 24.8-day limit); unref: it never keeps the process up.
    this.timer = clock.setTimeout(() => this.fire(), Math.max(0, this.due - clock.now()), { unref: true });
  }

  private fire(): void {
    this.timer = null;
    if (this.stopped) return;
    if (this.deps.clock.now() < this.due) {
      this.schedule(); // the wall clock was stepped back: wait for the real time
      return;
    }
    this.running = this.deps
      .run()
      .catch((err: unknown) => this.deps.onError(err))
      .finally(() => {
        this.running = null;
        if (!this.stopped) this.arm();
      });
  }
}
