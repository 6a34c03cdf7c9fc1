// A separate OS process that hammers one spa database with bookings, moves and cancels.
// Started by the concurrency test with fork(); waits for "go" so both workers start together.
// argv: dbPath seed attempts
import { Bookings } from '../../appliance/booking/bookings.js';
import { Catalogue } from '../../appliance/booking/catalogue.js';
import { ApplianceError } from '../../appliance/errors.js';
import { FakeClock } from '../../appliance/shared/fake-clock.js';
import { openDatabase } from '../../appliance/store/db.js';
import { at, TEST_POLICY } from './spa.js';

const [dbPath, seedText, attemptsText] = process.argv.slice(2);
if (!dbPath || !process.send) throw new Error('usage: fork(booking-worker.js, [dbPath, seed, attempts])');

// Small deterministic PRNG (mulberry32) so a failing run can be replayed with its seed.
let state = Number(seedText ?? 1) >>> 0;
const random = (): number => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;

const { db } = openDatabase({ path: dbPath });
const catalogue = new Catalogue({ db });
const bookings = new Bookings({ db, catalogue, clock: new FakeClock({ epochMs: at('2026-11-30T08:00') }), policy: TEST_POLICY });

// Sophie's Wednesday 2026-12-02, 09:00-17:00 with lunch 12:30-13:15: a crowded, contested day.
const day = at('2026-12-02T09:00');
const starts = Array.from({ length: 32 }, (_, i) => day + i * 15 * 60_000);
const services = ['botox', 'lip-filler', 'cheek-filler', 'injectables-consult'] as const;

const counts = { booked: 0, moved: 0, cancelled: 0, refused: 0, errors: 0 };
const mine: number[] = [];

function attempt(): void {
  const roll = random();
  try {
    if (roll < 0.15 && mine.length > 0) {
      const id = mine.splice(Math.floor(random() * mine.length), 1)[0] as number;
      bookings.cancel(id, { source: 'staff' });
      counts.cancelled++;
    } else if (roll < 0.3 && mine.length > 0) {
      bookings.move(pick(mine), { start: pick(starts), source: 'staff' });
      counts.moved++;
    } else {
      const appt = bookings.book({
        serviceId: pick(services),
        providerId: 'sophie-bennett',
        start: pick(starts),
        client: { phone: `+1203555${String(1000 + Math.floor(random() * 9000))}`, name: 'Load Test' },
        source: 'staff',
      });
      mine.push(appt.id);
      counts.booked++;
    }
  } catch (e) {
    if (e instanceof ApplianceError && e.status === 409) counts.refused++;
    else {
      counts.errors++;
      console.error(e);
    }
  }
}

process.on('message', (msg) => {
  if (msg !== 'go') return;
  for (let i = 0; i < Number(attemptsText ?? 300); i++) attempt();
  db.close();
  process.send?.({ counts }, () => process.exit(0));
});
process.send({ ready: true });
