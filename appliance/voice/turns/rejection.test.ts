// Speech the recogniser rejects on a constrained turn, in the turn-taking session (fake time): it
// reaches the agent as a speech turn marked rejected (never as words to act on), and over the
// box it is no reason to stop talking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Asr, AsrGrammar, AsrRecognizeOptions, AsrResult, AsrStream } from '../asr/types.js';
import { RecordingAgent, ToneTts, energyVad, frames, silence, startSession, word } from '../turn-taking.fixture.js';

/** Rejects everything it hears (its guess is "no thanks", no backchannel), as pocketsphinx does with "um I'm not sure" on a yes/no turn. */
class RejectingAsr implements Asr {
  readonly name = 'rejecting';
  /** What it makes of the speech: pocketsphinx gives '' when the garbage took every word. */
  constructor(private readonly guess = 'no thanks') {}
  readonly capabilities = { streaming: false, grammar: true, sampleRate: 16000 as const };
  calls = 0;
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  recognize(): Promise<AsrResult> {
    this.calls++;
    return Promise.resolve({ text: this.guess, confidence: null, rejected: true, elapsedMs: 1 });
  }
}

test('a rejected turn reaches the agent as speech marked rejected, with the recogniser\'s guess only for the log', async () => {
  const agent = new RecordingAgent([{ text: 'Sorry?' }]);
  const s = startSession({ vad: energyVad, asr: new RejectingAsr(), tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('botox', 500), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 1, 'the turn');
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: 'no thanks', confidence: null, rejected: true });
  await s.hangUp();
});

test('rejected speech over the box does not stop it: the reply plays to its end and the agent gets no turn', async () => {
  const asr = new RejectingAsr();
  const agent = new RecordingAgent([], { greeting: { text: `Hello. ${Array.from({ length: 40 }, () => 'word').join(' ')}.` } });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await s.media.feed(frames(25, silence));
  // A short "um" (300 ms) over the greeting: long enough to be looked at, not to stop the box by length.
  await s.media.feed([...word('wait', 300), ...frames(40, silence)]);
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting ends');
  assert.ok(asr.calls >= 1, 'the recogniser looked at it');
  assert.equal(s.media.results[0]?.interrupted, false, 'the greeting was not cut');
  assert.deepEqual(agent.inputs, []);
  await s.hangUp();
});

test('speech rejected with no words at all (600 ms of it) is a turn answered at its end, not silence until the no-input reprompt', async () => {
  const agent = new RecordingAgent([{ text: 'Sorry?' }]);
  const s = startSession({ vad: energyVad, asr: new RejectingAsr(''), tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('botox', 600), ...frames(30, silence)]);
  // 30 frames of silence (600 ms) covers the 500 ms end-of-turn wait: the turn is in by then.
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: '', confidence: null, rejected: true });
  await s.hangUp();
});

test('a 300 ms sound rejected with no words is no turn: the agent hears nothing of it', async () => {
  const agent = new RecordingAgent([{ text: 'Sorry?' }]);
  const asr = new RejectingAsr('');
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('botox', 300), ...frames(100, silence)]);
  assert.equal(asr.calls, 1, 'the recogniser looked at it');
  assert.deepEqual(agent.inputs, []);
  await s.hangUp();
});

/** Rejects what it hears with the closed grammar; with the retry grammar it hears `open`. Records the grammar of each call. */
class ClosedThenOpenAsr implements Asr {
  readonly name = 'closed-then-open';
  readonly capabilities = { streaming: false, grammar: true, sampleRate: 16000 as const };
  readonly grammars: (AsrGrammar | undefined)[] = [];
  constructor(private readonly closedAccepts = false) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  recognize(_audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    this.grammars.push(opts.grammar);
    return this.answer(opts.grammar);
  }
  protected answer(grammar: AsrGrammar | undefined): Promise<AsrResult> {
    if (grammar === OPEN) return Promise.resolve({ text: 'wait how long does it take', confidence: null, rejected: false, words: [{ word: 'wait', confidence: 0.9, startMs: 0, endMs: 100 }], elapsedMs: 1 });
    return Promise.resolve(this.closedAccepts ? { text: 'yes', confidence: null, elapsedMs: 1 } : { text: '', confidence: null, rejected: true, elapsedMs: 1 });
  }
}

const CLOSED: AsrGrammar = { phrases: ['yes', 'no'], constrained: true };
const OPEN: AsrGrammar = { phrases: [], free: true };

test('a rejected turn whose question has a retry grammar is decoded again with it, and the agent gets both: rejected, and what the retry heard', async () => {
  const asr = new ClosedThenOpenAsr();
  const agent = new RecordingAgent([{ text: 'It takes 45 minutes.' }], { greeting: { text: 'Shall I book it?', expect: { kind: 'yes-no', grammar: CLOSED, retry: OPEN } } });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('wait', 700), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 1, 'the turn');
  assert.deepEqual(asr.grammars, [CLOSED, OPEN]);
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: '', confidence: null, rejected: true, reheard: { text: 'wait how long does it take', words: [{ word: 'wait', confidence: 0.9 }] } });
  await s.hangUp();
});

test('a turn the closed grammar accepts is decoded once: the retry costs only rejected turns', async () => {
  const asr = new ClosedThenOpenAsr(true);
  const agent = new RecordingAgent([{ text: 'Booked.' }], { greeting: { text: 'Shall I book it?', expect: { kind: 'yes-no', grammar: CLOSED, retry: OPEN } } });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('botox', 700), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 1, 'the turn');
  assert.deepEqual(asr.grammars, [CLOSED]);
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: 'yes', confidence: null });
  await s.hangUp();
});

test('a rejected sound too short to be a turn (300 ms) is not decoded again', async () => {
  const asr = new ClosedThenOpenAsr();
  const agent = new RecordingAgent([{ text: 'Sorry?' }], { greeting: { text: 'Shall I book it?', expect: { kind: 'yes-no', grammar: CLOSED, retry: OPEN } } });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('botox', 300), ...frames(100, silence)]);
  assert.deepEqual(asr.grammars, [CLOSED]);
  assert.deepEqual(agent.inputs, []);
  await s.hangUp();
});

/** ClosedThenOpenAsr fed live: each stream's grammar, the audio written to it and how it ended; recognize() only when a stream is not used. */
class LiveClosedThenOpenAsr extends ClosedThenOpenAsr {
  override readonly capabilities = { streaming: true, grammar: true, sampleRate: 16000 as const };
  readonly streams: { grammar: AsrGrammar | undefined; written: number; ended: 'finished' | 'cancelled' | null }[] = [];
  stream(opts: AsrRecognizeOptions = {}): AsrStream {
    const rec: (typeof this.streams)[number] = { grammar: opts.grammar, written: 0, ended: null };
    this.streams.push(rec);
    return {
      write: (a) => {
        rec.written += a.length;
      },
      partial: () => '',
      finish: () => {
        rec.ended = 'finished';
        return this.answer(opts.grammar);
      },
      cancel: () => {
        rec.ended ??= 'cancelled';
      },
    };
  }
}

const YES_NO_WITH_RETRY = { text: 'Shall I book it?', expect: { kind: 'yes-no' as const, grammar: CLOSED, retry: OPEN } };

test('a turn long enough to be heard again is fed live to the retry grammar too: a rejected one takes what that stream heard, with no second decode of the whole turn', async () => {
  const asr = new LiveClosedThenOpenAsr();
  const agent = new RecordingAgent([{ text: 'It takes 45 minutes.' }], { greeting: YES_NO_WITH_RETRY });
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('wait', 700), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 1, 'the turn');
  assert.deepEqual(asr.streams.map((x) => [x.grammar, x.ended]), [[CLOSED, 'finished'], [OPEN, 'finished']]);
  assert.ok((asr.streams[1]?.written ?? 0) >= 700 * 16, 'the retry stream heard the whole turn, the audio before it opened too');
  assert.deepEqual(asr.grammars, [], 'no whole-turn decode');
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: '', confidence: null, rejected: true, reheard: { text: 'wait how long does it take', words: [{ word: 'wait', confidence: 0.9 }] } });
  await s.hangUp();
});

test('a turn the closed grammar accepts cancels its live retry; one too short to be heard again (300 ms) opens none', async () => {
  const accepted = new LiveClosedThenOpenAsr(true);
  const agent = new RecordingAgent([{ text: 'Booked.' }], { greeting: YES_NO_WITH_RETRY });
  const s = startSession({ vad: energyVad, asr: accepted, tts: new ToneTts(), agent: () => agent });
  await s.media.feedSilenceUntil(() => s.media.results.length === 1, 'the greeting');
  await s.media.feed([...word('botox', 700), ...frames(30, silence)]);
  await s.media.feedSilenceUntil(() => agent.inputs.length === 1, 'the turn');
  assert.deepEqual(accepted.streams.map((x) => [x.grammar, x.ended]), [[CLOSED, 'finished'], [OPEN, 'cancelled']]);
  await s.hangUp();

  const short = new LiveClosedThenOpenAsr();
  const agent2 = new RecordingAgent([{ text: 'Sorry?' }], { greeting: YES_NO_WITH_RETRY });
  const s2 = startSession({ vad: energyVad, asr: short, tts: new ToneTts(), agent: () => agent2 });
  await s2.media.feedSilenceUntil(() => s2.media.results.length === 1, 'the greeting');
  await s2.media.feed([...word('botox', 300), ...frames(100, silence)]);
  assert.deepEqual(short.streams.map((x) => x.grammar), [CLOSED]);
  await s2.hangUp();
});
