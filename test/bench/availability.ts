// Availability search speed: 10 providers, 10,000 booked appointments over a year, 30-day
// searches for a service every provider performs (the worst case: every provider's day is
// walked). Measures the whole store path (SQL reads of schedule and busy blocks + slot finding).
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Bookings } from '../../appliance/booking/bookings.js';
import { Catalogue } from '../../appliance/booking/catalogue.js';
import type { Provider, Service, Weekday } from '../../appliance/booking/types.js';
import { openDatabase } from '../../appliance/store/db.js';
import { FakeClock } from '../../appliance/shared/fake-clock.js';
import { at, tempDir } from '../helpers/spa.js';
import { emit, percentile } from './report.js';

const BENCH = 'availability';
const ZONE = 'America/New_York';
const DAY = 86_400_000;
const MIN = 60_000;

export async function run(): Promise<void> {
  const dir = tempDir('spa-bench-');
  const { db } = openDatabase({ path: join(dir.path, 'bench.db') });
  const catalogue = new Catalogue({ db });
  const weekdays = [1, 2, 3, 4, 5, 6] as Weekday[];
  const providers: Provider[] = Array.from({ length: 10 }, (_, i) => ({
    id: `p${i}`,
    name: `Provider ${i}`,
    title: '',
    active: true,
    hours: weekdays.map((weekday) => ({ weekday, start: '09:00', end: '18:00' })),
    breaks: weekdays.map((weekday) => ({ weekday, start: '12:30', end: '13:00' })),
  }));
  const service = (id: string, durationMin: number): Service => ({
    id, name: id, aliases: [id], category: 'bench', description: '', durationMin, bufferBeforeMin: 5, bufferAfterMin: 10,
    priceCents: 10000, priceText: '$100', depositCents: 0, consultFirst: false, consultServiceId: null,
    providerIds: providers.map((p) => p.id), active: true,
  });
  const services = [service('short', 30), service('long', 60), service('extra', 90)];
  catalogue.replaceAll({
    profile: { name: 'Bench Spa', address: '', phone: '', timeZone: ZONE, hours: weekdays.map((weekday) => ({ weekday, start: '08:00', end: '19:00' })), closures: [] },
    services, providers, knowledge: [],
  });

  // 10,000 appointments over the year from 2027-01-04, non-overlapping per provider: each provider
  // gets ~1,000, i.e. about 3 per working day, placed at pseudo-random free hours.
  const yearStart = at('2027-01-04T00:00', ZONE);
  let seed = 42;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const insert = db.prepare(
    `INSERT INTO appointments (client_id, service_id, provider_id, start, end, block_start, block_end, status, source, notes, created_at, updated_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, 'booked', 'staff', '', 0, 0)`,
  );
  db.prepare(`INSERT INTO clients (id, phone, name, created_at) VALUES (1, '+15550000000', 'Bench', 0)`).run();
  let count = 0;
  db.transaction(() => {
    for (let d = 0; d < 366 && count < 10_000; d++) {
      const dayStart = yearStart + d * DAY;
      if (new Date(dayStart).getUTCDay() === 0) continue; // Sunday
      for (const p of providers) {
        const hours = [9, 10, 11, 13, 14, 15, 16].sort(() => rnd() - 0.5).slice(0, 3 + (rnd() < 0.3 ? 1 : 0));
        for (const h of hours) {
          if (count >= 10_000) break;
          const start = dayStart + (h + 5) * 3_600_000; // EST wall hour h (close enough for load; DST shifts it an hour)
          insert.run('long', p.id, start, start + 45 * MIN, start - 5 * MIN, start + 55 * MIN);
          count++;
        }
      }
    }
  })();

  const clock = new FakeClock({ epochMs: at('2027-01-01T08:00', ZONE) });
  const bookings = new Bookings({ db, catalogue, clock, policy: { minNoticeMin: 120, slotIntervalMin: 15, holdTtlS: 300 } });
  const search = (i: number): number => {
    const from = yearStart + ((i * 37) % 330) * DAY;
    return bookings.availability({ serviceId: (services[i % 3] as Service).id, from, to: from + 30 * DAY }).length;
  };
  for (let i = 0; i < 50; i++) search(i);
  const times: number[] = [];
  let slots = 0;
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    slots += search(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const extra = { providers: providers.length, appointments: count, window_days: 30, searches: times.length, mean_slots: Math.round(slots / times.length) };
  emit(BENCH, 'search_p50', percentile(times, 50), 'ms', extra);
  emit(BENCH, 'search_p99', percentile(times, 99), 'ms', extra);
  emit(BENCH, 'search_max', times[times.length - 1] ?? 0, 'ms', extra);

  // A search right after a booking: the in-memory index of booked blocks is rebuilt first.
  const afterWrite: number[] = [];
  for (let i = 0; i < 100; i++) {
    const from = yearStart + ((i * 53) % 330) * DAY;
    const free = bookings.availability({ serviceId: 'short', from, to: from + 7 * DAY, limit: 1 })[0];
    if (free) bookings.book({ serviceId: 'short', providerId: free.providerId, start: free.start, client: { phone: '+15550000000' }, source: 'staff' });
    const t0 = performance.now();
    search(i);
    afterWrite.push(performance.now() - t0);
  }
  afterWrite.sort((a, b) => a - b);
  emit(BENCH, 'search_after_booking_p50', percentile(afterWrite, 50), 'ms', { searches: afterWrite.length });
  emit(BENCH, 'search_after_booking_p99', percentile(afterWrite, 99), 'ms', { searches: afterWrite.length });
  db.close();
  dir.remove();
}
