import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createLogger } from '../log.js';
import type { CallMedia, CallMediaEvents, PlaybackResult } from '../telephony/call-media.js';
import type { ActiveCall } from '../telephony/call-manager.js';
import type { Asr, AsrResult, AsrStream } from './asr/types.js';
import { EnergyVad, frameDbfs } from './energy-vad.js';
import { EchoAgent } from './echo-agent.js';
import type { Tts } from './tts/types.js';
import { hangoverFor, TurnTaking, type AgentReply, type ConversationAgent, type FrameVad, type Heard, type TurnInput, type TurnRecord, type TurnTakingSettings } from './turn-taking.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const tone = (amp = 6000): Int16Array => Int16Array.from({ length: 320 }, (_, i) => Math.round(amp * Math.sin(i / 2)));
const silence = (): Int16Array => new Int16Array(320);
const frames = (n: number, make: () => Int16Array): Int16Array[] => Array.from({ length: n }, () => make());

/** Plays 20 ms frames ten times faster than real time; clear() cuts at the next frame. */
class FakeMedia extends EventEmitter<CallMediaEvents> implements CallMedia {
  readonly codec = 'L16/16000';
  readonly answerSdp = '';
  clears: number[] = [];
  /** Caller frames fed when each clear() came. */
  clearedAtFrame: number[] = [];
  spoken: number[] = [];
  results: PlaybackResult[] = [];
  framesFed = 0;
  /** Caller frames fed when each pause() / resume() came. */
  pausedAtFrame: number[] = [];
  resumedAtFrame: number[] = [];
  private paused = false;
  private cut: (() => void) | null = null;
  private ended: (() => void)[] = [];
  start(): Promise<void> {
    return Promise.resolve();
  }
  update(): string {
    return '';
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  async play(src: Int16Array | AsyncIterable<Int16Array>): Promise<PlaybackResult> {
    let interrupted = false;
    let playedMs = 0;
    this.cut = () => (interrupted = true);
    const chunks = src instanceof Int16Array ? [src] : src;
    for await (const chunk of chunks) {
      for (let o = 0; o < chunk.length && !interrupted; o += 320) {
        await sleep(2);
        while (this.paused && !interrupted) await sleep(2);
        if (!interrupted) playedMs += 20;
      }
      if (interrupted) break;
    }
    this.spoken.push(playedMs);
    this.results.push({ playedMs, interrupted });
    for (const wake of this.ended.splice(0)) wake();
    return { playedMs, interrupted };
  }
  /** Resolves when the next playback ends (finished or cut). */
  playbackEnded(): Promise<void> {
    return new Promise((resolve) => this.ended.push(resolve));
  }
  clear(): void {
    this.clears.push(Date.now());
    this.clearedAtFrame.push(this.framesFed);
    this.paused = false;
    this.cut?.();
  }
  pause(): void {
    this.pausedAtFrame.push(this.framesFed);
    this.paused = true;
  }
  resume(): void {
    this.resumedAtFrame.push(this.framesFed);
    this.paused = false;
  }
  /** The caller's side: frames at ten times real time. */
  async feed(frames: Int16Array[]): Promise<void> {
    for (const f of frames) {
      this.framesFed++;
      this.emit('audio', f);
      await sleep(2);
    }
  }
}

/**
 * Fake speech for a fake recogniser: a tone whose amplitude stands for a word, so a test can say
 * "mm-hmm" or "wait" to the turn-taking and the ASR hears it from the audio itself (every look at
 * the same audio gives the same words, as a real engine would). COUGH is loud but no word.
 */
const WORD_AMPLITUDE: Record<string, number> = { botox: 6000, wait: 5000, friday: 4000, 'mm-hmm': 3000, okay: 2000 };
const COUGH = 8000;
const word = (w: string, ms: number): Int16Array[] => frames(ms / 20, () => tone(WORD_AMPLITUDE[w] ?? 0));
/** A cough: loud broadband noise with no pitch (real coughs are unvoiced), peak exactly COUGH. */
let coughSeed = 12345;
const noise = (): Int16Array => {
  const f = Int16Array.from({ length: 320 }, () => {
    coughSeed = (coughSeed * 1103515245 + 12345) & 0x7fffffff;
    return Math.round(((coughSeed / 0x7fffffff) * 2 - 1) * (COUGH - 1));
  });
  f[0] = COUGH;
  return f;
};
const cough = (ms: number): Int16Array[] => frames(ms / 20, noise);

function hear(audio: Int16Array): string {
  const out: string[] = [];
  let last = '';
  for (let o = 0; o + 320 <= audio.length; o += 320) {
    let peak = 0;
    for (let i = o; i < o + 320; i++) peak = Math.max(peak, Math.abs(audio[i] ?? 0));
    let w = '';
    if (peak > 1000 && Math.abs(peak - COUGH) > 500) {
      w = Object.entries(WORD_AMPLITUDE).reduce((best, [k, a]) => (Math.abs(a - peak) < Math.abs((WORD_AMPLITUDE[best] ?? 0) - peak) ? k : best), 'botox');
    }
    if (w && w !== last) out.push(w);
    last = w;
  }
  return out.join(' ');
}

/** Hears tone-words; with `streaming`, also offers stream() and records how it was used. */
class ToneWordsAsr implements Asr {
  readonly name = 'tone-words';
  readonly capabilities: { streaming: boolean; grammar: boolean; sampleRate: 16000 };
  recognized: string[] = [];
  finals: string[] = [];
  streams: { written: number; finished: boolean; cancelled: boolean }[] = [];
  stream?: Asr['stream'];
  constructor(opts: { streaming?: boolean } = {}) {
    this.capabilities = { streaming: opts.streaming ?? false, grammar: false, sampleRate: 16000 };
    if (opts.streaming) {
      this.stream = (): AsrStream => {
        const chunks: Int16Array[] = [];
        const rec = { written: 0, finished: false, cancelled: false };
        this.streams.push(rec);
        return {
          write: (a) => {
            chunks.push(a.slice());
            rec.written += a.length;
          },
          partial: () => '',
          finish: () => {
            rec.finished = true;
            const text = hear(concatFrames(chunks));
            this.finals.push(text);
            return Promise.resolve({ text, confidence: null, elapsedMs: 1 });
          },
          cancel: () => {
            rec.cancelled = true;
          },
        };
      };
    }
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  recognize(audio: Int16Array): Promise<AsrResult> {
    const text = hear(audio);
    this.recognized.push(text);
    return Promise.resolve({ text, confidence: null, elapsedMs: 1 });
  }
}

function concatFrames(list: Int16Array[]): Int16Array {
  const out = new Int16Array(list.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of list) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}

/** "Speech" of 100 ms per word, so replies have a length the test can reason about. */
class ToneTts implements Tts {
  readonly name = 'tone';
  readonly capabilities = { streaming: false, sampleRate: 16000 as const };
  said: string[] = [];
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  synthesize(text: string): Promise<Int16Array> {
    this.said.push(text);
    const frames = text.split(/\s+/).length * 5;
    const out = new Int16Array(frames * 320);
    for (let i = 0; i < out.length; i++) out[i] = Math.round(3000 * Math.sin(i / 3));
    return Promise.resolve(out);
  }
}

const energyVad = (): FrameVad => {
  const v = new EnergyVad();
  return { process: (f) => ({ speech: frameDbfs(f) > -40, probability: v.push(f) ? 1 : 0 }), reset: () => undefined };
};

class RecordingAgent implements ConversationAgent {
  inputs: { input: TurnInput; heard: Heard }[] = [];
  constructor(private readonly replies: AgentReply[]) {}
  greeting(): AgentReply {
    return { text: 'Hello.' };
  }
  respond(input: TurnInput, heard: Heard): Promise<AgentReply> {
    this.inputs.push({ input, heard });
    return Promise.resolve(this.replies.shift() ?? { text: 'Okay.' });
  }
}

function fakeCall(media: FakeMedia): ActiveCall & { end(): void; hangups: string[]; transfers: number } {
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  const call = {
    id: 1,
    caller: { phone: '+12035550188', raw: '', displayName: '', source: 'From' as const, withheld: false },
    media,
    ended,
    hangups: [] as string[],
    transfers: 0,
    hangup(reason: string) {
      call.hangups.push(reason);
      end();
    },
    transfer() {
      call.transfers++;
      return Promise.resolve(true);
    },
    end: () => end(),
  };
  return call;
}

const log = createLogger({ level: 'silent' });

test('the greeting is spoken, an end of turn goes to the ASR and the agent, and the reply is spoken with its latency marks', async () => {
  const media = new FakeMedia();
  const asr = new ToneWordsAsr();
  const tts = new ToneTts();
  const turns: TurnRecord[] = [];
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr, tts, agent: () => new EchoAgent({ spaName: () => 'Test Spa' }), onTurn: (_id, t) => turns.push(t) });
  const greeted = media.playbackEnded();
  const running = handler.handle(call);
  await greeted;
  const replied = media.playbackEnded();
  await media.feed([...frames(10, silence), ...word('botox', 500), ...frames(40, silence)]);
  await replied;
  call.end();
  await running;
  assert.match(tts.said[0] ?? '', /Thank you for calling Test Spa/);
  assert.deepEqual(asr.recognized, ['botox'], 'one caller turn');
  assert.ok(tts.said.includes('I heard: botox.'));
  const turn = turns.find((t) => t.input.kind === 'speech');
  assert.ok(turn);
  const m = turn.marks;
  assert.ok(m.endOfSpeech !== null && m.asrFinal !== null && m.replyChosen !== null && m.firstAudio !== null);
  assert.ok(m.endOfSpeech <= m.asrFinal && m.asrFinal <= m.replyChosen && m.replyChosen <= m.firstAudio);
});

/** Says `first` to get a reply going, then resolves once the reply has started playing. */
async function startReply(media: FakeMedia, agent: RecordingAgent): Promise<void> {
  await media.feed([...word('botox', 300), ...frames(30, silence)]);
  while (agent.inputs.length === 0 || media.results.length < 1) await media.feed(frames(1, silence));
}

/** A call whose box is speaking LONG_REPLY (then `then`), with the ASR given; resolves once the reply plays. */
async function overLongReply(asr: Asr, then: AgentReply[] = [], settings: Partial<TurnTakingSettings> = {}): Promise<{ media: FakeMedia; agent: RecordingAgent; call: ReturnType<typeof fakeCall>; running: Promise<void> }> {
  const media = new FakeMedia();
  const agent = new RecordingAgent([{ text: LONG_REPLY }, ...then]);
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr, tts: new ToneTts(), agent: () => agent, settings });
  const running = handler.handle(call);
  await startReply(media, agent);
  return { media, agent, call, running };
}

/** The caller's "wait friday" over LONG_REPLY became a turn, and the agent knew only the first sentence was heard. */
function assertCutOffTurn(agent: RecordingAgent): void {
  const second = agent.inputs[1];
  assert.ok(second, 'the interruption became a turn');
  assert.deepEqual(second.input, { kind: 'speech', text: 'wait friday', confidence: null });
  assert.equal(second.heard.interrupted, true);
  assert.equal(second.heard.heardText, 'First sentence here.');
}

const LONG_REPLY = `First sentence here. ${Array.from({ length: 100 }, () => 'word').join(' ')}.`;

test('barge-in: a cough does not stop the box; real speech stops it within 100 ms of the 200 ms mark, and the agent learns what was heard', async () => {
  const { media, agent, call, running } = await overLongReply(new ToneWordsAsr(), [{ text: 'Sure.' }]);
  const before = media.clears.length; // each reply clears what played before it
  await media.feed(frames(20, silence)); // the first sentence (0.3 s of audio) plays out
  await media.feed([...cough(100), ...frames(3, silence)]);
  await media.feed([...cough(300), ...frames(20, silence)]);
  assert.equal(media.clears.length, before, 'a cough does not stop the box');
  const start = media.framesFed;
  await media.feed([...word('wait', 300), ...word('friday', 300), ...frames(40, silence)]);
  assert.equal(media.clears.length, before + 2, 'speech stops the box (and its answer clears again)');
  const stoppedAfterMs = ((media.clearedAtFrame[before] ?? 0) - start) * 20;
  assert.ok(stoppedAfterMs >= 200 && stoppedAfterMs <= 300, `stopped after ${stoppedAfterMs} ms of speech`);
  call.end();
  await running;
  assertCutOffTurn(agent);
});

for (const streaming of [false, true]) {
  test(`backchannels ("mm-hmm", "okay") and a cough over the box do not stop it and make no turn (${streaming ? 'live-fed ASR' : 'whole-utterance ASR'})`, async () => {
    const media = new FakeMedia();
    const agent = new RecordingAgent([{ text: LONG_REPLY }]);
    const asr = new ToneWordsAsr({ streaming });
    const call = fakeCall(media);
    const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
    const running = handler.handle(call);
    await startReply(media, agent);
    const replyDone = media.playbackEnded();
    const before = media.clears.length;
    await media.feed([...frames(5, silence), ...word('mm-hmm', 500), ...frames(15, silence), ...word('okay', 400), ...frames(15, silence), ...cough(300), ...frames(30, silence)]);
    assert.equal(media.clears.length, before, 'the box talks on');
    await replyDone;
    assert.equal(media.results.at(-1)?.interrupted, false, 'the reply played to its end');
    assert.ok(asr.recognized.includes('mm-hmm') && asr.recognized.includes('okay'), `the ASR was asked: ${asr.recognized.join(' | ')}`);
    call.end();
    await running;
    assert.equal(agent.inputs.length, 1, 'no turn was made of the backchannels');
    if (streaming) {
      const overBox = asr.streams.slice(1);
      assert.ok(overBox.length >= 2 && overBox.every((s) => s.cancelled && !s.finished), 'each backchannel\'s live recognition was cancelled');
    }
  });
}

/**
 * A recogniser that, like a real one, cannot name a word from its first tenth of a second: it
 * hears nothing until the burst holds `needMs` of tone. With `failLooks`, it cannot look at a
 * burst at all (each check fails, as when the engine is busy) and answers only for the whole turn
 * (audio ending in 300 ms of silence).
 */
class SlowWordsAsr extends ToneWordsAsr {
  constructor(private readonly needMs: number, private readonly failLooks = false) {
    super();
  }
  override recognize(audio: Int16Array): Promise<AsrResult> {
    let loud = 0;
    for (let o = 0; o + 320 <= audio.length; o += 320) if (frameDbfs(audio.subarray(o, o + 320)) > -40) loud += 20;
    const tail = audio.subarray(Math.max(0, audio.length - 15 * 320));
    const wholeTurn = tail.length === 15 * 320 && frameDbfs(tail) < -60;
    if (this.failLooks && !wholeTurn) return Promise.reject(new Error('engine busy'));
    if (loud < this.needMs) {
      this.recognized.push('');
      return Promise.resolve({ text: '', confidence: null, elapsedMs: 1 });
    }
    return super.recognize(audio);
  }
}

test('a backchannel the ASR can name only after 400 ms: the box pauses at the 200 ms mark, goes on from where it paused, and no turn is made', async () => {
  const asr = new SlowWordsAsr(400);
  const { media, agent, call, running } = await overLongReply(asr);
  const replyDone = media.playbackEnded();
  const before = media.clears.length;
  await media.feed(frames(5, silence));
  const start = media.framesFed;
  await media.feed([...word('okay', 500), ...frames(30, silence)]);
  const pausedAfterMs = ((media.pausedAtFrame[0] ?? 0) - start) * 20;
  assert.ok(media.pausedAtFrame.length === 1 && pausedAfterMs >= 200 && pausedAfterMs <= 300, `paused after ${pausedAfterMs} ms (${media.pausedAtFrame.length} pauses)`);
  assert.equal(media.resumedAtFrame.length, 1, 'resumed once');
  const resumedAfterMs = ((media.resumedAtFrame[0] ?? 0) - start) * 20;
  assert.ok(resumedAfterMs >= 500 && resumedAfterMs <= 700, `resumed ${resumedAfterMs} ms after the caller began (the burst is 500 ms)`);
  assert.equal(media.clears.length, before, 'never stopped');
  await replyDone;
  const last = media.results.at(-1);
  assert.equal(last?.interrupted, false, 'the reply played to its end');
  assert.equal(last.playedMs, LONG_REPLY.split(/\s+/).length * 100, 'all of it: it went on from where it paused, nothing skipped');
  assert.ok(asr.recognized.includes('okay'), `the ASR heard it in the end: ${asr.recognized.join(' | ')}`);
  call.end();
  await running;
  assert.equal(agent.inputs.length, 1, 'no turn was made of the backchannel');
});

test('while the box is held, a guess at part of the burst ("wait" for the start of "okay") does not stop it: the look at the whole burst decides', async () => {
  class MisheardStartAsr extends ToneWordsAsr {
    override recognize(audio: Int16Array): Promise<AsrResult> {
      let loud = 0;
      for (let o = 0; o + 320 <= audio.length; o += 320) if (frameDbfs(audio.subarray(o, o + 320)) > -40) loud += 20;
      const text = loud < 200 ? '' : loud < 400 ? 'wait' : hear(audio);
      this.recognized.push(text);
      return Promise.resolve({ text, confidence: null, elapsedMs: 1 });
    }
  }
  const asr = new MisheardStartAsr();
  const { media, agent, call, running } = await overLongReply(asr);
  const replyDone = media.playbackEnded();
  const before = media.clears.length;
  await media.feed([...frames(5, silence), ...word('okay', 500), ...frames(30, silence)]);
  assert.ok(asr.recognized.includes('wait'), `a look at part of the burst misheard it: ${asr.recognized.join(' | ')}`);
  assert.deepEqual([media.pausedAtFrame.length, media.resumedAtFrame.length, media.clears.length - before], [1, 1, 0], 'paused once, resumed once, never stopped');
  await replyDone;
  assert.equal(media.results.at(-1)?.interrupted, false);
  call.end();
  await running;
  assert.equal(agent.inputs.length, 1, 'no turn');
});

test('a hum over the box that the ASR fills with "a" is no evidence of speech: paused, resumed as soon as it ends, no turn', async () => {
  class FillerAsr extends ToneWordsAsr {
    override recognize(): Promise<AsrResult> {
      this.recognized.push('a');
      return Promise.resolve({ text: 'a', confidence: null, elapsedMs: 1 });
    }
  }
  const { media, agent, call, running } = await overLongReply(new FillerAsr());
  const replyDone = media.playbackEnded();
  const before = media.clears.length;
  await media.feed(frames(5, silence));
  const burstEnd = media.framesFed + 25;
  await media.feed([...word('mm-hmm', 500), ...frames(30, silence)]);
  assert.deepEqual([media.pausedAtFrame.length, media.resumedAtFrame.length, media.clears.length - before], [1, 1, 0], 'paused once, resumed once, never stopped');
  const resumedAfterMs = ((media.resumedAtFrame[0] ?? 0) - burstEnd) * 20;
  assert.ok(resumedAfterMs >= 200 && resumedAfterMs < 400, `resumed ${resumedAfterMs} ms after the hum ended: 200 ms of quiet ends a burst, and the look at all of it decided, not the 500 ms end-of-turn wait`);
  await replyDone;
  assert.equal(media.results.at(-1)?.interrupted, false);
  call.end();
  await running;
  assert.equal(agent.inputs.length, 1, 'no turn');
});

test('speech over the box the ASR cannot check while it lasts: paused at 200 ms, stopped for good when the turn ends, and the agent learns what was heard', async () => {
  const { media, agent, call, running } = await overLongReply(new SlowWordsAsr(0, true), [{ text: 'Sure.' }]);
  const before = media.clears.length;
  await media.feed(frames(20, silence)); // the first sentence plays out
  const start = media.framesFed;
  await media.feed([...word('wait', 300), ...word('friday', 300), ...frames(40, silence)]);
  const pausedAfterMs = ((media.pausedAtFrame[0] ?? 0) - start) * 20;
  assert.ok(pausedAfterMs >= 200 && pausedAfterMs <= 300, `paused after ${pausedAfterMs} ms`);
  assert.equal(media.resumedAtFrame.length, 0, 'never resumed');
  assert.equal(media.clears.length, before + 2, 'stopped for good when the turn ended (and its answer cleared again)');
  call.end();
  await running;
  assertCutOffTurn(agent);
});

test('speech over the box that the ASR only ever hears as a backchannel still stops it once it lasts backchannelMaxMs', async () => {
  const { media, call, running } = await overLongReply(new ToneWordsAsr(), [], { backchannelMaxMs: 800 });
  const before = media.clears.length;
  const start = media.framesFed;
  await media.feed([...word('mm-hmm', 1200), ...frames(30, silence)]);
  assert.ok(media.clears.length > before, 'the box was stopped');
  const stoppedAfterMs = ((media.clearedAtFrame[before] ?? 0) - start) * 20;
  assert.ok(stoppedAfterMs >= 800 && stoppedAfterMs <= 860, `stopped after ${stoppedAfterMs} ms`);
  call.end();
  await running;
});

test('with a live-fed ASR the turn is written as it comes and finished at its end (no whole-utterance recognition)', async () => {
  const media = new FakeMedia();
  const agent = new RecordingAgent([]);
  const asr = new ToneWordsAsr({ streaming: true });
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr, tts: new ToneTts(), agent: () => agent });
  const greeted = media.playbackEnded();
  const running = handler.handle(call);
  await greeted;
  await media.feed([...frames(20, silence), ...word('friday', 500), ...frames(40, silence)]);
  call.end();
  await running;
  assert.deepEqual(asr.finals, ['friday']);
  assert.deepEqual(asr.recognized, [], 'nothing recognised twice');
  assert.equal(asr.streams[0]?.finished, true);
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: 'friday', confidence: null });
});

test("the end-of-turn silence is counted from the end of the speech energy, not from the end of the VAD's own hangover", async () => {
  const media = new FakeMedia();
  const asr = new ToneWordsAsr({ streaming: true });
  const call = fakeCall(media);
  // A VAD that holds "speech" 200 ms after the sound stops (as Silero and the energy adapter do).
  const laggingVad = (): FrameVad => {
    let sinceLoud = 99;
    return {
      process: (f) => {
        sinceLoud = frameDbfs(f) > -40 ? 0 : sinceLoud + 1;
        return { speech: sinceLoud < 10, probability: 0 };
      },
      reset: () => undefined,
    };
  };
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: laggingVad, asr, tts: new ToneTts(), agent: () => new RecordingAgent([]) });
  const greeted = media.playbackEnded();
  const running = handler.handle(call);
  await greeted;
  await media.feed([...frames(20, silence), ...word('friday', 500), ...frames(60, silence)]);
  call.end();
  await running;
  // Pre-roll (300 ms, the first 60 ms of speech in it) + the other 22 frames of speech + 500 ms
  // of silence: 15 + 22 + 25 frames.
  const writtenFrames = (asr.streams[0]?.written ?? 0) / 320;
  assert.equal(writtenFrames, 62, `${writtenFrames} frames: the VAD's 200 ms hangover would make 72`);
});

test('keys are an input like speech; 0 transfers', async () => {
  const media = new FakeMedia();
  const tts = new ToneTts();
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr: new ToneWordsAsr(), tts, agent: () => new EchoAgent({ spaName: () => 'Spa' }) });
  const running = handler.handle(call);
  await sleep(100);
  media.emit('dtmf', '4');
  media.emit('dtmf', '2');
  await sleep(900);
  assert.ok(tts.said.includes('You pressed 4 2.'), tts.said.join(' | '));
  media.emit('dtmf', '0');
  await sleep(900);
  assert.equal(call.transfers, 1);
  call.end();
  await running;
});

test('silence gets a reprompt, then a polite goodbye and hang-up', async () => {
  const media = new FakeMedia();
  const tts = new ToneTts();
  const call = fakeCall(media);
  const handler = new TurnTaking({
    log,
    clock: { now: () => Date.now() },
    vad: energyVad,
    asr: new ToneWordsAsr(),
    tts,
    agent: () => new EchoAgent({ spaName: () => 'Spa' }),
    settings: { noInputMs: 300, maxReprompts: 1 },
  });
  await Promise.race([handler.handle(call), sleep(5000)]);
  assert.deepEqual(call.hangups, ['conversation ended']);
  assert.ok(tts.said.some((t) => /still there/.test(t)));
  assert.ok(tts.said.some((t) => /Goodbye/.test(t)));
});

test('end-of-turn wait: shorter for yes/no, longer for digits and spelling', () => {
  assert.equal(hangoverFor(undefined, 500), 500);
  assert.equal(hangoverFor({ kind: 'yes-no' }, 500), 350);
  assert.equal(hangoverFor({ kind: 'digits' }, 500), 1000);
  assert.equal(hangoverFor({ kind: 'spelling' }, 500), 1000);
});

test('a VAD that throws on a caller frame ends that call (hung up, reason given); nothing escapes to the media emitter', async () => {
  const media = new FakeMedia();
  const call = fakeCall(media);
  const broken = (): FrameVad => ({
    process: () => {
      throw new Error('VAD model crashed');
    },
    reset: () => undefined,
  });
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: broken, asr: new ToneWordsAsr(), tts: new ToneTts(), agent: () => new RecordingAgent([]) });
  const running = handler.handle(call);
  await new Promise((r) => setImmediate(r)); // the VAD has started: frames now reach it
  assert.doesNotThrow(() => media.emit('audio', tone()));
  await running;
  assert.deepEqual(call.hangups, ['internal error (listening)']);
});

test('a call log that cannot store a turn (disk full) leaves the call going: the next caller turn is answered', async () => {
  const media = new FakeMedia();
  const call = fakeCall(media);
  const agent = new RecordingAgent([{ text: 'First answer.' }, { text: 'Second answer.' }]);
  const lines: string[] = [];
  const handler = new TurnTaking({
    log: createLogger({ level: 'error', destination: { write: (s: string) => lines.push(s) } }),
    clock: { now: () => Date.now() },
    vad: energyVad,
    asr: new ToneWordsAsr(),
    tts: new ToneTts(),
    agent: () => agent,
    onTurn: () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    },
  });
  const running = handler.handle(call);
  await startReply(media, agent);
  while (media.results.length < 2) await media.feed(frames(1, silence));
  await media.feed([...word('friday', 300), ...frames(30, silence)]);
  while (agent.inputs.length < 2 || media.results.length < 3) await media.feed(frames(1, silence));
  call.end();
  await running;
  assert.deepEqual(call.hangups, [], 'the box did not hang up');
  assert.equal(agent.inputs.length, 2, 'both caller turns were answered');
  assert.match(lines.join(''), /could not store the turn in the call log; the call goes on/);
});
