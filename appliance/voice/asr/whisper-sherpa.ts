// ASR with Whisper (tiny.en / base.en, sherpa-onnx export: `<name>-encoder(.int8).onnx`,
// `<name>-decoder(.int8).onnx`, `<name>-tokens.txt`) through sherpa-onnx-node's OfflineRecognizer.
// Whole utterances only (no stream()); no grammar: Whisper's vocabulary is open, and sherpa-onnx
// offers no prompt or hotwords for it. Features and decoding run in a child process
// (whisper-sherpa-worker.ts), one utterance at a time.
// Clips without voiced speech are answered with '' before Whisper sees them: on silence and
// noise it invents text ("Thank you.").
import { basename, join } from 'node:path';
import type { Logger } from '../../log.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { normalizeText } from './jsgf.js';
import { toFloat32, type SherpaOfflineRecognizerConfig } from './sherpa-asr-binding.js';
import { findModelFile, probeSherpaAsr, requireFile, startEngineProcess, type EngineProcess } from './sherpa-asr-load.js';
import type { WhisperReply, WhisperRequest } from './whisper-sherpa-worker.js';
import { AsrEngineFailedError, AsrModelLoadError, AsrTimeoutError } from './types.js';
import type { Asr, AsrCapabilities, AsrRecognizeOptions, AsrResult } from './types.js';
import { hasVoicedSpeech } from './voicing.js';

const ENGINE = 'whisper-sherpa';
const WORKER = new URL('./whisper-sherpa-worker.js', import.meta.url);

export interface WhisperSherpaConfig {
  /** Folder holding the three files (models/whisper-base.en, models/whisper-tiny.en). */
  modelDir: string;
  /** File name prefix: 'base.en', 'tiny.en'. Default: the prefix of the one `*-encoder*.onnx` in modelDir. */
  name?: string;
  /** Prefer the int8 export when both are present. Default true. */
  int8?: boolean;
  numThreads?: number;
  /** Answer clips without voiced speech with '' instead of decoding them. Default true. */
  voicingGate?: boolean;
  /** Hard limit per utterance: past it the worker is terminated and recognize() rejects with AsrTimeoutError. Default 20 s. */
  timeoutMs?: number;
  /** Time allowed for the load probe (child process). Default 60 s. */
  probeTimeoutMs?: number;
}

export interface WhisperSherpaDeps {
  log: Logger;
  config: WhisperSherpaConfig;
  /** `elapsedMs` on its monotonic time, and the per-utterance time limit. Default the system clock. */
  clock?: Clock;
}

/** Whisper words that are not speech: "[BLANK_AUDIO]", "(music)", "*coughs*". */
const NON_SPEECH = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*/g;

/** Whisper's text as the dialog wants it: lowercase words, numbers spelled out, no annotations. Pure. */
export function whisperText(raw: string): string {
  return normalizeText(raw.replace(NON_SPEECH, ' '));
}

interface Loaded {
  worker: EngineProcess<WhisperRequest, WhisperReply>;
  /** Replies awaited, by utterance id. */
  waiting: Map<number, { resolve: (text: string) => void; reject: (err: unknown) => void }>;
}

export class WhisperSherpaAsr implements Asr {
  readonly name = ENGINE;
  readonly capabilities: AsrCapabilities = { streaming: false, grammar: false, sampleRate: 16000 };
  readonly #deps: WhisperSherpaDeps;
  #loading: Promise<Loaded> | null = null;
  /** Utterances are decoded one after another; this settles when the last queued one has. */
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 1;

  constructor(deps: WhisperSherpaDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    await this.#load();
  }

  async stop(): Promise<void> {
    const loading = this.#loading;
    this.#loading = null;
    const loaded = await loading?.catch(() => null);
    if (loaded) await this.#discard(loaded, new AsrEngineFailedError(ENGINE, 'stopped'));
  }

  async recognize(audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    const clock = this.#deps.clock ?? systemClock;
    const t0 = clock.monotonic();
    await this.#load();
    opts.signal?.throwIfAborted();
    if ((this.#deps.config.voicingGate ?? true) && !hasVoicedSpeech(audio, 16000)) {
      return { text: '', confidence: null, elapsedMs: clock.monotonic() - t0 };
    }
    const timeoutMs = this.#deps.config.timeoutMs ?? 20_000;
    const decode = async (): Promise<string> => {
      opts.signal?.throwIfAborted();
      const loaded = await this.#load();
      const id = this.#nextId++;
      const reply = new Promise<string>((resolve, reject) => loaded.waiting.set(id, { resolve, reject }));
      loaded.worker.postMessage({ op: 'decode', id, samples: toFloat32(audio) });
      // A decode past its time limit is killed with its process; the next utterance loads a new one.
      const limit = clock.setTimeout(() => void this.#discard(loaded, new AsrTimeoutError(ENGINE, timeoutMs)), timeoutMs);
      try {
        return await reply;
      } finally {
        clock.clearTimeout(limit);
      }
    };
    const decoding = this.#queue.then(decode, decode);
    this.#queue = decoding.catch(() => undefined);
    // Hanging up rejects at once; a decode already running finishes in the worker, unseen.
    const raw = await abortable(decoding, opts.signal);
    return { text: whisperText(raw), confidence: null, elapsedMs: clock.monotonic() - t0 };
  }

  /** Ends a worker and everything waiting on it; the next #load() starts a new one. */
  async #discard(loaded: Loaded, reason: unknown): Promise<void> {
    if (this.#loading && (await this.#loading.catch(() => null)) === loaded) this.#loading = null;
    for (const w of loaded.waiting.values()) w.reject(reason);
    loaded.waiting.clear();
    await loaded.worker.terminate();
  }

  #load(): Promise<Loaded> {
    this.#loading ??= this.#create().catch((err: unknown) => {
      this.#loading = null;
      throw err;
    });
    return this.#loading;
  }

  async #create(): Promise<Loaded> {
    const config = this.#deps.config;
    const int8 = config.int8 ?? true;
    const encoder = await findModelFile(ENGINE, config.modelDir, config.name ? new RegExp(`^${escape(config.name)}-encoder(\\.int8)?\\.onnx$`) : /-encoder(\.int8)?\.onnx$/, int8);
    const name = /^(.*)-encoder(\.int8)?\.onnx$/.exec(basename(encoder))?.[1] ?? '';
    const decoder = await findModelFile(ENGINE, config.modelDir, new RegExp(`^${escape(name)}-decoder(\\.int8)?\\.onnx$`), int8);
    const tokens = await requireFile(ENGINE, join(config.modelDir, `${name}-tokens.txt`));
    const sherpaConfig: SherpaOfflineRecognizerConfig = {
      featConfig: { sampleRate: 16000, featureDim: 80 },
      modelConfig: {
        whisper: { encoder, decoder, language: '', task: 'transcribe', tailPaddings: -1 },
        tokens,
        numThreads: config.numThreads ?? 1,
        provider: 'cpu',
        debug: 0,
      },
      decodingMethod: 'greedy_search',
    };
    const files = [encoder, decoder, tokens];
    await probeSherpaAsr(ENGINE, { kind: 'offline', config: sherpaConfig }, files, config.probeTimeoutMs ?? 60_000);
    const worker = await startEngineProcess<WhisperRequest, WhisperReply>(WORKER, { config: sherpaConfig }, (detail, cause) => new AsrModelLoadError(ENGINE, files, detail, cause));
    const loaded: Loaded = { worker, waiting: new Map() };
    worker.on('message', (msg: WhisperReply) => {
      if (msg.op !== 'result' && msg.op !== 'failed') return;
      const w = loaded.waiting.get(msg.id);
      loaded.waiting.delete(msg.id);
      if (msg.op === 'result') w?.resolve(msg.text);
      else w?.reject(new AsrEngineFailedError(ENGINE, msg.message));
    });
    worker.on('error', (err) => {
      this.#deps.log.error({ err, engine: ENGINE }, 'whisper worker failed');
      void this.#discard(loaded, new AsrEngineFailedError(ENGINE, err.message, { cause: err }));
    });
    this.#deps.log.info({ engine: ENGINE, model: name, int8: /\.int8\.onnx$/.test(encoder) }, 'whisper model loaded');
    return loaded;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `work`, or the signal's reason as soon as it aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error); // the caller's reason, whatever it is
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
