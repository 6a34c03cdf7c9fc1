// Answers to the reminder text on the real booking engine and the fake clock: YES confirms the
// appointment (shown with it), NO cancels it through the engine's atomic cancel and says how to
// rebook, and anything else (or a YES/NO that answers nothing) goes to the receptionist. CANCEL
// alone stays an opt-out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { openTestSpa, at, type TestSpa } from '../../test/helpers/spa.js';
import { Messaging, REMINDER_ANSWER_WINDOW_MS } from './messaging.js';
import { Outbox } from './outbox.js';
import { SimModem } from './sim-modem.js';
import { SmsStore } from './sms-store.js';
import { bookingsViewOf } from './sms-module.js';

const log = createLogger({ level: 'silent' });
const PHONE = '+12035550160';

interface Rig {
  spa: TestSpa;
  store: SmsStore;
  modem: SimModem;
  messaging: Messaging;
  chats: string[];
  apptId: number;
  text(body: string): Promise<void>;
  sent(): string[];
}

/** Booked Monday 08:00 for Wednesday 11:00; the reminder goes Tuesday at 11:30. */
async function rig(): Promise<Rig> {
  const spa = openTestSpa();
  const store = new SmsStore({ db: spa.db });
  const modem = new SimModem({ clock: spa.clock });
  await modem.start();
  const outbox = new Outbox({ store, modem, clock: spa.clock, log, policy: () => ({ minIntervalMs: 0, dailyCap: 100, quiet: { startHour: 21, endHour: 8, zone: 'America/New_York' } }) });
  const chats: string[] = [];
  const messaging = new Messaging({
    store,
    clock: spa.clock,
    log,
    chat: async (req) => {
      chats.push(req.text);
      return { conversation: 'c', reply: `Receptionist: ${req.text}`, done: false };
    },
    spa: () => ({ name: 'Glow Med Spa', phone: '+12035550000', zone: 'America/New_York' }),
    settings: () => ({ textBack: '', reminderHours: 24, staffNumbers: [] }),
    servedLiveSince: () => false,
    bookings: bookingsViewOf({ bookings: spa.bookings, catalogue: spa.catalogue, clock: spa.clock }),
    queued: () => outbox.kick(),
  });
  outbox.start();
  const service = spa.catalogue.services()[0];
  assert.ok(service);
  const appt = spa.bookings.book({ serviceId: service.id, start: at('2026-12-02T11:00'), client: { phone: PHONE, name: 'Mia Wong', email: null }, source: 'call' });
  const since = spa.clock.now();
  await spa.clock.advanceAsync(at('2026-12-01T11:30') - spa.clock.now());
  messaging.scanBookings(since);
  await spa.clock.advanceAsync(0);
  return {
    spa,
    store,
    modem,
    messaging,
    chats,
    apptId: appt.id,
    text: async (body) => {
      await messaging.onInbound({ from: PHONE, text: body, sentAt: spa.clock.now(), parts: 1, complete: true });
      await spa.clock.advanceAsync(0);
    },
    sent: () => modem.sent.map((s) => s.text),
  };
}

test('the reminder asks for YES to confirm or NO to cancel (never CANCEL, an opt-out word)', async () => {
  const r = await rig();
  try {
    const reminder = r.sent().find((t) => t.startsWith('Reminder'));
    assert.match(reminder ?? '', /^Reminder from Glow Med Spa: .+ Wed(nesday)?,? Dec(ember)? 2.*11.*Reply YES to confirm or NO to cancel this appointment\.$/);
    assert.doesNotMatch(reminder ?? '', /CANCEL/);
  } finally {
    r.spa.close();
  }
});

test('YES to the reminder confirms the appointment (kept with it) and thanks the client; the receptionist is not asked', async () => {
  const r = await rig();
  try {
    await r.text('Yes!');
    assert.notEqual(r.store.confirmedAt(r.apptId), null);
    assert.equal(r.spa.bookings.get(r.apptId).status, 'booked');
    assert.match(r.sent().at(-1) ?? '', /^Thank you, you're confirmed for .+\. See you then!$/);
    assert.deepEqual(r.chats, []);
    await r.text('yes');
    assert.deepEqual(r.chats, ['yes'], 'a second YES answers our thank-you, not the reminder: the receptionist has it');
  } finally {
    r.spa.close();
  }
});

test('NO to the reminder cancels through the booking engine and texts how to rebook; the slot is free again', async () => {
  const r = await rig();
  try {
    await r.text('no');
    const appt = r.spa.bookings.get(r.apptId);
    assert.equal(appt.status, 'cancelled');
    assert.deepEqual(r.spa.bookings.history(r.apptId).map((e) => [e.kind, e.source]).at(-1), ['cancelled', 'sms']);
    assert.match(r.sent().at(-1) ?? '', /^Your .+ is cancelled\. To book again, reply here with a day and time or call us at \+12035550000\.$/);
    assert.deepEqual(r.chats, []);
    assert.equal(r.store.confirmedAt(r.apptId), null);
  } finally {
    r.spa.close();
  }
});

test('a NO after the answer window, another answer, or CANCEL alone never cancels: the receptionist answers, or CANCEL opts out', async () => {
  const r = await rig();
  try {
    await r.text('can I move it to the afternoon?');
    assert.deepEqual(r.chats, ['can I move it to the afternoon?']);
    assert.equal(r.spa.bookings.get(r.apptId).status, 'booked');
    // The receptionist answered last, so a NO now answers it, not the reminder.
    await r.text('no');
    assert.deepEqual(r.chats, ['can I move it to the afternoon?', 'no']);
    assert.equal(r.spa.bookings.get(r.apptId).status, 'booked');
    await r.text('CANCEL');
    assert.equal(r.store.isOptedOut(PHONE), true, 'CANCEL alone is an opt-out keyword, as carriers expect');
    assert.equal(r.spa.bookings.get(r.apptId).status, 'booked');
  } finally {
    r.spa.close();
  }
});

test('a NO to a reminder older than the window goes to the receptionist and cancels nothing', async () => {
  const r = await rig();
  try {
    // Booked far enough ahead that the appointment is still to come after the window.
    const service = r.spa.catalogue.services()[0];
    assert.ok(service);
    r.spa.bookings.cancel(r.apptId, { source: 'staff' });
    const later = r.spa.bookings.book({ serviceId: service.id, start: at('2026-12-10T11:00'), client: { phone: PHONE, name: 'Mia Wong', email: null }, source: 'call' });
    r.store.enqueue({ phone: PHONE, kind: 'reminder', body: 'Reminder: Reply YES to confirm or NO to cancel this appointment.', automated: true, now: r.spa.clock.now(), appointmentId: later.id });
    await r.spa.clock.advanceAsync(60_000); // the outbox's next look hands it over
    assert.notEqual(r.store.lastConversational(PHONE)?.sentAt ?? null, null);
    await r.spa.clock.advanceAsync(REMINDER_ANSWER_WINDOW_MS + 10 * 60_000);
    await r.text('no');
    assert.deepEqual(r.chats, ['no']);
    assert.equal(r.spa.bookings.get(later.id).status, 'booked');
  } finally {
    r.spa.close();
  }
});

test('while staff hold the thread a YES or NO is left to them: nothing is confirmed or cancelled', async () => {
  const r = await rig();
  try {
    r.store.pause(PHONE, 'anna', r.spa.clock.now());
    await r.text('no');
    assert.equal(r.spa.bookings.get(r.apptId).status, 'booked');
    assert.deepEqual(r.chats, []);
  } finally {
    r.spa.close();
  }
});
