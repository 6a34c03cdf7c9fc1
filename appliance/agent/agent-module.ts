// The agent module: the receptionist (one agent for calls, SMS and the web chat), over the spa's
// catalogue and bookings. The local LLM that sharpens its understanding is the llm module's.
import type { ApplianceDeps } from '../appliance.js';
import type { BookingModule } from '../booking/booking-module.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { StoreModule } from '../store/store-module.js';
import type { TimerHandle } from '../shared/clock.js';
import { Receptionist } from './receptionist.js';

/** How often the catalogue's revision is checked, so a staff edit's knowledge model is fitted before the next question. */
const REFRESH_MS = 3_000;

export interface AgentModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock'> {
  store: StoreModule;
  booking: BookingModule;
}

export class AgentModule implements ApplianceModule {
  readonly name = 'agent';
  readonly dependsOn: readonly ApplianceModule[];
  private made: Receptionist | null = null;
  private refresher: TimerHandle | null = null;

  constructor(private readonly deps: AgentModuleDeps) {
    this.dependsOn = [deps.store, deps.booking];
  }

  get receptionist(): Receptionist {
    if (!this.made) throw new Error('the agent module has not started');
    return this.made;
  }

  async start(): Promise<void> {
    const { settings, log, clock, store, booking } = this.deps;
    this.made = new Receptionist({
      db: store.db,
      clock,
      log: log.child({ mod: 'agent' }),
      catalogue: booking.catalogue,
      bookings: booking.bookings,
      settings: () => ({
        agent: settings.agent,
        record: settings.telephony.record,
        transferTo: settings.telephony.transferTo,
        horizonDays: settings.booking.horizonDays,
      }),
    });
    // The knowledge model is fitted in a worker from now on, not on the first question; and again
    // whenever the catalogue changes (one SELECT per check).
    const receptionist = this.made;
    const agentLog = log.child({ mod: 'agent' });
    const refresh = (): void => void receptionist.refresh().catch((err: unknown) => agentLog.error({ err }, 'the knowledge index could not be rebuilt'));
    refresh();
    this.refresher = clock.setInterval(refresh, REFRESH_MS, { unref: true });
  }

  /** Nothing to release: conversations live in the store (calls in progress are ended by telephony first). */
  async stop(): Promise<void> {
    this.deps.clock.clearInterval(this.refresher);
    this.refresher = null;
    this.made = null;
  }
}
