// The speech-recognition engine interface (in the manner of LiveKit's `STT`): small, with declared
// capabilities, so the dialog never asks which engine it is talking to. Audio is always 16 kHz mono
// signed 16-bit; the voice pipeline resamples before calling an engine.
import { ApplianceError } from '../../errors.js';

/**
 * What the dialog expects the caller to say this turn. Engines with `capabilities.grammar` restrict
 * recognition to it; the others may use it as a hint or ignore it. Text is ordinary written text
 * ("2:30", "HydraFacial"): each engine normalises it for its own vocabulary.
 *
 * - `phrases`: whole utterances the caller is likely to say ("yes please", "next tuesday").
 * - `words`: slot vocabulary that may come in any order and number ("botox", "friday", "three").
 * - `closed: true`: the caller can only be heard as one of `phrases` (a yes/no question, a menu);
 *   otherwise any sequence of the words of `phrases` and `words` (plus the engine's standing
 *   vocabulary, e.g. the service catalogue) is allowed, with the phrases preferred.
 * - `free: true`: the caller may say anything (an open question). An engine with a language model
 *   of what callers say decodes with it and needs no list; one without uses `phrases` and `words`.
 *
 * - `constrained: true`: a constrained turn (yes/no, one of the offered slots, a name, digits). An
 *   engine that can tell should not force other speech ("um I'm not sure", a cough) onto an answer
 *   but return it with `rejected: true`.
 *
 * Presets for the common turns live in grammars.ts.
 */
export interface AsrGrammar {
  readonly phrases?: readonly string[];
  readonly words?: readonly string[];
  readonly closed?: boolean;
  readonly free?: boolean;
  readonly constrained?: boolean;
  /**
   * Of a constrained turn's phrases, those that commit the caller (a yes to "shall I book it?"):
   * an engine that can judge its answers holds these to a stricter fit than the others (a wrong
   * no costs a question, a wrong yes a booking).
   */
  readonly committing?: readonly string[];
  /**
   * The answer to a check of a detail heard with low confidence ("Was that Botox?"): its
   * confirmations are held to the check's own floor, set apart from a booking's yes because its
   * phrase list is longer ("correct", "that's right", "yep"…) and a rejected answer costs nothing
   * (the detail stands for the read-back before booking).
   */
  readonly check?: boolean;
  /**
   * Exactly this many of `words`, no fewer and no more (a six-digit code): what an engine with
   * grammars forces the answer into instead of any number of them.
   */
  readonly count?: number;
  /**
   * Parts said one after another, each one of its options ("my name is" or "it's", then a first
   * name, then a last name), a part marked optional may be left out: an engine with grammars holds
   * the answer to that order instead of a loop of the same words in any order and number. Another
   * alternative beside `phrases` and `words`.
   */
  readonly sequence?: readonly SequencePart[];
}

/** One part of AsrGrammar.sequence: one of `options` (each a word or a few), or nothing when optional. */
export interface SequencePart {
  readonly options: readonly string[];
  readonly optional?: boolean;
}

export interface AsrWord {
  /** Normalised word as the engine heard it (lowercase, no punctuation). */
  word: string;
  startMs: number;
  endMs: number;
  /** 0..1 when the engine gives a meaningful per-word score, else null. */
  confidence: number | null;
}

export interface AsrResult {
  /** Lowercase words separated by single spaces; '' when nothing was recognised. */
  text: string;
  /** 0..1 when the engine gives a meaningful utterance score, else null (never a made-up 1). */
  confidence: number | null;
  words?: AsrWord[];
  /** Wall time the recognition took, from the call to the result. */
  elapsedMs: number;
  /**
   * On a constrained turn: speech was heard but fits none of the answers (out of grammar, or too
   * poor an acoustic match to believe). `text` is then what the engine made of it, for the log
   * only: the dialog is told the caller was not understood.
   */
  rejected?: boolean;
  /** Engine-specific acoustic fit of the answer (pocketsphinx: score per 10 ms frame), for tuning. */
  fit?: number | null;
}

export interface AsrRecognizeOptions {
  grammar?: AsrGrammar;
  /** Aborting kills the engine's work for this utterance; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The call's codec is narrowband (G.711 at 8 kHz): the 16 kHz audio has nothing above 4 kHz.
   * An engine trained on wideband speech adapts its front end (pocketsphinx: narrowband.ts).
   */
  narrowband?: boolean;
}

/**
 * One utterance fed to the engine while the caller is still talking, so that little work is left
 * when the turn ends. Engines that decode incrementally (pocketsphinx fed live, a streaming
 * zipformer) offer it; per-utterance engines (Whisper) do not.
 */
export interface AsrStream {
  /** Appends 16 kHz mono PCM as it arrives. Never blocks; work happens off the caller's thread. */
  write(audio: Int16Array): void;
  /** The hypothesis so far ('' when the engine has none or gives no partials). */
  partial(): string;
  /** The caller's turn has ended: the final result for everything written. */
  finish(): Promise<AsrResult>;
  /** Abandons the utterance (false start, barge-in that came to nothing, call ended). */
  cancel(): void;
}

export interface AsrCapabilities {
  /** Partial results while the caller is still talking. */
  streaming: boolean;
  /** Honours `AsrGrammar` as a hard constraint. */
  grammar: boolean;
  sampleRate: 16000;
}

export interface Asr {
  readonly name: string;
  readonly capabilities: AsrCapabilities;
  /** Loads models / checks the engine is present. Rejects with AsrEngineMissingError when it is not. */
  start(): Promise<void>;
  /** Cancels work in flight and releases the engine. */
  stop(): Promise<void>;
  /** Recognises one utterance (16 kHz mono PCM, already end-pointed by the VAD). */
  recognize(audio: Int16Array, opts?: AsrRecognizeOptions): Promise<AsrResult>;
  /** Starts an utterance fed live (see AsrStream); absent when the engine only takes whole utterances. */
  stream?(opts?: AsrRecognizeOptions): AsrStream;
}

/** The engine binary or its model files are not installed. Not retryable: install them. */
export class AsrEngineMissingError extends ApplianceError {
  constructor(engine: string, what: string, opts: { cause?: unknown } = {}) {
    super('SPA_ERR_ASR_ENGINE_MISSING', `ASR engine ${engine} is not installed: ${what}`, {
      status: 503,
      details: { engine, what },
      ...opts,
    });
  }
}

/** The engine ran and failed (crash, bad exit status, unreadable output). A retry may work. */
export class AsrEngineFailedError extends ApplianceError {
  constructor(engine: string, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('SPA_ERR_ASR_ENGINE_FAILED', `ASR engine ${engine} failed: ${message}`, {
      status: 502,
      retryable: true,
      details: { engine, ...opts.details },
      cause: opts.cause,
    });
  }
}

/** The engine did not answer within its time limit and was killed. */
export class AsrTimeoutError extends ApplianceError {
  constructor(engine: string, timeoutMs: number) {
    super('SPA_ERR_ASR_TIMEOUT', `ASR engine ${engine} gave no result within ${timeoutMs} ms`, {
      status: 504,
      retryable: true,
      details: { engine, timeoutMs },
    });
  }
}

/**
 * The model files are there but the engine cannot load or run them (corrupt, truncated, a model of
 * another kind). Not retryable: reinstall the model.
 */
export class AsrModelLoadError extends ApplianceError {
  constructor(engine: string, files: readonly string[], detail: string, cause?: unknown) {
    super('SPA_ERR_ASR_MODEL_LOAD', `ASR engine ${engine} could not load its model: ${detail}`, {
      status: 503,
      details: { engine, files: [...files], detail },
      cause,
    });
  }
}
