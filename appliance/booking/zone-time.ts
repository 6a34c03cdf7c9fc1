// Wall-clock time in the spa's zone <-> instants, correct across DST changes and cheap enough to
// call thousands of times per availability search (luxon is consulted once per local day).
import { DateTime } from 'luxon';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Minutes after midnight for "HH:MM" ("24:00" allowed as the end of a day). */
export function wallMinutes(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not a wall-clock time HH:MM: ${hhmm}`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60) throw new RangeError(`not a wall-clock time HH:MM: ${hhmm}`);
  return minutes;
}

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
  }

  static of(instant: number, zone: string): ZoneDay {
    return new ZoneDay(DateTime.fromMillis(instant, { zone }));
  }

  static fromDate(isoDate: string, zone: string): ZoneDay {
    const dt = DateTime.fromISO(isoDate, { zone });
    if (!dt.isValid) throw new RangeError(`not a date YYYY-MM-DD: ${isoDate}`);
    return new ZoneDay(dt);
  }

  next(): ZoneDay {
    return new ZoneDay(this.day.plus({ days: 1 }));
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

/**
 * Local date and minute-of-day of instants in one zone, memoising the zone offset per UTC hour
 * (offset changes happen on whole or half hours in every zone the appliance supports; a cache
 * per hour is exact for whole-hour changes and for half-hour zones whose changes fall on the hour).
 */
export class LocalClock {
  private readonly offsets = new Map<number, number>();
  constructor(readonly zone: string) {}

  offsetMin(instant: number): number {
    const bucket = Math.floor(instant / HOUR);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = DateTime.fromMillis(instant, { zone: this.zone }).offset;
      this.offsets.set(bucket, off);
    }
    return off;
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
