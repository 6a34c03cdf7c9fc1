// Automatic sign-out after inactivity, with a warning first. Pure logic on an injected clock (the
// browser's timers in the app, the fake clock in tests): the page reports activity (keys,
// pointer, touch), this decides when to warn and when to sign out.
//
// Why in the browser and not only on the server: the pages poll (Today refreshes itself), and
// every request keeps the server's session alive, so only the person's own input can say that
// nobody is at the desk. The server's idle limit still applies to a closed or frozen tab.

/** The part of the appliance's Clock this needs (appliance/shared/clock.ts fits it). */
export interface IdleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): object;
  clearTimeout(handle: object | null | undefined): void;
}

export interface IdleWatchDeps {
  clock: IdleClock;
  /** Sign out after this long without activity. */
  idleMs: number;
  /** Warn this long before signing out. */
  warnMs: number;
  /** The warning is due: sign-out happens at `deadline` (epoch ms) unless stay() is called. */
  onWarn(deadline: number): void;
  /** Time is up: sign out now. */
  onExpire(): void;
}

export type IdleState = 'active' | 'warning' | 'expired' | 'stopped';

export class IdleWatch {
  private last = 0;
  private timer: object | null = null;
  private phase: IdleState = 'stopped';

  constructor(private readonly deps: IdleWatchDeps) {}

  get state(): IdleState {
    return this.phase;
  }

  start(): void {
    this.last = this.deps.clock.now();
    this.phase = 'active';
    this.arm(this.warnAt());
  }

  stop(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.phase = 'stopped';
  }

  /**
   * The person did something. Cheap enough for every key press and pointer move: it only notes the
   * time, and the timer re-arms itself when it fires early. While the warning shows, only stay()
   * counts (a stray mouse move must not hide the warning unread).
   */
  activity(): void {
    if (this.phase === 'active') this.last = this.deps.clock.now();
  }

  /** "Stay signed in" on the warning. */
  stay(): void {
    if (this.phase !== 'warning' && this.phase !== 'active') return;
    this.deps.clock.clearTimeout(this.timer);
    this.start();
  }

  private warnAt(): number {
    return this.last + this.deps.idleMs - this.deps.warnMs;
  }

  private arm(at: number): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.fire(), Math.max(0, at - this.deps.clock.now()));
  }

  private fire(): void {
    this.timer = null;
    const now = this.deps.clock.now();
    const deadline = this.last + this.deps.idleMs;
    if (this.phase === 'active') {
      if (now < this.warnAt()) {
        this.arm(this.warnAt());
        return;
      }
      if (now >= deadline) {
        // The tab slept through the warning (a laptop lid): sign out at once.
        this.expire();
        return;
      }
      this.phase = 'warning';
      this.deps.onWarn(deadline);
      this.arm(deadline);
      return;
    }
    if (this.phase === 'warning') this.expire();
  }

  private expire(): void {
    this.phase = 'expired';
    this.deps.onExpire();
  }
}
