// The calendar's API: the check before booking or moving (with the nearest free times), the
// nearest times on a refused booking, and clients with their visits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';
import { at } from '../../../test/helpers/spa.js';

interface Nearest {
  start: string;
  provider: { id: string };
}

const GRACE = { phone: '+12035550142', name: 'Grace Hopper' };

test('a taken time is checked as not free with the nearest free times for that provider, and a free one as free', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    web.spa.bookings.book({ serviceId: 'hydrafacial-signature', providerId: 'maya-chen', start: at('2026-12-01T10:00'), client: GRACE, source: 'call' });
    const check = async (q: string) => (await web.app.inject({ url: `/api/appointments/check?${q}`, headers: { cookie } })).json<{ free: boolean; why?: string; nearest?: Nearest[]; provider?: string }>();
    const taken = await check('service=hydrafacial-signature&provider=maya-chen&start=2026-12-01T10:15');
    assert.equal(taken.free, false);
    assert.equal(taken.why, 'taken');
    assert.ok((taken.nearest ?? []).length >= 2);
    for (const n of taken.nearest ?? []) {
      assert.equal(n.provider.id, 'maya-chen');
      // None of them overlaps the booked 9:55-10:55 block (45 min + 5 before + 10 after).
      const s = Date.parse(n.start);
      assert.ok(s + 55 * 60_000 <= at('2026-12-01T09:55') || s - 5 * 60_000 >= at('2026-12-01T10:55'), n.start);
    }
    assert.deepEqual(await check('service=hydrafacial-signature&provider=maya-chen&start=2026-12-01T14:00'), { free: true, provider: 'maya-chen' });
    const closed = await check('service=hydrafacial-signature&start=2026-12-06T10:00');
    assert.equal(closed.free, false, 'Sunday: the spa is closed');
    const bad = await web.app.inject({ url: '/api/appointments/check?service=hydrafacial-signature&start=tomorrow', headers: { cookie } });
    assert.equal(bad.statusCode, 400);
  } finally {
    await web.close();
  }
});

test("moving an appointment a little is free (its own time is not in the way) and a refused move names the nearest free times", async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const grace = web.spa.bookings.book({ serviceId: 'hydrafacial-signature', providerId: 'maya-chen', start: at('2026-12-01T10:00'), client: GRACE, source: 'staff' });
    const other = web.spa.bookings.book({ serviceId: 'hydrafacial-signature', providerId: 'maya-chen', start: at('2026-12-01T14:00'), client: { phone: '+12035550143', name: 'Alan Turing' }, source: 'web' });
    const check = await web.app.inject({ url: `/api/appointments/check?service=hydrafacial-signature&provider=maya-chen&start=2026-12-01T10:15&appointment=${grace.id}`, headers: { cookie } });
    assert.deepEqual(check.json(), { free: true, provider: 'maya-chen' });
    const refused = await web.app.inject({ method: 'POST', url: `/api/appointments/${grace.id}/move`, headers: { cookie }, payload: { start: '2026-12-01T14:00' } });
    assert.equal(refused.statusCode, 409);
    const err = refused.json<{ error: { code: string; why: string; nearest: Nearest[] } }>().error;
    assert.equal(err.code, 'SPA_ERR_SLOT_UNAVAILABLE');
    assert.equal(err.why, 'taken');
    assert.ok(err.nearest.length >= 2);
    assert.ok(err.nearest.every((n) => n.start !== '2026-12-01T14:00:00-05:00'));
    assert.equal(web.spa.bookings.get(other.id).status, 'booked');
    assert.equal(web.spa.bookings.get(grace.id).start, at('2026-12-01T10:00'), 'the refused move changed nothing');
  } finally {
    await web.close();
  }
});

test('clients are found by name or digits of their number, and a client shows every visit with its origin; front desk may, strangers may not', async () => {
  const web = await openTestWeb();
  try {
    const desk = await web.addUser('dana', 'frontdesk');
    const a = web.spa.bookings.book({ serviceId: 'hydrafacial-signature', providerId: 'maya-chen', start: at('2026-12-01T10:00'), client: GRACE, source: 'call' });
    web.spa.bookings.book({ serviceId: 'hydrafacial-signature', providerId: 'maya-chen', start: at('2026-12-02T11:00'), client: GRACE, source: 'web' });
    web.spa.bookings.cancel(a.id, { source: 'staff' });
    web.spa.bookings.book({ serviceId: 'hydrafacial-signature', providerId: 'maya-chen', start: at('2026-12-01T14:00'), client: { phone: '+13105550100', name: 'Alan Turing' }, source: 'staff' });
    const find = async (q: string) =>
      (await web.app.inject({ url: `/api/clients?q=${encodeURIComponent(q)}`, headers: { cookie: desk.cookie } })).json<{ clients: { id: number; name: string; nextStart: string | null }[] }>().clients;
    assert.deepEqual((await find('grace')).map((c) => c.name), ['Grace Hopper']);
    assert.deepEqual((await find('555-0142')).map((c) => c.name), ['Grace Hopper']);
    assert.deepEqual((await find('')).map((c) => c.name), ['Alan Turing', 'Grace Hopper']);
    assert.deepEqual(await find('a%t'), [], 'LIKE wildcards are taken literally (as a pattern it would match Alan Turing)');
    const grace = (await find('grace'))[0];
    assert.equal(grace?.nextStart, '2026-12-02T11:00:00-05:00');
    const res = await web.app.inject({ url: `/api/clients/${grace?.id}`, headers: { cookie: desk.cookie } });
    assert.equal(res.statusCode, 200);
    const visits = res.json<{ visits: { status: string; source: string; service: { name: string } }[] }>().visits;
    assert.deepEqual(visits.map((v) => [v.status, v.source]), [
      ['booked', 'web'],
      ['cancelled', 'call'],
    ]);
    assert.equal((await web.app.inject({ url: '/api/clients/9999', headers: { cookie: desk.cookie } })).statusCode, 404);
    assert.equal((await web.app.inject({ url: '/api/clients' })).statusCode, 401);
    const audited = web.spa.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action IN ('client.list', 'client.view') AND username = 'dana'").pluck().get() as number;
    assert.ok(audited >= 6, `audited ${audited}`);
  } finally {
    await web.close();
  }
});
