// The optional LLM never supplies the yes of a confirmation: with a model that answers "yes" to
// everything, words that are not a yes do not book, move or cancel anything; only a yes the rules
// heard does. Its reading still helps where nothing is at stake ("anything else?").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { at, openTestSpa, type TestSpa } from '../../test/helpers/spa.js';
import { testReceptionist } from '../../test/helpers/agent.js';
import { FakeLlm } from '../../test/helpers/fake-llm.js';
import { createLogger } from '../log.js';
import type { Receptionist } from './receptionist.js';
import { LlmUnderstander } from './understand/llm.js';

const CALLER = '+12035550188';
const NOT_A_YES = 'hmm hold on my dog is barking';
const blank = { intent: null, service: null, day: null, part_of_day: null, hour: null, yes: false, no: false, name: null };

function withLlm(spa: TestSpa, answer: Record<string, unknown>): { r: Receptionist; llm: FakeLlm } {
  const r = testReceptionist(spa);
  const llm = new FakeLlm({ ...blank, ...answer });
  r.useUnderstander(new LlmUnderstander({ llm, log: createLogger({ level: 'silent' }), budgetMs: 500 }));
  return { r, llm };
}

function chemicalPeel(spa: TestSpa, start: string): number {
  return spa.bookings.book({ serviceId: 'chemical-peel', start: at(start), client: { phone: CALLER, name: 'Olivia Grant' }, source: 'staff' }).id;
}

describe('the LLM never confirms a booking, a move or a cancellation', () => {
  test('book: a model that says yes to "my dog is barking" books nothing; the read-back is asked again; a real yes books', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const { r, llm } = withLlm(spa, { yes: true });
      const turn = (text: string) => r.chat({ conversation: id, from: CALLER, text });
      const first = await r.chat({ from: CALLER, text: 'chemical peel saturday at 10' });
      const id = first.conversation;
      await turn('yes');
      const readBack = await turn('Mia Wong');
      assert.match(readBack.reply, /Shall I book it\?/);
      const asked = llm.requests.length;
      const notYes = await turn(NOT_A_YES);
      assert.ok(llm.requests.length > asked, 'the model was asked about those words');
      assert.match(notYes.reply, /Shall I book it\?/);
      assert.doesNotMatch(notYes.reply, /booked|all set/);
      assert.equal(spa.bookings.list(at('2026-12-05T00:00'), at('2026-12-06T00:00')).length, 0);
      const yes = await turn('yes');
      assert.match(yes.reply, /You're booked/);
      assert.equal(spa.bookings.list(at('2026-12-05T00:00'), at('2026-12-06T00:00')).length, 1);
    } finally {
      spa.close();
    }
  });

  test('cancel: the model\'s yes to other words cancels nothing; a real yes cancels', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const appt = chemicalPeel(spa, '2026-12-02T11:00');
      const { r } = withLlm(spa, { yes: true });
      const first = await r.chat({ from: CALLER, text: 'I need to cancel my appointment' });
      const turn = (text: string) => r.chat({ conversation: first.conversation, from: CALLER, text });
      assert.match((await turn('Olivia Grant')).reply, /cancel it\?/);
      const notYes = await turn(NOT_A_YES);
      assert.doesNotMatch(notYes.reply, /cancelled/);
      assert.equal(spa.bookings.get(appt).status, 'booked');
      assert.match((await turn('yes')).reply, /cancelled/);
      assert.equal(spa.bookings.get(appt).status, 'cancelled');
    } finally {
      spa.close();
    }
  });

  test('move: the model\'s yes to other words moves nothing; a real yes moves', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const appt = chemicalPeel(spa, '2026-12-01T10:00');
      const { r } = withLlm(spa, { yes: true });
      const first = await r.chat({ from: CALLER, text: 'I need to reschedule my appointment' });
      const turn = (text: string) => r.chat({ conversation: first.conversation, from: CALLER, text });
      await turn('Olivia Grant');
      await turn('thursday afternoon');
      assert.match((await turn('the first one')).reply, /Shall I go ahead\?/);
      const notYes = await turn(NOT_A_YES);
      assert.doesNotMatch(notYes.reply, /Done/);
      assert.equal(spa.bookings.get(appt).start, at('2026-12-01T10:00'));
      assert.match((await turn('yes')).reply, /Done/);
      assert.notEqual(spa.bookings.get(appt).start, at('2026-12-01T10:00'));
    } finally {
      spa.close();
    }
  });

  test('where nothing is at stake the model\'s reading counts: its "no" to "anything else?" ends the chat', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const { r } = withLlm(spa, { no: true });
      const first = await r.chat({ from: CALLER, text: 'what are your hours?' });
      assert.match(first.reply, /Anything else/);
      const end = await r.chat({ conversation: first.conversation, from: CALLER, text: 'hmm i reckon i am sorted' });
      assert.equal(end.done, true);
    } finally {
      spa.close();
    }
  });
});
