// The sms module: the modem (the AT driver on the serial device SPA_MODEM names or auto-detect
// finds under /dev/serial/by-id, else the simulated one), the outbox sender, and the messaging
// rules (inbound texts to the receptionist, missed-call text-back, confirmations, reminders,
// opt-outs). Bookings are scanned on the Clock every minute for confirmations and reminders.
import { EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplianceDeps } from '../appliance.js';
import type { AgentModule } from '../agent/agent-module.js';
import { Phrasing } from '../agent/phrasing.js';
import type { BookingModule } from '../booking/booking-module.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { Bookings } from '../booking/bookings.js';
import type { Catalogue } from '../booking/catalogue.js';
import type { StoreModule } from '../store/store-module.js';
import { AtModem } from './at-modem.js';
import { Messaging, type BookingsView } from './messaging.js';
import type { Modem, ModemStatus } from './modem.js';
import { Outbox } from './outbox.js';
import { openSerialPort, type OpenSerialLink } from './serial-link.js';
import { SimModem } from './sim-modem.js';
import { SmsStore, type SmsMessage } from './sms-store.js';

export interface SmsModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock'> {
  store: StoreModule;
  booking: BookingModule;
  agent: AgentModule;
  /** How the serial device is opened (default serialport). */
  openLink?: OpenSerialLink;
  /** Where auto-detect looks (default /dev/serial/by-id). */
  serialByIdDir?: string;
}

/** What the messaging rules see of the booking engine (confirmations, reminders, answers to them). */
export function bookingsViewOf(deps: { bookings: Bookings; catalogue: Catalogue; clock: Clock }): BookingsView {
  const { bookings, catalogue, clock } = deps;
  return {
    bookedBetween: (from, to) => bookings.bookedBetween(from, to),
    list: (from, to) => bookings.list(from, to),
    clientPhone: (id) => bookings.client(id)?.phone ?? null,
    get: (id) => {
      try {
        return bookings.get(id);
      } catch {
        return null;
      }
    },
    cancel: (id, note) => bookings.cancel(id, { source: 'sms', note }),
    describe: (a) => {
      const zone = catalogue.profile().timeZone;
      const service = catalogue.service(a.serviceId)?.name ?? 'your appointment';
      return `${service} on ${new Phrasing('sms', zone, clock.now()).fullWhen(a.start)}`;
    },
  };
}

/** What /api/health shows of the modem. */
export interface ModemHealth {
  driver: string;
  state: string;
  device?: string | null;
  operator?: string | null;
  signal?: { dBm: number; bars: number } | null;
  sim?: string;
  lastError?: string | null;
}

const BOOKING_SCAN_MS = 60_000;
/** A text-back is queued within this of the miss (the outbox then hands it over at once). */
const MODEM_NAMES = /quectel|simcom|simtech|sim7600|sim7000|ec2[015]|eg2[15]|bg9[56]|u-blox|telit|sierra|huawei/i;

export interface SmsModuleEvents {
  /** A text was stored, queued, handed to the modem, or changed status (in or out). */
  changed: [message: { id: number; direction: 'in' | 'out'; kind: string; status: string }];
}

export class SmsModule extends EventEmitter<SmsModuleEvents> implements ApplianceModule {
  readonly name = 'sms';
  readonly dependsOn: readonly ApplianceModule[];
  private made: { modem: Modem; sms: SmsStore; outbox: Outbox; messaging: Messaging } | null = null;
  private scanTimer: TimerHandle | null = null;
  private detachAgent: () => void = () => undefined;
  private lastScan = 0;

  constructor(private readonly deps: SmsModuleDeps) {
    super();
    this.dependsOn = [deps.store, deps.booking, deps.agent];
  }

  /** The modem driver in use (after start). */
  get modem(): Modem {
    return this.parts().modem;
  }

  get store(): SmsStore {
    return this.parts().sms;
  }

  get messaging(): Messaging {
    return this.parts().messaging;
  }

  /** The simulated modem, when that is the driver (POST /api/sim/sms); null with real hardware. */
  get simModem(): SimModem | null {
    const m = this.made?.modem;
    return m instanceof SimModem ? m : null;
  }

  async start(): Promise<void> {
    const { settings, log: rootLog, clock, store, booking, agent } = this.deps;
    const log = rootLog.child({ mod: 'sms' });
    const device = this.resolveDevice();
    const modem: Modem =
      device === 'sim'
        ? new SimModem({ clock })
        : new AtModem({ clock, log, device, openLink: this.deps.openLink ?? openSerialPort, options: { pin: settings.sms.pin || null } });
    const sms = new SmsStore({ db: store.db });
    const changed = (m: SmsMessage | null): void => {
      if (m) this.emit('changed', { id: m.id, direction: m.direction, kind: m.kind, status: m.status });
    };
    const zone = (): string => booking.catalogue.profile().timeZone;
    const outbox = new Outbox({
      store: sms,
      modem,
      clock,
      log,
      onChange: changed,
      policy: () => ({
        minIntervalMs: settings.sms.minIntervalMs,
        dailyCap: settings.sms.dailyCap,
        quiet: { startHour: settings.sms.quietStartHour, endHour: settings.sms.quietEndHour, zone: zone() },
      }),
    });
    const bookingsView = bookingsViewOf({ bookings: booking.bookings, catalogue: booking.catalogue, clock });
    const servedLive = store.db.prepare(`SELECT 1 FROM calls WHERE caller_phone = ? AND invited_at >= ? AND outcome IN ('ai-handled', 'transferred', 'answered-elsewhere') LIMIT 1`);
    const messaging = new Messaging({
      store: sms,
      clock,
      log,
      chat: (req) => agent.receptionist.chat(req),
      spa: () => {
        const p = booking.catalogue.profile();
        return { name: p.name, phone: p.phone, zone: p.timeZone };
      },
      settings: () => settings.sms,
      servedLiveSince: (phone, since) => servedLive.get(phone, since) !== undefined,
      bookings: bookingsView,
      queued: (m) => {
        changed(m);
        outbox.kick();
      },
    });
    modem.on('message', (m) => void messaging.onInbound(m).then(changed));
    // Identity codes for callers (agent/identity-code.ts) only through a real modem that is up:
    // the simulated one reaches no phone, and a code that never comes would keep a caller waiting.
    const modemUp = (): boolean => modem.status().state === 'ready';
    const stopTexts =
      device === 'sim'
        ? () => undefined
        : agent.receptionist.useTexts(
            (phone, body) => {
              if (!modemUp()) return false;
              try {
                return messaging.identityCode(phone, body);
              } catch (err) {
                log.error({ err }, 'an identity code could not be queued');
                return false;
              }
            },
            { ready: modemUp },
          );
    const stopAlerts = agent.receptionist.onAlert((a) => {
      try {
        messaging.staffAlert(a);
      } catch (err) {
        log.error({ err, alertId: a.id }, 'the staff alert text could not be queued');
      }
    });
    this.detachAgent = () => {
      stopAlerts();
      stopTexts();
    };
    modem.on('report', (r) => {
      try {
        changed(sms.report(r.reference, r.status, clock.now()));
      } catch (err) {
        log.error({ err }, 'a delivery report could not be recorded');
      }
    });
    modem.on('state', (s) => {
      log.info({ state: s.state, lastError: s.lastError }, `modem ${s.state}`);
      if (s.state === 'ready') outbox.kick();
    });
    this.made = { modem, sms, outbox, messaging };
    // The modem may take a while (or never come): it is a state in health, not a failed start.
    void modem.start().catch((err: unknown) => log.error({ err }, 'the modem failed to start'));
    outbox.start();
    this.lastScan = clock.now();
    this.scanTimer = clock.setInterval(() => this.scan(), BOOKING_SCAN_MS, { unref: true });
  }

  async stop(): Promise<void> {
    this.deps.clock.clearInterval(this.scanTimer);
    this.scanTimer = null;
    this.detachAgent();
    const made = this.made;
    this.made = null;
    if (!made) return;
    made.outbox.stop();
    await made.modem.stop();
  }

  /** A call rang out unanswered (the telephony layer's missed event). */
  missedCall(phone: string | null): void {
    if (!this.made) return;
    try {
      this.made.messaging.onMissedCall(phone);
    } catch (err) {
      this.deps.log.error({ err }, 'the missed-call text-back failed');
    }
  }

  health(): ModemHealth {
    const configured = this.deps.settings.modem.device;
    if (!this.made) return { driver: configured === 'sim' ? 'sim' : 'at', state: 'not started' };
    const s: ModemStatus = this.made.modem.status();
    return { driver: s.driver, state: s.state, device: s.device, operator: s.operator, signal: s.signal, sim: s.sim, lastError: s.lastError };
  }

  /** Confirmations and reminders due since the last scan. */
  private scan(): void {
    const made = this.made;
    if (!made) return;
    const now = this.deps.clock.now();
    try {
      made.messaging.scanBookings(this.lastScan);
      this.lastScan = now;
    } catch (err) {
      this.deps.log.error({ err }, 'the booking scan for confirmations and reminders failed');
    }
  }

  private parts(): NonNullable<SmsModule['made']> {
    if (!this.made) throw new Error('the sms module has not started');
    return this.made;
  }

  /** 'sim', or the device path: SPA_MODEM's, or auto-detected under /dev/serial/by-id (the modem's AT port). */
  private resolveDevice(): string {
    const configured = this.deps.settings.modem.device;
    if (configured !== 'auto') return configured;
    const dir = this.deps.serialByIdDir ?? '/dev/serial/by-id';
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return 'sim';
    }
    const modems = names.filter((n) => MODEM_NAMES.test(n)).sort();
    // Quectel and SIMCom put the AT port on interface 2 (ttyUSB2).
    const at = modems.find((n) => /if0?2\b|if02-port0/.test(n)) ?? modems[0];
    return at ? join(dir, at) : 'sim';
  }
}
