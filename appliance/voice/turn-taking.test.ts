// Turn-taking on fake time: when a caller turn starts and ends, keys, no-input reprompts,
// failures and what each turn records. Every timing is in milliseconds of FakeClock time; the fake
// media plays one 20 ms frame per 20 ms of it. Speech over the box: barge-in.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { EchoAgent } from './echo-agent.js';
import {
  RecordingAgent,
  ToneTts,
  ToneWordsAsr,
  energyVad,
  frames,
  laggingVad,
  runFor,
  runUntil,
  silence,
  startSession,
  tone,
  word,
} from './turn-taking.fixture.js';
import { hangoverFor, type Expectation, type FrameVad, type TurnRecord } from './turn-taking.js';

test('the greeting is spoken, an end of turn goes to the ASR and the agent, and the reply is spoken with its latency marks', async () => {
  const asr = new ToneWordsAsr();
  const tts = new ToneTts();
  const turns: TurnRecord[] = [];
  const s = startSession({ vad: energyVad, asr, tts, agent: () => new EchoAgent({ spaName: () => 'Test Spa' }), onTurn: (_id, t) => turns.push(t) });
  const started = s.clock.now();
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed([...frames(10, silence), ...word('botox', 500), ...frames(40, silence)]);
  await runUntil(s.clock, () => s.media.results.length === 2, 'the reply plays');
  await s.hangUp();
  assert.match(tts.said[0] ?? '', /Thank you for calling Test Spa/);
  assert.deepEqual(asr.recognized, ['botox'], 'one caller turn');
  assert.ok(tts.said.includes('I heard: botox.'));
  assert.deepEqual(turns[0], {
    input: { kind: 'silence', count: 0 },
    reply: new EchoAgent({ spaName: () => 'Test Spa' }).greeting().text,
    marks: { endOfSpeech: null, endpoint: null, asrFinal: null, replyChosen: started, firstAudio: started },
    interrupted: false,
  });
  const turn = turns.find((t) => t.input.kind === 'speech');
  assert.ok(turn);
  // Frames 11-35 are the word; the turn ends 500 ms after the last of them. The recogniser and the
  // agent take no fake time, so the reply is chosen and starts playing at the endpoint itself.
  const lastLoud = s.media.fedAt[35] ?? 0;
  assert.deepEqual(turn.marks, { endOfSpeech: lastLoud, endpoint: lastLoud + 500, asrFinal: lastLoud + 500, replyChosen: lastLoud + 500, firstAudio: lastLoud + 500 });
  assert.equal(turn.interrupted, false);
});

test('a caller turn starts after 60 ms of speech: 40 ms of sound opens none, the third 20 ms frame opens one', async () => {
  const asr = new ToneWordsAsr({ streaming: true });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => new RecordingAgent([]) });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed([...frames(20, silence), ...word('botox', 40), ...frames(20, silence)]);
  assert.equal(asr.streams.length, 0, '40 ms of sound is no turn');
  await s.media.feed(word('botox', 40));
  assert.equal(asr.streams.length, 0, 'not after 40 ms');
  await s.media.feed(word('botox', 20));
  assert.equal(asr.streams.length, 1, 'the turn opens on the third frame of speech');
  await s.hangUp();
});

test('with a live-fed ASR the turn is written as it comes and finished at its end (no whole-utterance recognition)', async () => {
  const agent = new RecordingAgent([]);
  const asr = new ToneWordsAsr({ streaming: true });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed([...frames(20, silence), ...word('friday', 500), ...frames(40, silence)]);
  await s.hangUp();
  assert.deepEqual(asr.finals, ['friday']);
  assert.deepEqual(asr.recognized, [], 'nothing recognised twice');
  assert.equal(asr.streams[0]?.finished, true);
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: 'friday', confidence: null });
});

/** Early recognition and the shorter end of a complete answer off: the tests of the full wait (early-final.test.ts has theirs). */
const FULL_WAIT_ONLY = { completeAnswerMs: 10_000 };

/** Frames written to the turn's live recogniser for `word('friday', 500)` after 400 ms of silence, with `vad`. */
async function framesWritten(vad: () => FrameVad): Promise<number> {
  const asr = new ToneWordsAsr({ streaming: true });
  const s = startSession({ vad, asr, tts: new ToneTts(), agent: () => new RecordingAgent([]), settings: FULL_WAIT_ONLY });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed([...frames(20, silence), ...word('friday', 500), ...frames(80, silence)]);
  await s.hangUp();
  assert.equal(asr.streams[0]?.finished, true, 'the turn ended');
  return (asr.streams[0]?.written ?? 0) / 320;
}

test("the end-of-turn silence is counted from the end of the speech energy, not from the end of the VAD's own hangover", async () => {
  // Pre-roll (300 ms, the first 60 ms of speech in it) + the other 22 frames of speech + 500 ms
  // of silence: 15 + 22 + 25 frames. The VAD holds "speech" 9 frames (180 ms) after the sound.
  const written = await framesWritten(laggingVad(9));
  assert.equal(written, 62, `${written} frames: the VAD's 180 ms hangover would make 71`);
});

test('the end of speech is the last loud frame only within 400 ms of the VAD\'s last speech frame: a VAD 400 ms behind is corrected, one 420 ms behind is taken as it is', async () => {
  assert.equal(await framesWritten(laggingVad(20)), 62, '400 ms behind: counted from the sound');
  assert.equal(await framesWritten(laggingVad(21)), 15 + 22 + 21 + 25, '420 ms behind: counted from the VAD');
});

// The end-of-turn wait by what the agent expects (hangoverFor), in 20 ms frames: the turn ends on
// the first frame at least that long after the last loud one.
const WAITS: { expect: Expectation; endsAfterMs: number; why: string }[] = [
  { expect: { kind: 'open' }, endsAfterMs: 500, why: 'not 480' },
  { expect: { kind: 'yes-no' }, endsAfterMs: 360, why: '350 ms rounded up to a frame; not 340' },
  { expect: { kind: 'digits' }, endsAfterMs: 1000, why: 'not 980' },
  { expect: { kind: 'spelling' }, endsAfterMs: 1000, why: 'not 980' },
];
for (const w of WAITS) {
  test(`a turn when the box expects ${w.expect.kind} ends ${w.endsAfterMs} ms after the last loud frame (${w.why})`, async () => {
    const asr = new ToneWordsAsr({ streaming: true });
    const turns: TurnRecord[] = [];
    const agent = new RecordingAgent([], { greeting: { text: 'Hello.', expect: w.expect } });
    const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent, onTurn: (_id, t) => turns.push(t), settings: FULL_WAIT_ONLY });
    await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
    await s.media.feed([...frames(20, silence), ...word('friday', 300)]);
    await s.media.feed(frames(w.endsAfterMs / 20 - 1, silence));
    assert.equal(asr.streams[0]?.finished, false, `still listening ${w.endsAfterMs - 20} ms after the speech`);
    await s.media.feed(frames(1, silence));
    assert.equal(asr.streams[0]?.finished, true, `ended ${w.endsAfterMs} ms after the speech`);
    await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
    await s.hangUp();
    const marks = turns[1]?.marks;
    assert.equal((marks?.endpoint ?? 0) - (marks?.endOfSpeech ?? 0), w.endsAfterMs);
    assert.equal(marks?.endOfSpeech, s.media.fedAt[35], 'the end of speech is the last loud frame');
  });
}

test('end-of-turn wait: shorter for yes/no, longer for digits and spelling', () => {
  assert.equal(hangoverFor(undefined, 500), 500);
  assert.equal(hangoverFor({ kind: 'yes-no' }, 500), 350);
  assert.equal(hangoverFor({ kind: 'digits' }, 500), 1000);
  assert.equal(hangoverFor({ kind: 'spelling' }, 500), 1000);
});

test('keys are an input like speech; 0 transfers', async () => {
  const tts = new ToneTts();
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts, agent: () => new EchoAgent({ spaName: () => 'Spa' }) });
  await s.clock.advanceAsync(100);
  s.media.emit('dtmf', '4');
  s.media.emit('dtmf', '2');
  await s.clock.advanceAsync(900);
  assert.ok(tts.said.includes('You pressed 4 2.'), tts.said.join(' | '));
  s.media.emit('dtmf', '0');
  await runUntil(s.clock, () => s.call.transfers === 1, 'the transfer');
  assert.ok(tts.said.includes('Connecting you to the front desk.'), 'said before the transfer');
  await s.hangUp();
});

test('a key answers a menu 600 ms after it is pressed (not 580), and another key within that wait starts it again', async () => {
  const agent = new RecordingAgent([]);
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => agent });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  s.media.emit('dtmf', '4');
  await s.clock.advanceAsync(580);
  assert.equal(agent.inputs.length, 0, 'not yet at 580 ms');
  await s.clock.advanceAsync(20);
  assert.deepEqual(agent.inputs.map((i) => i.input), [{ kind: 'dtmf', digits: '4' }]);
  await runUntil(s.clock, () => s.media.results.length === 2, 'the answer plays');
  s.media.emit('dtmf', '1');
  await s.clock.advanceAsync(300);
  s.media.emit('dtmf', '2');
  await s.clock.advanceAsync(580);
  assert.equal(agent.inputs.length, 1, 'the second key restarted the wait');
  await s.clock.advanceAsync(20);
  assert.deepEqual(agent.inputs[1]?.input, { kind: 'dtmf', digits: '12' });
  await s.hangUp();
});

test("when the agent expects digits, keys are gathered until 2000 ms after the last one (not 1980), and '#' sends them at once", async () => {
  const agent = new RecordingAgent([{ text: 'Thanks.', expect: { kind: 'digits' } }], { greeting: { text: 'Your number?', expect: { kind: 'digits' } } });
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => agent });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  s.media.emit('dtmf', '5');
  await s.clock.advanceAsync(1500);
  s.media.emit('dtmf', '5');
  await s.clock.advanceAsync(1980);
  assert.equal(agent.inputs.length, 0, 'still gathering 1980 ms after the last key');
  await s.clock.advanceAsync(20);
  assert.deepEqual(agent.inputs.map((i) => i.input), [{ kind: 'dtmf', digits: '55' }]);
  await runUntil(s.clock, () => s.media.results.length === 2, 'the answer plays');
  s.media.emit('dtmf', '1');
  s.media.emit('dtmf', '2');
  s.media.emit('dtmf', '#');
  assert.deepEqual(agent.inputs[1]?.input, { kind: 'dtmf', digits: '12' }, "'#' sent them with no wait");
  await s.hangUp();
});

test("'#' alone answers a question for digits (\"press pound if no code came\"), and is nothing on other questions", async () => {
  const agent = new RecordingAgent([{ text: 'Anything else?', expect: { kind: 'open' } }], { greeting: { text: 'Your code?', expect: { kind: 'digits' } } });
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => agent });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  s.media.emit('dtmf', '#');
  assert.deepEqual(agent.inputs.map((i) => i.input), [{ kind: 'dtmf', digits: '#' }]);
  await runUntil(s.clock, () => s.media.results.length === 2, 'the answer plays');
  s.media.emit('dtmf', '#');
  await s.clock.advanceAsync(3000);
  assert.equal(agent.inputs.length, 1, 'no turn from a lone # on an open question');
  await s.hangUp();
});

test('silence gets a reprompt, then a polite goodbye and hang-up', async () => {
  const tts = new ToneTts();
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts, agent: () => new EchoAgent({ spaName: () => 'Spa' }), settings: { noInputMs: 300, maxReprompts: 1 } });
  await runUntil(s.clock, () => s.call.hangups.length > 0, 'the hang-up');
  await s.hangUp();
  assert.deepEqual(s.call.hangups, ['conversation ended']);
  assert.ok(tts.said.some((t) => /still there/.test(t)));
  assert.ok(tts.said.some((t) => /Goodbye/.test(t)));
});

test('no input: a reprompt at the first 250 ms check 8 s after the box stopped talking, another 8 s after that one, then a goodbye and hang-up', async () => {
  const tts = new ToneTts();
  const clock = new FakeClock();
  const agent = new RecordingAgent([], { clock });
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts, agent: () => agent }, clock);
  await runUntil(s.clock, () => s.call.hangups.length > 0, 'the hang-up');
  await s.hangUp();
  // The greeting ("Hello.", 100 ms) ends at 100 ms; the checks run every 250 ms from the start:
  // the first with 8000 ms of quiet is at 8250. The reprompt ("Okay.") ends at 8350: 16500.
  assert.deepEqual(agent.inputs.map((i) => [i.input, i.at]), [
    [{ kind: 'silence', count: 1 }, 8250],
    [{ kind: 'silence', count: 2 }, 16500],
  ]);
  assert.equal(tts.said.at(-1), 'Goodbye.');
  assert.match(tts.said.slice(-3).join(' '), /^I have not heard anything, so I will hang up now\. Please call back any time\. Goodbye\.$/);
  assert.deepEqual(s.call.hangups, ['conversation ended']);
});

test('a transfer no one takes: the box says so and hangs up', async () => {
  const tts = new ToneTts();
  const turns: TurnRecord[] = [];
  const agent = new RecordingAgent([], { greeting: { text: 'Connecting you.', transfer: true } });
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts, agent: () => agent, onTurn: (_id, t) => turns.push(t) });
  s.call.transferTo = false;
  await runUntil(s.clock, () => s.call.hangups.length > 0, 'the hang-up');
  await s.hangUp();
  assert.equal(s.call.transfers, 1);
  assert.deepEqual(tts.said, ['Connecting you.', 'Sorry, no one can take your call right now.', 'Someone will call you back soon.']);
  assert.deepEqual(s.call.hangups, ['conversation ended']);
  assert.deepEqual(turns.map((t) => t.reply), ['Connecting you.', 'Sorry, no one can take your call right now. Someone will call you back soon.']);
});

test('an agent that fails: the box apologises, promises a call back and hangs up', async () => {
  const tts = new ToneTts();
  const agent = new RecordingAgent([new Error('model crashed')]);
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts, agent: () => agent });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed([...word('botox', 300), ...frames(30, silence)]);
  await runUntil(s.clock, () => s.call.hangups.length > 0, 'the hang-up');
  await s.hangUp();
  assert.deepEqual(tts.said.slice(1), ['Sorry, something went wrong on my side.', 'Let me get someone to call you back.']);
  assert.deepEqual(s.call.hangups, ['conversation ended']);
});

test('a reply played to its end was heard in full: the next turn tells the agent so', async () => {
  const agent = new RecordingAgent([{ text: 'First answer. It has two sentences.' }]);
  const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => agent });
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed([...word('botox', 300), ...frames(30, silence)]);
  await runUntil(s.clock, () => s.media.results.length === 2, 'the answer plays');
  await s.media.feed([...word('friday', 300), ...frames(30, silence)]);
  await s.hangUp();
  assert.deepEqual(agent.inputs.map((i) => i.heard), [
    { interrupted: false, heardText: 'Hello.' },
    { interrupted: false, heardText: 'First answer. It has two sentences.' },
  ]);
});

test('what was heard of a reply cut off: a sentence cut 20 ms before its end was not, one played to its end was', async () => {
  // The greeting starts at 0; its first sentence is 300 ms of audio. A key stops the box at once.
  for (const [cutAt, heardText] of [
    [280, ''],
    [300, 'First sentence here.'],
  ] as const) {
    const agent = new RecordingAgent([], { greeting: { text: 'First sentence here. Second one.' } });
    const s = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => agent });
    await s.clock.advanceAsync(cutAt);
    s.media.emit('dtmf', '1');
    await runUntil(s.clock, () => agent.inputs.length === 1, 'the key is answered');
    await s.hangUp();
    assert.deepEqual(s.media.results[0], { playedMs: cutAt, interrupted: true });
    assert.deepEqual(agent.inputs[0]?.heard, { interrupted: true, heardText }, `cut at ${cutAt} ms`);
  }
});

test("the agent's end() runs once when the call ends: after the caller hangs up, and after a failure ended the call", async () => {
  const hungUp = new RecordingAgent([]);
  const a = startSession({ vad: energyVad, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => hungUp });
  await runUntil(a.clock, () => a.media.results.length === 1, 'the greeting plays');
  assert.equal(hungUp.ends, 0, 'not while the call goes on');
  await a.hangUp();
  assert.equal(hungUp.ends, 1);

  const failed = new RecordingAgent([]);
  const broken = (): FrameVad => ({
    process: () => {
      throw new Error('VAD model crashed');
    },
    reset: () => undefined,
  });
  const b = startSession({ vad: broken, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => failed });
  await b.clock.advanceAsync(0);
  b.media.emit('audio', tone());
  await runFor(b.clock, b.running, 'the failed call ends');
  assert.deepEqual(b.call.hangups, ['internal error (listening)']);
  assert.equal(failed.ends, 1);
});

test('a VAD that throws on a caller frame ends that call (hung up, reason given); nothing escapes to the media emitter', async () => {
  const broken = (): FrameVad => ({
    process: () => {
      throw new Error('VAD model crashed');
    },
    reset: () => undefined,
  });
  const s = startSession({ vad: broken, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => new RecordingAgent([]) });
  await s.clock.advanceAsync(0); // the VAD has started: frames now reach it
  assert.doesNotThrow(() => s.media.emit('audio', tone()));
  await s.hangUp();
  assert.deepEqual(s.call.hangups, ['internal error (listening)']);
});

test('a call log that cannot store a turn (disk full) leaves the call going: the next caller turn is answered', async () => {
  const agent = new RecordingAgent([{ text: 'First answer.' }, { text: 'Second answer.' }]);
  const lines: string[] = [];
  const s = startSession({
    log: createLogger({ level: 'error', destination: { write: (line: string) => lines.push(line) } }),
    vad: energyVad,
    asr: new ToneWordsAsr(),
    tts: new ToneTts(),
    agent: () => agent,
    onTurn: () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    },
  });
  // The caller talks over the greeting, then waits on the line for each answer.
  await s.media.feed([...word('botox', 300), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 1 && s.media.results.length === 2, 'the first answer plays');
  await s.media.feed([...word('friday', 300), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 2 && s.media.results.length === 3, 'the second answer plays');
  await s.hangUp();
  assert.deepEqual(s.call.hangups, [], 'the box did not hang up');
  assert.equal(agent.inputs.length, 2, 'both caller turns were answered');
  assert.match(lines.join(''), /could not store the turn in the call log; the call goes on/);
});
