// Slows password guessing from the LAN: at most 10 login attempts from one address within 15
// minutes that did not end in a successful login. An attempt counts when it starts, before the
// password is hashed, so a burst of parallel guesses cannot all slip in while the first ones are
// still being checked.
import type { Clock } from '../shared/clock.js';

const WINDOW_MS = 15 * 60_000;
const MAX_ATTEMPTS = 10;
const MAX_SOURCES = 10_000;

export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();
  constructor(private readonly deps: { clock: Clock }) {}

  private recent(ip: string): number[] {
    const since = this.deps.clock.now() - WINDOW_MS;
    const list = (this.attempts.get(ip) ?? []).filter((t) => t > since);
    if (list.length === 0) this.attempts.delete(ip);
    else this.attempts.set(ip, list);
    return list;
  }

  /** Counts an attempt from `ip` and says whether it may go ahead. */
  begin(ip: string): boolean {
    const list = this.recent(ip);
    if (list.length >= MAX_ATTEMPTS) return false;
    list.push(this.deps.clock.now());
    this.attempts.set(ip, list);
    // Bound memory under a flood of addresses.
    if (this.attempts.size > MAX_SOURCES) this.attempts.delete(this.attempts.keys().next().value as string);
    return true;
  }

  /** A correct password: the address starts afresh. */
  succeeded(ip: string): void {
    this.attempts.delete(ip);
  }
}
