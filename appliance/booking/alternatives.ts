// "Nearest alternatives" to a requested time, the way a receptionist offers them:
// asked for Tuesday 3 pm -> Tuesday 3 pm if free, else Tuesday 2:30 or 4:00, or Wednesday at 3.
import type { Slot } from './types.js';
import { LocalClock } from './zone-time.js';

export interface AlternativesOptions {
  timeZone: string;
  /** How many to return (default 3). */
  count?: number;
}

/**
 * Picks from `slots` (any order, any providers) the ones nearest to `requested`:
 * 1. a slot exactly at the requested time;
 * 2. on the requested local day, the nearest slot before and the nearest after;
 * 3. on other days, ordered by how many days away (later days first on a tie), the slot closest
 *    to the requested time of day.
 * Several providers free at the same start collapse to one offer (the first provider by id).
 */
export function nearestAlternatives(slots: Slot[], requested: number, opts: AlternativesOptions): Slot[] {
  const count = opts.count ?? 3;
  const clock = new LocalClock(opts.timeZone);
  const byStart = new Map<number, Slot>();
  for (const s of [...slots].sort((a, b) => a.start - b.start || (a.providerId < b.providerId ? -1 : 1))) {
    if (!byStart.has(s.start)) byStart.set(s.start, s);
  }
  const unique = [...byStart.values()];
  const out: Slot[] = [];
  const take = (s: Slot | undefined): void => {
    if (s && out.length < count && !out.includes(s)) out.push(s);
  };

  take(byStart.get(requested));
  const reqDay = clock.localDay(requested);
  const reqMinute = clock.minuteOfDay(requested);
  const sameDay = unique.filter((s) => clock.localDay(s.start) === reqDay);
  const before = sameDay.filter((s) => s.start < requested).pop();
  const after = sameDay.find((s) => s.start > requested);
  const sides = [before, after].filter((s): s is Slot => s !== undefined);
  sides.sort((a, b) => Math.abs(a.start - requested) - Math.abs(b.start - requested));
  for (const s of sides) take(s);

  const otherDays = new Map<number, Slot>();
  for (const s of unique) {
    const day = clock.localDay(s.start);
    if (day === reqDay) continue;
    const best = otherDays.get(day);
    const dist = Math.abs(clock.minuteOfDay(s.start) - reqMinute);
    if (!best || dist < Math.abs(clock.minuteOfDay(best.start) - reqMinute)) otherDays.set(day, s);
  }
  const days = [...otherDays.keys()].sort((a, b) => {
    const da = Math.abs(a - reqDay);
    const db = Math.abs(b - reqDay);
    return da - db || b - a;
  });
  for (const d of days) take(otherDays.get(d));
  return out;
}
