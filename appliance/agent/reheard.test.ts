// A turn the closed grammar rejected and the open model heard again (reheard.ts): taken when it is
// a sure question, request or correction, or a no to "anything else?"; never a yes, never words
// the recogniser itself doubted. Through the real receptionist at a read-back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testReceptionist } from '../../test/helpers/agent.js';
import { openTestSpa } from '../../test/helpers/spa.js';
import type { Receptionist } from './receptionist.js';
import { takesReheard } from './reheard.js';
import { SURE_WORDS } from './slot-confidence.js';
import type { Understanding } from './types.js';

/** Words heard again, each with this confidence. */
const sure = (text: string, confidence = 0.9): { word: string; confidence: number }[] => text.split(' ').map((word) => ({ word, confidence }));

/** A voice conversation brought to the read-back of a booking ("... Shall I book it?"). */
async function atReadBack(r: Receptionist): Promise<string> {
  const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
  let reply = (await r.turn(conversation, "I'd like a chemical peel on Thursday")).reply;
  for (const answer of ['the first one', 'Anna White', 'yes']) {
    if (/Shall I book it\?/.test(reply)) break;
    reply = (await r.turn(conversation, answer)).reply;
  }
  assert.match(reply, /Shall I book it\?/, 'at the read-back');
  return conversation;
}

function booked(spa: ReturnType<typeof openTestSpa>): number {
  return spa.bookings.list(0, Number.MAX_SAFE_INTEGER).length;
}

test('a question heard again at a read-back is answered, and the read-back asked again; nothing is booked', async () => {
  const spa = openTestSpa();
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const c = await atReadBack(r);
    const a = await r.reheard(c, 'wait how long does it take', undefined, sure('wait how long does it take'));
    assert.match(a.reply, /takes about/);
    assert.match(a.reply, /Shall I book it\?/);
    assert.equal(a.expect, 'yes-no');
    assert.equal(booked(spa), 0);
  } finally {
    spa.close();
  }
});

test('a yes heard again at a read-back is never taken, however sure: the question comes again and nothing is booked', async () => {
  const spa = openTestSpa();
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const c = await atReadBack(r);
    const a = await r.reheard(c, "yes that's great", undefined, sure("yes that's great", 1));
    assert.match(a.reply, /^Sorry, I didn't catch that\./);
    assert.equal(booked(spa), 0);
  } finally {
    spa.close();
  }
});

test('a question the recogniser doubted (mean word confidence under the floor) is not taken', async () => {
  const spa = openTestSpa();
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const c = await atReadBack(r);
    const a = await r.reheard(c, 'wait how long does it take', undefined, sure('wait how long does it take', SURE_WORDS - 0.05));
    assert.match(a.reply, /^Sorry, I didn't catch that\./);
  } finally {
    spa.close();
  }
});

/** An understanding the learned model is sure of, with the given fields. */
function understood(over: Partial<Understanding>, top: string): Understanding {
  return { intents: [], yes: false, no: false, services: [], correction: false, question: false, text: '', nlu: { intents: [top], confidence: 0.95, unsure: false, ranked: [top] }, ...over };
}

test('a no is taken only to "anything else?"; a correction only with its new value; a greeting or thanks alone never', () => {
  const no = understood({ no: true }, 'no');
  const words = sure('no thats everything');
  assert.equal(takesReheard(no, 'anything-else', words), true);
  assert.equal(takesReheard(no, 'confirm', words), false);
  assert.equal(takesReheard(understood({ correction: true, no: true }, 'correction'), 'choose', words), false);
  assert.equal(takesReheard(understood({ correction: true, when: { day: '2026-12-03', text: 'thursday' } }, 'correction'), 'choose', words), true);
  assert.equal(takesReheard(understood({ intents: ['thanks'] }, 'thanks'), 'confirm', words), false);
  assert.equal(takesReheard(understood({ intents: ['goodbye'] }, 'goodbye'), 'confirm', words), false);
  assert.equal(takesReheard(understood({ intents: ['goodbye'] }, 'goodbye'), 'anything-else', words), true);
});

test('a complaint heard again raises no alert (a caller says it again at an open turn); an urgent symptom in sure words is taken, in doubted words not', () => {
  const words = sure('nobody');
  assert.equal(takesReheard(understood({ intents: ['complaint'] }, 'complaint'), 'anything-else', words), false);
  assert.equal(takesReheard(understood({ intents: ['duration'] }, 'duration'), 'confirm', words), true);
  const symptom = understood({ intents: ['urgent', 'question'] }, 'urgent');
  assert.equal(takesReheard(symptom, 'confirm', sure('my lip is white and it really hurts')), true);
  assert.equal(takesReheard({ ...symptom, nlu: { intents: ['urgent'], confidence: 0.3, unsure: true, ranked: ['urgent'] } }, 'confirm', sure('my lip is white and it really hurts')), true);
  assert.equal(takesReheard(symptom, 'confirm', sure('my lip is white and it really hurts', SURE_WORDS - 0.1)), false);
});

test('an urgent symptom heard again at a read-back is escalated, not lost to the closed question; nothing is booked', async () => {
  const spa = openTestSpa();
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const c = await atReadBack(r);
    const said = 'wait my lip looks kind of white since my filler and it really hurts';
    const a = await r.reheard(c, said, undefined, sure(said));
    assert.doesNotMatch(a.reply, /Shall I book it\?/);
    assert.ok(r.alerts().some((x) => x.kind === 'urgent'), `an urgent alert for staff: ${a.reply}`);
    assert.equal(booked(spa), 0);
  } finally {
    spa.close();
  }
});

test('words without confidences (a recogniser that gives none) and an unsure model are not taken', () => {
  const q = understood({ intents: ['duration'], question: true }, 'duration');
  assert.equal(takesReheard(q, 'confirm', sure('how long does it take')), true);
  assert.equal(takesReheard(q, 'confirm', [{ word: 'how', confidence: null }]), false);
  assert.equal(takesReheard({ ...q, nlu: { intents: ['duration'], confidence: 0.3, unsure: true, ranked: ['duration'] } }, 'confirm', sure('how long does it take')), false);
});

/** A voice conversation at "Would that be Signature HydraFacial or Deluxe HydraFacial?". */
async function atWhichService(r: Receptionist): Promise<string> {
  const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
  const reply = (await r.turn(conversation, 'could i get a hydrafacial on thursday')).reply;
  assert.match(reply, /^Would that be Signature HydraFacial or Deluxe HydraFacial\?/);
  return conversation;
}

test('to "which treatment?", a service heard again in sure words is taken as the answer (it is read back before booking)', async () => {
  const spa = openTestSpa();
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const c = await atWhichService(r);
    const a = await r.reheard(c, 'just the signature one', undefined, sure('just the signature one'));
    assert.doesNotMatch(a.reply, /Sorry|Would that be/);
    assert.match(a.reply, /Thursday/, 'on to the times of the day asked for');
    assert.equal(booked(spa), 0);
  } finally {
    spa.close();
  }
});

test('to "which treatment?", a service heard again in doubted words is not taken: the question comes again', async () => {
  const spa = openTestSpa();
  try {
    const r = testReceptionist(spa);
    await r.refresh();
    const c = await atWhichService(r);
    const a = await r.reheard(c, 'just the signature one', undefined, sure('just the signature one', SURE_WORDS - 0.1));
    assert.match(a.reply, /^Sorry, I didn't catch that\. Would that be Signature HydraFacial or Deluxe HydraFacial\?/);
  } finally {
    spa.close();
  }
});
