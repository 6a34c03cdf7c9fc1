// Speech over the box, on fake time: when it stops the box (barge-in), holds it (pause) or lets
// it talk on (a backchannel, a cough), and what the agent learns was heard. Frame numbers are the
// caller's 20 ms frames; the fake media plays one 20 ms frame per 20 ms of FakeClock time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Asr, AsrResult } from './asr/types.js';
import {
  RecordingAgent,
  SlowWordsAsr,
  ToneTts,
  ToneWordsAsr,
  cough,
  energyVad,
  frames,
  hear,
  loudMs,
  runUntil,
  silence,
  startSession,
  word,
  type FakeMedia,
  type Running,
} from './turn-taking.fixture.js';
import type { AgentReply, TurnRecord, TurnTakingSettings } from './turn-taking.js';

const LONG_REPLY = `First sentence here. ${Array.from({ length: 100 }, () => 'word').join(' ')}.`;

/** Hears every look as "a": pocketsphinx's guess for a hum or the start of a word. */
class FillerAsr extends ToneWordsAsr {
  override recognize(): Promise<AsrResult> {
    this.recognized.push('a');
    return Promise.resolve({ text: 'a', confidence: null, elapsedMs: 1 });
  }
}

/** Says "botox" to get a reply going, then waits on the line until the reply plays. */
async function startReply(media: FakeMedia, agent: RecordingAgent): Promise<void> {
  await media.feed([...word('botox', 300), ...frames(30, silence)]);
  await media.feedSilenceUntil(() => agent.inputs.length > 0 && media.results.length >= 1, 'the reply starts');
}

/** A call whose box is speaking LONG_REPLY (then `then`), with the ASR given; resolves once the reply plays. */
async function overLongReply(asr: Asr, then: AgentReply[] = [], settings: Partial<TurnTakingSettings> = {}, onTurn?: (t: TurnRecord) => void): Promise<Running & { agent: RecordingAgent }> {
  const agent = new RecordingAgent([{ text: LONG_REPLY }, ...then]);
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent, settings, ...(onTurn ? { onTurn: (_id: number, t: TurnRecord) => onTurn(t) } : {}) });
  await startReply(s.media, agent);
  return { ...s, agent };
}

/** The caller's "wait friday" over LONG_REPLY became a turn, and the agent knew only the first sentence was heard. */
function assertCutOffTurn(agent: RecordingAgent): void {
  const second = agent.inputs[1];
  assert.ok(second, 'the interruption became a turn');
  assert.deepEqual(second.input, { kind: 'speech', text: 'wait friday', confidence: null });
  assert.equal(second.heard.interrupted, true);
  assert.equal(second.heard.heardText, 'First sentence here.');
}

/** Lets the long reply play on to its end (no caller frames). */
function replyPlayed(s: Running, done: Promise<void>): Promise<void> {
  let over = false;
  void done.then(() => (over = true));
  return runUntil(s.clock, () => over, 'the reply plays to its end');
}

test('barge-in: a cough does not stop the box; real speech stops it at the 200 ms mark, and the agent learns what was heard', async () => {
  const turns: TurnRecord[] = [];
  const s = await overLongReply(new ToneWordsAsr(), [{ text: 'Sure.' }], {}, (t) => turns.push(t));
  const before = s.media.clears.length; // each reply clears what played before it
  await s.media.feed(frames(20, silence)); // the first sentence (0.3 s of audio) plays out
  await s.media.feed([...cough(100), ...frames(3, silence)]);
  await s.media.feed([...cough(300), ...frames(20, silence)]);
  assert.equal(s.media.clears.length, before, 'a cough does not stop the box');
  const start = s.media.framesFed;
  await s.media.feed([...word('wait', 300), ...word('friday', 300), ...frames(40, silence)]);
  assert.equal(s.media.clears.length, before + 2, 'speech stops the box (and its answer clears again)');
  const stoppedAfterMs = ((s.media.clearedAtFrame[before] ?? 0) - start) * 20;
  assert.equal(stoppedAfterMs, 200, `stopped after ${stoppedAfterMs} ms of speech`);
  await s.hangUp();
  assertCutOffTurn(s.agent);
  assert.deepEqual(turns.map((t) => [t.reply.slice(0, 20), t.interrupted]), [
    ['Hello.', false],
    [LONG_REPLY.slice(0, 20), true],
    ['Sure.', false],
  ]);
});

test('a caller turn over the box opens after half of bargeInMs of speech (100 ms by default, not 80; 200 ms with bargeInMs 400, not 180)', async () => {
  for (const [bargeInMs, opensAfterMs] of [
    [200, 100],
    [400, 200],
  ] as const) {
    const asr = new ToneWordsAsr({ streaming: true });
    const s = await overLongReply(asr, [], { bargeInMs });
    const streams = asr.streams.length;
    await s.media.feed([...frames(5, silence), ...word('okay', opensAfterMs - 20), ...frames(15, silence)]);
    assert.equal(asr.streams.length, streams, `${opensAfterMs - 20} ms over the box opens no turn (bargeInMs ${bargeInMs})`);
    await s.media.feed(word('okay', opensAfterMs - 20));
    assert.equal(asr.streams.length, streams);
    await s.media.feed(word('okay', 20));
    assert.equal(asr.streams.length, streams + 1, `${opensAfterMs} ms opens one (bargeInMs ${bargeInMs})`);
    await s.hangUp();
  }
});

for (const streaming of [false, true]) {
  test(`backchannels ("mm-hmm", "okay") and a cough over the box do not stop it and make no turn (${streaming ? 'live-fed ASR' : 'whole-utterance ASR'})`, async () => {
    const asr = new ToneWordsAsr({ streaming });
    const s = await overLongReply(asr);
    const replyDone = s.media.playbackEnded();
    const before = s.media.clears.length;
    await s.media.feed([...frames(5, silence), ...word('mm-hmm', 500), ...frames(15, silence), ...word('okay', 400), ...frames(15, silence), ...cough(300), ...frames(30, silence)]);
    assert.equal(s.media.clears.length, before, 'the box talks on');
    assert.deepEqual([s.media.pausedAtFrame, s.media.resumedAtFrame], [[], []], 'never even held: each was heard as a backchannel before its 200 ms mark');
    await replyPlayed(s, replyDone);
    assert.equal(s.media.results.at(-1)?.interrupted, false, 'the reply played to its end');
    assert.ok(asr.recognized.includes('mm-hmm') && asr.recognized.includes('okay'), `the ASR was asked: ${asr.recognized.join(' | ')}`);
    await s.hangUp();
    assert.equal(s.agent.inputs.length, 1, 'no turn was made of the backchannels');
    if (streaming) {
      const overBox = asr.streams.slice(1);
      assert.ok(overBox.length >= 2 && overBox.every((x) => x.cancelled && !x.finished), "each backchannel's live recognition was cancelled");
    }
  });
}

test('a backchannel the ASR can name only after 400 ms: the box pauses at the 200 ms mark, goes on from where it paused, and no turn is made', async () => {
  const asr = new SlowWordsAsr(400);
  const s = await overLongReply(asr);
  const replyDone = s.media.playbackEnded();
  const before = s.media.clears.length;
  await s.media.feed(frames(5, silence));
  const start = s.media.framesFed;
  await s.media.feed([...word('okay', 500), ...frames(30, silence)]);
  assert.deepEqual(s.media.pausedAtFrame.map((f) => (f - start) * 20), [200], 'paused once, at 200 ms of speech');
  // The burst is 500 ms; 200 ms of quiet after it ends it, and the look at all of it hears "okay".
  assert.deepEqual(s.media.resumedAtFrame.map((f) => (f - start) * 20), [700], 'resumed once, 200 ms after the burst');
  assert.equal(s.media.clears.length, before, 'never stopped');
  await replyPlayed(s, replyDone);
  const last = s.media.results.at(-1);
  assert.equal(last?.interrupted, false, 'the reply played to its end');
  assert.equal(last.playedMs, LONG_REPLY.split(/\s+/).length * 100, 'all of it: it went on from where it paused, nothing skipped');
  assert.ok(asr.recognized.includes('okay'), `the ASR heard it in the end: ${asr.recognized.join(' | ')}`);
  await s.hangUp();
  assert.equal(s.agent.inputs.length, 1, 'no turn was made of the backchannel');
});

test('while the box is held, a guess at part of the burst ("wait" for the start of "okay") does not stop it: the look at the whole burst decides', async () => {
  class MisheardStartAsr extends ToneWordsAsr {
    override recognize(audio: Int16Array): Promise<AsrResult> {
      const loud = loudMs(audio);
      const text = loud < 200 ? '' : loud < 400 ? 'wait' : hear(audio);
      this.recognized.push(text);
      return Promise.resolve({ text, confidence: null, elapsedMs: 1 });
    }
  }
  const asr = new MisheardStartAsr();
  const s = await overLongReply(asr);
  const replyDone = s.media.playbackEnded();
  const before = s.media.clears.length;
  await s.media.feed(frames(5, silence));
  const start = s.media.framesFed;
  await s.media.feed([...word('okay', 500), ...frames(30, silence)]);
  assert.ok(asr.recognized.includes('wait'), `a look at part of the burst misheard it: ${asr.recognized.join(' | ')}`);
  assert.deepEqual([s.media.pausedAtFrame.length, s.media.resumedAtFrame.length, s.media.clears.length - before], [1, 1, 0], 'paused once, resumed once, never stopped');
  assert.deepEqual([...s.media.pausedAtFrame, ...s.media.resumedAtFrame].map((f) => (f - start) * 20), [200, 700], 'held at 200 ms, let go 200 ms after the 500 ms burst');
  await replyPlayed(s, replyDone);
  assert.equal(s.media.results.at(-1)?.interrupted, false);
  await s.hangUp();
  assert.equal(s.agent.inputs.length, 1, 'no turn');
});

test('a hum over the box that the ASR fills with "a" is no evidence of speech: paused, resumed as soon as it ends, no turn', async () => {
  const s = await overLongReply(new FillerAsr());
  const replyDone = s.media.playbackEnded();
  const before = s.media.clears.length;
  await s.media.feed(frames(5, silence));
  const burstEnd = s.media.framesFed + 25;
  await s.media.feed([...word('mm-hmm', 500), ...frames(30, silence)]);
  assert.deepEqual([s.media.pausedAtFrame.length, s.media.resumedAtFrame.length, s.media.clears.length - before], [1, 1, 0], 'paused once, resumed once, never stopped');
  const resumedAfterMs = ((s.media.resumedAtFrame[0] ?? 0) - burstEnd) * 20;
  assert.equal(resumedAfterMs, 200, `resumed ${resumedAfterMs} ms after the hum ended: 200 ms of quiet ends a burst, and the look at all of it decided, not the 500 ms end-of-turn wait`);
  await replyPlayed(s, replyDone);
  assert.equal(s.media.results.at(-1)?.interrupted, false);
  await s.hangUp();
  assert.equal(s.agent.inputs.length, 1, 'no turn');
});

test('a burst over the box ends after 200 ms of quiet, not 180: a 180 ms gap inside "okay" keeps it one burst', async () => {
  const s = await overLongReply(new FillerAsr());
  await s.media.feed(frames(5, silence));
  const start = s.media.framesFed;
  await s.media.feed([...word('mm-hmm', 300), ...frames(9, silence), ...word('mm-hmm', 100)]);
  assert.deepEqual(s.media.resumedAtFrame, [], 'still held after a 180 ms gap');
  await s.media.feed(frames(10, silence));
  assert.deepEqual(s.media.resumedAtFrame.map((f) => (f - start) * 20), [300 + 180 + 100 + 200], 'let go 200 ms after the burst');
  await s.hangUp();
});

test('speech over the box the ASR cannot check while it lasts: paused at 200 ms, stopped for good when the turn ends, and the agent learns what was heard', async () => {
  const s = await overLongReply(new SlowWordsAsr(0, true), [{ text: 'Sure.' }]);
  const before = s.media.clears.length;
  await s.media.feed(frames(20, silence)); // the first sentence plays out
  const start = s.media.framesFed;
  await s.media.feed([...word('wait', 300), ...word('friday', 300), ...frames(40, silence)]);
  const pausedAfterMs = ((s.media.pausedAtFrame[0] ?? 0) - start) * 20;
  assert.equal(pausedAfterMs, 200, `paused after ${pausedAfterMs} ms`);
  assert.equal(s.media.resumedAtFrame.length, 0, 'never resumed');
  assert.equal(s.media.clears.length, before + 2, 'stopped for good when the turn ended (and its answer cleared again)');
  assert.equal(((s.media.clearedAtFrame[before] ?? 0) - start) * 20, 600 + 500, 'stopped when the turn ended, 500 ms after the speech');
  await s.hangUp();
  assertCutOffTurn(s.agent);
});

test('speech over the box that the ASR only ever hears as a backchannel still stops it once it lasts backchannelMaxMs', async () => {
  const s = await overLongReply(new ToneWordsAsr(), [], { backchannelMaxMs: 800 });
  const before = s.media.clears.length;
  const start = s.media.framesFed;
  await s.media.feed([...word('mm-hmm', 1200), ...frames(30, silence)]);
  assert.ok(s.media.clears.length > before, 'the box was stopped');
  const stoppedAfterMs = ((s.media.clearedAtFrame[before] ?? 0) - start) * 20;
  assert.equal(stoppedAfterMs, 800, `stopped after ${stoppedAfterMs} ms`);
  await s.hangUp();
});

test('by default a backchannel over the box stops it at 1000 ms of speech, not 980', async () => {
  const s = await overLongReply(new ToneWordsAsr());
  const before = s.media.clears.length;
  const start = s.media.framesFed;
  await s.media.feed(word('mm-hmm', 980));
  assert.equal(s.media.clears.length, before, 'talking on at 980 ms');
  await s.media.feed(word('mm-hmm', 20));
  assert.deepEqual(s.media.clearedAtFrame.slice(before).map((f) => (f - start) * 20), [1000], 'stopped at 1000 ms');
  await s.hangUp();
});
