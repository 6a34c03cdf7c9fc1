// GET /api/today and POST /api/alerts/:id/done: the Today page's data.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';
import { seedDay } from '../../../test/helpers/ui-seed.js';

interface Today {
  date: string;
  calls: { box: number; staff: number; missed: number; other: number; inProgress: number; total: number; byHour: number[] };
  bookings: { count: number; cancelled: number; valueCents: number; unpriced: number; items: { id: number; status: string; source: string }[] };
  alerts: { id: number; kind: string }[];
  next: { id: number; client: string | null; service: string }[];
}

test("Today counts the day's calls by who answered, the box's bookings and their value, urgent alerts first, and the next appointments", async () => {
  const web = await openTestWeb();
  try {
    const seeded = seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    const cookie = await web.login();
    const res = await web.app.inject({ url: '/api/today', headers: { cookie } });
    assert.equal(res.statusCode, 200);
    const d = res.json<Today>();
    assert.equal(d.date, '2026-11-30');
    assert.deepEqual({ ...d.calls, byHour: undefined }, { box: 2, staff: 1, missed: 1, other: 0, inProgress: 0, total: 4, byHour: undefined });
    // Seeded at 06:30 (missed), 06:45 (staff), 07:00 (transferred) and 07:56 (booked): by local hour.
    assert.equal(d.calls.byHour[6], 2);
    assert.equal(d.calls.byHour[7], 2);
    assert.equal(d.calls.byHour.reduce((a, b) => a + b, 0), 4);
    // The box's: the call's HydraFacial ($199) counts; the web booking cancelled since does not; staff's is not the box's.
    assert.equal(d.bookings.count, 1);
    assert.equal(d.bookings.cancelled, 1);
    assert.equal(d.bookings.valueCents, 19_900);
    assert.deepEqual(
      d.bookings.items.map((b) => [b.id, b.source, b.status]),
      [
        [seeded.boxBooking, 'call', 'booked'],
        [seeded.cancelledBoxBooking, 'web', 'cancelled'],
      ],
    );
    assert.deepEqual(
      d.alerts.map((a) => [a.id, a.kind]),
      [
        [seeded.urgentAlert, 'urgent'],
        [seeded.messageAlert, 'message'],
      ],
      'the urgent alert first although it is older',
    );
    assert.deepEqual(
      d.next.map((a) => a.id),
      [seeded.boxBooking, seeded.staffBooking],
      'booked appointments ahead, soonest first, cancelled ones left out',
    );
    // Yesterday's calls are not today's.
    web.spa.clock.advance(24 * 3_600_000);
    const tomorrow = (await web.app.inject({ url: '/api/today', headers: { cookie: await web.login() } })).json<Today>();
    assert.equal(tomorrow.calls.total, 0);
    assert.equal(tomorrow.bookings.count, 0);
    // Audited: the page shows names and numbers.
    const audited = web.spa.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'today.view' AND status = 200").pluck().get() as number;
    assert.equal(audited, 2);
  } finally {
    await web.close();
  }
});

test('Done on an alert takes it off the open list once (a second time is a 404), is audited, and is for staff only', async () => {
  const web = await openTestWeb();
  try {
    const seeded = seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    const desk = await web.addUser('desk', 'frontdesk');
    const done = (id: number | string, cookie = desk.cookie) => web.app.inject({ method: 'POST', url: `/api/alerts/${id}/done`, headers: { cookie } });
    assert.equal((await web.app.inject({ method: 'POST', url: `/api/alerts/${seeded.urgentAlert}/done` })).statusCode, 401);
    assert.equal((await done('abc')).statusCode, 400);
    assert.equal((await done(999_999)).statusCode, 404);
    assert.equal((await done(seeded.urgentAlert)).statusCode, 200);
    assert.equal((await done(seeded.urgentAlert)).statusCode, 404);
    const today = (await web.app.inject({ url: '/api/today', headers: { cookie: desk.cookie } })).json<Today>();
    assert.deepEqual(today.alerts.map((a) => a.id), [seeded.messageAlert]);
    const all = (await web.app.inject({ url: '/api/alerts', headers: { cookie: desk.cookie } })).json<{ alerts: { id: number; resolvedAt: string | null }[] }>();
    assert.match(all.alerts.find((a) => a.id === seeded.urgentAlert)?.resolvedAt ?? '', /^2026-11-30T08:00:00-05:00$/);
    const rows = web.spa.db.prepare("SELECT username, subject_kind, subject_id, status FROM audit_log WHERE action = 'alert.resolve' ORDER BY id").all();
    assert.deepEqual(
      rows.map((r) => ({ ...(r as object) })),
      [
        { username: 'desk', subject_kind: 'alert', subject_id: 'abc', status: 400 },
        { username: 'desk', subject_kind: 'alert', subject_id: '999999', status: 404 },
        { username: 'desk', subject_kind: 'alert', subject_id: String(seeded.urgentAlert), status: 200 },
        { username: 'desk', subject_kind: 'alert', subject_id: String(seeded.urgentAlert), status: 404 },
      ],
    );
  } finally {
    await web.close();
  }
});
