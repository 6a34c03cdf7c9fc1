// Availability as pure logic: a function of the catalogue, the schedules, the busy blocks and
// "now", reading no clock and no database (in the manner of cal.com's getSlots).
//
// Rules:
// - The treatment itself [start, start + duration) must lie inside a working interval: the spa's
//   opening hours intersected with the provider's hours for that weekday, minus the provider's
//   breaks and time off, on a day the spa is not closed.
// - The provider's block [start - bufferBefore, end + bufferAfter) must not overlap any busy block
//   (other appointments' blocks, other callers' holds). Buffers may spill outside opening hours
//   (prep before opening is the provider's own time), never into another booking.
// - Offered starts sit on a wall-clock grid (every `intervalMin` minutes from local midnight),
//   no earlier than now + minimum notice.
import type { BusyBlock, Closure, Provider, Service, Slot, TimeOff, WeeklySpan } from './types.js';
import { ZoneDay, wallMinutes } from './zone-time.js';

const MINUTE = 60_000;

export type ServiceTiming = Pick<Service, 'id' | 'durationMin' | 'bufferBeforeMin' | 'bufferAfterMin' | 'providerIds'>;

export interface Schedule {
  timeZone: string;
  spaHours: WeeklySpan[];
  closures: Closure[];
  providers: Provider[];
  timeOff: TimeOff[];
}

export interface AvailabilityQuery extends Schedule {
  service: ServiceTiming;
  /** Only this provider; otherwise every active provider who performs the service. */
  providerId?: string | null;
  /** Appointment and hold blocks; may be unsorted and overlapping. */
  busy: BusyBlock[];
  /** Slots start in [from, to). */
  from: number;
  to: number;
  now: number;
  minNoticeMin: number;
  intervalMin: number;
  /** Stop after this many slots. */
  limit?: number;
}

type Interval = [number, number];

/** Sorted, disjoint union of intervals. */
function union(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const s = Math.max(x[0], y[0]);
    const e = Math.min(x[1], y[1]);
    if (e > s) out.push([s, e]);
    if (x[1] < y[1]) i++;
    else j++;
  }
  return out;
}

function subtract(a: Interval[], cut: Interval[]): Interval[] {
  let out = a;
  for (const [cs, ce] of cut) {
    const next: Interval[] = [];
    for (const [s, e] of out) {
      if (ce <= s || cs >= e) next.push([s, e]);
      else {
        if (cs > s) next.push([s, cs]);
        if (ce < e) next.push([ce, e]);
      }
    }
    out = next;
  }
  return out;
}

/**
 * A provider's busy time as a sorted, disjoint, flat list [start0, end0, start1, end1, ...]
 * (one typed array per provider per search instead of thousands of small objects).
 */
export type BusyLane = Float64Array;

/** Is the block [s, e) free of every interval of the lane? Binary search. */
export function isFree(lane: BusyLane, s: number, e: number): boolean {
  let lo = 0;
  let hi = lane.length >> 1;
  // First busy interval whose end is after s.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lane[2 * mid + 1] as number) <= s) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo >= lane.length || (lane[2 * lo] as number) >= e;
}

function spansOn(spans: WeeklySpan[], day: ZoneDay): Interval[] {
  const out: Interval[] = [];
  for (const span of spans) {
    if (span.weekday !== day.weekday) continue;
    out.push([day.at(wallMinutes(span.start)), day.at(wallMinutes(span.end))]);
  }
  return union(out);
}

function isClosed(closures: Closure[], isoDate: string): boolean {
  return closures.some((c) => c.startDate <= isoDate && isoDate <= c.endDate);
}

/** Intervals on one local day during which `provider` can be treating clients. */
export function workingIntervals(schedule: Schedule, provider: Provider, day: ZoneDay): Interval[] {
  if (isClosed(schedule.closures, day.date)) return [];
  const open = spansOn(schedule.spaHours, day);
  const works = spansOn(provider.hours, day);
  let free = intersect(open, works);
  if (free.length === 0) return free;
  free = subtract(free, spansOn(provider.breaks, day));
  const off = schedule.timeOff
    .filter((t) => t.providerId === provider.id && t.end > day.startMs && t.start < day.endMs)
    .map((t): Interval => [t.start, t.end]);
  return subtract(free, off);
}

export function eligibleProviders(service: ServiceTiming, providers: Provider[], providerId?: string | null): Provider[] {
  return providers.filter(
    (p) => p.active && service.providerIds.includes(p.id) && (providerId == null || p.id === providerId),
  );
}

function busyByProvider(busy: BusyBlock[]): Map<string, BusyLane> {
  const grouped = new Map<string, BusyBlock[]>();
  for (const b of busy) {
    let list = grouped.get(b.providerId);
    if (!list) grouped.set(b.providerId, (list = []));
    list.push(b);
  }
  const lanes = new Map<string, BusyLane>();
  for (const [id, list] of grouped) {
    list.sort((a, b) => a.start - b.start);
    const lane = new Float64Array(list.length * 2);
    let n = 0;
    for (const b of list) {
      if (b.end <= b.start) continue;
      if (n > 0 && b.start <= (lane[n - 1] as number)) lane[n - 1] = Math.max(lane[n - 1] as number, b.end);
      else {
        lane[n++] = b.start;
        lane[n++] = b.end;
      }
    }
    lanes.set(id, lane.subarray(0, n));
  }
  return lanes;
}

const NO_BUSY: BusyLane = new Float64Array(0);

/** Every free slot in the window, sorted by start time, then provider id. */
export function findSlots(q: AvailabilityQuery): Slot[] {
  const durMs = q.service.durationMin * MINUTE;
  const beforeMs = q.service.bufferBeforeMin * MINUTE;
  const afterMs = q.service.bufferAfterMin * MINUTE;
  const stepMs = q.intervalMin * MINUTE;
  const earliest = Math.max(q.from, q.now + q.minNoticeMin * MINUTE);
  const providers = eligibleProviders(q.service, q.providers, q.providerId);
  const busy = busyByProvider(q.busy);
  const limit = q.limit ?? Number.POSITIVE_INFINITY;
  const out: Slot[] = [];
  if (providers.length === 0 || earliest >= q.to || stepMs <= 0) return out;

  // Walk each day's grid once, time-major, with providers in id order: slots come out sorted by
  // start then provider without a sort.
  const ordered = [...providers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let day = ZoneDay.of(earliest, q.timeZone); day.startMs < q.to; day = day.next()) {
    const lanes: { id: string; intervals: Interval[]; idx: number; taken: BusyLane }[] = [];
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const provider of ordered) {
      const intervals = workingIntervals(q, provider, day);
      const open = intervals[0];
      const close = intervals[intervals.length - 1];
      if (!open || !close) continue;
      lanes.push({ id: provider.id, intervals, idx: 0, taken: busy.get(provider.id) ?? NO_BUSY });
      first = Math.min(first, open[0]);
      last = Math.max(last, close[1]);
    }
    if (lanes.length === 0) continue;
    // First grid point at or after max(first, earliest); the grid runs from local midnight.
    // (Grid steps divide an hour, so DST shifts of whole hours keep starts on the wall-clock grid.)
    const lower = Math.max(first, earliest);
    let t = lower + ((stepMs - ((lower - day.startMs) % stepMs)) % stepMs);
    for (; t + durMs <= last && t < q.to; t += stepMs) {
      for (const lane of lanes) {
        let iv = lane.intervals[lane.idx];
        while (iv && iv[1] < t + durMs) iv = lane.intervals[++lane.idx];
        if (!iv || iv[0] > t) continue;
        if (isFree(lane.taken, t - beforeMs, t + durMs + afterMs)) {
          out.push({ start: t, end: t + durMs, providerId: lane.id });
          if (out.length >= limit) return out;
        }
      }
    }
  }
  return out;
}

export type SlotRejection = 'past' | 'too-soon' | 'provider' | 'closed' | 'outside-hours' | 'taken';

/**
 * Whether one exact start (not necessarily on the grid: staff may book 10:05) is bookable with
 * `providerId`. Used by the store inside its write transaction, so a slot offered a minute ago is
 * checked again against what is booked now.
 */
export function checkSlot(
  q: Omit<AvailabilityQuery, 'from' | 'to' | 'intervalMin' | 'limit' | 'providerId'>,
  providerId: string,
  start: number,
): { ok: true } | { ok: false; reason: SlotRejection } {
  if (start < q.now) return { ok: false, reason: 'past' };
  if (start < q.now + q.minNoticeMin * MINUTE) return { ok: false, reason: 'too-soon' };
  const provider = eligibleProviders(q.service, q.providers, providerId)[0];
  if (!provider) return { ok: false, reason: 'provider' };
  const day = ZoneDay.of(start, q.timeZone);
  if (isClosed(q.closures, day.date)) return { ok: false, reason: 'closed' };
  const end = start + q.service.durationMin * MINUTE;
  const inside = workingIntervals(q, provider, day).some(([s, e]) => s <= start && end <= e);
  if (!inside) return { ok: false, reason: 'outside-hours' };
  const taken = busyByProvider(q.busy).get(providerId) ?? NO_BUSY;
  const blockStart = start - q.service.bufferBeforeMin * MINUTE;
  const blockEnd = end + q.service.bufferAfterMin * MINUTE;
  if (!isFree(taken, blockStart, blockEnd)) return { ok: false, reason: 'taken' };
  return { ok: true };
}

/** The block a booking of `service` at `start` takes from its provider. */
export function blockOf(service: ServiceTiming, start: number): { start: number; end: number; blockStart: number; blockEnd: number } {
  const end = start + service.durationMin * MINUTE;
  return {
    start,
    end,
    blockStart: start - service.bufferBeforeMin * MINUTE,
    blockEnd: end + service.bufferAfterMin * MINUTE,
  };
}
