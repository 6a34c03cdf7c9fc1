// Slows password guessing from the LAN: after 10 failures from one address within 15 minutes,
// that address may not try again until the window has passed.
import type { Clock } from '../booking/bookings.js';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly deps: { clock: Clock }) {}

  private recent(ip: string): number[] {
    const since = this.deps.clock.now() - WINDOW_MS;
    const list = (this.failures.get(ip) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(ip);
    else this.failures.set(ip, list);
    return list;
  }

  allowed(ip: string): boolean {
    return this.recent(ip).length < MAX_FAILURES;
  }

  failed(ip: string): void {
    const list = this.recent(ip);
    list.push(this.deps.clock.now());
    this.failures.set(ip, list);
    // Bound memory under a flood of addresses.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(ip: string): void {
    this.failures.delete(ip);
  }
}
