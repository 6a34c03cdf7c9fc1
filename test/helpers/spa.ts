// Test fixtures: a demo spa in a temporary SQLite file on a fake clock (pinned until a test moves it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Bookings, type BookingPolicy } from '../../appliance/booking/bookings.js';
import { Catalogue } from '../../appliance/booking/catalogue.js';
import { demoSpa } from '../../appliance/booking/demo-spa.js';
import { FakeClock } from '../../appliance/shared/fake-clock.js';
import { openDatabase, type Db } from '../../appliance/store/db.js';

export const SPA_ZONE = 'America/New_York';

/** Instant of a wall-clock time in the demo spa's zone: at('2026-12-01T10:00'). */
export function at(local: string, zone = SPA_ZONE): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${local}`);
  return dt.toMillis();
}

export function tempDir(prefix = 'spa-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestSpa {
  db: Db;
  dbPath: string;
  dir: string;
  /** Pinned at `now` (default Monday 2026-11-30 08:00 in New York); tests move it with advance(). */
  clock: FakeClock;
  catalogue: Catalogue;
  bookings: Bookings;
  close(): void;
}

export const TEST_POLICY: BookingPolicy = { minNoticeMin: 120, slotIntervalMin: 15, holdTtlS: 300 };

export function openTestSpa(opts: { now?: number; policy?: Partial<BookingPolicy>; seed?: boolean; dbPath?: string } = {}): TestSpa {
  const dir = tempDir();
  const dbPath = opts.dbPath ?? join(dir.path, 'spa.db');
  const { db } = openDatabase({ path: dbPath });
  const clock = new FakeClock({ epochMs: opts.now ?? at('2026-11-30T08:00') });
  const catalogue = new Catalogue({ db });
  if (opts.seed !== false && catalogue.isEmpty()) catalogue.replaceAll(demoSpa());
  const bookings = new Bookings({ db, catalogue, clock, policy: { ...TEST_POLICY, ...opts.policy } });
  return {
    db,
    dbPath,
    dir: dir.path,
    clock,
    catalogue,
    bookings,
    close() {
      db.close();
      dir.remove();
    },
  };
}
