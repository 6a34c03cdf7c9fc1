// The hearing bench's call judging: a goal is reached only by the right change to the spa's
// appointments (and nothing else), or by the outcome the call asked for; and the scripted caller
// says a line again when the box did not catch it or asks the same again, at most twice, pressing the key instead only
// when the keypad is offered and it may.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeCall, type ApptView, type CallRecord } from './call-judge.js';
import { MAX_REPEATS, menuKey, ScriptedCaller, type ScriptedCall } from './scripted-call.js';
import { URGENT_CHECK } from '../../../appliance/agent/urgent.js';

const onFile: ApptView = { id: 1, service: 'chemical-peel', day: '2026-12-02', status: 'booked' };
const record = (r: Partial<CallRecord>): CallRecord => ({ before: [onFile], after: [onFile], replies: [], transferred: false, ...r });

test('a booking goal is reached by one new appointment of that service on that day, and missed by another day, another service, two bookings or none', () => {
  const goal = { kind: 'book', service: 'microneedling', day: '2026-12-03' } as const;
  const made = (service: string, day: string, id = 2): ApptView => ({ id, service, day, status: 'booked' });
  assert.equal(judgeCall(goal, record({ after: [onFile, made('microneedling', '2026-12-03')] })).reached, true);
  assert.equal(judgeCall(goal, record({ after: [onFile, made('microneedling', '2026-12-04')] })).reached, false, 'another day');
  assert.equal(judgeCall(goal, record({ after: [onFile, made('chemical-peel', '2026-12-03')] })).reached, false, 'another service');
  assert.equal(judgeCall(goal, record({ after: [onFile, made('microneedling', '2026-12-03'), made('microneedling', '2026-12-03', 3)] })).reached, false, 'two bookings');
  assert.equal(judgeCall(goal, record({})).reached, false, 'nothing booked');
  assert.equal(judgeCall(goal, record({ after: [onFile, { ...made('microneedling', '2026-12-03'), status: 'cancelled' }] })).reached, false, 'a cancelled new row is no booking');
  assert.equal(judgeCall(goal, record({ after: [{ ...onFile, status: 'cancelled' }, made('microneedling', '2026-12-03')] })).reached, false, 'booked, but the appointment on file was cancelled too');
});

test('a move goal needs the appointment on file moved to that day and still booked; a cancel goal needs it cancelled with nothing booked', () => {
  const move = { kind: 'move', day: '2026-12-04' } as const;
  assert.equal(judgeCall(move, record({ after: [{ ...onFile, day: '2026-12-04' }] })).reached, true);
  assert.equal(judgeCall(move, record({ after: [{ ...onFile, day: '2026-12-03' }] })).reached, false, 'moved to another day');
  assert.equal(judgeCall(move, record({ after: [{ ...onFile, status: 'cancelled' }, { id: 2, service: 'chemical-peel', day: '2026-12-04', status: 'booked' }] })).reached, false, 'cancelled and rebooked is not the move');
  assert.equal(judgeCall(move, record({})).reached, false, 'not moved');
  const cancel = { kind: 'cancel' } as const;
  assert.equal(judgeCall(cancel, record({ after: [{ ...onFile, status: 'cancelled' }] })).reached, true);
  assert.equal(judgeCall(cancel, record({})).reached, false, 'still booked');
  assert.equal(judgeCall(cancel, record({ after: [{ ...onFile, status: 'cancelled' }, { id: 2, service: 'botox', day: '2026-12-05', status: 'booked' }] })).reached, false, 'cancelled but something booked');
});

test('a question goal is reached when a reply answers it and nothing was changed; a transfer goal only by a transfer', () => {
  const hours = { kind: 'answer', answer: 'saturday[^.]*\\b(four|4)\\b' } as const;
  assert.equal(judgeCall(hours, record({ replies: ['Hello.', 'We are open Saturdays from 9 to 4. Anything else?'] })).reached, true);
  assert.equal(judgeCall(hours, record({ replies: ['Sorry, I can\'t help with that.'] })).reached, false);
  assert.equal(judgeCall(hours, record({ replies: ['Saturdays from 9 to 4.'], after: [{ ...onFile, status: 'cancelled' }] })).reached, false, 'answered, but an appointment changed');
  const when = { kind: 'answer', answer: 'thursday' } as const;
  assert.equal(judgeCall(when, record({ replies: ['What day is it on? For Thursday, press 1. For a later day, press 8.'] })).reached, false, 'a keypad option naming the day is not the answer');
  assert.equal(judgeCall(when, record({ replies: ["You're booked on Thursday at two."] })).reached, true);
  assert.equal(judgeCall({ kind: 'transfer' }, record({ transferred: true })).reached, true);
  assert.equal(judgeCall({ kind: 'transfer' }, record({ replies: ['Of course. Connecting you to our front desk now.'] })).reached, false, 'words are not a transfer');
});

const call: ScriptedCall = {
  id: 't',
  about: 'test',
  from: '+12035550100',
  opening: ['can i book a peel', 'and one more thing'],
  rules: [
    { ask: 'anything else', say: 'no thanks', key: '2' },
    { expect: 'yes-no', say: 'hang on what does it cost', times: 1 },
    { expect: 'yes-no', say: 'yes', key: '1' },
  ],
  goal: { kind: 'cancel' },
};

test('the scripted caller answers by the first matching rule, uses a rule no more than its times, and takes its opening lines in order on open turns (the last again when the box asks again)', () => {
  const c = new ScriptedCaller(call, { keypad: false });
  assert.deepEqual(c.next('How can I help?', 'open'), { say: 'can i book a peel' });
  assert.deepEqual(c.next('Shall I book it?', 'yes-no'), { say: 'hang on what does it cost' });
  assert.deepEqual(c.next('It is $150. Shall I book it?', 'yes-no'), { say: 'yes' }, 'the once-only rule is used up');
  assert.deepEqual(c.next('Done. Is there anything else I can help with?', 'yes-no'), { say: 'no thanks' });
  assert.deepEqual(c.next('Sure, what can I help with?', 'open'), { say: 'and one more thing' });
  assert.deepEqual(c.next("Sorry, I can't help with that. What would you like to do?", 'open'), { say: 'and one more thing' }, 'asked again: the request again');
  assert.deepEqual(c.next('Is there anything else I can help with?', 'yes-no'), { say: 'no thanks' });
  assert.ok('hangup' in c.next('Sure, what can I help with?', 'open'), 'nothing left to say: the caller hangs up');
  assert.ok('hangup' in c.next('May I have your name?', 'name'), 'no rule for the question: the caller hangs up');
});

test('the scripted caller says a line again when the box did not catch it or asks the same again, at most twice, and presses the key only when the keypad is offered and it may', () => {
  const speaker = new ScriptedCaller(call, { keypad: false });
  speaker.next('How can I help?', 'open');
  assert.deepEqual(speaker.next('Shall I book it?', 'yes-no'), { say: 'hang on what does it cost' });
  assert.deepEqual(speaker.next('It is $150. Shall I book it?', 'yes-no'), { say: 'yes' });
  for (let i = 0; i < MAX_REPEATS; i++) assert.deepEqual(speaker.next("Sorry, I didn't catch that. Shall I book it?", 'yes-no'), { say: 'yes' });
  assert.ok('hangup' in speaker.next("Sorry, I didn't catch that. Shall I book it? Or press 1 for yes, 2 for no.", 'yes-no'), 'without the keypad: gives up after two repeats');

  const asker = new ScriptedCaller(call, { keypad: false });
  asker.next('How can I help?', 'open');
  asker.next('Shall I book it?', 'yes-no');
  for (let i = 0; i <= MAX_REPEATS; i++) assert.deepEqual(asker.next('It is $150. Shall I book it?', 'yes-no'), { say: 'yes' });
  assert.ok('hangup' in asker.next('Shall I book it?', 'yes-no'), 'the same question in other words: the same limit');

  const answerer = new ScriptedCaller(call, { keypad: false });
  answerer.next('How can I help?', 'open');
  answerer.next('Shall I book it?', 'yes-no');
  assert.deepEqual(answerer.next('It is $150. Shall I book it?', 'yes-no'), { say: 'yes' });
  assert.deepEqual(answerer.next("Sorry, I didn't catch that. Shall I book it?", 'yes-no'), { say: 'yes' });
  assert.deepEqual(answerer.next('Shall I text you a confirmation?', 'yes-no'), { say: 'yes' }, 'the box moved on: the same words answer a new question');
  assert.deepEqual(answerer.next("Sorry, I didn't catch that. Shall I text you a confirmation?", 'yes-no'), { say: 'yes' });
  assert.deepEqual(answerer.next("Sorry, I didn't catch that. Shall I text you a confirmation?", 'yes-no'), { say: 'yes' });
  assert.ok('hangup' in answerer.next("Sorry, I didn't catch that. Shall I text you a confirmation?", 'yes-no'), 'twice again to that question: gives up');

  const presser = new ScriptedCaller(call, { keypad: true });
  presser.next('How can I help?', 'open');
  presser.next('Shall I book it?', 'yes-no');
  presser.next('It is $150. Shall I book it?', 'yes-no');
  assert.deepEqual(presser.next("Sorry, I didn't catch that. Shall I book it?", 'yes-no'), { say: 'yes' }, 'no keypad offered yet: said again');
  assert.deepEqual(presser.next("Sorry, I didn't catch that. Shall I book it? Or press 1 for yes, 2 for no.", 'yes-no'), { key: '1' });
  assert.deepEqual(presser.next('You are all set. Is there anything else I can help with? Or press 1 for yes, 2 for no.', 'yes-no'), { key: '2' }, 'a rule with a key, keypad offered');
});

test('the scripted caller picks a keypad menu option by its own words: the line it would say, then what it wants, else the option for what is not listed', () => {
  const main = 'Sorry, I can\'t help with that. You can also use your keypad. For a booking, press 1. For moving or cancelling an appointment, press 2. For our hours, address or prices, press 3. For the front desk, press 0.';
  assert.equal(menuKey(main, ['i have to cancel my appointment']), '2', 'its line names what it wants');
  assert.equal(menuKey(main, ['what would dysport cost me', 'prices']), '3', 'nothing in its line: what it wants');
  assert.equal(menuKey(main, ['what would dysport cost me']), null, 'nothing of its own in the menu: no key');
  const days = 'For today, press 1. For Tuesday, press 2. For Wednesday, press 3. For a later day, press 8. For our earliest times, press 9.';
  assert.equal(menuKey(days, ['on wednesday please']), '3');
  assert.equal(menuKey(days, ['thursday would be better']), '8', 'a day not listed yet: later');
  assert.equal(menuKey('For Botox or Dysport, press 1. For something else, press star.', ['i need to cancel']), '*');
  assert.equal(menuKey('Or press 1 for yes, 2 for no.', ['yes']), null, 'not a menu of options: the rule\'s key decides');
  const offer = 'On Wednesday I have eleven or six fifteen. Which would you like? Or press 1 for the first time, 2 for the second. For another day, press 8.';
  assert.equal(menuKey(offer, ['no actually thursday']), '8', 'the day it would say now is not offered: another day');
  assert.equal(menuKey(offer, ['the first one', 'i want to book on friday']), null, 'a day in its request, not in what it says now: no key from the menu');
});

test('at an offer of times with a key for another day, the caller presses its answer\'s key, or 8 when it would name another day', () => {
  const call: ScriptedCall = {
    id: 'c',
    about: '',
    from: null,
    opening: ['i have to move my appointment to a different day'],
    rules: [
      { expect: 'choice', say: 'no actually thursday', times: 1 },
      { expect: 'choice', say: 'the first one', key: '1' },
    ],
    goal: { kind: 'move', day: '2026-12-03' },
  };
  const caller = new ScriptedCaller(call, { keypad: true });
  caller.next('How can I help?', 'open');
  const offer = 'On Wednesday I have eleven or six fifteen. Which would you like? Or press 1 for the first time, 2 for the second. For another day, press 8.';
  assert.deepEqual(caller.next(offer, 'choice'), { key: '8' });
  assert.deepEqual(caller.next('For today, press 1. For Tuesday, press 2. For Wednesday, press 3. For a later day, press 8.', 'choice'), { key: '8' }, 'the line it chose by, still');
  assert.deepEqual(caller.next('For Thursday, press 1. For Friday, press 2. For Saturday, press 3. For a later day, press 8.', 'choice'), { key: '1' });
  assert.deepEqual(caller.next(offer.replace('Wednesday', 'Thursday'), 'choice'), { key: '1' }, 'its answer\'s key, though its request says "day"');
});

test('asked for a texted code, the caller types the last text its phone got, or reads it out; with none, it presses pound or says so', () => {
  const ASK = "Thank you. To make sure it's you: if the number you're calling from is on file with us, I've just texted it a six-digit code. Please type it on your keypad, or press pound if no code came.";
  const inbox = ['Spa: your code is 407112. Type it on your keypad.'];
  assert.deepEqual(new ScriptedCaller(call, { keypad: true, inbox: () => inbox }).next(ASK, 'digits'), { key: '407112' });
  assert.deepEqual(new ScriptedCaller(call, { keypad: false, inbox: () => inbox }).next(ASK, 'digits'), { say: 'four zero seven one one two' });
  assert.deepEqual(new ScriptedCaller(call, { keypad: true }).next(ASK, 'digits'), { key: '#' });
  assert.deepEqual(new ScriptedCaller(call, { keypad: false }).next(ASK, 'digits'), { say: "I didn't get a code" });
});

test('asked whether it has a problem after a treatment, the caller (wanting no urgent help) says no or keys it, then says its request again when the box says it misheard', () => {
  const ASK = `Sorry, I want to be sure I heard you: ${URGENT_CHECK} If it's an emergency, please hang up and call 911.`;
  const speaking = new ScriptedCaller(call, { keypad: false });
  speaking.next('How can I help?', 'open');
  assert.deepEqual(speaking.next(ASK, 'yes-no'), { say: 'no' });
  assert.deepEqual(speaking.next('Sorry, I misheard. How can I help you today?', 'open'), { say: 'can i book a peel' });
  const keying = new ScriptedCaller(call, { keypad: true });
  keying.next('How can I help?', 'open');
  assert.deepEqual(keying.next(`${ASK} Or press 1 for yes, 2 for no.`, 'yes-no'), { key: '2' });
});

test('offered times or a read-back on another day than the last it named: the caller says no and names its day (keys no, or another day), and asked when it names that day', () => {
  const correcting: ScriptedCall = {
    id: 'c',
    about: '',
    from: null,
    opening: ["i'd like to come in for a chemical peel on wednesday"],
    rules: [
      { expect: 'choice', say: 'no actually thursday', times: 1 },
      { expect: 'choice', say: 'the first one please', key: '1' },
      { expect: 'yes-no', say: 'yes', key: '1' },
      { expect: 'when', say: 'on wednesday please' },
    ],
    goal: { kind: 'book', service: 'chemical-peel', day: '2026-12-03' },
  };
  const READ_BACK = 'So that\'s Chemical Peel with Maya Chen on Wednesday, December 2nd at eleven, for Emily Parker. Shall I book it?';
  const speaker = new ScriptedCaller(correcting, { keypad: false });
  speaker.next('How can I help?', 'open');
  assert.deepEqual(speaker.next('On Wednesday I have eleven or six fifteen. Which would you like?', 'choice'), { say: 'no actually thursday' }, 'the day it named: its script goes on');
  assert.deepEqual(speaker.next('On Wednesday I have eleven or six fifteen. Which would you like?', 'choice'), { say: 'no thursday' }, 'the correction misheard: it says its day again');
  assert.deepEqual(speaker.next('On Thursday I have noon or seven fifteen. Which would you like?', 'choice'), { say: 'the first one please' });
  assert.deepEqual(speaker.next(READ_BACK, 'yes-no'), { say: 'no thursday' }, 'a read-back of the wrong day is not a yes');
  assert.deepEqual(speaker.next('No problem. What would you like to change?', 'when'), { say: 'on thursday please' }, 'asked when: the day it wants now');
  assert.deepEqual(speaker.next(READ_BACK.replace('Wednesday, December 2nd', 'Thursday, December 3rd'), 'yes-no'), { say: 'yes' });
  const monday = new ScriptedCaller(correcting, { keypad: false, today: 'Monday' });
  monday.next('How can I help?', 'open');
  assert.deepEqual(monday.next('Today I have eleven or one fifteen. Which would you like?', 'choice'), { say: 'no wednesday' }, 'offered today, a Monday: not its day');
  assert.deepEqual(monday.next('On Wednesday I have eleven or six fifteen. Which would you like?', 'choice'), { say: 'no actually thursday' });
  assert.deepEqual(monday.next(READ_BACK.replace('Wednesday, December 2nd', 'today, November 30th,'), 'yes-no'), { say: 'no thursday' }, '"today" is the call\'s weekday');
  assert.deepEqual(monday.next(READ_BACK.replace('Wednesday, December 2nd', 'Thursday, December 3rd'), 'yes-no'), { say: 'yes' });

  const presser = new ScriptedCaller(correcting, { keypad: true });
  presser.next('How can I help?', 'open');
  presser.next('On Wednesday I have eleven or six fifteen. Which would you like?', 'choice');
  assert.deepEqual(presser.next(`${READ_BACK} Or press 1 for yes, 2 for no.`, 'yes-no'), { key: '2' });
  assert.deepEqual(presser.next('On Wednesday I have eleven or six fifteen. Which would you like? Or press 1 for the first time, 2 for the second. For another day, press 8.', 'choice'), { key: '8' });
  assert.deepEqual(presser.next('For today, press 1. For Tuesday, press 2. For Wednesday, press 3. For Thursday, press 4. For a later day, press 8.', 'choice'), { key: '4' }, 'the day menu: its day');

  const moving: ScriptedCall = { ...correcting, opening: ['i have to move my appointment'], rules: [{ ask: 'what day is the appointment on', say: "it's on wednesday" }, ...correcting.rules] };
  const mover = new ScriptedCaller(moving, { keypad: false });
  mover.next('How can I help?', 'open');
  assert.deepEqual(mover.next('What day is the appointment on?', 'when'), { say: "it's on wednesday" });
  assert.deepEqual(mover.next('To confirm, I\'ll move your Chemical Peel from Wednesday at eleven to Friday, December 4th at noon. Shall I go ahead?', 'yes-no'), { say: 'yes' }, 'the day of the appointment on file is not a day it wants');
});
