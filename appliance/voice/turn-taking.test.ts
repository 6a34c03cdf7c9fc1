import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createLogger } from '../log.js';
import type { CallMedia, CallMediaEvents, PlaybackResult } from '../telephony/call-media.js';
import type { ActiveCall } from '../telephony/call-manager.js';
import type { Asr, AsrResult } from './asr/types.js';
import { EnergyVad, frameDbfs } from './energy-vad.js';
import { EchoAgent } from './echo-agent.js';
import type { Tts } from './tts/types.js';
import { hangoverFor, TurnTaking, type AgentReply, type ConversationAgent, type FrameVad, type Heard, type TurnInput, type TurnRecord } from './turn-taking.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const tone = (amp = 6000): Int16Array => Int16Array.from({ length: 320 }, (_, i) => Math.round(amp * Math.sin(i / 2)));
const silence = (): Int16Array => new Int16Array(320);
const frames = (n: number, make: () => Int16Array): Int16Array[] => Array.from({ length: n }, () => make());

/** Plays 20 ms frames ten times faster than real time; clear() cuts at the next frame. */
class FakeMedia extends EventEmitter<CallMediaEvents> implements CallMedia {
  readonly codec = 'L16/16000';
  readonly answerSdp = '';
  clears: number[] = [];
  spoken: number[] = [];
  private cut: (() => void) | null = null;
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
        if (!interrupted) playedMs += 20;
      }
      if (interrupted) break;
    }
    this.spoken.push(playedMs);
    return { playedMs, interrupted };
  }
  clear(): void {
    this.clears.push(Date.now());
    this.cut?.();
  }
  /** The caller's side: frames at ten times real time. */
  async feed(frames: Int16Array[]): Promise<void> {
    for (const f of frames) {
      this.emit('audio', f);
      await sleep(2);
    }
  }
}

class ScriptedAsr implements Asr {
  readonly name = 'scripted';
  readonly capabilities = { streaming: false, grammar: false, sampleRate: 16000 as const };
  heardMs: number[] = [];
  constructor(private readonly texts: string[]) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  recognize(audio: Int16Array): Promise<AsrResult> {
    this.heardMs.push((audio.length / 16000) * 1000);
    return Promise.resolve({ text: this.texts.shift() ?? '', confidence: null, elapsedMs: 1 });
  }
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
  const asr = new ScriptedAsr(['i would like botox']);
  const tts = new ToneTts();
  const turns: TurnRecord[] = [];
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr, tts, agent: () => new EchoAgent({ spaName: () => 'Test Spa' }), onTurn: (_id, t) => turns.push(t) });
  const running = handler.handle(call);
  await sleep(150);
  await media.feed([...frames(10, silence), ...frames(25, tone), ...frames(40, silence)]);
  await sleep(300);
  call.end();
  await running;
  assert.match(tts.said[0] ?? '', /Thank you for calling Test Spa/);
  assert.equal(asr.heardMs.length, 1, 'one caller turn');
  assert.ok((asr.heardMs[0] ?? 0) >= 500 && (asr.heardMs[0] ?? 0) <= 1400, `utterance ${asr.heardMs[0]} ms: pre-roll + speech + hangover`);
  assert.ok(tts.said.includes('I heard: i would like botox.'));
  const turn = turns.find((t) => t.input.kind === 'speech');
  assert.ok(turn);
  const m = turn.marks;
  assert.ok(m.endOfSpeech !== null && m.asrFinal !== null && m.replyChosen !== null && m.firstAudio !== null);
  assert.ok(m.endOfSpeech <= m.asrFinal && m.asrFinal <= m.replyChosen && m.replyChosen <= m.firstAudio);
});

test('barge-in: sustained caller speech stops the box at once and the agent learns what was heard; a cough does not', async () => {
  const media = new FakeMedia();
  const agent = new RecordingAgent([{ text: 'First sentence here. Second sentence is a much longer one with many many words in it to keep talking.' }, { text: 'Sure.' }]);
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr: new ScriptedAsr(['hello', 'wait']), tts: new ToneTts(), agent: () => agent });
  const running = handler.handle(call);
  await sleep(60); // greeting "Hello." (0.1 s of audio) plays out
  await media.feed([...frames(20, tone), ...frames(30, silence)]);
  await sleep(120); // reply starts; its first sentence (0.3 s audio) takes ~30 ms here
  const before = media.clears.length;
  await media.feed(frames(5, tone)); // a 100 ms cough
  await media.feed(frames(3, silence));
  assert.equal(media.clears.length, before, 'a cough does not stop the box');
  await sleep(20);
  await media.feed(frames(12, tone)); // 240 ms of speech: barge-in at 200 ms
  assert.equal(media.clears.length, before + 1, 'speech stops the box');
  await media.feed(frames(30, silence));
  await sleep(100);
  call.end();
  await running;
  const second = agent.inputs[1];
  assert.ok(second, 'the interruption became a turn');
  assert.equal(second.heard.interrupted, true);
  assert.equal(second.heard.heardText, 'First sentence here.');
});

test('keys are an input like speech; 0 transfers', async () => {
  const media = new FakeMedia();
  const tts = new ToneTts();
  const call = fakeCall(media);
  const handler = new TurnTaking({ log, clock: { now: () => Date.now() }, vad: energyVad, asr: new ScriptedAsr([]), tts, agent: () => new EchoAgent({ spaName: () => 'Spa' }) });
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
    asr: new ScriptedAsr([]),
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
