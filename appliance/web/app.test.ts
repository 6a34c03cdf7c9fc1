import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieOf, openTestWeb, OWNER_PASSWORD } from '../../test/helpers/web.js';
import { Accounts } from './accounts.js';
import { openTestSpa } from '../../test/helpers/spa.js';

const ADA = { phone: '203-555-0188', name: 'Ada Lovelace', email: 'ada@example.com' };

test('health answers without a session; every other API route answers 401 without one', async () => {
  const web = await openTestWeb();
  try {
    const health = await web.app.inject({ url: '/api/health' });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json<{ db: string }>().db, 'ok');
    for (const [method, url] of [
      ['GET', '/api/services'],
      ['GET', '/api/availability?service=botox'],
      ['GET', '/api/appointments'],
      ['POST', '/api/appointments'],
      ['POST', '/api/appointments/1/cancel'],
      ['GET', '/api/today'],
    ] as const) {
      const res = await web.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'SPA_ERR_UNAUTHORIZED');
    }
    const forged = await web.app.inject({ url: '/api/services', headers: { cookie: 'spa_session=forged-token' } });
    assert.equal(forged.statusCode, 401);
    // Who-am-I answers "nobody" without a session (the UI's first request), and says no more.
    const nobody = await web.app.inject({ url: '/api/session', headers: { cookie: 'spa_session=forged-token' } });
    assert.equal(nobody.statusCode, 200);
    assert.deepEqual(nobody.json(), { user: null, idleTimeoutMs: 30 * 60_000 });
  } finally {
    await web.close();
  }
});

test('login sets an HttpOnly SameSite cookie that opens the API; logout closes it', async () => {
  const web = await openTestWeb();
  try {
    const bad = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: 'nope' } });
    assert.equal(bad.statusCode, 401);
    const res = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: OWNER_PASSWORD } });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Strict/i);
    const cookie = cookieOf(res);
    const me = await web.app.inject({ url: '/api/session', headers: { cookie } });
    assert.equal(me.json<{ user: { username: string; role: string } }>().user.role, 'owner');
    assert.equal((await web.app.inject({ url: '/api/services', headers: { cookie } })).statusCode, 200);
    await web.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    assert.equal((await web.app.inject({ url: '/api/services', headers: { cookie } })).statusCode, 401);
  } finally {
    await web.close();
  }
});

test('repeated wrong passwords from one address are throttled with 429', async () => {
  const web = await openTestWeb();
  try {
    for (let i = 0; i < 10; i++) {
      const r = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: `guess${i}` } });
      assert.equal(r.statusCode, 401);
    }
    const blocked = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: OWNER_PASSWORD } });
    assert.equal(blocked.statusCode, 429);
    web.spa.clock.advance(16 * 60_000);
    const later = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: OWNER_PASSWORD } });
    assert.equal(later.statusCode, 200);
  } finally {
    await web.close();
  }
});

test('a one-time owner password must be changed, and the new one works', async () => {
  const spa = openTestSpa();
  try {
    const accounts = new Accounts({ db: spa.db, clock: spa.clock });
    const first = await accounts.ensureOwner(null);
    assert.ok(first.created);
    assert.match(first.oneTimePassword ?? '', /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const again = await accounts.ensureOwner(null);
    assert.deepEqual(again, { created: false, oneTimePassword: null }, 'the password is shown on first start only');
    const login = await accounts.login('owner', first.oneTimePassword ?? '');
    assert.equal(login?.user.mustChangePassword, true);
    assert.ok(await accounts.changePassword(login.user.id, first.oneTimePassword ?? '', 'a new long password'));
    assert.equal(await accounts.login('owner', first.oneTimePassword ?? ''), null);
    assert.equal((await accounts.login('owner', 'a new long password'))?.user.mustChangePassword, false);
    const stored = spa.db.prepare('SELECT password_hash FROM users').pluck().get() as string;
    assert.match(stored, /^scrypt\$/);
    assert.ok(!stored.includes('a new long password'));
  } finally {
    spa.close();
  }
});

test('services list the catalogue with prices, aliases and providers', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const res = await web.app.inject({ url: '/api/services', headers: { cookie } });
    const { services } = res.json<{ services: { id: string; aliases: string[]; priceText: string; providers: { name: string }[] }[] }>();
    assert.ok(services.length >= 12);
    const botox = services.find((s) => s.id === 'botox');
    assert.ok(botox?.aliases.includes('tox'));
    assert.match(botox?.priceText ?? '', /\$13/);
    assert.deepEqual(botox?.providers.map((p) => p.name), ['Sophie Bennett']);
  } finally {
    await web.close();
  }
});

test('availability returns real free slots in the spa zone and drops booked ones', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const url = '/api/availability?service=botox&from=2026-12-01&days=1';
    const before = (await web.app.inject({ url, headers: { cookie } })).json<{ timeZone: string; slots: { start: string }[] }>();
    assert.equal(before.timeZone, 'America/New_York');
    assert.equal(before.slots[0]?.start, '2026-12-01T10:00:00-05:00');
    const booked = await web.app.inject({
      method: 'POST',
      url: '/api/appointments',
      headers: { cookie },
      payload: { service: 'botox', start: '2026-12-01T10:00', client: ADA },
    });
    assert.equal(booked.statusCode, 201);
    const after = (await web.app.inject({ url, headers: { cookie } })).json<{ slots: { start: string }[] }>();
    assert.ok(!after.slots.some((s) => s.start === '2026-12-01T10:00:00-05:00'));
    assert.equal(after.slots.length, before.slots.length - 3, '10:00 and the two starts its buffers block are gone');
  } finally {
    await web.close();
  }
});

test('availability and booking bodies are validated with 400s naming the fields', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const q = async (query: string) => (await web.app.inject({ url: `/api/availability?${query}`, headers: { cookie } })).json<{ error: { code: string; fields: Record<string, string> } }>();
    assert.deepEqual(Object.keys((await q('days=100&from=2026-13-45')).error.fields).sort(), ['days', 'from', 'service']);
    assert.equal((await web.app.inject({ url: '/api/availability?service=nope', headers: { cookie } })).statusCode, 404);

    const post = (payload: unknown) => web.app.inject({ method: 'POST', url: '/api/appointments', headers: { cookie }, payload: payload as object });
    const missing = await post({ client: { phone: '' } });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(Object.keys(missing.json<{ error: { fields: object } }>().error.fields).sort(), ['client.name', 'client.phone', 'service', 'start']);
    const badValues = await post({ service: 'botox', start: 'tomorrow at 3', client: { phone: '555', name: 'X', email: 'not-mail' }, source: 'fax' });
    assert.deepEqual(Object.keys(badValues.json<{ error: { fields: object } }>().error.fields).sort(), ['client.email', 'source', 'start']);
    const badPhone = await post({ service: 'botox', start: '2026-12-01T10:00', client: { phone: 'call me maybe', name: 'X' } });
    assert.equal(badPhone.statusCode, 400);
    assert.deepEqual(Object.keys(badPhone.json<{ error: { fields: object } }>().error.fields), ['client.phone']);
    const badDate = await post({ service: 'botox', start: '2026-02-30T10:00', client: ADA });
    assert.equal(badDate.statusCode, 400);
    const malformed = await web.app.inject({ method: 'POST', url: '/api/appointments', headers: { cookie, 'content-type': 'application/json' }, payload: '{"service": ' });
    assert.equal(malformed.statusCode, 400);
    assert.equal((await web.app.inject({ url: '/api/appointments/abc', headers: { cookie } })).statusCode, 400);
    assert.equal(web.spa.db.prepare('SELECT COUNT(*) FROM appointments').pluck().get(), 0, 'nothing was stored');
  } finally {
    await web.close();
  }
});

test('booking a taken slot answers 409; moving and cancelling work through the API', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const book = (start: string, phone: string) =>
      web.app.inject({ method: 'POST', url: '/api/appointments', headers: { cookie }, payload: { service: 'botox', start, client: { ...ADA, phone } } });
    const first = await book('2026-12-01T11:00:00-05:00', '2035550188');
    assert.equal(first.statusCode, 201);
    const id = first.json<{ appointment: { id: number } }>().appointment.id;
    const clash = await book('2026-12-01T11:15', '2035550199');
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json<{ error: { code: string } }>().error.code, 'SPA_ERR_SLOT_UNAVAILABLE');

    const moved = await web.app.inject({ method: 'POST', url: `/api/appointments/${id}/move`, headers: { cookie }, payload: { start: '2026-12-01T15:00' } });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json<{ appointment: { start: string } }>().appointment.start, '2026-12-01T15:00:00-05:00');
    assert.equal((await book('2026-12-01T11:15', '2035550199')).statusCode, 201, 'the old time is free again');

    const cancelled = await web.app.inject({ method: 'POST', url: `/api/appointments/${id}/cancel`, headers: { cookie }, payload: { note: 'sick' } });
    assert.equal(cancelled.json<{ appointment: { status: string } }>().appointment.status, 'cancelled');
    const again = await web.app.inject({ method: 'POST', url: `/api/appointments/${id}/cancel`, headers: { cookie }, payload: {} });
    assert.equal(again.statusCode, 409);

    const list = await web.app.inject({ url: '/api/appointments?from=2026-12-01&to=2026-12-01', headers: { cookie } });
    const appts = list.json<{ appointments: { id: number; status: string; client: { phone: string }; history: { kind: string }[] }[] }>().appointments;
    assert.equal(appts.length, 2);
    const mine = appts.find((a) => a.id === id);
    assert.deepEqual(mine?.history.map((h) => h.kind), ['booked', 'rescheduled', 'cancelled']);
    assert.equal(mine?.client.phone, '+12035550188');
    assert.equal((await web.app.inject({ url: '/api/appointments/9999', headers: { cookie } })).statusCode, 404);
  } finally {
    await web.close();
  }
});
