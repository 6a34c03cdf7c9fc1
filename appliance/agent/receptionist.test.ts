// The receptionist on the voice channel (the text channel has the scenario suite): greeting with
// disclosure and recording notice, spoken times, transfer during hours, a message after hours,
// silence ending the call, and the summary written to the call log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { at, openTestSpa, type TestSpa } from '../../test/helpers/spa.js';
import type { Receptionist } from './receptionist.js';
import { testReceptionist, type TestReceptionistOptions } from '../../test/helpers/agent.js';
import { splitSentences } from '../voice/tts/types.js';

function make(spa: TestSpa, opts: TestReceptionistOptions = {}): Receptionist {
  return testReceptionist(spa, opts);
}

function callRow(spa: TestSpa): number {
  return Number(
    spa.db
      .prepare("INSERT INTO calls (sip_call_id, caller_phone, state, invited_at) VALUES ('c1', '+12035550188', 'answered', ?)")
      .run(spa.clock.now()).lastInsertRowid,
  );
}

describe('the receptionist on a call', () => {
  test('greets with the spa name, the AI disclosure and, when recording, the recording notice', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      assert.match(make(spa, { record: true }).greetingText(), /^Thank you for calling Lumière Med Spa\. I'm the spa's virtual receptionist\. This call is recorded\. How can I help/);
      const quiet = make(spa, { record: false, disclosure: '' }).greetingText();
      assert.doesNotMatch(quiet, /recorded|virtual/);
    } finally {
      spa.close();
    }
  });

  test('says times the way people say them and books by voice; the call gets the summary', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const callId = callRow(spa);
      const { conversation } = r.startCall({ callId, callerPhone: '+12035550188' });
      const offer = await r.turn(conversation, 'chemical peel thursday at two thirty');
      assert.match(offer.reply, /Thursday at two thirty/);
      assert.equal(offer.expect, 'choice');
      assert.doesNotMatch(offer.reply, /\d/, 'no digits for the voice to stumble on');
      await r.turn(conversation, 'yes');
      const phone = await r.turn(conversation, 'my name is jane smith');
      assert.equal(phone.expect, 'yes-no');
      assert.match(phone.reply, /number you are calling from/);
      const readBack = await r.turn(conversation, 'yes');
      assert.match(readBack.reply, /Chemical Peel with Maya Chen on Thursday, December 3rd at two thirty/);
      const done = await r.turn(conversation, 'yes');
      assert.match(done.reply, /all set/);
      const bye = await r.turn(conversation, 'no thanks');
      assert.equal(bye.hangup, true);
      const summary = (spa.db.prepare('SELECT summary FROM calls WHERE id = ?').get(callId) as { summary: string }).summary;
      assert.match(summary, /Jane Smith, \+12035550188\. Wanted: to book\. Outcome: booked Chemical Peel with Maya Chen Thu Dec 3, 2:30 PM/);
      const booked = spa.bookings.list(at('2026-12-03T00:00'), at('2026-12-04T00:00'));
      assert.equal(booked.length, 1);
      assert.equal(booked[0]?.source, 'call');
    } finally {
      spa.close();
    }
  });

  test('every prompt it lists for pre-rendering is said word for word, sentence by sentence, on calls (so the voice cache serves it)', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa, { record: true });
      const replies: string[] = [];
      const call = async (said: (string | null)[], narrowband = false): Promise<void> => {
        const { conversation, action } = r.startCall({ callId: null, callerPhone: '+12035550188', narrowband });
        replies.push(action.reply);
        for (const text of said) replies.push((await r.turn(conversation, text)).reply);
      };
      await call([null]);
      await call([], true);
      await call(["I'd like to book an appointment", 'a chemical peel thursday at two thirty', 'the first one', 'jane smith', 'yes', 'yes']);
      // A prompt is heard as sentences: each of its sentences, in a row, as the reply's sentences.
      const spoken = replies.map((reply) => splitSentences(reply).join('\n'));
      const prompts = r.prompts();
      assert.ok(prompts.length >= 6, prompts.join(' | '));
      assert.equal(prompts[0], r.greetingText());
      for (const prompt of prompts) {
        const sentences = splitSentences(prompt).join('\n');
        assert.ok(
          spoken.some((reply) => `\n${reply}\n`.includes(`\n${sentences}\n`)),
          `"${prompt}" is said on a call; replies were:\n${replies.join('\n')}`,
        );
      }
    } finally {
      spa.close();
    }
  });

  test('"a person, please" transfers during opening hours when a staff destination is set', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa, { transferTo: '201' });
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const a = await r.turn(conversation, 'can I speak to a person please');
      assert.equal(a.transfer, true);
      assert.match(a.reply, /Connecting you/);
    } finally {
      spa.close();
    }
  });

  test('after hours (or with no staff destination) a message is taken and staff alerted', async () => {
    for (const [now, transferTo] of [['2026-11-30T21:00', '201'], ['2026-11-30T10:00', null]] as const) {
      const spa = openTestSpa({ now: at(now) });
      try {
        const r = make(spa, { transferTo });
        const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
        const a = await r.turn(conversation, 'I want to talk to a real person');
        assert.notEqual(a.transfer, true);
        assert.match(a.reply, /message/);
        await r.turn(conversation, 'please call me about my invoice');
        const alerts = r.alerts();
        assert.equal(alerts.length, 1);
        assert.equal(alerts[0]?.kind, 'message');
        assert.equal(alerts[0]?.phone, '+12035550188');
      } finally {
        spa.close();
      }
    }
  });

  test('three silences end the call politely with a hang-up', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const { conversation } = r.startCall({ callId: null, callerPhone: null });
      const first = await r.turn(conversation, null);
      assert.match(first.reply, /Are you still there\?/);
      await r.turn(conversation, null);
      const last = await r.turn(conversation, null);
      assert.equal(last.hangup, true);
      assert.match(last.reply, /call back anytime/);
    } finally {
      spa.close();
    }
  });

  test('a yes said over a read-back the caller did not hear does not book: it is read back again', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      await r.turn(conversation, 'chemical peel thursday at two thirty');
      await r.turn(conversation, 'yes');
      await r.turn(conversation, 'my name is jane smith');
      const readBack = await r.turn(conversation, 'yes');
      assert.match(readBack.reply, /Shall I book it\?/);
      const early = await r.turn(conversation, 'yes', { interrupted: true, heardText: '' });
      assert.match(early.reply, /Just to be sure\. So that's Chemical Peel/);
      assert.equal(spa.bookings.list(at('2026-12-03T00:00'), at('2026-12-04T00:00')).length, 0, 'not booked on an unheard read-back');
      const heard = await r.turn(conversation, 'yes', { interrupted: true, heardText: early.reply.replace('Just to be sure. ', '').replace(/ A \$.*$| Shall I book it\?$/, '') });
      assert.match(heard.reply, /all set/);
      assert.equal(spa.bookings.list(at('2026-12-03T00:00'), at('2026-12-04T00:00')).length, 1);
    } finally {
      spa.close();
    }
  });

  test('by SMS: messages from one number within a day are one thread, the sender is the callback number, bookings are marked sms', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const first = await r.chat({ channel: 'sms', from: '(203) 555-0177', text: 'can I book a chemical peel saturday at 10?' });
      assert.match(first.reply, /Sat Dec 5, 10 AM/);
      const second = await r.chat({ channel: 'sms', from: '+12035550177', text: 'yes' });
      assert.equal(second.conversation, first.conversation, 'the same thread without an id');
      assert.match(second.reply, /name/);
      const third = await r.chat({ channel: 'sms', from: '+12035550177', text: 'Mia Wong' });
      assert.doesNotMatch(third.reply, /number/, 'the sender is the callback number');
      assert.match(third.reply, /Shall I book it\?/);
      await r.chat({ channel: 'sms', from: '+12035550177', text: 'yes' });
      const booked = spa.bookings.list(at('2026-12-05T00:00'), at('2026-12-06T00:00'));
      assert.equal(booked.length, 1);
      assert.equal(booked[0]?.source, 'sms');
      assert.equal(spa.bookings.client(booked[0]?.clientId ?? 0)?.phone, '+12035550177');
      const other = await r.chat({ channel: 'sms', from: '+12035550100', text: 'what are your hours' });
      assert.notEqual(other.conversation, first.conversation, 'another number, another thread');
    } finally {
      spa.close();
    }
  });

  test('on a call, caller ID alone reads out nothing: with the name on file the appointment is spoken and cancelled', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const appt = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: '+12035550188', name: 'Olivia Grant' }, source: 'staff' });
      const r = make(spa);
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const ask = await r.turn(conversation, 'I need to cancel my appointment');
      assert.equal(ask.expect, 'name');
      assert.doesNotMatch(ask.reply, /Peel|Wednesday|eleven/);
      const found = await r.turn(conversation, 'my name is olivia grant');
      assert.match(found.reply, /Chemical Peel with .* on Wednesday, December 2nd at eleven/);
      assert.equal(found.expect, 'yes-no');
      assert.match((await r.turn(conversation, 'yes')).reply, /cancelled/);
      assert.equal(spa.bookings.get(appt.id).status, 'cancelled');
    } finally {
      spa.close();
    }
  });

  test('on a call with caller ID withheld the day is asked (a day grammar), and wrong days read out and change nothing', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const appt = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: '+12035550188', name: 'Olivia Grant' }, source: 'staff' });
      const r = make(spa);
      const { conversation } = r.startCall({ callId: null, callerPhone: null });
      await r.turn(conversation, 'I need to cancel my appointment');
      const day = await r.turn(conversation, 'olivia grant');
      assert.equal(day.expect, 'when');
      const replies = [day.reply];
      for (const said of ['thursday', 'olivia grant', 'friday']) replies.push((await r.turn(conversation, said)).reply);
      assert.match(replies[replies.length - 1] ?? '', /call you back at the number we have on file/);
      for (const reply of replies) assert.doesNotMatch(reply, /Peel|Wednesday|December|eleven/);
      assert.equal(spa.bookings.get(appt.id).status, 'booked');
    } finally {
      spa.close();
    }
  });

  test('by SMS the sender counts as caller ID: a sender not on file for the name must also give the day', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: '+12035550188', name: 'Olivia Grant' }, source: 'staff' });
      const r = make(spa);
      const text = (from: string, t: string) => r.chat({ channel: 'sms', from, text: t });
      await text('+12035550177', 'when is my appointment?');
      assert.match((await text('+12035550177', 'Olivia Grant')).reply, /What day/);
      await text('+12035550188', 'when is my appointment?');
      assert.match((await text('+12035550188', 'Olivia Grant')).reply, /Chemical Peel/, 'the number on file and the name');
    } finally {
      spa.close();
    }
  });

  test('bad input: a "from" that is not a phone number, an unknown conversation', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      await assert.rejects(r.chat({ from: 'not a number', text: 'hi' }), { code: 'SPA_ERR_INVALID_INPUT' });
      await assert.rejects(r.chat({ conversation: '00000000-0000-4000-8000-000000000000', text: 'hi' }), { code: 'SPA_ERR_NOT_FOUND' });
    } finally {
      spa.close();
    }
  });

  test('after a knowledge edit a call is answered by the previous model until the new one is fitted, while the chat waits for it', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      await r.refresh();
      const before = await r.chat({ text: 'do you have a loyalty card?' });
      assert.doesNotMatch(before.reply, /stamp/);
      spa.db
        .prepare("INSERT INTO knowledge (id, topic, title, body, tags) VALUES ('loyalty', 'policy', 'Loyalty card', 'Every visit earns a stamp; the tenth facial is free.', '[\"loyalty\",\"card\",\"stamp\"]')")
        .run();
      // The call's turn right after the edit starts the new fit and does not wait for it: the old model answers.
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const onCall = await r.turn(conversation, 'do you have a loyalty card');
      assert.doesNotMatch(onCall.reply, /stamp/);
      // The chat waits for the new model (the event loop free meanwhile) and answers from the edit.
      const byChat = await r.chat({ text: 'do you have a loyalty card?' });
      assert.match(byChat.reply, /stamp/);
      const later = await r.turn(conversation, 'do you have a loyalty card');
      assert.match(later.reply, /stamp/);
    } finally {
      spa.close();
    }
  });

  test('a question asked before the first model is fitted is answered once it is, the event loop turning meanwhile', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      // Content no other test fitted, so the model is not memoised and this turn has to wait for the worker.
      spa.db
        .prepare("INSERT INTO knowledge (id, topic, title, body, tags) VALUES ('umbrellas', 'policy', 'Umbrellas', 'Borrow an umbrella from the stand by the door.', '[\"umbrella\",\"rain\"]')")
        .run();
      const r = make(spa);
      let ticks = 0;
      let running = true;
      const spin = (): void => {
        ticks++;
        if (running) setTimeout(spin, 1);
      };
      setTimeout(spin, 1);
      const reply = await r.chat({ text: 'do you lend umbrellas when it rains?' });
      running = false;
      assert.match(reply.reply, /umbrella from the stand/);
      assert.ok(ticks > 0, 'timer callbacks ran while the turn waited for the fit');
    } finally {
      spa.close();
    }
  });
  test('on a call just after boot a booking goes on at once while the first model is fitted; only a question waits for it', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      // Content no other test fitted, so the model is not memoised and its fit takes seconds in the worker.
      spa.db
        .prepare("INSERT INTO knowledge (id, topic, title, body, tags) VALUES ('bikes', 'policy', 'Bicycles', 'Lock your bicycle to the rack beside the fountain.', '[\"bicycle\",\"bike\",\"rack\"]')")
        .run();
      const r = make(spa);
      let fitted = false;
      // Registered before any turn waits on the same fit, so it runs first once the fit is done.
      void r.refresh().then(() => (fitted = true));
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const offer = await r.turn(conversation, 'chemical peel thursday at two thirty');
      assert.match(offer.reply, /Thursday at two thirty/);
      assert.equal(fitted, false, 'the booking turn did not wait for the knowledge model');
      const answer = await r.turn(conversation, 'do you have a bike rack');
      assert.equal(fitted, true, 'the question waited for the model');
      assert.match(answer.reply, /rack beside the fountain/);
    } finally {
      spa.close();
    }
  });
});

describe('the receptionist declines offered times in the caller\'s words', () => {
  test('"a different day" while picking a new booking\'s time asks for another day and moves nothing; "reschedule my appointment" still starts a move', async () => {
    const spa = openTestSpa({ now: at('2026-12-01T10:00') });
    try {
      const r = make(spa);
      const first = await r.chat({ text: 'book a chemical peel on friday', from: '+12035550111' });
      assert.match(first.reply, /Which would you like\?$/);
      const other = await r.chat({ conversation: first.conversation, text: 'a different day', from: '+12035550111' });
      assert.equal(other.reply, 'No problem. What other day or time would work for you?');
      const again = await r.chat({ text: 'book a chemical peel on friday', from: '+12035550112' });
      const move = await r.chat({ conversation: again.conversation, text: 'actually I need to reschedule my appointment', from: '+12035550112' });
      assert.match(move.reply, /name/i, 'an appointment they already have: who they are comes first');
    } finally {
      spa.close();
    }
  });
});

describe('an unanswerable question on a call', () => {
  const ask = async (confidence: number): Promise<{ reply: string; alerts: number }> => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      await r.refresh();
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const text = 'do you offer kybella for a double chin';
      const words = text.split(' ').map((word) => ({ word, confidence }));
      const a = await r.turn(conversation, text, undefined, words);
      return { reply: a.reply, alerts: r.alerts().length };
    } finally {
      spa.close();
    }
  };

  test('heard with sure words, it leaves a note for staff; heard with words the recogniser doubted (mean under SURE_WORDS), it is not understood and no note is left', async () => {
    const sure = await ask(0.9);
    assert.equal(sure.alerts, 1, sure.reply);
    assert.match(sure.reply, /left a note/);
    const doubted = await ask(0.2);
    assert.equal(doubted.alerts, 0, doubted.reply);
    assert.doesNotMatch(doubted.reply, /left a note/);
  });
});

describe('a complaint on a call', () => {
  const complain = async (confidence: number): Promise<{ reply: string; alerts: number }> => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      await r.refresh();
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const text = 'the woman at your front desk was really rude to me yesterday';
      const words = text.split(' ').map((word) => ({ word, confidence }));
      const a = await r.turn(conversation, text, undefined, words);
      return { reply: a.reply, alerts: r.alerts().length };
    } finally {
      spa.close();
    }
  };

  test('heard in sure words, it goes to the manager; in words the recogniser doubted (mean under SURE_WORDS), it is not understood and no one is alerted', async () => {
    const sure = await complain(0.9);
    assert.equal(sure.alerts, 1, sure.reply);
    assert.match(sure.reply, /manager/);
    const doubted = await complain(0.2);
    assert.equal(doubted.alerts, 0, doubted.reply);
    assert.doesNotMatch(doubted.reply, /manager/);
  });
});

describe('hours and address on a call', () => {
  const ask = async (text: string, confidence: number): Promise<string> => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      await r.refresh();
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const words = text.split(' ').map((word) => ({ word, confidence }));
      return (await r.turn(conversation, text, undefined, words)).reply;
    } finally {
      spa.close();
    }
  };

  test('a reading the model is unsure of, from words the recogniser doubted, is not answered with the address; in sure words it is, and so is a sure reading in doubted words', async () => {
    const garbled = 'are those side of the hydro could offer';
    assert.doesNotMatch(await ask(garbled, 0.15), /Harbor View/);
    assert.match(await ask(garbled, 0.9), /Harbor View/);
    assert.match(await ask("what's your address", 0.3), /Harbor View/);
  });
});
