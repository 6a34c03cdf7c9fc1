// Registered-extension mode: the box REGISTERs to the spa's PBX like a desk phone (RFC 3261 10),
// answering digest challenges (SIP.js core), refreshing before expiry, backing off while the
// registrar is down, and registering again at once when the box's address changes.
import { Grammar, type IncomingResponse, type URI, type UserAgentCore } from 'sip.js/lib/core/index.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { Logger } from '../log.js';

export interface RegistrationSettings {
  registrar: string;
  username: string;
  expiresS: number;
}

export interface RegistrationState {
  registered: boolean;
  /** When the current registration runs out (ms epoch), if registered. */
  expiresAt: number | null;
  lastError: string | null;
  attempts: number;
}

/** "192.168.1.10", "pbx.local:5080", "sip:pbx.local;transport=tcp" -> a SIP URI. Pure. */
export function registrarUri(registrar: string): URI {
  const text = /^sips?:/i.test(registrar) ? registrar : `sip:${registrar}`;
  const uri = Grammar.URIParse(text);
  if (!uri) throw new RangeError(`not a registrar address: ${registrar}`);
  return uri;
}

/** When to refresh a registration granted for `expiresS`: a margin before it runs out. Pure. */
export function refreshDelayMs(expiresS: number): number {
  const margin = Math.min(Math.max(expiresS * 0.1, 5), 60);
  return Math.max(1, expiresS - margin) * 1000;
}

/** Retry delay after `failures` consecutive failures: 2 s doubling to 5 min, with jitter. Pure but for `random`. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(2000 * 2 ** Math.max(0, failures - 1), 300_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The registration lifetime the registrar granted: Contact ;expires= for our contact, else Expires, else what we asked. */
export function grantedExpires(response: IncomingResponse['message'], asked: number): number {
  for (const contact of response.getHeaders('contact')) {
    const m = /;\s*expires\s*=\s*(\d+)/i.exec(contact);
    if (m) return Number(m[1]);
  }
  const header = Number(response.getHeader('expires'));
  return Number.isFinite(header) && header > 0 ? header : asked;
}

export class Registration {
  private timer: TimerHandle | null = null;
  private failures = 0;
  private stopped = true;
  private readonly state: RegistrationState = { registered: false, expiresAt: null, lastError: null, attempts: 0 };

  constructor(
    private readonly deps: {
      log: Logger;
      /** Expiry times, the refresh and the back-off timers. */
      clock: Clock;
      core: () => UserAgentCore | null;
      /** Our contact URI as the registrar should reach us: sip:user@addr:port. */
      contact: () => string;
      settings: RegistrationSettings;
      /** Called before each REGISTER is sent. */
      beforeAttempt?: () => void;
    },
  ) {}

  status(): RegistrationState {
    return { ...this.state };
  }

  start(): void {
    this.stopped = false;
    this.send(this.deps.settings.expiresS);
  }

  /** The box's address changed (DHCP, cable moved): register the new contact now. */
  networkChanged(): void {
    if (this.stopped) return;
    this.deps.log.info('network changed: registering again');
    this.schedule(0);
  }

  private schedule(ms: number): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.send(this.deps.settings.expiresS);
    }, ms);
  }

  private send(expires: number): void {
    const core = this.deps.core();
    if (!core) return;
    const { settings, log } = this.deps;
    let ruri: URI;
    try {
      ruri = registrarUri(settings.registrar);
    } catch (err) {
      this.state.lastError = (err as Error).message;
      return;
    }
    const aor = ruri.clone();
    aor.user = settings.username;
    aor.port = undefined;
    aor.deleteParam('transport');
    this.state.attempts++;
    this.deps.beforeAttempt?.();
    const message = core.makeOutgoingRequestMessage('REGISTER', ruri, aor, aor, {}, [
      `Contact: <${this.deps.contact()}>;expires=${expires}`,
      `Expires: ${expires}`,
      'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY',
    ]);
    const failed = (why: string): void => {
      this.state.registered = false;
      this.state.expiresAt = null;
      this.state.lastError = why;
      this.failures++;
      const delay = backoffMs(this.failures);
      log.warn({ registrar: settings.registrar, why, retryInMs: delay }, 'registration failed');
      if (!this.stopped) this.schedule(delay);
    };
    core.register(message, {
      onAccept: (response) => {
        if (expires === 0) {
          this.state.registered = false;
          this.state.expiresAt = null;
          return;
        }
        const granted = grantedExpires(response.message, expires);
        this.failures = 0;
        this.state.registered = true;
        this.state.lastError = null;
        this.state.expiresAt = this.deps.clock.now() + granted * 1000;
        log.info({ registrar: settings.registrar, expiresS: granted }, 'registered');
        if (!this.stopped) this.schedule(refreshDelayMs(granted));
      },
      onReject: (response) => failed(`${response.message.statusCode} ${response.message.reasonPhrase}`),
    });
  }

  /** Unregisters (Expires: 0) and stops refreshing. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.state.registered) this.send(0);
  }
}
