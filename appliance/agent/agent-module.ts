// The agent module: the receptionist (one agent for calls, SMS and the web chat), over the spa's
// catalogue and bookings. The local LLM that sharpens its understanding is the llm module's.
import type { ApplianceDeps } from '../appliance.js';
import type { BookingModule } from '../booking/booking-module.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { StoreModule } from '../store/store-module.js';
import { Receptionist } from './receptionist.js';

export interface AgentModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock'> {
  store: StoreModule;
  booking: BookingModule;
}

export class AgentModule implements ApplianceModule {
  readonly name = 'agent';
  readonly dependsOn: readonly ApplianceModule[];
  private made: Receptionist | null = null;

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
  }

  /** Nothing to release: conversations live in the store (calls in progress are ended by telephony first). */
  async stop(): Promise<void> {
    this.made = null;
  }
}
