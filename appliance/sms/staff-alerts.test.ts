// Staff alert texts on the fake clock: an urgent alert texts every staff number at once even in
// quiet hours, with only the kind and the number to call back; a handoff waits for the morning;
// the same alert twice within the hour goes once; a staff number that opted out gets nothing;
// and the real receptionist raising an urgent alert in a chat sets it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { openDatabase } from '../store/db.js';
import { openTestSpa, at } from '../../test/helpers/spa.js';
import { testReceptionist } from '../../test/helpers/agent.js';
import { ALERT_DEDUP_MS, Messaging } from './messaging.js';
import { Outbox } from './outbox.js';
import { SimModem } from './sim-modem.js';
import { SmsStore } from './sms-store.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../shared/clock.js';

const log = createLogger({ level: 'silent' });
const ZONE = 'America/New_York';
const STAFF = ['+15550001111', '+15550002222'];
const CALLER = '+12035550199';

async function rig(db: Db, clock: Clock & { advanceAsync(ms: number): Promise<void> }) {
  const store = new SmsStore({ db });
  const modem = new SimModem({ clock });
  await modem.start();
  const outbox = new Outbox({ store, modem, clock, log, policy: () => ({ minIntervalMs: 2000, dailyCap: 100, quiet: { startHour: 21, endHour: 8, zone: ZONE } }) });
  const messaging = new Messaging({
    store,
    clock,
    log,
    chat: async () => ({ conversation: 'c', reply: '', done: false }),
    spa: () => ({ name: 'Glow Med Spa', phone: '+15550009999', zone: ZONE }),
    settings: () => ({ textBack: '', reminderHours: 24, staffNumbers: [...STAFF, STAFF[0] ?? ''] }),
    servedLiveSince: () => false,
    queued: () => outbox.kick(),
  });
  outbox.start();
  return { store, modem, messaging, outbox };
}

test('an urgent alert texts every staff number at once even at 22:30, with only the kind and the number to call back; the same alert within the hour goes once', async () => {
  const clock = new FakeClock({ epochMs: Date.parse('2026-12-01T22:30:00-05:00') });
  const { db } = openDatabase({ path: ':memory:' });
  const r = await rig(db, clock);
  const queued = r.messaging.staffAlert({ kind: 'urgent', phone: CALLER });
  assert.equal(queued.length, 2, 'each staff number once, though listed twice');
  await clock.advanceAsync(2000);
  assert.deepEqual(
    r.modem.sent.map((s) => [s.to, s.text]),
    STAFF.map((to) => [to, 'Urgent: a caller reported symptoms after treatment. Call back +12035550199.']),
  );
  assert.deepEqual(r.messaging.staffAlert({ kind: 'urgent', phone: CALLER }), [], 'deduplicated');
  await clock.advanceAsync(ALERT_DEDUP_MS);
  assert.equal(r.messaging.staffAlert({ kind: 'urgent', phone: CALLER }).length, 2, 'after the hour it goes again');
  assert.equal(r.messaging.staffAlert({ kind: 'urgent', phone: '+12035550100' }).length, 2, 'another caller is another alert');
  db.close();
});

test('a handoff alert waits for the end of quiet hours; question and no-availability alerts are not texted; a staff number that opted out gets none', async () => {
  const clock = new FakeClock({ epochMs: Date.parse('2026-12-01T22:30:00-05:00') });
  const { db } = openDatabase({ path: ':memory:' });
  const r = await rig(db, clock);
  r.store.optOut(STAFF[1] ?? '', 'STOP', clock.now());
  assert.deepEqual(r.messaging.staffAlert({ kind: 'question', phone: CALLER }), []);
  assert.deepEqual(r.messaging.staffAlert({ kind: 'no-availability', phone: CALLER }), []);
  const queued = r.messaging.staffAlert({ kind: 'message', phone: null });
  assert.deepEqual(queued.map((m) => m.phone), [STAFF[0]]);
  await clock.advanceAsync(60 * 60_000);
  assert.equal(r.modem.sent.length, 0, 'held by quiet hours');
  await clock.advanceAsync(Date.parse('2026-12-02T08:01:00-05:00') - clock.now());
  assert.deepEqual(r.modem.sent.map((s) => [s.to, s.text]), [[STAFF[0], 'Glow Med Spa: a caller asked for staff to get back to them. No number was left: see the alerts on the box.']]);
  db.close();
});

test('the receptionist raising an urgent alert in a conversation texts staff; the caller\'s words and name stay out of the text', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const r = await rig(spa.db, spa.clock);
    const receptionist = testReceptionist(spa);
    receptionist.onAlert((a) => r.messaging.staffAlert(a));
    const turn = await receptionist.chat({ from: CALLER, text: 'I got lip filler yesterday and now my vision is blurry', channel: 'sms' });
    assert.match(turn.reply, /911/);
    await spa.clock.advanceAsync(2000);
    assert.deepEqual(r.modem.sent.map((s) => s.text), STAFF.map(() => 'Urgent: a caller reported symptoms after treatment. Call back +12035550199.'));
    assert.ok(!r.modem.sent.some((s) => /filler|vision/i.test(s.text)));
  } finally {
    spa.close();
  }
});
