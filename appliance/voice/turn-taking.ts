// Turn-taking over one call: the VAD finds where the caller's turn ends, the ASR reads it, the
// agent answers, TTS speaks the answer sentence by sentence, and caller speech while the box talks
// stops the box at once (barge-in) — with the agent told how much of its reply was heard.
// Engines sit behind interfaces; nothing here knows which one it is talking to.
// What callers say and what the box replies is personal data: logged only at debug, under `pii`.
// Every callback here (audio frames, keys, timers, detached turns) catches its own errors and ends
// the call with them: a fault in one call never reaches the process.
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { ActiveCall, CallHandler } from '../telephony/call-manager.js';
import type { Asr, AsrGrammar, AsrStream } from './asr/types.js';
import { DEFAULT_BACKCHANNELS, isBackchannel, isFillerOnly, withBackchannels } from './backchannel.js';
import { hasVoicedSpeech } from './asr/voicing.js';
import { frameDbfs } from './energy-vad.js';
import { speakSentences, splitSentences, type Tts } from './tts/types.js';

/** Per-frame speech decision (energy or Silero): the voice/vad adapters fit this. */
export interface FrameVad {
  start?(): Promise<void>;
  stop?(): Promise<void>;
  process(frame: Int16Array): { speech: boolean; probability: number };
  reset(): void;
}

/** What the agent expects next: it shapes the end-of-turn wait and the ASR grammar. */
export interface Expectation {
  kind: 'open' | 'yes-no' | 'digits' | 'spelling';
  grammar?: AsrGrammar;
}

export type TurnInput =
  | { kind: 'speech'; text: string; confidence: number | null }
  | { kind: 'dtmf'; digits: string }
  | { kind: 'silence'; count: number };

export interface AgentReply {
  text: string;
  expect?: Expectation;
  /** End the call after saying `text`. */
  hangup?: boolean;
  /** Transfer to staff after saying `text`. */
  transfer?: boolean;
}

/** How much of the previous reply the caller heard before barging in. */
export interface Heard {
  interrupted: boolean;
  /** The sentences fully played before the interruption. */
  heardText: string;
}

export interface ConversationAgent {
  greeting(call: { id: number; callerPhone: string | null }): AgentReply;
  respond(input: TurnInput, heard: Heard): Promise<AgentReply>;
}

export interface TurnMarks {
  /** ms since the epoch; null when the turn had no such step. */
  endOfSpeech: number | null;
  /** The end of the turn was decided (end of speech + the silence wait). */
  endpoint: number | null;
  asrFinal: number | null;
  replyChosen: number | null;
  firstAudio: number | null;
}

export interface TurnRecord {
  input: TurnInput;
  reply: string;
  marks: TurnMarks;
  interrupted: boolean;
}

export interface TurnTakingSettings {
  /**
   * Silence that ends an open turn (default 500 ms), counted from the last frame with speech energy
   * inside the VAD's speech, so the VAD's own hangover is not added to it.
   */
  hangoverMs: number;
  /**
   * Speech while the box talks shorter than this never stops it at once: a cough, a click (default
   * 200 ms). The ASR looks at speech over the box from half this length; once it is this long and
   * holds a word that is not a backchannel, the box stops. Voiced speech this long that the ASR
   * cannot name yet (no recogniser can in 200 ms) pauses the box: it goes on from where it paused
   * if the burst turns out to be a backchannel, and stops for good otherwise. (A shorter word,
   * "no", becomes a turn when it ends, and the answer replaces the reply.)
   */
  bargeInMs: number;
  /** Speech while the box talks this long stops it whatever the ASR makes of it (default 1000 ms). */
  backchannelMaxMs: number;
  /** Words that alone do not stop the box ("mm-hm", "okay", "yeah"); see backchannel.ts. */
  backchannels: readonly string[];
  /** No input this long after the box stopped talking: a reprompt (default 8 s). */
  noInputMs: number;
  /** Reprompts before the box says goodbye and hangs up (default 2). */
  maxReprompts: number;
  /** Audio kept from before the VAD's speech start (default 300 ms). */
  preRollMs: number;
}

export const DEFAULT_TURN_SETTINGS: TurnTakingSettings = {
  hangoverMs: 500,
  bargeInMs: 200,
  backchannelMaxMs: 1000,
  backchannels: DEFAULT_BACKCHANNELS,
  noInputMs: 8000,
  maxReprompts: 2,
  preRollMs: 300,
};

/** A frame this far below the loudest of its utterance is not speech energy (for the end of speech). */
const TAIL_BELOW_PEAK_DB = 30;
/** ...nor one under this level. */
const SPEECH_FLOOR_DB = -50;
/** How far back from the VAD's last speech frame the end of speech is looked for. */
const MAX_VAD_LAG_MS = 400;
/** While speech over the box is undecided, the ASR looks at it again after this much more speech. */
const PROBE_EVERY_MS = 100;
/** Silence after speech over the box that ends the burst (longer than the closure of a stop consonant). */
const BURST_OVER_MS = 200;

/** End-of-turn silence for what the agent expects: quick for yes/no, patient for digits and spelling. Pure. */
export function hangoverFor(expect: Expectation | undefined, base: number): number {
  switch (expect?.kind ?? 'open') {
    case 'yes-no':
      return Math.round(base * 0.7);
    case 'digits':
    case 'spelling':
      return Math.round(base * 2);
    case 'open':
      return base;
  }
}

const FRAME_MS = 20;

export interface TurnTakingDeps {
  log: Logger;
  clock: Clock;
  vad: () => FrameVad;
  asr: Asr;
  tts: Tts;
  agent: () => ConversationAgent;
  settings?: Partial<TurnTakingSettings>;
  /** Receives each finished turn (the call log stores them). */
  onTurn?: (callId: number, turn: TurnRecord) => void;
}

/** The CallHandler that runs a spoken conversation on an answered call. */
export class TurnTaking implements CallHandler {
  constructor(private readonly deps: TurnTakingDeps) {}

  async handle(call: ActiveCall): Promise<void> {
    const session = new TurnSession(this.deps, call);
    await session.run();
  }
}

interface OverBox {
  /** VAD speech since the burst began. */
  speechMs: number;
  probing: boolean;
  probedAtMs: number;
  /** The ASR heard a word that is not a backchannel. */
  heardWords: boolean;
  /** The ASR's latest look heard words, all of them backchannels. */
  heardBackchannel: boolean;
  /** Speech length when the burst's voicing was last judged (0: not yet). */
  voicingAtMs: number;
  /** The box's playback is held while the burst is judged. */
  paused: boolean;
  interrupted: boolean;
}

class TurnSession {
  private readonly s: TurnTakingSettings;
  private readonly log: Logger;
  private readonly vad: FrameVad;
  private readonly agent: ConversationAgent;
  private speaking = false;
  private speakAbort: AbortController | null = null;
  private lastReply = { sentences: [] as string[], playedMs: 0, sentenceMs: [] as number[] };
  private expect: Expectation | undefined;
  private preRoll: Int16Array[] = [];
  private utterance: Int16Array[] | null = null;
  /** The live ASR of the utterance, when the engine has stream(). */
  private asrStream: AsrStream | null = null;
  /** The grammar the utterance is recognised with. */
  private turnGrammar: AsrGrammar | undefined;
  /** Set while an utterance that began over the box is not yet known to be more than a backchannel. */
  private overBox: OverBox | null = null;
  private speechRun = 0;
  private silenceRun = 0;
  private frameNo = 0;
  private lastVadSpeechFrame = 0;
  private lastLoudFrame = 0;
  private peakDb = Number.NEGATIVE_INFINITY;
  private busy = false;
  private digits = '';
  private digitTimer: TimerHandle | null = null;
  /** Monotonic ms when the box last stopped talking (null: not yet). */
  private quietSince: number | null = null;
  private reprompts = 0;
  private over = false;
  private heard: Heard = { interrupted: false, heardText: '' };
  /** Settles when the reply playing now has ended and `heard` says how much of it was heard. */
  private replyEnded: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: TurnTakingDeps,
    private readonly call: ActiveCall,
  ) {
    this.s = { ...DEFAULT_TURN_SETTINGS, ...deps.settings };
    this.log = deps.log.child({ callId: call.id });
    this.vad = deps.vad();
    this.agent = deps.agent();
  }

  async run(): Promise<void> {
    const { media } = this.call;
    const onAudio = (frame: Int16Array): void => this.guard('listening', () => this.onFrame(frame));
    const onDtmf = (digit: string): void => this.guard('reading a key', () => this.onDigit(digit));
    media.on('audio', onAudio);
    media.on('dtmf', onDtmf);
    const ticker = this.deps.clock.setInterval(() => this.guard('the no-input check', () => this.checkNoInput()), 250);
    // The greeting starts at once; the VAD loads meanwhile (frames before it is ready are ignored).
    let vadReady = false;
    void (this.vad.start?.() ?? Promise.resolve()).then(
      () => (vadReady = true),
      (err: unknown) => this.log.error({ err }, 'VAD failed to start: the caller cannot be heard'),
    );
    this.vadReady = () => vadReady;
    try {
      const greeting = this.agent.greeting({ id: this.call.id, callerPhone: this.call.caller.phone });
      this.detach('the greeting', this.say(greeting, { input: { kind: 'silence', count: 0 }, marks: { endOfSpeech: null, endpoint: null, asrFinal: null, replyChosen: this.deps.clock.now(), firstAudio: null } }));
      await this.call.ended;
    } finally {
      this.over = true;
      this.deps.clock.clearInterval(ticker);
      this.deps.clock.clearTimeout(this.digitTimer);
      this.speakAbort?.abort();
      this.asrStream?.cancel();
      this.asrStream = null;
      media.off('audio', onAudio);
      media.off('dtmf', onDtmf);
      await this.vad.stop?.();
    }
  }

  private vadReady: () => boolean = () => false;

  /** Runs a callback of this call; if it throws, the call ends (the daemon goes on). */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(what, err);
    }
  }

  /** A turn that runs on its own (not awaited): its failure ends the call. */
  private detach(what: string, work: Promise<void>): void {
    work.catch((err: unknown) => this.fail(what, err));
  }

  private fail(what: string, err: unknown): void {
    if (this.over) {
      this.log.debug({ err }, `${what} failed after the call ended`);
      return;
    }
    this.over = true;
    this.log.error({ err }, `${what} failed: ending the call`);
    try {
      this.call.hangup(`internal error (${what})`);
    } catch (hangupErr) {
      this.log.error({ err: hangupErr }, 'could not hang up');
    }
  }

  private onFrame(frame: Int16Array): void {
    if (this.over || !this.vadReady()) return;
    const { speech } = this.vad.process(frame);
    this.frameNo++;
    if (speech) {
      this.speechRun += FRAME_MS;
      this.silenceRun = 0;
      this.lastVadSpeechFrame = this.frameNo;
    } else {
      this.silenceRun += FRAME_MS;
      if (this.utterance === null) this.speechRun = 0;
    }

    if (this.utterance === null) {
      this.preRoll.push(frame);
      const keep = Math.ceil(this.s.preRollMs / FRAME_MS);
      if (this.preRoll.length > keep) this.preRoll.shift();
      // Start of a caller turn: 60 ms of speech. While the box talks, half of bargeInMs, so the
      // ASR has had a look by the time the speech is long enough to stop the box.
      const needed = this.speaking ? Math.max(60, this.s.bargeInMs / 2) : 60;
      if (speech && this.speechRun >= needed && !this.busy) this.startUtterance();
      return;
    }
    this.utterance.push(frame);
    this.asrStream?.write(frame);
    this.trackSpeechEnergy(frame, speech);
    if (this.overBox) this.judgeOverBox(speech);
    if (this.utterance === null) return; // judged a backchannel and dropped
    const silentMs = (this.frameNo - this.endOfSpeechFrame()) * FRAME_MS;
    if (!speech && silentMs >= hangoverFor(this.expect, this.s.hangoverMs)) {
      const turn = { frames: this.utterance, stream: this.asrStream, overBox: this.overBox };
      this.utterance = null;
      this.asrStream = null;
      this.overBox = null;
      this.speechRun = 0;
      const now = this.deps.clock.now();
      this.detach('the caller turn', this.finishSpeechTurn(turn, now - silentMs, now));
    }
  }

  /** A caller turn begins: its audio so far (pre-roll) goes to a live ASR stream when the engine has one. */
  private startUtterance(): void {
    const frames = [...this.preRoll];
    this.preRoll = [];
    this.utterance = frames;
    this.peakDb = Number.NEGATIVE_INFINITY;
    this.lastLoudFrame = this.frameNo;
    for (const f of frames) this.peakDb = Math.max(this.peakDb, frameDbfs(f));
    // Speech over the box may be a backchannel: the ASR must be able to hear it as one.
    const grammar = this.speaking ? withBackchannels(this.expect?.grammar, this.s.backchannels) : this.expect?.grammar;
    this.turnGrammar = grammar;
    this.overBox = this.speaking ? { speechMs: this.speechRun, probing: false, probedAtMs: 0, heardWords: false, heardBackchannel: false, voicingAtMs: 0, paused: false, interrupted: false } : null;
    this.asrStream = null;
    if (this.deps.asr.stream) {
      try {
        this.asrStream = this.deps.asr.stream(grammar ? { grammar } : {});
        for (const f of frames) this.asrStream.write(f);
      } catch (err) {
        this.log.warn({ err }, 'live recognition unavailable; the turn is recognised when it ends');
        this.asrStream = null;
      }
    }
  }

  /**
   * Where the caller's speech really ended: the VAD keeps saying "speech" for its own hangover
   * (energy ~100 ms, Silero ~100-200 ms) after the voice stops, so the last frame with speech
   * energy at most MAX_VAD_LAG_MS before the VAD's last speech frame is taken instead.
   */
  private trackSpeechEnergy(frame: Int16Array, speech: boolean): void {
    if (!speech) return;
    const db = frameDbfs(frame);
    if (db > this.peakDb) this.peakDb = db;
    if (db > Math.max(SPEECH_FLOOR_DB, this.peakDb - TAIL_BELOW_PEAK_DB)) this.lastLoudFrame = this.frameNo;
  }

  private endOfSpeechFrame(): number {
    const lag = this.lastVadSpeechFrame - this.lastLoudFrame;
    return lag >= 0 && lag * FRAME_MS <= MAX_VAD_LAG_MS ? this.lastLoudFrame : this.lastVadSpeechFrame;
  }

  /**
   * Speech that began while the box talked: a backchannel ("mm-hm", "okay") or a cough lets the box
   * go on; anything else stops it. Decided from the ASR: the live partial when the engine gives
   * one, else a quick look at the speech so far every PROBE_EVERY_MS; speech past backchannelMaxMs
   * stops the box regardless. A burst that ends as a backchannel is dropped: no turn.
   */
  private judgeOverBox(speech: boolean): void {
    const o = this.overBox;
    if (!o || o.interrupted) return;
    if (speech) o.speechMs += FRAME_MS;
    if (o.speechMs >= this.s.backchannelMaxMs) return this.interrupt('long speech over the box');
    // At bargeInMs the box stops unless the ASR has already heard this speech as only a backchannel
    // (or nothing: a cough). A check still running does not hold the box: a real interruption
    // must not wait for a slow engine.
    if (o.speechMs >= this.s.bargeInMs && !o.heardBackchannel) {
      // No backchannel heard: words stop the box now; voiced sound not yet recognised holds it
      // (paused) until the ASR or the burst's length decides; unvoiced noise (a cough, a rustle)
      // lets it talk on. Judged on the burst so far, every PROBE_EVERY_MS.
      if (o.heardWords) return this.interrupt('speech over the box');
      if (!o.paused && (o.speechMs - o.voicingAtMs >= PROBE_EVERY_MS || o.voicingAtMs === 0)) {
        o.voicingAtMs = o.speechMs;
        if (hasVoicedSpeech(concat(this.utterance ?? []), 16000, { minVoicedFrames: 3 })) this.pause(o);
      }
    }
    if (o.speechMs >= this.s.bargeInMs && o.heardWords) return this.interrupt('speech over the box');
    // While the box is held, guesses at part of the burst do not decide: the look at all of it does.
    const partial = o.paused ? '' : (this.asrStream?.partial() ?? '');
    if (partial && !isBackchannel(partial, this.s.backchannels) && !isFillerOnly(partial)) {
      o.heardWords = true;
      if (o.speechMs >= this.s.bargeInMs) return this.interrupt('speech over the box');
    }
    if (o.probing || o.probedAtMs === Number.POSITIVE_INFINITY) return;
    const ended = !speech;
    if (!ended && o.speechMs - o.probedAtMs < PROBE_EVERY_MS && o.probedAtMs > 0) return;
    o.probing = true;
    o.probedAtMs = o.speechMs;
    const frames = this.utterance ?? [];
    const heardUpTo = frames.length;
    const audio = concat(frames);
    void this.deps.asr.recognize(audio, this.turnGrammar ? { grammar: this.turnGrammar } : {}).then(
      (r) => this.guard('the barge-in check', () => this.onProbe(o, r.text, heardUpTo, audio)),
      (err: unknown) => {
        // No more checks for this burst: its length and its final words decide.
        this.log.debug({ err }, 'barge-in check failed');
        o.probedAtMs = Number.POSITIVE_INFINITY;
      },
    );
  }

  private onProbe(o: OverBox, text: string, heardUpTo: number, audio: Int16Array): void {
    o.probing = false;
    if (this.overBox !== o || o.interrupted || this.over) return;
    this.log.debug({ pii: { text }, speechMs: o.speechMs, heardMs: heardUpTo * FRAME_MS }, 'barge-in check');
    // Nothing recognised in voiced audio is no evidence either way (a grammar-bound engine often
    // returns nothing, or a filler like "a", for the first tenth of a second of speech or for a
    // hum); in unvoiced noise it is a cough. Only words that are all backchannels hold the box.
    const empty = text.trim() === '' || isFillerOnly(text);
    // Once the caller has been quiet for a while (not the closure of a "k" inside "okay") and the
    // look covered the whole burst, what it heard, or that it heard nothing, is the answer.
    const quiet = this.silenceRun >= BURST_OVER_MS;
    const wholeBurst = quiet && this.utterance !== null && heardUpTo >= this.utterance.length - this.silenceRun / FRAME_MS;
    if (empty && !wholeBurst && hasVoicedSpeech(audio, 16000, { minVoicedFrames: 3 })) return;
    if (!empty) o.heardBackchannel = isBackchannel(text, this.s.backchannels);
    if (!empty && !o.heardBackchannel) {
      // A held box waits for the look at the whole burst: a recogniser's guess at the first part of
      // a hum or an "okay" ("am", "where") is not yet words.
      if (o.paused && !wholeBurst) return;
      // Words: the box stops once the speech is long enough not to be a click or a cough.
      o.heardWords = true;
      if (o.speechMs >= this.s.bargeInMs) this.interrupt('speech over the box');
      return;
    }
    // Only a backchannel (or nothing) so far. If the caller has gone quiet since and the check saw
    // the whole burst, that was all: drop it and let the box talk on.
    if (wholeBurst) {
      this.log.debug({ pii: { text } }, 'backchannel: the box talks on');
      this.resume(o);
      this.asrStream?.cancel();
      this.asrStream = null;
      this.utterance = null;
      this.overBox = null;
      this.speechRun = 0;
    }
  }

  private interrupt(why: string, o: OverBox | null = this.overBox): void {
    if (o) o.interrupted = true;
    if (!this.speaking) return;
    this.log.info({ why }, 'barge-in');
    this.call.media.clear();
  }

  /** Holds the box's reply while speech over it is judged. */
  private pause(o: OverBox): void {
    if (!this.speaking || o.paused || o.interrupted) return;
    o.paused = true;
    this.log.info('barge-in: paused while the caller speaks');
    this.call.media.pause();
  }

  /** The speech over the box was a backchannel or noise: the reply goes on from where it paused. */
  private resume(o: OverBox | null): void {
    if (!o?.paused || o.interrupted) return;
    o.paused = false;
    this.log.info('barge-in: resumed');
    this.call.media.resume();
  }

  private onDigit(digit: string): void {
    if (this.over) return;
    if (this.speaking) this.call.media.clear();
    if (digit === '#') return this.flushDigits();
    this.digits += digit;
    this.deps.clock.clearTimeout(this.digitTimer);
    // Single keys answer menus at once; for number entry the agent expects digits and waits.
    const wait = this.expect?.kind === 'digits' ? 2000 : 600;
    this.digitTimer = this.deps.clock.setTimeout(() => this.guard('reading keys', () => this.flushDigits()), wait);
  }

  private flushDigits(): void {
    this.deps.clock.clearTimeout(this.digitTimer);
    this.digitTimer = null;
    const digits = this.digits;
    this.digits = '';
    if (!digits || this.busy) return;
    const now = this.deps.clock.now();
    this.detach('the keypad turn', this.respond({ kind: 'dtmf', digits }, { endOfSpeech: now, endpoint: now, asrFinal: now, replyChosen: null, firstAudio: null }));
  }

  private async finishSpeechTurn(turn: { frames: Int16Array[]; stream: AsrStream | null; overBox: OverBox | null }, endOfSpeech: number, endpoint: number): Promise<void> {
    if (this.busy) {
      turn.stream?.cancel();
      return;
    }
    this.busy = true;
    let text = '';
    let confidence: number | null = null;
    try {
      const r = turn.stream ? await turn.stream.finish().catch((err: unknown) => {
        this.log.warn({ err }, 'live recognition failed; recognising the whole turn');
        return this.deps.asr.recognize(concat(turn.frames), this.turnGrammar ? { grammar: this.turnGrammar } : {});
      }) : await this.deps.asr.recognize(concat(turn.frames), this.turnGrammar ? { grammar: this.turnGrammar } : {});
      text = r.text;
      confidence = r.confidence;
    } catch (err) {
      this.log.warn({ err }, 'recognition failed');
    }
    const asrFinal = this.deps.clock.now();
    this.busy = false;
    if (!text) {
      // Noise or a cough: not a turn. Keep listening (and keep talking if we were).
      this.resume(turn.overBox);
      return;
    }
    if (turn.overBox && !turn.overBox.interrupted && (isBackchannel(text, this.s.backchannels) || isFillerOnly(text))) {
      // "mm-hm" (or a hum heard as "a") over the box that ran on past the end of its reply: still not a turn.
      this.log.debug({ pii: { text } }, 'backchannel: not a turn');
      this.resume(turn.overBox);
      return;
    }
    if (turn.overBox?.paused && !turn.overBox.interrupted) {
      // Held, and it was a turn: stop the reply for good, and let its playback report what was heard.
      this.interrupt('speech over the box', turn.overBox);
      await this.replyEnded;
    }
    this.log.info({ words: text.split(' ').length, confidence }, 'caller turn');
    this.log.debug({ pii: { text } }, 'caller said');
    await this.respond({ kind: 'speech', text, confidence }, { endOfSpeech, endpoint, asrFinal, replyChosen: null, firstAudio: null });
  }

  private async respond(input: TurnInput, marks: TurnMarks): Promise<void> {
    if (this.over) return;
    this.busy = true;
    this.reprompts = input.kind === 'silence' ? this.reprompts : 0;
    let reply: AgentReply;
    try {
      reply = await this.agent.respond(input, this.heard);
    } catch (err) {
      this.log.error({ err }, 'agent failed');
      reply = { text: 'Sorry, something went wrong on my side. Let me get someone to call you back.', hangup: true };
    } finally {
      this.busy = false;
    }
    marks.replyChosen = this.deps.clock.now();
    this.log.debug({ pii: { text: reply.text } }, 'reply');
    // A new reply replaces whatever was still playing.
    this.speakAbort?.abort();
    this.call.media.clear();
    await this.say(reply, { input, marks });
  }

  /** Speaks a reply sentence by sentence; records how much was heard when interrupted. */
  private async say(reply: AgentReply, turn: { input: TurnInput; marks: TurnMarks }): Promise<void> {
    this.expect = reply.expect;
    const abort = new AbortController();
    this.speakAbort = abort;
    this.speaking = true;
    let ended = (): void => undefined;
    this.replyEnded = new Promise<void>((resolve) => (ended = resolve));
    const sentences = splitSentences(reply.text);
    const sentenceMs: number[] = [];
    const marks = turn.marks;
    const clock = this.deps.clock;
    const tts = this.deps.tts;
    async function* audio(): AsyncGenerator<Int16Array> {
      for await (const chunk of speakSentences(tts, reply.text, abort.signal)) {
        marks.firstAudio ??= clock.now();
        sentenceMs.push((chunk.length / 16000) * 1000);
        yield chunk;
      }
    }
    let result = { playedMs: 0, interrupted: false };
    try {
      result = await this.call.media.play(audio());
    } catch (err) {
      this.log.warn({ err }, 'could not speak the reply');
    }
    if (this.speakAbort === abort) {
      this.speaking = false;
      this.speakAbort = null;
    }
    // Sentences fully played before an interruption are what the caller heard.
    let acc = 0;
    const heard: string[] = [];
    for (let i = 0; i < sentenceMs.length; i++) {
      acc += sentenceMs[i] as number;
      if (acc <= result.playedMs + 1) heard.push(sentences[i] as string);
    }
    this.heard = { interrupted: result.interrupted, heardText: heard.join(' ') };
    ended();
    this.quietSince = clock.monotonic();
    try {
      this.deps.onTurn?.(this.call.id, { input: turn.input, reply: reply.text, marks, interrupted: result.interrupted });
    } catch (err) {
      // The transcript row is lost (a full or read-only disk); the caller is still talking to the box.
      this.log.error({ err }, 'could not store the turn in the call log; the call goes on');
    }
    if (result.interrupted) return;
    if (reply.transfer) {
      if (!(await this.call.transfer())) await this.say({ text: 'Sorry, no one can take your call right now. Someone will call you back soon.', hangup: true }, { input: turn.input, marks: { endOfSpeech: null, endpoint: null, asrFinal: null, replyChosen: clock.now(), firstAudio: null } });
      return;
    }
    if (reply.hangup) this.call.hangup('conversation ended');
  }

  private checkNoInput(): void {
    if (this.over || this.speaking || this.busy || this.utterance !== null || this.digits) return;
    const quietFor = this.quietSince === null ? 0 : this.deps.clock.monotonic() - this.quietSince;
    if (this.quietSince === null || quietFor < this.s.noInputMs) return;
    this.reprompts++;
    this.quietSince = this.deps.clock.monotonic();
    const now = this.deps.clock.now();
    if (this.reprompts > this.s.maxReprompts) {
      this.detach('the goodbye', this.say({ text: 'I have not heard anything, so I will hang up now. Please call back any time. Goodbye.', hangup: true }, { input: { kind: 'silence', count: this.reprompts }, marks: { endOfSpeech: null, endpoint: null, asrFinal: null, replyChosen: now, firstAudio: null } }));
      return;
    }
    this.detach('the reprompt', this.respond({ kind: 'silence', count: this.reprompts }, { endOfSpeech: null, endpoint: null, asrFinal: null, replyChosen: null, firstAudio: null }));
  }
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}
