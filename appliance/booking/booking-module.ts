// The booking module: the spa's catalogue (services, providers, hours; the demo spa or an empty
// profile seeded into a new database) and the bookings made against it.
import type { ApplianceDeps } from '../appliance.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { StoreModule } from '../store/store-module.js';
import { Bookings } from './bookings.js';
import { Catalogue } from './catalogue.js';
import { demoSpa } from './demo-spa.js';
import { starterSpa } from './starter-spa.js';

export interface BookingModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock'> {
  store: StoreModule;
}

export class BookingModule implements ApplianceModule {
  readonly name = 'booking';
  readonly dependsOn: readonly ApplianceModule[];
  private made: { catalogue: Catalogue; bookings: Bookings } | null = null;

  constructor(private readonly deps: BookingModuleDeps) {
    this.dependsOn = [deps.store];
  }

  get catalogue(): Catalogue {
    return this.started().catalogue;
  }

  get bookings(): Bookings {
    return this.started().bookings;
  }

  async start(): Promise<void> {
    const { settings, log, clock, store } = this.deps;
    const catalogue = new Catalogue({ db: store.db });
    if (catalogue.isEmpty()) {
      const seedDemo = settings.demo ?? store.previousVersion === 0;
      catalogue.replaceAll(seedDemo ? demoSpa() : starterSpa(settings.timeZone));
      log.info({ demo: seedDemo }, seedDemo ? 'seeded the demo spa' : 'created an empty spa profile');
    }
    catalogue.setTimeZone(settings.timeZone);
    const bookings = new Bookings({
      db: store.db,
      catalogue,
      clock,
      policy: {
        minNoticeMin: settings.booking.minNoticeMin,
        slotIntervalMin: settings.booking.slotIntervalMin,
        holdTtlS: settings.booking.holdTtlS,
      },
    });
    this.made = { catalogue, bookings };
  }

  /** Nothing to release: the catalogue and bookings live in the store. */
  async stop(): Promise<void> {
    this.made = null;
  }

  private started(): { catalogue: Catalogue; bookings: Bookings } {
    if (!this.made) throw new Error('the booking module has not started');
    return this.made;
  }
}
