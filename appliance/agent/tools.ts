// What the receptionist can do to the spa's calendar, all through booking/: find real free slots
// near what the caller asked for, hold one while confirming, book, move, cancel, and find the
// caller's appointments. The agent offers only slots these functions returned.
import { DateTime } from 'luxon';
import { nearestAlternatives } from '../booking/alternatives.js';
import type { Bookings } from '../booking/bookings.js';
import type { Clock } from '../shared/clock.js';
import type { Catalogue } from '../booking/catalogue.js';
import type { Appointment, AppointmentSource, Client, Service, Slot } from '../booking/types.js';
import { LocalClock, wallMinutes } from '../booking/zone-time.js';
import { ApplianceError } from '../errors.js';
import { Statements, type Db } from '../store/db.js';
import { nameMatcher } from '../booking/names.js';
import type { DialogState, Offer, WhenSpec } from './types.js';
import type { Shift } from './understand/shift.js';

const DAY = 24 * 3_600_000;

export interface OfferResult {
  offers: Offer[];
  /** The offers fit what was asked (day and time window); false: these are the nearest instead. */
  fits: boolean;
  /** Of days named as alternatives, those with nothing free in the window asked for. */
  unavailable?: string[];
}

/** Picks `count` slots spread across a window: first, last and evenly between. Pure. */
export function spread(slots: Slot[], count: number): Slot[] {
  const unique: Slot[] = [];
  for (const s of [...slots].sort((a, b) => a.start - b.start)) if (unique[unique.length - 1]?.start !== s.start) unique.push(s);
  if (unique.length <= count) return unique;
  const out: Slot[] = [];
  for (let i = 0; i < count; i++) {
    const s = unique[Math.round((i * (unique.length - 1)) / (count - 1))];
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * `count` slots shared out over the days they fall on ("Tuesday or Thursday": some of each), each
 * day's spread over its hours, in time order.
 */
export function acrossDays(slots: Slot[], count: number, dayOf: (s: Slot) => number): Slot[] {
  const byDay = new Map<number, Slot[]>();
  for (const s of slots) (byDay.get(dayOf(s)) ?? byDay.set(dayOf(s), []).get(dayOf(s)))?.push(s);
  const per = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([, day]) => spread(day, Math.ceil(count / byDay.size)));
  const out: Slot[] = [];
  for (let i = 0; out.length < count && per.some((day) => i < day.length); i++) {
    for (const day of per) {
      const s = day[i];
      if (s && out.length < count) out.push(s);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export class AgentTools {
  private statements: Statements | null = null;

  constructor(private readonly deps: { db: Db; bookings: Bookings; catalogue: Catalogue; clock: Clock; horizonDays: number }) {}

  private sql(text: string) {
    this.statements ??= new Statements(this.deps.db);
    return this.statements.get(text);
  }

  now(): number {
    return this.deps.clock.now();
  }

  zone(): string {
    return this.deps.catalogue.profile().timeZone;
  }

  /** An instant's local date (YYYY-MM-DD) and minute of the day in the spa's zone. */
  localTime(instant: number): { day: string; minute: number } {
    const d = DateTime.fromMillis(instant, { zone: this.zone() });
    return { day: d.toISODate() ?? '', minute: d.hour * 60 + d.minute };
  }

  /** The instant of a local date (YYYY-MM-DD) and minute of the day in the spa's zone. */
  atLocal(day: string, minute: number): number {
    return DateTime.fromISO(day, { zone: this.zone() }).startOf('day').plus({ minutes: minute }).toMillis();
  }

  /** The day and time a move counted from `start` lands on ("an hour later", "same time next week"). */
  shifted(start: number, shift: Shift, text: string): WhenSpec {
    const d = DateTime.fromMillis(start, { zone: this.zone() }).plus(shift.minutes !== undefined ? { minutes: shift.minutes } : { days: shift.days ?? 0 });
    const { day, minute } = this.localTime(d.toMillis());
    return { day, targetMin: minute, text };
  }

  /** The active services, in catalogue order. */
  services(): Service[] {
    return this.deps.catalogue.services().filter((s) => s.active);
  }

  service(id: string): Service | undefined {
    return this.deps.catalogue.service(id);
  }

  /** The number's first client on file (keypad calls, which cannot give a name). */
  client(phone: string | null): Client | undefined {
    if (!phone) return undefined;
    try {
      return this.deps.bookings.clientByPhone(phone);
    } catch {
      return undefined;
    }
  }

  /** The client on file under this number with this name (tolerant: booking/names.ts). */
  clientOnNumber(phone: string | null, name: string): Client | undefined {
    if (!phone) return undefined;
    try {
      return this.deps.bookings.clientOnNumber(phone, name);
    } catch {
      return undefined;
    }
  }

  /** Clients on file under this number who have an upcoming booked appointment. */
  clientsWithUpcomingOn(phone: string): Client[] {
    try {
      return this.deps.bookings.clientsByPhone(phone).filter((c) => this.upcomingFor(c.id).length > 0);
    } catch {
      return [];
    }
  }

  /** Clients with this name (on any number) who have an upcoming booked appointment. */
  clientsNamedWithUpcoming(name: string): Client[] {
    return this.deps.bookings.clientsNamedWithBooking(name, this.now(), Number.MAX_SAFE_INTEGER);
  }

  /** Clients with this name (on any number) who have a booked appointment on a local day, from now on. */
  clientsNamedBookedOn(name: string, day: string): Client[] {
    const start = DateTime.fromISO(day, { zone: this.zone() });
    if (!start.isValid) return [];
    return this.deps.bookings.clientsNamedWithBooking(name, Math.max(start.startOf('day').toMillis(), this.now()), start.plus({ days: 1 }).startOf('day').toMillis());
  }

  /**
   * Whether the person booking has had a visit (the good-faith exam rule). With their name: that
   * person on this number; before they gave it: anyone on the number (asked again once the name
   * is known, see booking-flow.ts).
   */
  returning(phone: string | null, name: string | null): boolean {
    if (!phone) return false;
    if (name) return this.clientOnNumber(phone, name)?.isNew === false;
    try {
      return this.deps.bookings.clientsByPhone(phone).some((c) => !c.isNew);
    } catch {
      return false;
    }
  }

  /** Whether the spa is open at this moment (hours and closures). */
  openNow(): boolean {
    const p = this.deps.catalogue.profile();
    const local = DateTime.fromMillis(this.now(), { zone: p.timeZone });
    const date = local.toISODate() ?? '';
    if (p.closures.some((c) => c.startDate <= date && date <= c.endDate)) return false;
    const minute = local.hour * 60 + local.minute;
    return p.hours.some((h) => h.weekday === local.weekday && wallMinutes(h.start) <= minute && minute < wallMinutes(h.end));
  }

  /** Why the spa is closed on a local day ("we're closed on Sundays", "we're closed for Christmas Day"), or null. */
  closedReason(day: string): string | null {
    const p = this.deps.catalogue.profile();
    const closure = p.closures.find((c) => c.startDate <= day && day <= c.endDate);
    if (closure) return `we're closed that day for ${closure.reason}`;
    const d = DateTime.fromISO(day, { zone: p.timeZone });
    if (!p.hours.some((h) => h.weekday === d.weekday)) return `we're closed on ${d.toFormat('cccc')}s`;
    return null;
  }

  /** A team member's usual week (their working hours by weekday, 1 = Monday), or null for no one active. */
  providerWeek(providerId: string): { weekday: number; start: string; end: string }[] | null {
    const p = this.deps.catalogue.providers().find((x) => x.id === providerId && x.active);
    return p ? [...p.hours].sort((a, b) => a.weekday - b.weekday).map((h) => ({ weekday: h.weekday, start: h.start, end: h.end })) : null;
  }

  /**
   * A team member's working hours on a local day ("is Maya working Saturday?"): their weekly hours,
   * none on a spa closure; `partly` when time off covers part of them, and none when it covers all.
   * Null for no such provider.
   */
  providerDay(providerId: string, day: string): { hours: { start: string; end: string } | null; partly: boolean } | null {
    const p = this.deps.catalogue.providers().find((x) => x.id === providerId && x.active);
    if (!p) return null;
    const d = DateTime.fromISO(day, { zone: this.zone() });
    const span = p.hours.find((h) => h.weekday === d.weekday);
    if (!span || this.deps.catalogue.profile().closures.some((c) => c.startDate <= day && day <= c.endDate)) return { hours: null, partly: false };
    const at = (hhmm: string): number => d.startOf('day').plus({ minutes: wallMinutes(hhmm) }).toMillis();
    const [from, to] = [at(span.start), at(span.end)];
    const off = this.deps.catalogue.timeOff(from, to).filter((t) => t.providerId === providerId);
    if (off.some((t) => t.start <= from && t.end >= to)) return { hours: null, partly: false };
    return { hours: { start: span.start, end: span.end }, partly: off.length > 0 };
  }

  /** Free slots for a service near what the caller asked for; `moving`: the appointment being moved, whose own time is free for it. */
  offers(q: { serviceId: string; providerId?: string | undefined; when: WhenSpec; count: number; holder: string; moving?: number }): OfferResult {
    const zone = this.zone();
    const now = this.now();
    const clock = new LocalClock(zone);
    const horizon = now + this.deps.horizonDays * DAY;
    const search = (from: number, to: number): Slot[] =>
      from >= Math.min(to, horizon)
        ? []
        : this.deps.bookings.availability({ serviceId: q.serviceId, providerId: q.providerId ?? null, from, to: Math.min(to, horizon), holder: q.holder, ...(q.moving === undefined ? {} : { exceptAppointment: q.moving }) });
    const toOffers = (slots: Slot[]): Offer[] => slots.map((s) => ({ start: s.start, providerId: s.providerId }));
    const w = q.when;
    const inTod = (s: Slot): boolean => {
      const m = clock.minuteOfDay(s.start);
      return (w.fromMin === undefined || m >= w.fromMin) && (w.toMin === undefined || m < w.toMin);
    };

    const startOfDay = (iso: string): number => DateTime.fromISO(iso, { zone }).startOf('day').toMillis();
    const fromDay = w.day ? Math.max(startOfDay(w.day), now) : now;
    const days = w.day ? (w.days ?? 1) : w.asap ? 14 : 14;
    const windowEnd = w.day ? DateTime.fromISO(w.day, { zone }).plus({ days }).startOf('day').toMillis() : now + days * DAY;
    const named = (s: Slot): boolean => !w.anyOf || w.anyOf.includes(this.localTime(s.start).day);
    const inWindow = search(fromDay, windowEnd).filter((s) => inTod(s) && named(s));

    if (inWindow.length > 0) {
      if (w.targetMin !== undefined && w.day) {
        const target = this.atLocal(w.day, w.targetMin);
        const near = nearestAlternatives(inWindow, target, { timeZone: zone, count: q.count });
        const exact = near.some((s) => s.start === target);
        return { offers: toOffers(exact ? near.filter((s) => s.start === target).slice(0, 1) : near), fits: exact || near.every((s) => clock.localDay(s.start) === clock.localDay(target)) };
      }
      if (w.asap || !w.day) {
        // Earliest first; across days when no day was named ("after 3" -> the next days after 3).
        const firstPerDay = new Map<number, Slot>();
        for (const s of inWindow) if (!firstPerDay.has(clock.localDay(s.start))) firstPerDay.set(clock.localDay(s.start), s);
        const picks = w.asap && w.fromMin === undefined ? spreadEarliest(inWindow, q.count) : [...firstPerDay.values()].slice(0, q.count);
        return { offers: toOffers(picks), fits: true };
      }
      if (w.anyOf) {
        const open = new Set(inWindow.map((s) => this.localTime(s.start).day));
        const unavailable = w.anyOf.filter((d) => !open.has(d));
        return { offers: toOffers(acrossDays(inWindow, q.count, (s) => clock.localDay(s.start))), fits: true, ...(unavailable.length > 0 ? { unavailable } : {}) };
      }
      return { offers: toOffers(spread(inWindow, q.count)), fits: true };
    }

    // Nothing where they asked: the nearest slots around it over the next two weeks.
    const targetMin = w.targetMin ?? (w.fromMin !== undefined && w.toMin !== undefined ? Math.round((w.fromMin + w.toMin) / 2) : 12 * 60);
    const anchorDay = w.day ? DateTime.fromISO(w.day, { zone }) : DateTime.fromMillis(now, { zone });
    const target = anchorDay.startOf('day').plus({ minutes: targetMin }).toMillis();
    const wide = search(Math.max(now, anchorDay.startOf('day').minus({ days: 3 }).toMillis()), anchorDay.startOf('day').plus({ days: 15 }).toMillis());
    return { offers: toOffers(nearestAlternatives(wide, target, { timeZone: zone, count: q.count })), fits: false };
  }

  /** The earliest openings from `from` on (at least an hour apart), over the next three weeks. */
  earliest(q: { serviceId: string; from: number; count: number; holder: string }): Offer[] {
    const to = Math.min(q.from + 21 * DAY, this.now() + this.deps.horizonDays * DAY);
    if (to <= q.from) return [];
    const slots = this.deps.bookings.availability({ serviceId: q.serviceId, from: Math.max(q.from, this.now()), to, holder: q.holder });
    return spreadEarliest(slots, q.count).map((s) => ({ start: s.start, providerId: s.providerId }));
  }

  /** Holds an offered slot while the caller confirms; null when someone took it meanwhile. `moving`: the appointment being moved, whose own time is not taken for it. */
  hold(serviceId: string, offer: Offer, holder: string, moving?: number): string | null {
    try {
      return this.deps.bookings.hold({ serviceId, providerId: offer.providerId, start: offer.start, holder, ...(moving === undefined ? {} : { exceptAppointment: moving }) }).id;
    } catch (err) {
      if (err instanceof ApplianceError && err.code === 'SPA_ERR_SLOT_UNAVAILABLE') return null;
      throw err;
    }
  }

  release(holder: string): void {
    this.deps.bookings.releaseHolds(holder);
  }

  book(r: { serviceId: string; offer: Offer; phone: string; name: string; source: AppointmentSource; holder: string; notes: string }): Appointment | null {
    try {
      return this.deps.bookings.book({
        serviceId: r.serviceId,
        providerId: r.offer.providerId,
        start: r.offer.start,
        client: { phone: r.phone, name: r.name },
        source: r.source,
        holder: r.holder,
        notes: r.notes,
      });
    } catch (err) {
      if (err instanceof ApplianceError && err.code === 'SPA_ERR_SLOT_UNAVAILABLE') return null;
      throw err;
    }
  }

  /** Moves an appointment to an offer, as another service when `serviceId` is given. */
  move(id: number, offer: Offer, source: AppointmentSource, holder: string, serviceId?: string): Appointment | null {
    try {
      return this.deps.bookings.move(id, { start: offer.start, providerId: offer.providerId, source, holder, ...(serviceId ? { serviceId } : {}) });
    } catch (err) {
      if (err instanceof ApplianceError && err.code === 'SPA_ERR_SLOT_UNAVAILABLE') return null;
      throw err;
    }
  }

  cancel(id: number, source: AppointmentSource): Appointment {
    return this.deps.bookings.cancel(id, { source, note: 'cancelled by the caller with the receptionist' });
  }

  appointment(id: number): Appointment {
    return this.deps.bookings.get(id);
  }

  /**
   * One client's upcoming booked appointments, soonest first. Only for a client the caller has
   * proved to be (agent/identity.ts): nothing here looks anyone up by a number or name they gave.
   */
  upcomingFor(clientId: number): Appointment[] {
    const rows = this.sql(`SELECT id FROM appointments WHERE client_id = ? AND status = 'booked' AND start > ? ORDER BY start LIMIT 5`).all(
      clientId,
      this.now(),
    ) as { id: number }[];
    return rows.map((r) => this.deps.bookings.get(r.id));
  }

  /**
   * Name-and-day answers for this name that matched nobody in other conversations since `since`
   * (a caller who guesses the day, calls again and guesses more).
   */
  wrongGuessesFor(name: string, since: number, exceptConversation: string): number {
    const rows = this.sql(`SELECT state FROM conversations WHERE updated_at >= ? AND id != ? AND instr(state, '"tried":') > 0`).all(since, exceptConversation) as {
      state: string;
    }[];
    let n = 0;
    const matches = nameMatcher(name);
    for (const r of rows) {
      let tried: unknown;
      try {
        tried = (JSON.parse(r.state) as DialogState).identity?.tried;
      } catch {
        continue; // a damaged row counts for nothing
      }
      if (Array.isArray(tried)) n += tried.filter((t) => typeof t === 'string' && matches(t)).length;
    }
    return n;
  }

  /** A client's booked appointments on a local day (YYYY-MM-DD in the spa's zone), from now on. */
  bookedOn(clientId: number, day: string): Appointment[] {
    const start = DateTime.fromISO(day, { zone: this.zone() });
    if (!start.isValid) return [];
    const from = Math.max(start.startOf('day').toMillis(), this.now());
    const to = start.plus({ days: 1 }).startOf('day').toMillis();
    const rows = this.sql(`SELECT id FROM appointments WHERE client_id = ? AND status = 'booked' AND start >= ? AND start < ? ORDER BY start`).all(
      clientId,
      from,
      to,
    ) as { id: number }[];
    return rows.map((r) => this.deps.bookings.get(r.id));
  }

  providerName(id: string): string {
    return this.deps.catalogue.providers().find((p) => p.id === id)?.name ?? id;
  }
}

/** ASAP: the earliest slot, then the next ones at least an hour apart. Pure. */
function spreadEarliest(slots: Slot[], count: number): Slot[] {
  const out: Slot[] = [];
  for (const s of [...slots].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (!last || s.start - last.start >= 3_600_000) out.push(s);
    if (out.length === count) break;
  }
  return out;
}
