import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testReceptionist } from '../../test/helpers/agent.js';
import { at, openTestSpa } from '../../test/helpers/spa.js';
import type { Receptionist } from './receptionist.js';

const SYMPTOM = 'my lip is white since my filler and it really hurts';
const words = (text: string, confidence: number) => text.split(' ').map((word) => ({ word, confidence }));
const urgentAlerts = (r: Receptionist) => r.alerts().filter((a) => a.kind === 'urgent').length;

/** A call whose first turn is the symptom heard with the words' confidence `confidence`; `then` answers the check. */
async function call(confidence: number, then: (r: Receptionist, conversation: string) => Promise<string>, narrowband = false): Promise<{ first: string; second: string; alerts: number }> {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188', narrowband });
    const first = await r.turn(conversation, SYMPTOM, undefined, words(SYMPTOM, confidence));
    const alertsBefore = urgentAlerts(r);
    assert.equal(alertsBefore, confidence >= 0.5 ? 1 : 0, first.reply);
    const second = await then(r, conversation);
    return { first: first.reply, second, alerts: urgentAlerts(r) };
  } finally {
    spa.close();
  }
}

const answer = (text: string | null) => async (r: Receptionist, c: string) => (await r.turn(c, text, undefined, text ? words(text, 0.9) : undefined)).reply;

test('an urgent symptom in sure words alerts staff at once, as before', async () => {
  const c = await call(0.9, answer('no'));
  assert.match(c.first, /alerted our nurse practitioner/);
  assert.equal(c.alerts, 1);
});

test('in doubted words it is put to the caller first, with the 911 advice; a clear no stands it down with no alert', async () => {
  const c = await call(0.2, answer('no'));
  assert.match(c.first, /are you having a problem after a treatment\? If it's an emergency, please hang up and call 911\.$/);
  assert.doesNotMatch(c.first, /alerted/);
  assert.equal(c.second, 'Sorry, I misheard. How can I help you today?');
  assert.equal(c.alerts, 0);
});

test('a real urgent caller is never lost to the check: a yes, silence, speech not understood or the symptom again all alert staff', async () => {
  for (const [why, then] of [
    ['yes', answer('yes')],
    ['silence', answer(null)],
    ['not understood', async (r: Receptionist, c: string) => r.notUnderstood(c).reply],
    ['the symptom again', answer('no it really hurts and my lip is white')],
  ] as const) {
    const c = await call(0.2, then);
    assert.equal(c.alerts, 1, `${why}: ${c.second}`);
    assert.match(c.second, /alerted our nurse practitioner/, why);
  }
});

test('on a narrowband call the check offers its keys at once', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188', narrowband: true });
    const a = await r.turn(conversation, SYMPTOM, undefined, words(SYMPTOM, 0.2));
    assert.equal(a.expect, 'yes-no');
    assert.equal(a.offerKeys, true);
  } finally {
    spa.close();
  }
});
