// Caller identity across conversations: guesses at a client's appointment day are limited per
// name over a day, not only per conversation (the per-conversation rules are the scenarios in
// test/scenarios/identity.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, openTestSpa } from '../../test/helpers/spa.js';
import { testReceptionist } from '../../test/helpers/agent.js';
import { MAX_WRONG_PER_NAME_PER_DAY } from './identity.js';

const ON_FILE = '+12035550188';
const STRANGER = '+12035550177';

test('a stranger who calls back to keep guessing is cut off for that name: after four wrong days in a day even the right day is refused', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const appt = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: ON_FILE, name: 'Olivia Grant' }, source: 'staff' });
    const r = testReceptionist(spa);
    const attempt = async (from: string, lines: string[]): Promise<string[]> => {
      const first = await r.chat({ from, text: 'I need to cancel my appointment' });
      const replies = [first.reply];
      for (const text of lines) replies.push((await r.chat({ conversation: first.conversation, from, text })).reply);
      return replies;
    };
    assert.equal(MAX_WRONG_PER_NAME_PER_DAY, 4);
    for (const [a, b] of [['thursday', 'friday'], ['saturday', 'tuesday']]) {
      const replies = await attempt(STRANGER, ['Olivia Grant', a ?? '', 'Grant Olivia', b ?? '']);
      assert.match(replies[replies.length - 1] ?? '', /number we have on file/);
    }
    // Third call, right day: refused like a wrong one, and nothing is read out.
    const third = await attempt('+12035550166', ['Olivia Grant', 'wednesday']);
    assert.match(third[third.length - 1] ?? '', /couldn't match that/);
    for (const reply of third) assert.doesNotMatch(reply, /Chemical Peel|Wednesday|December 2/);
    assert.equal(spa.bookings.get(appt.id).status, 'booked');
    // Another name is not held back by guesses at this one.
    spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-03T12:00'), client: { phone: '+12035550155', name: 'Emma Stone' }, source: 'staff' });
    const other = await attempt(STRANGER, ['Emma Stone', 'thursday']);
    assert.match(other[other.length - 1] ?? '', /Chemical Peel/);
    // The client herself, from her own number with her name, is not locked out.
    const own = await attempt(ON_FILE, ['Olivia Grant']);
    assert.match(own[own.length - 1] ?? '', /Chemical Peel/);
    // A day later the name may be tried again.
    spa.clock.advance(24 * 3_600_000 + 60_000);
    const later = await attempt(STRANGER, ['Olivia Grant', 'wednesday']);
    assert.match(later[later.length - 1] ?? '', /Chemical Peel/);
  } finally {
    spa.close();
  }
});

const CODE_ASKED =
  "Thank you. To make sure it's you: if the number you're calling from is on file with us, I've just texted it a six-digit code. Please type it on your keypad, or press pound if no code came.";

/** A receptionist whose texts reach a phone book (number -> texts), with codes 111111, 222222, ... */
function withTexts(spa: ReturnType<typeof openTestSpa>, opts: { send?: boolean; ready?: boolean } = {}) {
  const r = testReceptionist(spa);
  const phones = new Map<string, string[]>();
  let n = 0;
  r.useTexts(
    (phone, body) => {
      if (opts.send === false) return false;
      phones.set(phone, [...(phones.get(phone) ?? []), body]);
      return true;
    },
    { random: (digits) => String(++n).repeat(digits), ready: () => opts.ready ?? true },
  );
  const call = async (from: string | null, lines: string[]): Promise<string[]> => {
    const { conversation, action } = r.startCall({ callId: null, callerPhone: from });
    const replies = [action.reply];
    for (const text of lines) replies.push((await r.turn(conversation, text)).reply);
    return replies;
  };
  return { r, phones, call };
}

test('a caller on the number on file whose name is misheard gets a code texted to that number; typed back, it proves who they are', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: ON_FILE, name: 'Olivia Grant' }, source: 'staff' });
    const { phones, call } = withTexts(spa);
    const replies = await call(ON_FILE, ['when is my appointment', 'olive ground']);
    assert.equal(replies.at(-1), CODE_ASKED);
    assert.deepEqual([...phones.keys()], [ON_FILE], 'only to the calling number, which is on file');
    assert.match(phones.get(ON_FILE)?.[0] ?? '', /code is 111111\b.*Never share this code/);
    for (const reply of replies) assert.doesNotMatch(reply, /Chemical Peel|Wednesday/, 'nothing read out before the code');
    const typed = await call(ON_FILE, ['when is my appointment', 'olive ground', '2 2 2 2 2 2']);
    assert.match(typed.at(-1) ?? '', /Chemical Peel.*Wednesday/, typed.at(-1));
    assert.match(phones.get(ON_FILE)?.[1] ?? '', /code is 222222\b/, 'a new code for each call');
    const said = await call(ON_FILE, ['when is my appointment', 'olive ground', 'three three three three three three']);
    assert.match(said.at(-1) ?? '', /Chemical Peel/, 'read out works too');
  } finally {
    spa.close();
  }
});

test('a wrong code twice reads out nothing and falls back to the day question; no code is texted to a number that is not one client\'s, nor on texts or without a modem', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: ON_FILE, name: 'Olivia Grant' }, source: 'staff' });
    const { phones, call, r } = withTexts(spa);
    const wrong = await call(ON_FILE, ['cancel my appointment', 'olive ground', '1 2 3 4 5 6', '6 5 4 3 2 1']);
    assert.match(wrong[3] ?? '', /doesn't match\. Please type it again\.$/);
    assert.match(wrong[4] ?? '', /doesn't match\. Then what day is the appointment on\?$/);
    for (const reply of wrong) assert.doesNotMatch(reply, /Chemical Peel|Wednesday/);
    const noCode = await call(ON_FILE, ['cancel my appointment', 'olive ground', "i didn't get anything"]);
    assert.match(noCode.at(-1) ?? '', /^No problem\. Then what day is the appointment on\?$/);
    // From a number not on file: asked just the same (a caller who forged a number learns nothing
    // of whether it is a client's), no text to anyone, nothing typed matches, then the day.
    const before = phones.size === 1 ? (phones.get(ON_FILE)?.length ?? 0) : -1;
    const stranger = await call(STRANGER, ['cancel my appointment', 'olivia grant', '1 2 3 4 5 6', '6 5 4 3 2 1']);
    assert.equal(stranger[2], CODE_ASKED);
    assert.deepEqual(stranger.slice(3), wrong.slice(3), 'the same replies as on the number on file');
    const pound = await call(STRANGER, ['cancel my appointment', 'olivia grant', 'I have none']);
    assert.match(pound.at(-1) ?? '', /^No problem\. Then what day is the appointment on\?$/);
    // Two clients with upcoming appointments on one number (a family phone): the code could not say which.
    spa.bookings.book({ serviceId: 'botox', start: at('2026-12-03T11:00'), client: { phone: ON_FILE, name: 'Mia Grant' }, source: 'staff' });
    const family = await call(ON_FILE, ['cancel my appointment', 'olive ground']);
    assert.equal(family.at(-1), CODE_ASKED);
    assert.equal(phones.get(ON_FILE)?.length ?? 0, before, 'no text for these');
    assert.equal([...phones.keys()].length, 1);
    // Texts (SMS, web chat) never get a code: the sender's own phone would receive it.
    const chat = await r.chat({ from: ON_FILE, text: 'I need to cancel my appointment' });
    const chatName = await r.chat({ conversation: chat.conversation, from: ON_FILE, text: 'Olive Ground' });
    assert.doesNotMatch(chatName.reply, /code/);
  } finally {
    spa.close();
  }
  const spa2 = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    spa2.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: ON_FILE, name: 'Olivia Grant' }, source: 'staff' });
    const down = withTexts(spa2, { ready: false });
    const unsent = await down.call(ON_FILE, ['cancel my appointment', 'olive ground']);
    assert.match(unsent.at(-1) ?? '', /^Thank you\. And what day is the appointment on\?$/, 'the modem is not up: as before');
    assert.equal(down.phones.size, 0);
    const failing = withTexts(spa2, { send: false });
    const lost = await failing.call(ON_FILE, ['cancel my appointment', 'olive ground', '1 1 1 1 1 1', '1 1 1 1 1 1']);
    assert.equal(lost[2], CODE_ASKED, 'the text could not go: asked the same way');
    assert.match(lost.at(-1) ?? '', /doesn't match\. Then what day is the appointment on\?$/, 'nothing typed matches a code that was never sent');
  } finally {
    spa2.close();
  }
});
