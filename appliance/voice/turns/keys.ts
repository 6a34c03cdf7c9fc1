// Keys the caller presses, gathered into one input: a key answers a menu 600 ms after it was
// pressed; when the agent expects digits (a phone number, a date of birth) the box waits 2000 ms
// after the last one. Every key starts the wait again; '#' (the session's) sends them at once.
import type { Clock, TimerHandle } from '../../shared/clock.js';

const KEY_WAIT_MS = 600;
const DIGITS_WAIT_MS = 2000;

export class KeyEntry {
  private digits = '';
  private timer: TimerHandle | null = null;

  constructor(private readonly deps: { clock: Clock; onWaitOver: () => void }) {}

  /** Keys are gathered and their wait has not run out. */
  get pending(): boolean {
    return this.digits !== '';
  }

  press(digit: string, expectDigits: boolean): void {
    this.digits += digit;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.deps.onWaitOver(), expectDigits ? DIGITS_WAIT_MS : KEY_WAIT_MS);
  }

  /** The keys gathered so far ('' for none); the wait stops. */
  take(): string {
    this.stop();
    const digits = this.digits;
    this.digits = '';
    return digits;
  }

  stop(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
