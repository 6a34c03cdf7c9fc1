// The Messages page's SMS API: threads named by id, a thread read, a staff reply through the
// outbox that holds the thread (the SMS rules and the receptionist both stay quiet on it), take
// over and hand back; front desk allowed, signed-out refused, bodies checked, every read and reply audited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../log.js';
import { Messaging } from '../../sms/messaging.js';
import { Outbox } from '../../sms/outbox.js';
import { SimModem } from '../../sms/sim-modem.js';
import { SmsStore } from '../../sms/sms-store.js';
import { settle } from '../../shared/fake-clock.js';
import { openTestWeb } from '../../../test/helpers/web.js';
import type { SmsApi } from './messages.js';

const CLIENT = '+12035550123';
const log = createLogger({ level: 'silent' });

test('staff read an SMS thread and reply by hand: the reply goes through the outbox, the thread is held until handed back; front desk allowed, 401 signed out, bodies checked, reads and replies audited', async () => {
  let made: { store: SmsStore; modem: SimModem; messaging: Messaging } | null = null;
  const web = await openTestWeb({
    sms: ({ spa, receptionist }): SmsApi => {
      const store = new SmsStore({ db: spa.db });
      const modem = new SimModem({ clock: spa.clock });
      const outbox = new Outbox({ store, modem, clock: spa.clock, log, policy: () => ({ minIntervalMs: 0, dailyCap: 100, quiet: { startHour: 21, endHour: 8, zone: 'America/New_York' } }) });
      const messaging = new Messaging({
        store,
        clock: spa.clock,
        log,
        chat: (req) => receptionist.chat(req),
        spa: () => ({ name: 'Glow', phone: '+12035550000', zone: 'America/New_York' }),
        settings: () => ({ textBack: '', reminderHours: 24, staffNumbers: [] }),
        servedLiveSince: () => false,
        queued: () => outbox.kick(),
      });
      void modem.start();
      outbox.start();
      made = { store, modem, messaging };
      return { store, messaging, simModem: modem };
    },
  });
  try {
    const sms = made as unknown as { store: SmsStore; modem: SimModem; messaging: Messaging };
    web.spa.db.prepare(`INSERT INTO clients (phone, name, created_at) VALUES (?, 'Grace Hopper', 0)`).run(CLIENT);
    await sms.messaging.onInbound({ from: CLIENT, text: 'what are your hours?', sentAt: 0, parts: 1, complete: true });
    await settle();
    assert.equal(sms.modem.sent.length, 1, 'the receptionist answered by text');
    const desk = await web.addUser('dana', 'frontdesk');
    const as = (method: 'GET' | 'POST', url: string, payload?: object, cookie: string | null = desk.cookie) =>
      web.app.inject({ method, url, ...(cookie ? { headers: { cookie } } : {}), ...(payload ? { payload } : {}) });

    const list = await as('GET', '/api/messages');
    const thread = list.json<{ threads: { id: number; phone: string; heldBy: string | null }[] }>().threads[0];
    assert.ok(thread);
    assert.deepEqual([thread.phone, thread.heldBy], [CLIENT, null]);
    assert.equal((await as('GET', `/api/messages/threads/${thread.id}`, undefined, null)).statusCode, 401);
    assert.equal((await as('POST', `/api/messages/threads/${thread.id}/reply`, { text: 'hi' }, null)).statusCode, 401);
    const read = await as('GET', `/api/messages/threads/${thread.id}`);
    assert.equal(read.statusCode, 200);
    const body = read.json<{ thread: { client: string; heldBy: null; messages: { direction: string; status: string; text: string }[] } }>().thread;
    assert.equal(body.client, 'Grace Hopper');
    assert.deepEqual(body.messages.map((m) => [m.direction, m.status]), [['in', 'received'], ['out', 'sent']]);
    assert.equal((await as('GET', '/api/messages/threads/999999')).statusCode, 404);
    assert.equal((await as('GET', '/api/messages/threads/abc')).statusCode, 400);
    assert.equal((await as('POST', `/api/messages/threads/${thread.id}/reply`, { text: '   ' })).statusCode, 400);
    assert.equal((await as('POST', `/api/messages/threads/${thread.id}/reply`, { text: 'x'.repeat(1001) })).statusCode, 400);
    assert.equal((await as('POST', `/api/messages/threads/${thread.id}/reply`, { text: 'hi', to: '+15550000000' })).statusCode, 400);

    const replied = await as('POST', `/api/messages/threads/${thread.id}/reply`, { text: 'Hi Grace, this is Dana at the front desk.' });
    assert.equal(replied.statusCode, 202);
    const out = replied.json<{ message: { kind: string; status: string; staffUser: string }; heldBy: string }>();
    assert.deepEqual([out.message.kind, out.message.status, out.message.staffUser, out.heldBy], ['staff', 'queued', 'dana', 'dana']);
    await settle();
    assert.equal(sms.modem.sent.at(-1)?.text, 'Hi Grace, this is Dana at the front desk.', 'the outbox handed it to the modem');

    await sms.messaging.onInbound({ from: CLIENT, text: 'do you do botox?', sentAt: 0, parts: 1, complete: true });
    await settle();
    assert.equal(sms.modem.sent.length, 2, 'no answer from the receptionist while staff hold the thread');
    const held = await web.receptionist.chat({ from: CLIENT, text: 'hello?', channel: 'sms' });
    assert.deepEqual([held.reply, held.heldBy], ['', 'dana'], 'the agent itself respects the same hold');

    assert.deepEqual((await as('POST', `/api/messages/threads/${thread.id}/release`)).json(), { heldBy: null });
    await sms.messaging.onInbound({ from: CLIENT, text: 'what are your hours?', sentAt: 0, parts: 1, complete: true });
    await settle();
    assert.equal(sms.modem.sent.length, 3, 'handed back: the receptionist answers again');
    assert.deepEqual((await as('POST', `/api/messages/threads/${thread.id}/takeover`)).json(), { heldBy: 'dana' });
    assert.equal(sms.store.heldBy(CLIENT), 'dana');

    const owner = await web.login();
    const entries = web.audit.list({ limit: 100 }).filter((e) => e.username === 'dana' && e.subjectKind === 'sms-thread');
    assert.deepEqual(
      entries.map((e) => [e.action, e.subjectId, e.status]).reverse(),
      [
        ['message.view', String(thread.id), 200],
        ['message.view', '999999', 404],
        ['message.view', 'abc', 400],
        ['message.send', String(thread.id), 400],
        ['message.send', String(thread.id), 400],
        ['message.send', String(thread.id), 400],
        ['message.send', String(thread.id), 202],
        ['message.resume', String(thread.id), 200],
        ['message.takeover', String(thread.id), 200],
      ],
    );
    assert.ok(!web.audit.list({ limit: 100 }).some((e) => e.subjectId.includes('555') || e.detail.includes('555')), 'the number is never in the audit log');
    assert.ok(owner);
  } finally {
    await web.close();
  }
});
