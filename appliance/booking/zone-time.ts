// Wall-clock time in the spa's zone <-> instants, correct across DST changes and cheap enough to
// call thousands of times per availability search (luxon is consulted once per local day).
import { DateTime } from 'luxon';

const MINUTE = 60_000;
const HOUR = 3_600_000;

const DAY = 24 * HOUR;
const wallCache = new Map<string, number>();

/** Minutes after midnight for "HH:MM" ("24:00" allowed as the end of a day). */
export function wallMinutes(hhmm: string): number {
  const cached = wallCache.get(hhmm);
  if (cached !== undefined) return cached;
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not a wall-clock time HH:MM: ${hhmm}`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60) throw new RangeError(`not a wall-clock time HH:MM: ${hhmm}`);
  if (wallCache.size < 10_000) wallCache.set(hhmm, minutes);
  return minutes;
}

/**
 * Zone offsets memoised per quarter hour of UTC, shared by every search: asking Intl (through
 * luxon) for an offset is the slowest step of a slot search, and the answer never changes. Every
 * offset change in the tz database falls on a quarter hour of UTC (Newfoundland's and Lord Howe's
 * on the half hour), so the memo is exact.
 */
const BUCKET = 15 * MINUTE;
const offsetCaches = new Map<string, Map<number, number>>();
function offsetMinAt(instant: number, zone: string): number {
  let cache = offsetCaches.get(zone);
  if (!cache) offsetCaches.set(zone, (cache = new Map<number, number>()));
  const bucket = Math.floor(instant / BUCKET);
  let off = cache.get(bucket);
  if (off === undefined) {
    off = DateTime.fromMillis(bucket * BUCKET, { zone }).offset;
    if (cache.size > 200_000) cache.clear();
    cache.set(bucket, off);
  }
  return off;
}

/** Local days memoised by zone and day number (days since 1970-01-01 in local time). */
const dayCache = new Map<string, ZoneDay>();

/** One local calendar day in a zone: converts wall-clock minutes of that day to instants. */
export class ZoneDay {
  readonly date: string;
  readonly weekday: number;
  readonly startMs: number;
  readonly endMs: number;
  private readonly day: DateTime;
  private readonly regular: boolean;

  constructor(day: DateTime) {
    this.day = day.startOf('day');
    const next = this.day.plus({ days: 1 });
    this.date = this.day.toISODate() ?? '';
    this.weekday = this.day.weekday;
    this.startMs = this.day.toMillis();
    this.endMs = next.toMillis();
    // With no offset change between this midnight and the next, wall minutes map linearly.
    this.regular = this.endMs - this.startMs === 24 * HOUR;
    this.zone = day.zoneName ?? 'UTC';
    this.dayNumber = Math.round(Date.UTC(this.day.year, this.day.month - 1, this.day.day) / DAY);
  }

  /** Local day number (days since 1970-01-01 in the zone's wall-clock time). */
  readonly dayNumber: number;
  readonly zone: string;

  static of(instant: number, zone: string): ZoneDay {
    return ZoneDay.byNumber(Math.floor((instant + offsetMinAt(instant, zone) * MINUTE) / DAY), zone);
  }

  private static byNumber(n: number, zone: string): ZoneDay {
    const key = `${zone}|${n}`;
    let day = dayCache.get(key);
    if (!day) {
      const d = new Date(n * DAY);
      day = new ZoneDay(DateTime.fromObject({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, { zone }));
      if (dayCache.size > 20_000) dayCache.clear();
      dayCache.set(key, day);
    }
    return day;
  }

  static fromDate(isoDate: string, zone: string): ZoneDay {
    const dt = DateTime.fromISO(isoDate, { zone });
    if (!dt.isValid) throw new RangeError(`not a date YYYY-MM-DD: ${isoDate}`);
    return new ZoneDay(dt);
  }

  next(): ZoneDay {
    return ZoneDay.byNumber(this.dayNumber + 1, this.zone);
  }

  /**
   * The instant of a wall-clock time on this day. A time that does not exist (skipped by a
   * spring-forward change) maps to the first instant after the gap; an ambiguous one (repeated
   * by a fall-back change) maps to its first occurrence.
   */
  at(minutes: number): number {
    if (minutes >= 24 * 60) return this.endMs;
    if (this.regular) return this.startMs + minutes * MINUTE;
    return this.day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
  }
}

/** Local date and minute-of-day of instants in one zone (offsets memoised as above). */
export class LocalClock {
  constructor(readonly zone: string) {}

  offsetMin(instant: number): number {
    return offsetMinAt(instant, this.zone);
  }

  /** Days since 1970-01-01 of the local date: equal for instants on the same local day. */
  localDay(instant: number): number {
    return Math.floor((instant + this.offsetMin(instant) * MINUTE) / (24 * HOUR));
  }

  minuteOfDay(instant: number): number {
    const local = instant + this.offsetMin(instant) * MINUTE;
    return Math.floor((((local % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR)) / MINUTE);
  }
}
