// The last line of defence against an error nothing else caught. Every call's timers and event
// handlers catch their own errors and end that call (telephony/call-manager.ts, voice/turn-taking.ts,
// telephony/rtp-call-media.ts); an exception that still reaches the process is a bug in code that
// has no such guard. It is logged; the daemon keeps serving only while it still does its job
// (database answering, SIP listening) and such errors stay rare; otherwise it stops cleanly and
// exits non-zero so that its supervisor (systemd) starts it afresh.
import type { Logger } from './log.js';
import type { Clock } from './shared/clock.js';

export interface CrashGuardDeps {
  log: Logger;
  clock: Clock;
  /** Whether the daemon still does its job. */
  healthy: () => boolean;
  /** Stops the daemon cleanly and exits non-zero. Called at most once. */
  shutdown: (reason: string) => void;
  /** Where the process events come from (process in the daemon). */
  events: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  /** At most this many uncaught errors within `windowMs` are survived (default 3 in 10 minutes). */
  maxErrors?: number;
  windowMs?: number;
}

export type CrashDecision = 'kept serving' | 'shutting down';

export class CrashGuard {
  private recent: number[] = [];
  private down = false;
  private readonly onException = (err: unknown, origin: string): void => {
    this.uncaught(err, origin);
  };
  private readonly onRejection = (err: unknown): void => {
    // A rejected promise nobody awaited leaves no half-run handler behind: log it and go on.
    this.deps.log.error({ err }, 'unhandled promise rejection');
  };

  constructor(private readonly deps: CrashGuardDeps) {}

  start(): void {
    this.deps.events.on('uncaughtException', this.onException);
    this.deps.events.on('unhandledRejection', this.onRejection);
  }

  stop(): void {
    this.deps.events.off('uncaughtException', this.onException);
    this.deps.events.off('unhandledRejection', this.onRejection);
  }

  /** Decides what an uncaught exception means for the daemon (also callable directly). */
  uncaught(err: unknown, origin = 'uncaughtException'): CrashDecision {
    const now = this.deps.clock.monotonic();
    const windowMs = this.deps.windowMs ?? 10 * 60_000;
    this.recent = this.recent.filter((t) => now - t < windowMs);
    this.recent.push(now);
    const tooMany = this.recent.length > (this.deps.maxErrors ?? 3);
    let healthy = false;
    try {
      healthy = this.deps.healthy();
    } catch {
      healthy = false;
    }
    if (!this.down && healthy && !tooMany) {
      this.deps.log.error({ err, origin, recent: this.recent.length }, 'uncaught error: logged; the daemon is healthy and keeps serving');
      return 'kept serving';
    }
    const why = tooMany ? `${this.recent.length} uncaught errors within ${Math.round(windowMs / 1000)} s` : 'the daemon is no longer healthy';
    this.deps.log.fatal({ err, origin, why }, 'uncaught error: stopping cleanly so the service restarts');
    if (!this.down) {
      this.down = true;
      this.deps.shutdown(why);
    }
    return 'shutting down';
  }
}
