// The smallest process that runs the real sms module (the AT driver over serialport, the real
// outbox) on a file database: for the crash test, which kill -9s it mid-batch and starts it again.
// Usage: node dist/test/helpers/sms-crash-child.js <database file> <modem device>. Prints
// "started" once the module is up; runs until killed.
import { dirname } from 'node:path';
import type { AgentModule } from '../../appliance/agent/agent-module.js';
import type { BookingModule } from '../../appliance/booking/booking-module.js';
import { Bookings } from '../../appliance/booking/bookings.js';
import { Catalogue } from '../../appliance/booking/catalogue.js';
import { demoSpa } from '../../appliance/booking/demo-spa.js';
import { resolveSettings } from '../../appliance/config/index.js';
import { createLogger } from '../../appliance/log.js';
import { systemClock } from '../../appliance/shared/clock.js';
import { SmsModule } from '../../appliance/sms/sms-module.js';
import { openDatabase } from '../../appliance/store/db.js';
import type { StoreModule } from '../../appliance/store/store-module.js';
import { TEST_POLICY } from './spa.js';

const [dbPath, device] = process.argv.slice(2);
if (!dbPath || !device) throw new Error('usage: sms-crash-child <database file> <modem device>');
const { db } = openDatabase({ path: dbPath });
const clock = systemClock;
const log = createLogger({ level: 'silent' });
const settings = resolveSettings({
  env: { SPA_DATA_DIR: dirname(dbPath), SPA_MODEM: device },
  // Staff replies go at once; no rate limit so the batch is quick.
  fileText: JSON.stringify({ version: 1, sms: { minIntervalMs: 0 } }),
  systemTimeZone: 'America/New_York',
});
const catalogue = new Catalogue({ db });
if (catalogue.isEmpty()) catalogue.replaceAll(demoSpa());
const bookings = new Bookings({ db, catalogue, clock, policy: TEST_POLICY });
// The modules the sms module reads: the store's database, the booking engine, and a receptionist
// that never answers (no text comes in during this test) nor asks for identity codes.
const store = { name: 'store', dependsOn: [], db } as unknown as StoreModule;
const booking = { name: 'booking', dependsOn: [], catalogue, bookings } as unknown as BookingModule;
const agent = {
  name: 'agent',
  dependsOn: [],
  receptionist: { chat: () => Promise.resolve({ conversation: '', reply: '', done: false }), onAlert: () => () => undefined, useTexts: () => () => undefined },
} as unknown as AgentModule;
const sms = new SmsModule({ settings, log, clock, store, booking, agent });
await sms.start();
process.stdout.write('started\n');
