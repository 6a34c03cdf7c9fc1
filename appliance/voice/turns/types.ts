// What turn-taking exchanges with the rest of the appliance: the agent it asks for replies, what
// the agent expects next, the records of finished turns and the settings of its timing rules.
import type { Logger } from '../../log.js';
import type { Clock } from '../../shared/clock.js';
import type { Asr, AsrGrammar } from '../asr/types.js';
import { DEFAULT_BACKCHANNELS } from '../backchannel.js';
import type { Tts } from '../tts/types.js';

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
  /**
   * A turn the grammar rejected is decoded again with this one (the open caller model): a question
   * or a correction said at a yes/no or an offer ("wait, how long does it take?") is no answer the
   * grammar holds. Only a rejected turn pays for the second decode.
   */
  retry?: AsrGrammar;
}

/**
 * A caller turn for the agent. `rejected` speech: the recogniser heard speech on a constrained turn
 * but could not take it for any answer the turn allows; `text` is only its guess (for the log),
 * never to be read as an answer.
 */
/** A recognised word and the recogniser's confidence in it (null on a grammar decode). */
export interface AsrWordScore {
  word: string;
  confidence: number | null;
}

/** A rejected turn as the Expectation's `retry` grammar heard it: the agent decides whether it is taken. */
export interface Reheard {
  text: string;
  words: readonly AsrWordScore[];
}

export type TurnInput =
  | { kind: 'speech'; text: string; confidence: number | null; rejected?: true; words?: readonly AsrWordScore[]; reheard?: Reheard }
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
  /** `narrowband`: the call is G.711 (8 kHz), where speech is misheard far more often than on a wideband call. */
  greeting(call: { id: number; callerPhone: string | null; narrowband?: boolean }): AgentReply;
  respond(input: TurnInput, heard: Heard): Promise<AgentReply>;
  /** The call is over (hung up, transferred, failed): called exactly once, when it ends. */
  end?(): void;
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
   * Silence that ends a turn whose words, recognised early in that silence, already read as a whole
   * answer to what the box asked (default 300 ms; see turns/early-final.ts). Needs a live-fed
   * recogniser; a turn that stops mid-sentence keeps the full wait. At or above the turn's full
   * wait it changes nothing.
   */
  completeAnswerMs: number;
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
  completeAnswerMs: 300,
  bargeInMs: 200,
  backchannelMaxMs: 1000,
  backchannels: DEFAULT_BACKCHANNELS,
  noInputMs: 8000,
  maxReprompts: 2,
  preRollMs: 300,
};

export interface TurnTakingDeps {
  log: Logger;
  /** Timers (no-input check, key wait), wall-clock turn marks and monotonic quiet time. */
  clock: Clock;
  vad: () => FrameVad;
  asr: Asr;
  tts: Tts;
  agent: () => ConversationAgent;
  settings?: Partial<TurnTakingSettings>;
  /** Receives each finished turn (the call log stores them). */
  onTurn?: (callId: number, turn: TurnRecord) => void;
}
