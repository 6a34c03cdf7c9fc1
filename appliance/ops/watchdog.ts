// The service watchdog: pings systemd (WATCHDOG=1) only while the daemon is healthy — its event
// loop on time, the database answering, the SIP socket listening. When a check fails (or the
// loop was blocked long enough that the tick came late) the ping is withheld, so systemd's
// WatchdogSec runs out and it restarts the daemon; STATUS= says why in `systemctl status`.
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { ServiceNotifier } from './service-notifier.js';

export interface ServiceWatchdogDeps {
  clock: Clock;
  log: Logger;
  notifier: ServiceNotifier;
  /** How often to ping (a third of systemd's WatchdogSec); null: READY and STATUS only, no pings. */
  periodMs: number | null;
  /** What is unhealthy now ("database", "sip"); empty when all is well. Must be cheap: runs every period. */
  problems: () => string[];
}

export class ServiceWatchdog {
  private timer: TimerHandle | null = null;
  private expected = 0;
  private sending = false;
  private status = '';
  /** Pings sent and withheld (shown in logs; tests read them). */
  readonly counts = { pings: 0, withheld: 0 };

  constructor(private readonly deps: ServiceWatchdogDeps) {}

  /** Says READY=1 (the daemon has started) and starts the pings. */
  async start(): Promise<void> {
    await this.send(['READY=1', 'STATUS=running']);
    this.status = 'running';
    const period = this.deps.periodMs;
    if (period === null) return;
    this.arm();
  }

  /** The next tick, a period from now (a chain of timeouts: a late tick is not followed by a burst of catch-up ticks). */
  private arm(): void {
    const period = this.deps.periodMs ?? 0;
    this.expected = this.deps.clock.monotonic() + period;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), period, { unref: true });
  }

  /** Stops the pings and says STOPPING=1 (systemd then waits for the exit instead of killing on the watchdog). */
  async stop(): Promise<void> {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.send(['STOPPING=1']).catch(() => undefined);
  }

  private tick(): void {
    const { clock, periodMs } = this.deps;
    // A tick more than a period late means the event loop was blocked that long.
    const lateMs = clock.monotonic() - this.expected;
    this.arm();
    const problems = lateMs > (periodMs ?? 0) ? [`event loop blocked ${Math.round(lateMs)} ms`] : this.safeProblems();
    if (problems.length > 0) {
      this.counts.withheld++;
      this.deps.log.warn({ problems }, 'watchdog: not healthy, ping withheld');
      this.setStatus(`unhealthy: ${problems.join(', ')}`);
      return;
    }
    this.counts.pings++;
    this.setStatus('running', ['WATCHDOG=1']);
  }

  private safeProblems(): string[] {
    try {
      return this.deps.problems();
    } catch (err) {
      return [`health check threw: ${err instanceof Error ? err.message : String(err)}`];
    }
  }

  /** Sends the ping (and a new STATUS when it changed); one send at a time, a send still running skips this one. */
  private setStatus(status: string, extra: string[] = []): void {
    const assignments = status === this.status ? extra : [...extra, `STATUS=${status}`];
    if (assignments.length === 0 || this.sending) return;
    this.sending = true;
    this.send(assignments).then(
      () => {
        this.status = status;
        this.sending = false;
      },
      (err: unknown) => {
        this.sending = false;
        this.deps.log.error({ err }, 'watchdog: could not notify systemd');
      },
    );
  }

  private send(assignments: string[]): Promise<void> {
    return this.deps.notifier.notify(assignments);
  }
}
