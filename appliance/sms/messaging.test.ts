import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { FakeClock, settle } from '../shared/fake-clock.js';
import { openDatabase } from '../store/db.js';
import type { Appointment } from '../booking/types.js';
import { AtError } from './errors.js';
import { Messaging, type BookingsView } from './messaging.js';
import type { SendOptions } from './modem.js';
import { Outbox } from './outbox.js';
import { SimModem } from './sim-modem.js';
import { SmsStore } from './sms-store.js';

const log = createLogger({ level: 'silent' });
const ZONE = 'America/New_York';
const CALLER = '+15557654321';
/** 2026-12-01 17:00 in New York (inside 8-21). */
const AFTERNOON = Date.parse('2026-12-01T17:00:00-05:00');

/** A simulated modem whose next sends fail with the given errors (after the first PDU is written, for `failuresAfterHandoff`). */
class FlakyModem extends SimModem {
  failures: Error[] = [];
  failuresAfterHandoff: Error[] = [];
  override async send(to: string, text: string, opts: SendOptions): Promise<{ references: number[] }> {
    const err = this.failures.shift();
    if (err) throw err;
    const late = this.failuresAfterHandoff.shift();
    if (late) {
      opts.beforeHandoff?.(opts.fromPart ?? 1);
      throw late;
    }
    return super.send(to, text, opts);
  }
}

interface Rig {
  clock: FakeClock;
  store: SmsStore;
  modem: FlakyModem;
  outbox: Outbox;
  messaging: Messaging;
  chats: string[];
  settings: { textBack: string; reminderHours: number; staffNumbers: string[] };
  policy: { minIntervalMs: number; dailyCap: number };
  served: Set<string>;
  appointments: Appointment[];
  dbPath: string;
}

async function rig(opts: { at?: number; dbPath?: string; start?: boolean } = {}): Promise<Rig> {
  const clock = new FakeClock({ epochMs: opts.at ?? AFTERNOON });
  const dbPath = opts.dbPath ?? ':memory:';
  const { db } = openDatabase({ path: dbPath });
  const store = new SmsStore({ db });
  const modem = new FlakyModem({ clock });
  await modem.start();
  const policy = { minIntervalMs: 2000, dailyCap: 300 };
  const outbox = new Outbox({ store, modem, clock, log, policy: () => ({ ...policy, quiet: { startHour: 21, endHour: 8, zone: ZONE } }) });
  const chats: string[] = [];
  const settings = { textBack: 'Sorry we missed your call at {spa}. How can we help?', reminderHours: 24, staffNumbers: ['+15550001111'] };
  const served = new Set<string>();
  const appointments: Appointment[] = [];
  const bookings: BookingsView = {
    bookedBetween: (from, to) => appointments.filter((a) => a.createdAt >= from && a.createdAt < to),
    list: (from, to) => appointments.filter((a) => a.start >= from && a.start < to),
    clientPhone: () => CALLER,
    describe: (a) => `Facial on ${new Date(a.start).toISOString()}`,
    get: (id) => appointments.find((a) => a.id === id) ?? null,
    cancel: (id) => {
      const a = appointments.find((x) => x.id === id && x.status === 'booked');
      if (!a) throw new Error('not booked');
      a.status = 'cancelled';
      return a;
    },
  };
  const messaging = new Messaging({
    store,
    clock,
    log,
    chat: async (req) => {
      chats.push(req.text);
      return { conversation: 'c1', reply: `You said: ${req.text}`, done: false };
    },
    spa: () => ({ name: 'Glow Med Spa', phone: '+15550009999', zone: ZONE }),
    settings: () => settings,
    servedLiveSince: (phone) => served.has(phone),
    bookings,
    queued: () => outbox.kick(),
  });
  if (opts.start !== false) outbox.start();
  return { clock, store, modem, outbox, messaging, chats, settings, policy, served, appointments, dbPath };
}

const sentTo = (r: Rig, phone = CALLER): string[] => r.modem.sent.filter((s) => s.to === phone).map((s) => s.text);

test('a missed call gets the spa-worded text-back handed to the modem at once', async () => {
  const r = await rig();
  const { queued } = r.messaging.onMissedCall(CALLER);
  await r.clock.advanceAsync(0);
  assert.equal(queued?.kind, 'text-back');
  assert.deepEqual(sentTo(r), ['Sorry we missed your call at Glow Med Spa. How can we help?']);
  assert.equal(r.store.get(queued?.id ?? 0)?.status, 'sent');
});

test('a second missed call from the same number within 24 h gets no text; after 24 h it does', async () => {
  const r = await rig();
  r.messaging.onMissedCall(CALLER);
  await r.clock.advanceAsync(3_600_000);
  assert.equal(r.messaging.onMissedCall(CALLER).skipped, 'recent');
  await r.clock.advanceAsync(23 * 3_600_000);
  assert.equal(r.messaging.onMissedCall(CALLER).skipped, null);
  await r.clock.advanceAsync(5000);
  assert.equal(sentTo(r).length, 2);
});

test('no text-back to staff numbers, opted-out numbers, numbers that cannot take texts, callers served live, or hidden numbers', async () => {
  const r = await rig();
  assert.equal(r.messaging.onMissedCall('+15550001111').skipped, 'staff');
  r.store.optOut('+15550002222', 'STOP', r.clock.now());
  assert.equal(r.messaging.onMissedCall('+15550002222').skipped, 'opted-out');
  r.store.markUnreachable('+15550003333', 'landline', r.clock.now());
  assert.equal(r.messaging.onMissedCall('+15550003333').skipped, 'unreachable');
  r.served.add('+15550004444');
  assert.equal(r.messaging.onMissedCall('+15550004444').skipped, 'served-live');
  assert.equal(r.messaging.onMissedCall(null).skipped, 'no-number');
  await r.clock.advanceAsync(10_000);
  assert.equal(r.modem.sent.length, 0);
});

test('STOP opts the number out with one confirmation; automated texts waiting for it are cancelled; START opts back in', async () => {
  const r = await rig();
  const reminder = r.store.enqueue({ phone: CALLER, kind: 'reminder', body: 'see you', automated: true, now: r.clock.now(), notBefore: r.clock.now() + 3_600_000 });
  await r.messaging.onInbound({ from: CALLER, text: 'STOP', sentAt: r.clock.now(), parts: 1, complete: true });
  await r.messaging.onInbound({ from: CALLER, text: 'stop', sentAt: r.clock.now(), parts: 1, complete: true });
  await r.clock.advanceAsync(10_000);
  assert.equal(r.store.isOptedOut(CALLER), true);
  assert.equal(sentTo(r).length, 1, 'one confirmation, not one per STOP');
  assert.match(sentTo(r)[0] ?? '', /unsubscribed from Glow Med Spa texts/);
  assert.equal(r.store.get(reminder.id)?.status, 'cancelled');
  assert.deepEqual(r.chats, [], 'keywords never reach the receptionist');
  assert.equal(r.messaging.onMissedCall(CALLER).skipped, 'opted-out');
  await r.messaging.onInbound({ from: CALLER, text: 'Start', sentAt: r.clock.now(), parts: 1, complete: true });
  assert.equal(r.store.isOptedOut(CALLER), false);
});

test('plain-language opt-outs count; "cancel my appointment" goes to the receptionist; HELP answers with the spa name and phone', async () => {
  const r = await rig();
  await r.messaging.onInbound({ from: '+15550005555', text: "Please don't text me anymore.", sentAt: 0, parts: 1, complete: true });
  assert.equal(r.store.isOptedOut('+15550005555'), true);
  await r.messaging.onInbound({ from: CALLER, text: 'cancel my appointment', sentAt: 0, parts: 1, complete: true });
  assert.equal(r.store.isOptedOut(CALLER), false);
  assert.deepEqual(r.chats, ['cancel my appointment']);
  await r.messaging.onInbound({ from: '+15550006666', text: 'HELP', sentAt: 0, parts: 1, complete: true });
  await r.clock.advanceAsync(10_000);
  assert.match(sentTo(r, '+15550006666')[0] ?? '', /^Glow Med Spa: call us at \+15550009999/);
});

test('a reply goes to the receptionist and its answer goes out by SMS; after a staff reply the agent stays quiet on that thread', async () => {
  const r = await rig();
  await r.messaging.onInbound({ from: CALLER, text: 'how much is botox', sentAt: 0, parts: 1, complete: true });
  await r.clock.advanceAsync(2000);
  assert.deepEqual(sentTo(r), ['You said: how much is botox']);
  r.messaging.staffReply(CALLER, 'Hi, this is Anna at the front desk', 'anna');
  await r.messaging.onInbound({ from: CALLER, text: 'great thanks', sentAt: 0, parts: 1, complete: true });
  await r.clock.advanceAsync(5000);
  assert.deepEqual(r.chats, ['how much is botox'], 'paused thread: the receptionist was not asked');
  assert.deepEqual(sentTo(r), ['You said: how much is botox', 'Hi, this is Anna at the front desk']);
  r.messaging.resumeAgent(CALLER);
  await r.messaging.onInbound({ from: CALLER, text: 'one more question', sentAt: 0, parts: 1, complete: true });
  assert.equal(r.chats.length, 2);
});

test('the rate limit hands over at most one text per 2 s', async () => {
  const r = await rig();
  for (const n of ['+15550000001', '+15550000002', '+15550000003']) r.store.enqueue({ phone: n, kind: 'staff', body: 'hi', automated: false, now: r.clock.now() });
  r.outbox.kick();
  await r.clock.advanceAsync(0);
  assert.equal(r.modem.sent.length, 1);
  await r.clock.advanceAsync(1999);
  assert.equal(r.modem.sent.length, 1);
  await r.clock.advanceAsync(1);
  assert.equal(r.modem.sent.length, 2);
  await r.clock.advanceAsync(2000);
  assert.deepEqual(r.modem.sent.map((s) => s.at - AFTERNOON), [0, 2000, 4000]);
});

test('quiet hours: a reminder queued at 22:00 waits for 08:00; a text-back at 22:00 goes at once', async () => {
  const r = await rig({ at: Date.parse('2026-12-01T22:00:00-05:00') });
  const reminder = r.store.enqueue({ phone: '+15550000001', kind: 'reminder', body: 'see you', automated: true, now: r.clock.now() });
  r.messaging.onMissedCall(CALLER);
  await r.clock.advanceAsync(5000);
  assert.deepEqual(r.modem.sent.map((s) => s.to), [CALLER]);
  assert.equal(r.store.get(reminder.id)?.nextAttemptAt, Date.parse('2026-12-02T08:00:00-05:00'));
  await r.clock.advanceAsync(10 * 3_600_000);
  assert.equal(r.store.get(reminder.id)?.status, 'sent');
  assert.equal(r.store.get(reminder.id)?.sentAt, Date.parse('2026-12-02T08:00:00-05:00'));
});

test('an identity code for a caller on the line goes at once, even in quiet hours; none to a number that opted out', async () => {
  const r = await rig({ at: Date.parse('2026-12-01T22:00:00-05:00') });
  assert.equal(r.messaging.identityCode(CALLER, 'Spa: your code is 123456.'), true);
  await r.clock.advanceAsync(1000);
  assert.deepEqual(r.modem.sent.map((s) => s.to), [CALLER]);
  r.store.optOut('+15550002222', 'STOP', r.clock.now());
  assert.equal(r.messaging.identityCode('+15550002222', 'Spa: your code is 123456.'), false);
  await r.clock.advanceAsync(5000);
  assert.equal(r.modem.sent.length, 1);
});

test('an identity code is not kept: once sent its digits are blanked in the store; a restart cancels a queued one and blanks it', async () => {
  const r = await rig();
  r.messaging.identityCode(CALLER, 'Spa: your code is 123456.');
  await r.clock.advanceAsync(1000);
  assert.equal(r.modem.sent[0]?.text, 'Spa: your code is 123456.');
  const [sent] = r.store.messages({ phone: CALLER, limit: 5 });
  assert.equal(sent?.status, 'sent');
  assert.equal(sent?.body, 'Spa: your code is ••••••.');

  const later = await rig({ start: false });
  const left = later.store.enqueue({ phone: CALLER, kind: 'code', body: 'Spa: your code is 654321.', automated: true, now: later.clock.now() });
  const staff = later.store.enqueue({ phone: CALLER, kind: 'staff', body: 'Suite 12', automated: false, now: later.clock.now() });
  later.outbox.start();
  await later.clock.advanceAsync(5000);
  assert.equal(later.store.get(left.id)?.status, 'cancelled');
  assert.equal(later.store.get(left.id)?.body, 'Spa: your code is ••••••.');
  assert.equal(later.store.get(staff.id)?.body, 'Suite 12');
  assert.deepEqual(later.modem.sent.map((s) => s.text), ['Suite 12']);
});

test('the daily cap holds further texts until the next local day', async () => {
  const r = await rig();
  r.policy.dailyCap = 2;
  for (const n of ['+15550000001', '+15550000002', '+15550000003']) r.store.enqueue({ phone: n, kind: 'staff', body: 'hi', automated: false, now: r.clock.now() });
  r.outbox.kick();
  await r.clock.advanceAsync(60_000);
  assert.equal(r.modem.sent.length, 2);
  await r.clock.advanceAsync(Date.parse('2026-12-02T00:00:01-05:00') - r.clock.now());
  assert.equal(r.modem.sent.length, 3);
});

test('a failed send retries with backoff (30 s, then 60 s) and is sent once', async () => {
  const r = await rig();
  r.modem.failures.push(new AtError('timeout', 'AT+CMGS: no answer'), new AtError('cms', '+CMS ERROR: 332', { fault: 'network-timeout' }));
  const m = r.store.enqueue({ phone: CALLER, kind: 'staff', body: 'hello', automated: false, now: r.clock.now() });
  r.outbox.kick();
  await r.clock.advanceAsync(29_000);
  assert.equal(r.store.get(m.id)?.attempts, 1);
  assert.equal(r.modem.sent.length, 0);
  await r.clock.advanceAsync(1_000);
  assert.equal(r.store.get(m.id)?.attempts, 2);
  await r.clock.advanceAsync(60_000);
  assert.equal(r.store.get(m.id)?.status, 'sent');
  assert.equal(r.modem.sent.length, 1);
});

test('no answer after a PDU was written leaves the text in doubt: it fails with the reason and is never written again', async () => {
  const r = await rig();
  r.modem.failuresAfterHandoff.push(new AtError('timeout', 'AT+CMGS: no answer'));
  const m = r.store.enqueue({ phone: CALLER, kind: 'staff', body: 'hello', automated: false, now: r.clock.now() });
  r.outbox.kick();
  await r.clock.advanceAsync(10 * 60_000);
  const after = r.store.get(m.id);
  assert.equal(after?.status, 'failed');
  assert.match(after?.error ?? '', /may have gone out/);
  assert.equal(r.modem.sent.length, 0, 'not written a second time');
});

test('a +CMS error answered after the PDU means the modem did not send it: the text retries and goes once', async () => {
  const r = await rig();
  r.modem.failuresAfterHandoff.push(new AtError('cms', '+CMS ERROR: 332', { fault: 'network-timeout' }));
  const m = r.store.enqueue({ phone: CALLER, kind: 'staff', body: 'hello', automated: false, now: r.clock.now() });
  r.outbox.kick();
  await r.clock.advanceAsync(10 * 60_000);
  assert.equal(r.store.get(m.id)?.status, 'sent');
  assert.equal(r.modem.sent.length, 1);
});

test('a number the network refuses (a landline) is remembered: the text fails and no text-back goes there again', async () => {
  const r = await rig();
  r.modem.failures.push(new AtError('cms', '+CMS ERROR: 21', { fault: 'rejected-number' }));
  const { queued } = r.messaging.onMissedCall(CALLER);
  await r.clock.advanceAsync(1000);
  assert.equal(r.store.get(queued?.id ?? 0)?.status, 'failed');
  assert.equal(r.store.isUnreachable(CALLER), true);
  await r.clock.advanceAsync(2 * 86_400_000);
  assert.equal(r.messaging.onMissedCall(CALLER).skipped, 'unreachable');
});

test('after a crash mid-text the outbox resumes after the last part the modem accepted: no part goes twice', async () => {
  const r = await rig({ start: false });
  const body = 'x'.repeat(300); // 2 parts
  const m = r.store.enqueue({ phone: CALLER, kind: 'staff', body, automated: false, now: r.clock.now() });
  // What the crashed process left: the text marked sending and part 1 handed over.
  r.store.beginSend(m.id, 2, 77);
  r.store.partHanded(m.id, 1, 5, r.clock.now());
  r.outbox.start();
  await r.clock.advanceAsync(0);
  assert.equal(r.modem.sent.length, 1);
  assert.equal(r.modem.sent[0]?.references.length, 1, 'only part 2 was handed over');
  assert.equal(r.store.get(m.id)?.status, 'sent');
  assert.equal(r.store.get(m.id)?.concatRef, 77, 'with the same concatenation reference');
});

test('delivery reports match the parts: a text is delivered once every part is', async () => {
  const r = await rig();
  const m = r.store.enqueue({ phone: CALLER, kind: 'staff', body: 'y'.repeat(200), automated: false, now: r.clock.now() });
  r.modem.on('report', (rep) => r.store.report(rep.reference, rep.status, r.clock.now()));
  r.outbox.kick();
  await r.clock.advanceAsync(0);
  await settle();
  assert.equal(r.store.get(m.id)?.status, 'delivered');
  assert.notEqual(r.store.get(m.id)?.deliveredAt, null);
});

test('bookings get one confirmation, and a reminder 24 h before when booked earlier than that', async () => {
  const r = await rig();
  const now = r.clock.now();
  const base = { clientId: 1, serviceId: 'facial', providerId: 'p', blockStart: 0, blockEnd: 0, status: 'booked' as const, source: 'sms' as const, notes: '', updatedAt: now };
  r.appointments.push({ ...base, id: 1, start: now + 3 * 86_400_000, end: 0, createdAt: now - 1000 });
  r.appointments.push({ ...base, id: 2, start: now + 20 * 3_600_000, end: 0, createdAt: now - 5 * 86_400_000 });
  r.messaging.scanBookings(now - 60_000);
  r.messaging.scanBookings(now - 60_000);
  const kinds = r.store.messages({ limit: 10 }).map((m) => [m.kind, m.appointmentId]);
  assert.deepEqual(kinds.sort(), [['confirmation', 1], ['reminder', 2]]);
});
