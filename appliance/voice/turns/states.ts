// The states of a spoken call and the events that move them (session.ts runs the machine).
//
// Three regions move side by side, each with its own explicit states, because their activities
// overlap on a real call: the box goes on talking while the caller starts speaking (and a burst
// that began over the box is still judged as one after the reply ends under it), and the agent
// works out the answer to a short "no" said over the end of a reply while that reply plays out.
//   caller: quiet -> speaking (a turn being collected; `overBox` when it began over the box)
//   mind:   idle -> recognising -> (stopping the held reply) -> answering -> idle
//   voice:  silent -> speaking <-> paused (held for a possible backchannel) -> silent | transferring
//           (while transferring, the caller's speech and keys are for staff: no turns, no reprompts)
// The call's phase, for logs and tests, is read from them: ending (the call is over), transferring,
// paused, caller-speaking, thinking, box-speaking, listening - the first that applies.
import type { AsrGrammar, AsrStream } from '../asr/types.js';
import type { EarlyFinal } from './early-final.js';
import type { Exchange, SpokenReply } from './exchange.js';
import type { OverBoxJudge } from './over-box.js';
import type { AgentReply, AsrWordScore, Reheard } from './types.js';

export type Phase = 'listening' | 'caller-speaking' | 'thinking' | 'box-speaking' | 'paused' | 'transferring' | 'ending';

/** A caller turn being collected. */
export interface Utterance {
  frames: Int16Array[];
  /** The live ASR of the utterance, when the engine has stream(). */
  stream: AsrStream | null;
  /** The grammar it is recognised with (with the backchannels added over the box). */
  grammar: AsrGrammar | undefined;
  /** The grammar a rejected decode is tried again with (Expectation.retry). */
  retry?: AsrGrammar | undefined;
  /**
   * The retry grammar's live ASR, opened once the turn is long enough to be heard again (null: it
   * could not be opened; the whole turn is then decoded again if rejected).
   */
  again?: AsrStream | null;
  /** Set when it began while the box talked: judged until it is known to be more than a backchannel. */
  overBox: OverBoxJudge | null;
  /** Its stream finished early, in the caller's silence (early-final.ts). */
  early?: EarlyFinal | null;
}

export type CallerState = { state: 'quiet' } | { state: 'speaking'; utterance: Utterance };

/** A caller turn that ended (ms since the epoch): being recognised, then answered. */
export interface CallerTurn {
  utterance: Utterance;
  endOfSpeech: number;
  endpoint: number;
  /** The VAD's speech in the turn (ms of frames). */
  speechMs: number;
}

export type MindState =
  | { state: 'idle' }
  | { state: 'recognising'; turn: CallerTurn }
  /** The caller's turn over a held reply: the reply is being stopped, and its end says what was heard. */
  | { state: 'stopping-reply'; turn: CallerTurn }
  | { state: 'answering'; exchange: Exchange };

export type VoiceState =
  | { state: 'silent' }
  | { state: 'speaking'; reply: SpokenReply }
  | { state: 'paused'; reply: SpokenReply }
  | { state: 'transferring' };

export type TurnEvent =
  /** A caller frame (20 ms, 16 kHz) and the VAD's decision on it. */
  | { type: 'frame'; frame: Int16Array; speech: boolean }
  /** The endpointer found the end of the caller's turn (ms since the epoch). */
  | { type: 'end-of-turn'; endOfSpeech: number; endpoint: number }
  /** A look at a burst over the box came back. */
  | { type: 'probe-result'; judge: OverBoxJudge; text: string; heardUpTo: number; audio: Int16Array }
  | { type: 'probe-failed'; judge: OverBoxJudge; err: unknown }
  /** The final words of a caller turn ('' when nothing was recognised or recognition failed). */
  | { type: 'asr-final'; turn: CallerTurn; text: string; confidence: number | null; rejected: boolean; words: readonly AsrWordScore[]; reheard?: Reheard }
  | { type: 'agent-reply'; exchange: Exchange; reply: AgentReply }
  | { type: 'playback-ended'; reply: SpokenReply; playedMs: number; interrupted: boolean }
  | { type: 'transfer-ended'; exchange: Exchange; transferred: boolean }
  | { type: 'dtmf'; digit: string }
  /** The wait after the last key is over: the keys so far are the input. */
  | { type: 'digit-wait-over' }
  /** The periodic check for a caller who says nothing. */
  | { type: 'no-input-check' }
  | { type: 'call-ended' };
