import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { checkSlot, findSlots, type AvailabilityQuery } from './availability.js';
import { nearestAlternatives } from './alternatives.js';
import type { Provider, Weekday, WeeklySpan } from './types.js';

const ZONE = 'America/New_York';
const at = (local: string, zone = ZONE): number => {
  const dt = DateTime.fromISO(local, { zone });
  assert.ok(dt.isValid, local);
  return dt.toMillis();
};
const local = (ms: number, zone = ZONE): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
const everyDay = (start: string, end: string): WeeklySpan[] =>
  ([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((weekday) => ({ weekday, start, end }));

const provider = (id: string, hours = everyDay('09:00', '17:00'), breaks: WeeklySpan[] = []): Provider => ({
  id,
  name: id,
  title: '',
  hours,
  breaks,
  active: true,
});

function query(over: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  return {
    timeZone: ZONE,
    spaHours: everyDay('09:00', '17:00'),
    closures: [],
    providers: [provider('ana')],
    timeOff: [],
    service: { id: 'facial', durationMin: 60, bufferBeforeMin: 0, bufferAfterMin: 0, providerIds: ['ana'] },
    busy: [],
    from: at('2026-12-01T00:00'),
    to: at('2026-12-02T00:00'),
    now: at('2026-11-20T08:00'),
    minNoticeMin: 0,
    intervalMin: 30,
    ...over,
  };
}

test('slots fill opening hours on the interval grid and end by closing time', () => {
  const slots = findSlots(query());
  assert.deepEqual(
    slots.map((s) => local(s.start).slice(11)),
    ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00'],
  );
  assert.ok(slots.every((s) => s.end - s.start === 60 * 60_000 && s.providerId === 'ana'));
});

test('spring-forward day: wall-clock hours keep their local times and the lost hour offers nothing', () => {
  // 2027-03-14: clocks jump from 02:00 EST to 03:00 EDT.
  const q = query({
    spaHours: everyDay('01:00', '04:00'),
    providers: [provider('ana', everyDay('01:00', '04:00'))],
    from: at('2027-03-14T00:00'),
    to: at('2027-03-15T00:00'),
    now: at('2027-03-01T00:00'),
  });
  const slots = findSlots(q);
  // 01:00 EST .. 04:00 EDT is two real hours: 60-minute treatments can start at 1:00, 1:30 and 3:00.
  assert.deepEqual(slots.map((s) => local(s.start).slice(11)), ['01:00', '01:30', '03:00']);
  assert.equal(slots[2]?.start, Date.UTC(2027, 2, 14, 7, 0));
});

test('daytime hours on DST change days map to the right UTC instants', () => {
  const q = (day: string) =>
    findSlots(query({ from: at(`${day}T00:00`), to: at(`${day}T23:59`), now: at('2026-10-01T00:00') }));
  const before = q('2026-10-31');
  const change = q('2026-11-01'); // fall back: 02:00 EDT -> 01:00 EST
  const after = q('2026-11-02');
  assert.equal(before[0]?.start, Date.UTC(2026, 9, 31, 13, 0)); // 09:00 EDT
  assert.equal(change[0]?.start, Date.UTC(2026, 10, 1, 14, 0)); // 09:00 EST
  assert.equal(after[0]?.start, Date.UTC(2026, 10, 2, 14, 0));
  assert.equal(before.length, change.length);
  assert.deepEqual(change.map((s) => local(s.start).slice(11)), before.map((s) => local(s.start).slice(11)));
});

test('fall-back night: the repeated hour is offered once per real instant, never double-booked by wall time', () => {
  const q = query({
    spaHours: everyDay('00:00', '04:00'),
    providers: [provider('ana', everyDay('00:00', '04:00'))],
    service: { id: 'facial', durationMin: 60, bufferBeforeMin: 0, bufferAfterMin: 0, providerIds: ['ana'] },
    intervalMin: 60,
    from: at('2026-11-01T00:00'),
    to: at('2026-11-02T00:00'),
    now: at('2026-10-01T00:00'),
    busy: [{ providerId: 'ana', start: Date.UTC(2026, 10, 1, 5, 0), end: Date.UTC(2026, 10, 1, 6, 0) }], // 01:00 EDT
  });
  const starts = findSlots(q).map((s) => s.start);
  // 00:00 EDT .. 04:00 EST is five real hours; 01:00 EDT is taken, 01:00 EST is free.
  assert.deepEqual(starts, [Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 10, 1, 7), Date.UTC(2026, 10, 1, 8)]);
  assert.ok(new Set(starts).size === starts.length);
});

test('buffers: the new block must clear the neighbours blocks, buffers included', () => {
  // Existing 10:00-11:00 treatment with its 15-minute clean-up: block 10:00-11:15.
  const busy = [{ providerId: 'ana', start: at('2026-12-01T10:00'), end: at('2026-12-01T11:15') }];
  const service = { id: 'peel', durationMin: 30, bufferBeforeMin: 10, bufferAfterMin: 5, providerIds: ['ana'] };
  const starts = findSlots(query({ busy, service, intervalMin: 15 })).map((s) => local(s.start).slice(11));
  // Before: must end + 5 min by 10:00 -> last start 09:15. After: prep starts 10 min early -> first start 11:30 (11:25 off-grid).
  assert.ok(starts.includes('09:15'));
  assert.ok(!starts.includes('09:30'));
  assert.ok(!starts.includes('11:15'));
  assert.equal(starts[starts.indexOf('09:15') + 1], '11:30');
  // A buffer may spill before opening: 09:00 start with 10 minutes of prep from 08:50 is offered.
  assert.equal(starts[0], '09:00');
});

test('breaks: no treatment overlaps the provider lunch break', () => {
  const lunch = everyDay('12:00', '13:00');
  const starts = findSlots(query({ providers: [provider('ana', everyDay('09:00', '17:00'), lunch)] })).map((s) => local(s.start).slice(11));
  assert.ok(starts.includes('11:00'));
  for (const t of ['11:30', '12:00', '12:30']) assert.ok(!starts.includes(t), t);
  assert.ok(starts.includes('13:00'));
});

test('closures and provider time off remove whole days and spans', () => {
  const closed = findSlots(query({ closures: [{ startDate: '2026-11-30', endDate: '2026-12-01', reason: 'training' }] }));
  assert.equal(closed.length, 0);
  const off = findSlots(
    query({ timeOff: [{ providerId: 'ana', start: at('2026-12-01T09:00'), end: at('2026-12-01T14:00'), reason: 'dentist' }] }),
  );
  assert.equal(local(off[0]?.start ?? 0).slice(11), '14:00');
});

test('spa hours bound provider hours, and providers are filtered by who performs the service', () => {
  const q = query({
    spaHours: everyDay('10:00', '16:00'),
    providers: [provider('ana', everyDay('08:00', '18:00')), provider('bo', everyDay('09:00', '12:00')), provider('cy')],
    service: { id: 'facial', durationMin: 60, bufferBeforeMin: 0, bufferAfterMin: 0, providerIds: ['ana', 'bo'] },
  });
  const slots = findSlots(q);
  assert.equal(local(slots[0]?.start ?? 0).slice(11), '10:00');
  assert.ok(slots.every((s) => s.providerId !== 'cy'));
  assert.ok(slots.some((s) => s.providerId === 'bo'));
  assert.ok(slots.filter((s) => s.providerId === 'bo').every((s) => s.end <= at('2026-12-01T12:00')));
  assert.ok(findSlots({ ...q, providerId: 'bo' }).every((s) => s.providerId === 'bo'));
  assert.equal(findSlots({ ...q, providerId: 'cy' }).length, 0);
});

test('minimum notice and past times: nothing before now + notice', () => {
  const now = at('2026-12-01T10:10');
  const slots = findSlots(query({ now, minNoticeMin: 120, from: at('2026-11-30T00:00') }));
  assert.equal(local(slots[0]?.start ?? 0), '2026-12-01T12:30');
  const noNotice = findSlots(query({ now, minNoticeMin: 0 }));
  assert.equal(local(noNotice[0]?.start ?? 0), '2026-12-01T10:30');
  assert.equal(findSlots(query({ now: at('2026-12-05T00:00') })).length, 0);
});

test('limit stops early and results are sorted across days and providers', () => {
  const slots = findSlots(query({ providers: [provider('bo'), provider('ana')], service: { id: 'f', durationMin: 60, bufferBeforeMin: 0, bufferAfterMin: 0, providerIds: ['ana', 'bo'] }, to: at('2026-12-04T00:00') }));
  for (let i = 1; i < slots.length; i++) assert.ok((slots[i - 1]?.start ?? 0) <= (slots[i]?.start ?? 0));
  assert.equal(slots[0]?.providerId, 'ana');
  assert.equal(findSlots({ ...query(), limit: 4 }).length, 4);
});

test('checkSlot names why an exact start is refused', () => {
  const q = query({
    busy: [{ providerId: 'ana', start: at('2026-12-01T10:00'), end: at('2026-12-01T11:00') }],
    closures: [{ startDate: '2026-12-02', endDate: '2026-12-02', reason: 'holiday' }],
    now: at('2026-12-01T08:00'),
    minNoticeMin: 60,
  });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-01T07:00')), { ok: false, reason: 'past' });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-01T08:30')), { ok: false, reason: 'too-soon' });
  assert.deepEqual(checkSlot(q, 'zed', at('2026-12-01T13:00')), { ok: false, reason: 'provider' });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-02T13:00')), { ok: false, reason: 'closed' });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-01T16:30')), { ok: false, reason: 'outside-hours' });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-01T10:30')), { ok: false, reason: 'taken' });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-01T09:00')), { ok: true });
  assert.deepEqual(checkSlot(q, 'ana', at('2026-12-01T11:05')), { ok: true }, 'off-grid starts are allowed for exact checks');
});

test('nearest alternatives: same day before and after, then the same time on the next days', () => {
  // Tuesday 2026-12-01 at 15:00 is taken (so are 14:30 and 15:30); 14:00 and 16:00 are free.
  const busy = [{ providerId: 'ana', start: at('2026-12-01T14:30'), end: at('2026-12-01T16:00') }];
  const slots = findSlots(query({ busy, to: at('2026-12-04T00:00'), intervalMin: 30, service: { id: 'f', durationMin: 30, bufferBeforeMin: 0, bufferAfterMin: 0, providerIds: ['ana'] } }));
  const alts = nearestAlternatives(slots, at('2026-12-01T15:00'), { timeZone: ZONE });
  assert.deepEqual(alts.map((s) => local(s.start)), ['2026-12-01T14:00', '2026-12-01T16:00', '2026-12-02T15:00']);
});

test('nearest alternatives: the exact time first when free, one offer per start across providers', () => {
  const slots = findSlots(
    query({ providers: [provider('ana'), provider('bo')], service: { id: 'f', durationMin: 60, bufferBeforeMin: 0, bufferAfterMin: 0, providerIds: ['ana', 'bo'] }, to: at('2026-12-03T00:00') }),
  );
  const alts = nearestAlternatives(slots, at('2026-12-01T11:00'), { timeZone: ZONE, count: 4 });
  assert.deepEqual(alts.map((s) => local(s.start)), ['2026-12-01T11:00', '2026-12-01T10:30', '2026-12-01T11:30', '2026-12-02T11:00']);
  assert.equal(alts[0]?.providerId, 'ana');
});

test('nearest alternatives: a fully booked day falls through to the closest time on other days', () => {
  const busy = [{ providerId: 'ana', start: at('2026-12-02T00:00'), end: at('2026-12-03T00:00') }];
  const slots = findSlots(query({ busy, from: at('2026-12-01T00:00'), to: at('2026-12-05T00:00') }));
  const alts = nearestAlternatives(slots, at('2026-12-02T09:00'), { timeZone: ZONE });
  // Next day first on a tie of distance, then the day before, then two days later.
  assert.deepEqual(alts.map((s) => local(s.start)), ['2026-12-03T09:00', '2026-12-01T09:00', '2026-12-04T09:00']);
});
