// The setup wizard's API: owner only and audited, validated with the fields named, catalogue
// edits that booking uses at once, and phone settings that keep the SIP password on the box.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb, type TestWeb } from '../../../test/helpers/web.js';

type Json = Record<string, unknown>;

function as(web: TestWeb, cookie: string) {
  return async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const res = await web.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: res.json<Json & { error?: { fields?: Record<string, string> } }>() };
  };
}

test('only the owner may read or change the setup: no session 401, manager and front desk 403', async () => {
  const web = await openTestWeb();
  try {
    assert.equal((await web.app.inject({ url: '/api/setup' })).statusCode, 401);
    assert.equal((await web.app.inject({ method: 'PUT', url: '/api/setup/spa', payload: {} })).statusCode, 401);
    for (const role of ['manager', 'frontdesk'] as const) {
      const who = await web.addUser(`a-${role}`, role);
      const call = as(web, who.cookie);
      assert.equal((await call('GET', '/api/setup')).status, 403, role);
      assert.equal((await call('GET', '/api/setup/progress')).status, 403, role);
      assert.equal((await call('PUT', '/api/setup/spa', { name: 'X', address: '', phone: '', timeZone: 'UTC' })).status, 403, role);
      assert.equal((await call('POST', '/api/setup/catalogue', { from: 'empty' })).status, 403, role);
    }
    assert.equal(web.spa.catalogue.profile().name, 'Lumière Med Spa', 'nothing changed');
    const owner = as(web, await web.login());
    const got = await owner('GET', '/api/setup');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.setup, { step: '', finished: false });
  } finally {
    await web.close();
  }
});

test('the spa profile and hours are validated field by field, saved, audited, and the zone is kept in the settings', async () => {
  const web = await openTestWeb();
  try {
    const owner = as(web, await web.login());
    const bad = await owner('PUT', '/api/setup/spa', { name: '', address: 'x', phone: 'call me', timeZone: 'Mars/Olympus' });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body.error?.fields ?? {}).sort(), ['name', 'timeZone']);
    const badPhone = await owner('PUT', '/api/setup/spa', { name: 'Glow', address: '', phone: 'call me', timeZone: 'America/Chicago' });
    assert.deepEqual(Object.keys(badPhone.body.error?.fields ?? {}), ['phone']);
    const ok = await owner('PUT', '/api/setup/spa', { name: 'Glow Aesthetics', address: '12 Elm St, Austin, TX', phone: '(512) 555-0188', timeZone: 'America/Chicago' });
    assert.equal(ok.status, 200);
    const p = web.spa.catalogue.profile();
    assert.deepEqual([p.name, p.address, p.phone, p.timeZone], ['Glow Aesthetics', '12 Elm St, Austin, TX', '+15125550188', 'America/Chicago']);
    assert.equal(web.saved.at(-1)?.timeZone, 'America/Chicago');

    const hours = await owner('PUT', '/api/setup/hours', {
      hours: [{ weekday: 1, start: '10:00', end: '09:00' }, { weekday: 8, start: '10:00', end: '18:00' }],
      closures: [],
    });
    assert.equal(hours.status, 400);
    assert.deepEqual(Object.keys(hours.body.error?.fields ?? {}).sort(), ['hours.0.end', 'hours.1.weekday']);
    const saved = await owner('PUT', '/api/setup/hours', {
      hours: [{ weekday: 2, start: '10:00', end: '18:00' }, { weekday: 3, start: '10:00', end: '18:00' }],
      closures: [{ startDate: '2026-12-24', endDate: '2026-12-26', reason: 'Holidays' }],
    });
    assert.equal(saved.status, 200);
    assert.deepEqual(web.spa.catalogue.profile().hours.map((h) => h.weekday), [2, 3]);
    assert.deepEqual(web.spa.catalogue.profile().closures.map((c) => [c.startDate, c.endDate]), [['2026-12-24', '2026-12-26']]);
    const audit = web.spa.db.prepare("SELECT action, subject_kind, subject_id, status FROM audit_log WHERE action LIKE 'setup.%' ORDER BY id").all();
    assert.deepEqual(
      audit.map((r) => ({ ...(r as object) })),
      [
        { action: 'setup.change', subject_kind: 'setup', subject_id: '', status: 400 },
        { action: 'setup.change', subject_kind: 'setup', subject_id: '', status: 400 },
        { action: 'setup.change', subject_kind: 'setup', subject_id: 'spa', status: 200 },
        { action: 'setup.change', subject_kind: 'setup', subject_id: '', status: 400 },
        { action: 'setup.change', subject_kind: 'setup', subject_id: 'hours', status: 200 },
      ],
    );
  } finally {
    await web.close();
  }
});

test('starting from an empty catalogue, a provider and a service added in the wizard are bookable at once; removing them takes them off', async () => {
  const web = await openTestWeb();
  try {
    const owner = as(web, await web.login());
    const empty = await owner('POST', '/api/setup/catalogue', { from: 'empty' });
    assert.deepEqual([empty.body.services, empty.body.providers], [[], []]);
    assert.equal(web.spa.catalogue.services().length, 0);
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
    const svc = { name: 'Glow Facial', durationMin: 60, priceCents: 15000, providerIds: ['rosa-diaz'], aliases: ['glow'] };
    // Added through the catalogue's routes, the same ones the settings use.
    const unknownProvider = await owner('POST', '/api/services', svc);
    assert.equal(unknownProvider.status, 400);
    assert.ok(unknownProvider.body.error?.fields?.providerIds);
    const noPrice = await owner('POST', '/api/services', { ...svc, providerIds: [], priceCents: null });
    assert.ok(noPrice.body.error?.fields?.priceCents);
    assert.equal((await owner('PUT', '/api/services/Not%20An%20Id', { ...svc, providerIds: [] })).status, 400);
    const rosa = await owner('POST', '/api/providers', { name: 'Rosa Diaz', title: 'Aesthetician', hours: weekdays });
    assert.equal(rosa.status, 201);
    assert.equal((rosa.body.provider as { id: string }).id, 'rosa-diaz');
    const put = await owner('POST', '/api/services', svc);
    assert.equal(put.status, 201);
    assert.deepEqual((put.body.service as { id: string; providerIds: string[]; aliases: string[] }).providerIds, ['rosa-diaz']);
    assert.equal((put.body.service as { id: string }).id, 'glow-facial');
    const twice = await owner('POST', '/api/services', { ...svc, name: 'glow facial' });
    assert.ok(twice.body.error?.fields?.name, 'one service of a name');
    const slots = await owner('GET', '/api/availability?service=glow-facial&from=2026-12-01&days=1');
    assert.equal(slots.status, 200);
    const first = (slots.body.slots as { start: string; provider: { name: string } }[])[0];
    assert.deepEqual([first?.start, first?.provider.name], ['2026-12-01T09:00:00-05:00', 'Rosa Diaz']);
    assert.equal((await owner('DELETE', '/api/services/glow-facial')).status, 200);
    assert.equal((await owner('DELETE', '/api/services/glow-facial')).status, 404);
    assert.equal((await owner('GET', '/api/availability?service=glow-facial&from=2026-12-01&days=1')).status, 404);
    assert.equal((await owner('DELETE', '/api/providers/rosa-diaz')).status, 200);
    const audit = web.spa.db.prepare("SELECT action, subject_id, status, detail FROM audit_log WHERE action IN ('service.change', 'provider.change') AND status < 300 ORDER BY id").all();
    assert.deepEqual(
      audit.map((r) => ({ ...(r as object) })),
      [
        { action: 'provider.change', subject_id: 'rosa-diaz', status: 201, detail: 'added' },
        { action: 'service.change', subject_id: 'glow-facial', status: 201, detail: 'added' },
        { action: 'service.change', subject_id: 'glow-facial', status: 200, detail: 'removed' },
        { action: 'provider.change', subject_id: 'rosa-diaz', status: 200, detail: 'removed' },
      ],
    );
    assert.deepEqual(web.spa.catalogue.providers(), []);
  } finally {
    await web.close();
  }
});

test('the demo catalogue can be loaded back, and a service that appointments name is retired rather than deleted', async () => {
  const web = await openTestWeb();
  try {
    const owner = as(web, await web.login());
    const slots = await owner('GET', '/api/availability?service=hydrafacial-signature&from=2026-12-01&days=1');
    const slot = (slots.body.slots as { start: string }[])[0];
    assert.ok(slot);
    const booked = await owner('POST', '/api/appointments', { service: 'hydrafacial-signature', start: slot.start, client: { phone: '+12035550111', name: 'Ada Lovelace' } });
    assert.equal(booked.status, 201);
    assert.equal((await owner('POST', '/api/setup/catalogue', { from: 'empty' })).status, 200);
    assert.equal(web.spa.catalogue.services().length, 0);
    // The appointment still names its service.
    const appt = await owner('GET', `/api/appointments/${(booked.body.appointment as { id: number }).id}`);
    assert.equal((appt.body.appointment as { service: { name: string } }).service.name, 'Signature HydraFacial');
    const demo = await owner('POST', '/api/setup/catalogue', { from: 'demo' });
    assert.ok((demo.body.services as unknown[]).length >= 10);
    assert.ok(web.spa.catalogue.service('hydrafacial-signature')?.active);
    assert.ok((web.spa.catalogue.service('botox')?.providerIds.length ?? 0) > 0);
  } finally {
    await web.close();
  }
});

test('the phone step checks the extension fields, keeps the stored SIP password when none is sent and never shows it', async () => {
  const web = await openTestWeb();
  try {
    const owner = as(web, await web.login());
    const missing = await owner('PUT', '/api/setup/phone', { mode: 'register', ringTimeoutS: 15, transferTo: '201' });
    assert.deepEqual(Object.keys(missing.body.error?.fields ?? {}).sort(), ['registrar', 'username']);
    const badTarget = await owner('PUT', '/api/setup/phone', { mode: 'direct', ringTimeoutS: 15, transferTo: 'the desk' });
    assert.ok(badTarget.body.error?.fields?.['telephony.transferTo']);
    const ok = await owner('PUT', '/api/setup/phone', { mode: 'register', registrar: 'pbx.local:5060', username: '305', password: 'sekrit-305', ringTimeoutS: 15, transferTo: '201' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.phone, { mode: 'register', registrar: 'pbx.local:5060', username: '305', passwordSet: true, ringTimeoutS: 15, transferTo: '201' });
    assert.equal(ok.body.restartRequired, true);
    assert.doesNotMatch(JSON.stringify(ok.body), /sekrit/);
    const again = await owner('PUT', '/api/setup/phone', { mode: 'register', registrar: 'pbx.local:5060', username: '305', ringTimeoutS: 25, transferTo: '201' });
    assert.equal(again.status, 200);
    assert.equal(web.saved.at(-1)?.telephony.registration.password, 'sekrit-305');
    assert.equal(web.saved.at(-1)?.telephony.ringTimeoutS, 25);
    assert.doesNotMatch(JSON.stringify((await owner('GET', '/api/setup')).body), /sekrit/);
    const direct = await owner('PUT', '/api/setup/phone', { mode: 'direct', ringTimeoutS: 20, transferTo: null });
    assert.deepEqual(direct.body.phone, { mode: 'direct', registrar: '', username: '', passwordSet: false, ringTimeoutS: 20, transferTo: null });
    const detail = web.spa.db.prepare("SELECT detail FROM audit_log WHERE action = 'setup.change' AND status = 200 ORDER BY id").pluck().all();
    assert.deepEqual(detail, ['mode register, password changed', 'mode register', 'mode direct']);
  } finally {
    await web.close();
  }
});

test('the greeting step saves the texts and recording switch, and progress resumes at the saved step until finished', async () => {
  const web = await openTestWeb();
  try {
    const owner = as(web, await web.login());
    assert.equal((await owner('PUT', '/api/setup/voice', { greeting: '', disclosure: '', recordingNotice: '', record: true })).status, 400);
    const v = await owner('PUT', '/api/setup/voice', { greeting: 'Thanks for calling {spa}.', disclosure: "I'm an AI assistant.", recordingNotice: 'Calls are recorded.', record: true });
    assert.equal(v.status, 200);
    assert.deepEqual([web.saved.at(-1)?.agent.disclosure, web.saved.at(-1)?.telephony.record], ["I'm an AI assistant.", true]);
    assert.equal((await owner('PUT', '/api/setup/progress', { step: 'nowhere' })).status, 400);
    await owner('PUT', '/api/setup/progress', { step: 'voice' });
    assert.deepEqual((await owner('GET', '/api/setup/progress')).body.setup, { step: 'voice', finished: false });
    await owner('PUT', '/api/setup/progress', { step: 'models', finished: true });
    assert.deepEqual((await owner('GET', '/api/setup')).body.setup, { step: 'models', finished: true });
    // The greeting saved earlier is still there: each change builds on the last one saved.
    assert.equal(web.saved.at(-1)?.agent.greeting, 'Thanks for calling {spa}.');
  } finally {
    await web.close();
  }
});
