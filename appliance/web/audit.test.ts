// The audit log: each kind of access to personal data leaves a row naming who, what, when and
// from where; rows cannot be changed or deleted; only the owner reads them; if a row cannot be
// written the data is not served.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CallLog } from '../telephony/call-log.js';
import { openTestWeb } from '../../test/helpers/web.js';

const ADA = { phone: '203-555-0188', name: 'Ada Lovelace' };

test('viewing calls, transcripts, recordings and appointments, and changing appointments, settings and users are audited with who, when and where from', async () => {
  const web = await openTestWeb();
  try {
    const owner = await web.login();
    const desk = await web.addUser('dana', 'frontdesk');
    const calls = new CallLog({ db: web.spa.db });
    const callId = calls.invited({
      sipCallId: 'abc@pbx',
      caller: { phone: '+12035550188', raw: 'sip:+12035550188@pbx', displayName: 'Ada', source: 'From', withheld: false },
      called: 'spa',
      sourceAddress: '192.168.1.10',
      at: web.spa.clock.now(),
    });
    mkdirSync(join(web.spa.dir, 'recordings'), { recursive: true });
    writeFileSync(join(web.spa.dir, 'recordings', 'call-1.wav'), Buffer.alloc(64));
    calls.setRecording(callId, 'call-1.wav');
    const chat = await web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie: desk.cookie }, payload: { text: 'what are your hours?' } });
    const conversation = chat.json<{ conversation: string }>().conversation;

    const as = (cookie: string, method: string, url: string, payload?: object) =>
      web.app.inject({ method: method as 'GET', url, headers: { cookie }, remoteAddress: '192.168.1.77', ...(payload ? { payload } : {}) });
    assert.equal((await as(desk.cookie, 'GET', '/api/calls')).statusCode, 200);
    assert.equal((await as(desk.cookie, 'GET', `/api/calls/${callId}`)).statusCode, 200);
    const wav = await as(desk.cookie, 'GET', `/api/calls/${callId}/recording`);
    assert.equal(wav.statusCode, 200);
    assert.equal(wav.headers['content-type'], 'audio/wav');
    assert.equal((await as(desk.cookie, 'GET', `/api/agent/conversations/${conversation}`)).statusCode, 200);
    const booked = await as(desk.cookie, 'POST', '/api/appointments', { service: 'botox', start: '2026-12-01T11:00', client: ADA });
    assert.equal(booked.statusCode, 201);
    const apptId = booked.json<{ appointment: { id: number } }>().appointment.id;
    await as(desk.cookie, 'GET', `/api/appointments/${apptId}`);
    await as(desk.cookie, 'POST', `/api/appointments/${apptId}/move`, { start: '2026-12-01T15:00' });
    await as(desk.cookie, 'POST', `/api/appointments/${apptId}/cancel`, {});
    await as(owner, 'PATCH', '/api/settings', { telephony: { ringTimeoutS: 25, registration: { password: 'sip-secret-1' } } });
    await as(owner, 'PATCH', `/api/users/${desk.id}`, { role: 'manager' });

    const entries = (await as(owner, 'GET', '/api/audit?limit=100')).json<{
      entries: { action: string; username: string; sourceAddress: string; subjectKind: string; subjectId: string; status: number; detail: string; at: string }[];
    }>().entries;
    const find = (action: string) => entries.find((e) => e.action === action);
    for (const [action, who, kind, id] of [
      ['call.list', 'dana', '', ''],
      ['call.view', 'dana', 'call', String(callId)],
      ['recording.play', 'dana', 'call', String(callId)],
      ['conversation.view', 'dana', 'conversation', conversation],
      ['appointment.book', 'dana', 'appointment', String(apptId)],
      ['appointment.view', 'dana', 'appointment', String(apptId)],
      ['appointment.move', 'dana', 'appointment', String(apptId)],
      ['appointment.cancel', 'dana', 'appointment', String(apptId)],
      ['settings.change', 'owner', '', ''],
      ['user.update', 'owner', 'user', String(desk.id)],
      ['agent.chat', 'dana', '', ''],
    ] as const) {
      const e = find(action);
      assert.ok(e, `no audit row for ${action}`);
      assert.equal(e.username, who, action);
      assert.equal(e.subjectKind, kind, action);
      assert.equal(e.subjectId, id, action);
      assert.equal(e.status >= 200 && e.status < 300, true, action);
      assert.match(e.at, /^2026-11-30T08:00:00-05:00$/, action);
      if (action !== 'agent.chat') assert.equal(e.sourceAddress, '192.168.1.77', action);
    }
    const settingsRow = find('settings.change');
    assert.equal(settingsRow?.detail, 'telephony.ringTimeoutS,telephony.registration.password', 'which keys changed');
    assert.ok(!entries.some((e) => e.detail.includes('sip-secret-1')), 'never the values');
    assert.ok(find('session.login'), 'logins too');
    // Reading the audit log is itself audited (the row is written as the page is served).
    assert.equal(web.audit.list({ limit: 1 })[0]?.action, 'audit.view');
  } finally {
    await web.close();
  }
});

test('the audit log is append-only: UPDATE and DELETE are refused by the database', async () => {
  const web = await openTestWeb();
  try {
    await web.login();
    const n = web.spa.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    assert.ok(n >= 1);
    assert.throws(() => web.spa.db.prepare(`UPDATE audit_log SET username = 'someone else'`).run(), /append-only/);
    assert.throws(() => web.spa.db.prepare('DELETE FROM audit_log').run(), /append-only/);
    assert.equal(web.spa.db.prepare('SELECT count(*) FROM audit_log').pluck().get(), n);
  } finally {
    await web.close();
  }
});

test('when the audit row cannot be written, the personal data is withheld (500), not served unaudited', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    web.spa.db.exec(`CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    const res = await web.app.inject({ url: '/api/calls', headers: { cookie } });
    assert.equal(res.statusCode, 500);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'SPA_ERR_AUDIT_UNAVAILABLE');
    assert.ok(!res.body.includes('calls'));
    // Routes without personal data are not affected.
    assert.equal((await web.app.inject({ url: '/api/services', headers: { cookie } })).statusCode, 200);
  } finally {
    await web.close();
  }
});

test('a recording path outside the recordings folder is never served', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const calls = new CallLog({ db: web.spa.db });
    const id = calls.invited({ sipCallId: 'x@y', caller: { phone: null, raw: '', displayName: '', source: 'none', withheld: true }, called: '', sourceAddress: '', at: 0 });
    for (const path of ['../spa.db', '/etc/passwd', join(web.spa.dir, 'spa.db')]) {
      calls.setRecording(id, path);
      const res = await web.app.inject({ url: `/api/calls/${id}/recording`, headers: { cookie } });
      assert.equal(res.statusCode, 404, path);
    }
  } finally {
    await web.close();
  }
});
