// The turn-taking state machine of one spoken call (its states and events: states.ts). Each event
// is handled at once, start to end; work that takes time (recognition, the agent, playback, a
// transfer) is started here and comes back as an event. Timers run on the injected Clock.
// Here: the caller region (turns open and end, endpointing.ts counts the frames), the mind
// (recognise, ask the agent), keys and no-input; the voice region is box-voice.ts, and speech over
// the box is judged by over-box.ts and carried out by barge-in.ts.
// What callers say and what the box replies is personal data: logged only at debug, under `pii`.
// A handler that throws ends this call (hung up, reason given), never the process.
import type { Logger } from '../../log.js';
import type { Clock } from '../../shared/clock.js';
import type { ActiveCall } from '../../telephony/call-manager.js';
import { isNarrowband } from '../asr/call-band.js';
import type { Asr, AsrResult, AsrStream } from '../asr/types.js';
import { isBackchannel, isFillerOnly, withBackchannels } from '../backchannel.js';
import type { Tts } from '../tts/types.js';
import { BargeIn } from './barge-in.js';
import { BoxVoice } from './box-voice.js';
import { EARLY_LEAD_MS, looksComplete, type EarlyFinal } from './early-final.js';
import { concat, Endpointer, hangoverFor, turnStartMs } from './endpointing.js';
import { noMarks, type Exchange } from './exchange.js';
import { KeyEntry } from './keys.js';
import { OverBoxJudge } from './over-box.js';
import type { CallerState, CallerTurn, MindState, Phase, TurnEvent, Utterance } from './states.js';
import type { AgentReply, AsrWordScore, ConversationAgent, Reheard, TurnInput, TurnRecord, TurnTakingSettings } from './types.js';

const AGENT_FAILED = 'Sorry, something went wrong on my side. Let me get someone to call you back.';
const GOODBYE = 'I have not heard anything, so I will hang up now. Please call back any time. Goodbye.';
/**
 * A constrained turn the recogniser rejected with no words at all (all garbage: "what are your
 * hours" to a yes/no question) is still a turn when the VAD heard this much speech: the caller is
 * asked again at once, not left in silence until the no-input reprompt. Shorter (a cough, an "um")
 * stays nothing.
 */
const REJECTED_TURN_MIN_SPEECH_MS = 500;

export interface TurnSessionDeps {
  /** The call's logger. */
  log: Logger;
  clock: Clock;
  asr: Asr;
  tts: Tts;
  agent: ConversationAgent;
  settings: TurnTakingSettings;
  call: ActiveCall;
  onTurn?: (callId: number, turn: TurnRecord) => void;
}

export class TurnSession {
  private caller: CallerState = { state: 'quiet' };
  private mind: MindState = { state: 'idle' };
  private over = false;
  private readonly voice: BoxVoice;
  private readonly bargeIn: BargeIn;
  private readonly endpointer: Endpointer;
  private readonly keys: KeyEntry;
  private reprompts = 0;

  constructor(private readonly deps: TurnSessionDeps) {
    const { log, clock, tts, call, onTurn } = deps;
    this.voice = new BoxVoice({ log, clock, tts, call, ...(onTurn ? { onTurn } : {}), launch: (what, work, toEvent) => this.launch(what, work, toEvent) });
    this.bargeIn = new BargeIn({ log, asr: deps.asr, voice: this.voice, report: (e) => this.guard('the barge-in check', () => this.dispatch(e)) });
    this.endpointer = new Endpointer(deps.settings.preRollMs);
    this.keys = new KeyEntry({ clock, onWaitOver: () => this.guard('reading keys', () => this.dispatch({ type: 'digit-wait-over' })) });
  }

  get phase(): Phase {
    const voice = this.voice.state.state;
    if (this.over) return 'ending';
    if (voice === 'transferring' || voice === 'paused') return voice;
    if (this.caller.state === 'speaking') return 'caller-speaking';
    if (this.mind.state !== 'idle') return 'thinking';
    return voice === 'speaking' ? 'box-speaking' : 'listening';
  }

  get ended(): boolean {
    return this.over;
  }

  /** Speaks the agent's greeting (a greeting() that throws is the caller's to handle). */
  greet(): void {
    const { agent, call, clock } = this.deps;
    const greeting = agent.greeting({ id: call.id, callerPhone: call.caller.phone, narrowband: isNarrowband(call.media.codec) });
    this.voice.say(greeting, { what: 'the greeting', input: { kind: 'silence', count: 0 }, marks: noMarks(clock.now()) });
  }

  /** Runs a callback of this call; if it throws, the call ends (the daemon goes on). */
  guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(what, err);
    }
  }

  /** Handles one event (throws what its handler throws: see guard()). */
  dispatch(e: TurnEvent): void {
    const before = this.phase;
    this.on(e);
    const after = this.phase;
    if (after !== before) this.deps.log.debug({ from: before, to: after, event: e.type }, 'turn phase');
  }

  private on(e: TurnEvent): void {
    switch (e.type) {
      case 'frame':
        return this.onFrame(e.frame, e.speech);
      case 'end-of-turn':
        return this.onEndOfTurn(e.endOfSpeech, e.endpoint);
      case 'probe-result': {
        const u = this.over ? null : this.utterance();
        if (this.bargeIn.heard(u, e.judge, { ...e, silenceMs: this.endpointer.silenceRun })) this.dropBurst();
        return;
      }
      case 'probe-failed':
        // No more looks at this burst: its length and its final words decide.
        this.deps.log.debug({ err: e.err }, 'barge-in check failed');
        return e.judge.lookFailed();
      case 'asr-final':
        return this.onFinal(e.turn, e.text, e.confidence, e.rejected, e.words, e.reheard);
      case 'agent-reply':
        return this.onReply(e.exchange, e.reply);
      case 'playback-ended':
      case 'transfer-ended':
        return this.voice.handle(e);
      case 'dtmf':
        return this.onDigit(e.digit);
      case 'digit-wait-over':
        return this.flushDigits();
      case 'no-input-check':
        return this.checkNoInput();
      case 'call-ended':
        return this.onCallEnded();
    }
  }

  private onFrame(frame: Int16Array, speech: boolean): void {
    // While a transfer rings or the caller is bridged to staff, what the caller says is for them.
    if (this.over || this.transferring) return;
    const ep = this.endpointer;
    ep.count(speech, this.caller.state === 'speaking');
    if (this.caller.state === 'quiet') {
      ep.keep(frame);
      if (speech && ep.speechRun >= turnStartMs(this.voice.speaking, this.deps.settings.bargeInMs) && !this.busy) this.openTurn();
      return;
    }
    const u = this.caller.utterance;
    u.frames.push(frame);
    if (!u.early) u.stream?.write(frame);
    this.feedRetry(u);
    ep.track(frame, speech);
    if (u.overBox) this.bargeIn.frame(u, u.overBox, speech);
    if (this.utterance() !== u) return; // judged a backchannel and dropped
    const silentMs = ep.silentMs();
    const { hangoverMs, completeAnswerMs } = this.deps.settings;
    const wait = hangoverFor(this.voice.expect, hangoverMs);
    const early = u.early;
    if (early && silentMs < early.silentMs) this.restartStream(u); // the caller speaks again
    else if (early) early.silentMs = silentMs;
    const whole = !speech && !!early?.result && silentMs >= completeAnswerMs && looksComplete(early.result, this.voice.expect);
    if ((!speech && silentMs >= wait) || whole) {
      const now = this.deps.clock.now();
      this.dispatch({ type: 'end-of-turn', endOfSpeech: now - silentMs, endpoint: now });
    } else if (!early && !u.overBox && u.stream && completeAnswerMs < wait && silentMs >= completeAnswerMs - EARLY_LEAD_MS) {
      this.finishEarly(u, u.stream, silentMs);
    }
  }

  /** Finishes the turn's stream in the caller's silence, before the turn has ended (early-final.ts). */
  private finishEarly(u: Utterance, stream: AsrStream, silentMs: number): void {
    const early: EarlyFinal = { silentMs, result: null, promise: stream.finish() };
    // Its failure is met when the turn ends (recognise() then hears the whole turn).
    early.promise.then((r) => (early.result = r)).catch(() => undefined);
    u.early = early;
  }

  /**
   * A turn long enough to be heard again if its grammar rejects it (a question or a correction to a
   * yes/no) is also fed live to the retry grammar's decoder, so that a rejected turn waits only for
   * the tail of that decode: decoding the whole turn again after the first took ~400 ms more
   * (turn-latency bench). Shorter turns ("yes", "no") cost no second decoder.
   */
  private feedRetry(u: Utterance): void {
    const frame = u.frames[u.frames.length - 1];
    if (u.again) {
      if (frame) u.again.write(frame);
      return;
    }
    const { asr, log } = this.deps;
    if (!u.retry || !asr.stream || u.again === null || this.endpointer.speechRun < REJECTED_TURN_MIN_SPEECH_MS) return;
    try {
      u.again = asr.stream({ grammar: u.retry });
      for (const f of u.frames) u.again.write(f);
    } catch (err) {
      log.warn({ err }, 'live recognition of the retry grammar unavailable; a rejected turn is decoded again when it ends');
      u.again = null;
    }
  }

  /** Speech after an early finish: its result is dropped, and a new stream hears the whole turn. */
  private restartStream(u: Utterance): void {
    u.stream?.cancel();
    u.early = null;
    u.stream = null;
    const { asr } = this.deps;
    if (!asr.stream) return;
    try {
      u.stream = asr.stream(u.grammar ? { grammar: u.grammar } : {});
      for (const f of u.frames) u.stream.write(f);
    } catch (err) {
      this.deps.log.warn({ err }, 'live recognition unavailable; the turn is recognised when it ends');
      u.stream = null;
    }
  }

  /** A caller turn begins: its audio so far (pre-roll) goes to a live ASR stream when the engine has one. */
  private openTurn(): void {
    const { asr, settings } = this.deps;
    const frames = this.endpointer.open();
    const overBox = this.voice.speaking;
    // Speech over the box may be a backchannel: the ASR must be able to hear it as one.
    const grammar = overBox ? withBackchannels(this.voice.expect?.grammar, settings.backchannels) : this.voice.expect?.grammar;
    const utterance: Utterance = { frames, stream: null, grammar, retry: this.voice.expect?.retry, overBox: overBox ? new OverBoxJudge(settings, this.endpointer.speechRun) : null };
    this.caller = { state: 'speaking', utterance };
    if (!asr.stream) return;
    try {
      utterance.stream = asr.stream(grammar ? { grammar } : {});
      for (const f of frames) utterance.stream.write(f);
    } catch (err) {
      this.deps.log.warn({ err }, 'live recognition unavailable; the turn is recognised when it ends');
      utterance.stream = null;
    }
  }

  /** The burst over the box was a backchannel and is over: no turn is made of it. */
  private dropBurst(): void {
    this.utterance()?.stream?.cancel();
    this.utterance()?.again?.cancel();
    this.caller = { state: 'quiet' };
    this.endpointer.close();
  }

  private onEndOfTurn(endOfSpeech: number, endpoint: number): void {
    const utterance = this.utterance();
    if (!utterance) return;
    const speechMs = this.endpointer.speechRun;
    this.caller = { state: 'quiet' };
    this.endpointer.close();
    if (this.busy) {
      utterance.again?.cancel();
      return utterance.stream?.cancel();
    }
    const turn: CallerTurn = { utterance, endOfSpeech, endpoint, speechMs };
    this.mind = { state: 'recognising', turn };
    this.launch('the caller turn', this.recognise(utterance, speechMs), (r) => ({ type: 'asr-final', turn, ...r }));
  }

  private async recognise(u: Utterance, speechMs: number): Promise<{ text: string; confidence: number | null; rejected: boolean; words: AsrWordScore[]; reheard?: Reheard }> {
    const whole = (): Promise<AsrResult> => this.deps.asr.recognize(concat(u.frames), u.grammar ? { grammar: u.grammar } : {});
    try {
      const live = u.early ? u.early.promise : u.stream?.finish();
      const r = live
        ? await live.catch((err: unknown) => {
            this.deps.log.warn({ err }, 'live recognition failed; recognising the whole turn');
            return whole();
          })
        : await whole();
      const heard = { text: r.text, confidence: r.confidence, rejected: r.rejected === true, words: wordScores(r) };
      // Rejected, and long enough to be more than a word (a question, a correction): the same audio through the turn's retry grammar.
      if (!heard.rejected || !u.retry || speechMs < REJECTED_TURN_MIN_SPEECH_MS) {
        u.again?.cancel();
        return heard;
      }
      const retry = u.retry;
      const wholeAgain = (): Promise<AsrResult> => this.deps.asr.recognize(concat(u.frames), { grammar: retry });
      const again = await (u.again ? u.again.finish().catch(wholeAgain) : wholeAgain()).catch((err: unknown) => {
        this.deps.log.warn({ err }, 'second recognition of a rejected turn failed');
        return null;
      });
      return again && !again.rejected && again.text ? { ...heard, reheard: { text: again.text, words: wordScores(again) } } : heard;
    } catch (err) {
      u.again?.cancel();
      this.deps.log.warn({ err }, 'recognition failed');
      return { text: '', confidence: null, rejected: false, words: [] };
    }
  }

  private onFinal(turn: CallerTurn, text: string, confidence: number | null, rejected: boolean, words: readonly AsrWordScore[], reheard?: Reheard): void {
    const { log, clock, settings } = this.deps;
    const asrFinal = clock.now();
    this.mind = { state: 'idle' };
    const overBox = turn.utterance.overBox;
    // Noise or a cough: not a turn. Keep listening (and keep talking if we were).
    if (!text && !(rejected && (!overBox || overBox.interrupted) && turn.speechMs >= REJECTED_TURN_MIN_SPEECH_MS)) return this.bargeIn.letGo(overBox);
    if (overBox && !overBox.interrupted && (rejected || isBackchannel(text, settings.backchannels) || isFillerOnly(text))) {
      // "mm-hm" (or a hum heard as "a") over the box that ran on past the end of its reply: still not a turn.
      log.debug({ pii: { text } }, 'backchannel: not a turn');
      return this.bargeIn.letGo(overBox);
    }
    const exchange: Exchange = { what: 'the caller turn', input: { kind: 'speech', text, confidence, ...(rejected ? { rejected, ...(reheard ? { reheard } : {}) } : words.some((w) => w.confidence !== null) ? { words } : {}) }, marks: { endOfSpeech: turn.endOfSpeech, endpoint: turn.endpoint, asrFinal, replyChosen: null, firstAudio: null } };
    const answer = (): void => {
      log.info({ words: text.split(' ').length, confidence, rejected, ...(reheard ? { reheard: true } : {}) }, 'caller turn');
      log.debug({ pii: { text, ...(reheard ? { reheard: reheard.text } : {}) } }, 'caller said');
      this.respond(exchange);
    };
    if (!overBox?.paused || overBox.interrupted) return answer();
    // Held, and it was a turn: stop the reply for good, and let its playback report what was heard.
    this.mind = { state: 'stopping-reply', turn };
    this.bargeIn.stop(overBox);
    this.voice.afterLatest(() => this.guard('the caller turn', answer));
  }

  /** Asks the agent for the reply to `x` (its failure is a reply too: an apology and a hang-up). */
  private respond(x: Exchange): void {
    if (this.over) return;
    this.mind = { state: 'answering', exchange: x };
    this.reprompts = x.input.kind === 'silence' ? this.reprompts : 0;
    this.launch(x.what, this.ask(x.input), (reply) => ({ type: 'agent-reply', exchange: x, reply }));
  }

  private async ask(input: TurnInput): Promise<AgentReply> {
    try {
      return await this.deps.agent.respond(input, this.voice.heard);
    } catch (err) {
      this.deps.log.error({ err }, 'agent failed');
      return { text: AGENT_FAILED, hangup: true };
    }
  }

  private onReply(x: Exchange, reply: AgentReply): void {
    this.mind = { state: 'idle' };
    x.marks.replyChosen = this.deps.clock.now();
    this.deps.log.debug({ pii: { text: reply.text } }, 'reply');
    this.voice.replace();
    this.voice.say(reply, x);
  }

  private onDigit(digit: string): void {
    if (this.over || this.transferring) return;
    this.voice.interrupt();
    if (digit === '#') return this.flushDigits();
    this.keys.press(digit, this.voice.expect?.kind === 'digits');
  }

  private flushDigits(): void {
    // '#' alone answers a question for digits with none ("press pound if no code came").
    const digits = this.keys.take() || (this.voice.expect?.kind === 'digits' ? '#' : '');
    if (!digits || this.busy) return;
    const now = this.deps.clock.now();
    this.respond({ what: 'the keypad turn', input: { kind: 'dtmf', digits }, marks: { endOfSpeech: now, endpoint: now, asrFinal: now, replyChosen: null, firstAudio: null } });
  }

  private checkNoInput(): void {
    const { clock, settings } = this.deps;
    const quietSince = this.voice.quietSince;
    if (this.over || this.transferring || this.voice.speaking || this.busy || this.caller.state === 'speaking' || this.keys.pending) return;
    if (quietSince === null || clock.monotonic() - quietSince < settings.noInputMs) return;
    this.reprompts++;
    this.voice.quietSince = clock.monotonic();
    const input: TurnInput = { kind: 'silence', count: this.reprompts };
    if (this.reprompts > settings.maxReprompts) return this.voice.say({ text: GOODBYE, hangup: true }, { what: 'the goodbye', input, marks: noMarks(clock.now()) });
    this.respond({ what: 'the reprompt', input, marks: noMarks() });
  }

  private onCallEnded(): void {
    this.over = true;
    this.keys.stop();
    this.voice.abort();
    const u = this.utterance();
    u?.stream?.cancel();
    u?.again?.cancel();
    if (u) u.stream = null;
  }

  /** Work that runs on its own: what it yields becomes an event; its failure ends the call. */
  private launch<T>(what: string, work: Promise<T>, toEvent: (result: T) => TurnEvent): void {
    work.then((r) => this.dispatch(toEvent(r))).catch((err: unknown) => this.fail(what, err));
  }

  private fail(what: string, err: unknown): void {
    const { log, call } = this.deps;
    if (this.over) {
      log.debug({ err }, `${what} failed after the call ended`);
      return;
    }
    this.over = true;
    log.error({ err }, `${what} failed: ending the call`);
    try {
      call.hangup(`internal error (${what})`);
    } catch (hangupErr) {
      log.error({ err: hangupErr }, 'could not hang up');
    }
  }

  /** Recognising a turn or waiting for the agent: no new turn starts, keys and silence wait. */
  private get busy(): boolean {
    return this.mind.state === 'recognising' || this.mind.state === 'answering';
  }

  private get transferring(): boolean {
    return this.voice.state.state === 'transferring';
  }

  private utterance(): Utterance | null {
    return this.caller.state === 'speaking' ? this.caller.utterance : null;
  }
}

/** The recogniser's words and confidences, as the agent receives them. */
function wordScores(r: AsrResult): AsrWordScore[] {
  return (r.words ?? []).map((w) => ({ word: w.word, confidence: w.confidence }));
}
