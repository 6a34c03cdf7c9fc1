// The receptionist on calls: the call's end finishes its conversation (holds released, summary
// written) exactly once, for spoken and keypad calls, through the real handlers on fake time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testReceptionist } from '../../test/helpers/agent.js';
import { openTestSpa, type TestSpa } from '../../test/helpers/spa.js';
import { createLogger } from '../log.js';
import { callerExpectations } from '../voice/asr/caller-grammars.js';
import { FakeClock } from '../shared/fake-clock.js';
import { CallLog } from '../telephony/call-log.js';
import { KeypadConversation } from '../voice/keypad-conversation.js';
import { FakeMedia, ToneTts, ToneWordsAsr, energyVad, fakeCall, runFor, runUntil, startSession } from '../voice/turn-taking.fixture.js';
import type { Receptionist } from './receptionist.js';
import { KeypadAgent, VoiceAgent } from './voice-agent.js';

const silent = createLogger({ level: 'silent' });

/** The call log's row for the fake call (id 1), as the call manager makes it. */
function callRow(spa: TestSpa): number {
  const caller = { phone: '+12035550188', raw: '', displayName: '', source: 'From' as const, withheld: false };
  const id = new CallLog({ db: spa.db }).invited({ sipCallId: 'c1', caller, called: 'spa', sourceAddress: '127.0.0.1', at: spa.clock.now() });
  assert.equal(id, 1, 'the fake call is call 1');
  return id;
}

function callSummary(spa: TestSpa): string {
  return (spa.db.prepare('SELECT summary FROM calls WHERE id = 1').get() as { summary: string | null }).summary ?? '';
}

/** The conversations `receptionist.finish()` was called with, in order. */
function spyOnFinish(receptionist: Receptionist, fail = false): string[] {
  const finished: string[] = [];
  const finish = receptionist.finish.bind(receptionist);
  receptionist.finish = (id: string): string => {
    finished.push(id);
    if (fail) throw new Error('database is locked');
    return finish(id);
  };
  return finished;
}

test('a spoken call that ends finishes its receptionist conversation once, and the conversation is done', async () => {
  const spa = openTestSpa();
  try {
    callRow(spa);
    const receptionist = testReceptionist(spa);
    await receptionist.refresh(); // the knowledge model, fitted in a worker in real time, before the call runs on fake time
    const finished = spyOnFinish(receptionist);
    const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => new VoiceAgent({ receptionist, expectation: callerExpectations(() => spa.catalogue.services().map((x) => x.name)), log: silent }) });
    await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
    assert.deepEqual(finished, [], 'not while the call goes on');
    await s.hangUp();
    assert.equal(finished.length, 1, 'finished once');
    assert.equal(receptionist.conversation(finished[0] ?? '').done, true);
    assert.notEqual(callSummary(spa), '', 'the summary is on the call');
  } finally {
    spa.close();
  }
});

test('a keypad call that ends finishes its receptionist conversation once', async () => {
  const spa = openTestSpa();
  try {
    callRow(spa);
    const receptionist = testReceptionist(spa);
    await receptionist.refresh(); // the knowledge model, fitted in a worker in real time, before the call runs on fake time
    const finished = spyOnFinish(receptionist);
    const clock = new FakeClock();
    const media = new FakeMedia(clock);
    const call = fakeCall(media);
    const handler = new KeypadConversation({ log: silent, clock, tts: new ToneTts(), dialog: () => new KeypadAgent({ receptionist, log: silent }) });
    const running = handler.handle(call);
    await runUntil(clock, () => media.results.length >= 1, 'the greeting plays');
    assert.deepEqual(finished, []);
    call.end();
    await runFor(clock, running, 'the call ends');
    assert.equal(finished.length, 1, 'finished once');
    assert.equal(receptionist.conversation(finished[0] ?? '').done, true);
    assert.notEqual(callSummary(spa), '', 'the summary is on the call');
  } finally {
    spa.close();
  }
});

test('a conversation that cannot be finished (the store fails) is logged with the call id; the call still ends cleanly', async () => {
  const spa = openTestSpa();
  try {
    callRow(spa);
    const receptionist = testReceptionist(spa);
    await receptionist.refresh(); // the knowledge model, fitted in a worker in real time, before the call runs on fake time
    const finished = spyOnFinish(receptionist, true);
    const lines: string[] = [];
    const log = createLogger({ level: 'error', destination: { write: (line: string) => lines.push(line) } });
    const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => new VoiceAgent({ receptionist, expectation: callerExpectations(() => spa.catalogue.services().map((x) => x.name)), log }) });
    await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
    await s.hangUp();
    assert.equal(finished.length, 1);
    assert.match(lines.join(''), /"callId":1.*"msg":"could not finish the call conversation"/);
  } finally {
    spa.close();
  }
});

test('a question in sure words right after a turn not understood is the request misheard again: not understood (no note for staff), and asked again with the keypad menu; the same question first thing leaves its note', async () => {
  const spa = openTestSpa();
  try {
    callRow(spa);
    const caller = { phone: '+12035550189', raw: '', displayName: '', source: 'From' as const, withheld: false };
    new CallLog({ db: spa.db }).invited({ sipCallId: 'c2', caller, called: 'spa', sourceAddress: '127.0.0.1', at: spa.clock.now() });
    const receptionist = testReceptionist(spa);
    await receptionist.refresh();
    const agent = (): VoiceAgent => new VoiceAgent({ receptionist, expectation: callerExpectations(() => spa.catalogue.services().map((x) => x.name)), log: silent });
    const heard = { interrupted: false, heardText: '' };
    const text = 'do you offer kybella for a double chin';
    const said = { kind: 'speech' as const, text, confidence: 0.9, words: text.split(' ').map((word) => ({ word, confidence: 0.9 })) };
    const first = agent();
    first.greeting({ id: 1, callerPhone: '+12035550188' });
    const direct = await first.respond(said, heard);
    assert.match(direct.text, /left a note/, direct.text);
    assert.equal(receptionist.alerts().length, 1);
    const again = agent();
    again.greeting({ id: 2, callerPhone: '+12035550189' });
    const missed = await again.respond({ kind: 'speech', text: '', confidence: null, rejected: true }, heard);
    assert.match(missed.text, /didn't catch/, missed.text);
    const reply = await again.respond(said, heard);
    assert.doesNotMatch(reply.text, /left a note/, reply.text);
    assert.equal(receptionist.alerts().length, 1, 'no second note');
    assert.match(reply.text, /For our hours, address or prices, press \d/, reply.text);
  } finally {
    spa.close();
  }
});
