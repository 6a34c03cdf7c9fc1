// Test fixture for turn-taking on fake time: a call's media that plays one 20 ms frame per 20 ms
// of the FakeClock and takes the caller's frames one per clock step, a recogniser that hears
// "words" from tone amplitudes, a TTS whose speech has a known length, and a scriptable agent.
// Nothing here sleeps on the real clock.
import { EventEmitter } from 'node:events';
import { delay } from '../shared/clock.js';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import type { CallMedia, CallMediaEvents, PlaybackResult } from '../telephony/call-media.js';
import type { ActiveCall } from '../telephony/call-manager.js';
import type { Asr, AsrResult, AsrStream } from './asr/types.js';
import { EnergyVad, frameDbfs } from './energy-vad.js';
import type { Tts } from './tts/types.js';
import { concat } from './turns/endpointing.js';
import { TurnTaking, type AgentReply, type ConversationAgent, type FrameVad, type Heard, type TurnInput, type TurnTakingDeps } from './turn-taking.js';

export const FRAME_MS = 20;
export const tone = (amp = 6000): Int16Array => Int16Array.from({ length: 320 }, (_, i) => Math.round(amp * Math.sin(i / 2)));
export const silence = (): Int16Array => new Int16Array(320);
export const frames = (n: number, make: () => Int16Array): Int16Array[] => Array.from({ length: n }, () => make());

/** Plays 20 ms frames, one per 20 ms of the fake clock; clear() cuts at the next frame. */
export class FakeMedia extends EventEmitter<CallMediaEvents> implements CallMedia {
  readonly answerSdp = '';
  /** Monotonic fake time of each clear(). */
  clears: number[] = [];
  /** Caller frames fed when each clear() came. */
  clearedAtFrame: number[] = [];
  spoken: number[] = [];
  results: PlaybackResult[] = [];
  framesFed = 0;
  /** Wall time (clock.now()) at which each caller frame was fed, by frame number (1-based). */
  fedAt: number[] = [0];
  /** Caller frames fed when each pause() / resume() came. */
  pausedAtFrame: number[] = [];
  resumedAtFrame: number[] = [];
  private paused = false;
  private cut: (() => void) | null = null;
  private ended: (() => void)[] = [];
  /** `codec`: the call's codec ('PCMU' for a narrowband call). */
  constructor(
    private readonly clock: FakeClock,
    readonly codec = 'L16/16000',
  ) {
    super();
  }
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
        await delay(this.clock, FRAME_MS);
        while (this.paused && !interrupted) await delay(this.clock, FRAME_MS);
        if (!interrupted) playedMs += FRAME_MS;
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
    this.clears.push(this.clock.monotonic());
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
  /** The caller's side: each frame arrives, then 20 ms of fake time pass (the box plays a frame). */
  async feed(list: Int16Array[]): Promise<void> {
    for (const f of list) {
      this.framesFed++;
      this.fedAt[this.framesFed] = this.clock.now();
      this.emit('audio', f);
      await this.clock.advanceAsync(FRAME_MS);
    }
  }
  /** Feeds silent frames until `done()` (the caller waits on the line); fails after `maxMs` of them. */
  async feedSilenceUntil(done: () => boolean, what: string, maxMs = 60_000): Promise<void> {
    for (let ms = 0; !done(); ms += FRAME_MS) {
      if (ms >= maxMs) throw new Error(`not within ${maxMs} ms of fake time: ${what}`);
      await this.feed([silence()]);
    }
  }
}

/** Lets fake time pass in 20 ms steps (no caller frames) until `done()`; fails after `maxMs` of fake time. */
export async function runUntil(clock: FakeClock, done: () => boolean, what: string, maxMs = 60_000): Promise<void> {
  const until = clock.monotonic() + maxMs;
  while (!done()) {
    if (clock.monotonic() >= until) throw new Error(`not within ${maxMs} ms of fake time: ${what}`);
    await clock.advanceAsync(FRAME_MS);
  }
}

/** Resolves `p`, letting fake time pass in 20 ms steps meanwhile (no caller frames). */
export async function runFor<T>(clock: FakeClock, p: Promise<T>, what: string, maxMs = 60_000): Promise<T> {
  let settled = false;
  const watched = p.finally(() => (settled = true));
  await runUntil(clock, () => settled, what, maxMs);
  return watched;
}

/**
 * Fake speech for a fake recogniser: a tone whose amplitude stands for a word, so a test can say
 * "mm-hmm" or "wait" to the turn-taking and the ASR hears it from the audio itself (every look at
 * the same audio gives the same words, as a real engine would). COUGH is loud but no word.
 */
export const WORD_AMPLITUDE: Record<string, number> = { botox: 6000, wait: 5000, friday: 4000, 'mm-hmm': 3000, okay: 2000 };
export const COUGH = 8000;
export const word = (w: string, ms: number): Int16Array[] => frames(ms / FRAME_MS, () => tone(WORD_AMPLITUDE[w] ?? 0));
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
export const cough = (ms: number): Int16Array[] => frames(ms / FRAME_MS, noise);

export function hear(audio: Int16Array): string {
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

/** Milliseconds of audio in `audio` above -40 dBFS. */
export function loudMs(audio: Int16Array): number {
  let loud = 0;
  for (let o = 0; o + 320 <= audio.length; o += 320) if (frameDbfs(audio.subarray(o, o + 320)) > -40) loud += FRAME_MS;
  return loud;
}

/** Hears tone-words; with `streaming`, also offers stream() and records how it was used. */
export class ToneWordsAsr implements Asr {
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
            const text = hear(concat(chunks));
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

/**
 * A recogniser that, like a real one, cannot name a word from its first tenth of a second: it
 * hears nothing until the burst holds `needMs` of tone. With `failLooks`, it cannot look at a
 * burst at all (each check fails, as when the engine is busy) and answers only for the whole turn
 * (audio ending in 300 ms of silence).
 */
export class SlowWordsAsr extends ToneWordsAsr {
  constructor(
    private readonly needMs: number,
    private readonly failLooks = false,
  ) {
    super();
  }
  override recognize(audio: Int16Array): Promise<AsrResult> {
    const tail = audio.subarray(Math.max(0, audio.length - 15 * 320));
    const wholeTurn = tail.length === 15 * 320 && loudMs(tail) === 0;
    if (this.failLooks && !wholeTurn) return Promise.reject(new Error('engine busy'));
    if (loudMs(audio) < this.needMs) {
      this.recognized.push('');
      return Promise.resolve({ text: '', confidence: null, elapsedMs: 1 });
    }
    return super.recognize(audio);
  }
}

/** "Speech" of 100 ms per word, so replies have a length the test can reason about. */
export class ToneTts implements Tts {
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
    const n = text.split(/\s+/).length * 5;
    const out = new Int16Array(n * 320);
    for (let i = 0; i < out.length; i++) out[i] = Math.round(3000 * Math.sin(i / 3));
    return Promise.resolve(out);
  }
}

export const energyVad = (): FrameVad => {
  const v = new EnergyVad();
  return { process: (f) => ({ speech: frameDbfs(f) > -40, probability: v.push(f) ? 1 : 0 }), reset: () => undefined };
};

/** A VAD that holds "speech" `holdFrames` frames after the sound stops (as Silero and the energy adapter do). */
export const laggingVad =
  (holdFrames: number) =>
  (): FrameVad => {
    let sinceLoud = 99;
    return {
      process: (f) => {
        sinceLoud = frameDbfs(f) > -40 ? 0 : sinceLoud + 1;
        return { speech: sinceLoud <= holdFrames, probability: 0 };
      },
      reset: () => undefined,
    };
  };

export class RecordingAgent implements ConversationAgent {
  inputs: { input: TurnInput; heard: Heard; at: number }[] = [];
  ends = 0;
  constructor(
    private readonly replies: (AgentReply | Error)[],
    private readonly opts: { greeting?: AgentReply; clock?: FakeClock } = {},
  ) {}
  greeting(): AgentReply {
    return this.opts.greeting ?? { text: 'Hello.' };
  }
  respond(input: TurnInput, heard: Heard): Promise<AgentReply> {
    this.inputs.push({ input, heard, at: this.opts.clock?.monotonic() ?? 0 });
    const next = this.replies.shift() ?? { text: 'Okay.' };
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
  end(): void {
    this.ends++;
  }
}

export type FakeCall = ActiveCall & { end(): void; hangups: string[]; transfers: number; transferTo: boolean | Promise<boolean> };

export function fakeCall(media: FakeMedia): FakeCall {
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  const call = {
    id: 1,
    caller: { phone: '+12035550188', raw: '', displayName: '', source: 'From' as const, withheld: false },
    media,
    ended,
    hangups: [] as string[],
    transfers: 0,
    /** What transfer() answers (false: no one took the call; a promise: still ringing). */
    transferTo: true as boolean | Promise<boolean>,
    hangup(reason: string) {
      call.hangups.push(reason);
      end();
    },
    transfer() {
      call.transfers++;
      return Promise.resolve(call.transferTo);
    },
    end: () => end(),
  };
  return call;
}

export interface Running {
  clock: FakeClock;
  media: FakeMedia;
  call: FakeCall;
  /** The handler's promise: settles when the call is over and the session cleaned up. */
  running: Promise<void>;
  /** Ends the call and waits (on fake time) for the session to finish. */
  hangUp(): Promise<void>;
}

/** A TurnTaking session on a fake call and a FakeClock; `deps` fills in the rest. */
export function startSession(deps: Omit<TurnTakingDeps, 'clock' | 'log'> & { log?: TurnTakingDeps['log'] }, clock = new FakeClock(), codec?: string): Running {
  const media = new FakeMedia(clock, codec);
  const call = fakeCall(media);
  const handler = new TurnTaking({ log: silentLog, clock, ...deps });
  const running = handler.handle(call);
  return {
    clock,
    media,
    call,
    running,
    hangUp: async () => {
      call.end();
      await runFor(clock, running, 'the session ends');
    },
  };
}

const silentLog = createLogger({ level: 'silent' });
