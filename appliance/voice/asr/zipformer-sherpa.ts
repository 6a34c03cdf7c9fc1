// ASR with a streaming zipformer transducer (icefall zipformer2, sherpa-onnx export: encoder,
// decoder, joiner .onnx and tokens.txt) through sherpa-onnx-node's OnlineRecognizer, the
// low-latency engine: audio is decoded while the caller talks (stream()), so little is left to do
// when the turn ends. sherpa's online API is synchronous, so the recogniser lives in a child
// process (zipformer-sherpa-worker.ts); this side only posts audio and receives text. Greedy search,
// no grammar (hotwords would need modified beam search and the model's BPE vocabulary).
import { basename, join } from 'node:path';
import type { Logger } from '../../log.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { normalizeText } from './jsgf.js';
import { toFloat32, type SherpaOnlineRecognizerConfig } from './sherpa-asr-binding.js';
import { findModelFile, probeSherpaAsr, requireFile, startEngineProcess, type EngineProcess } from './sherpa-asr-load.js';
import type { ZipformerReply, ZipformerRequest } from './zipformer-sherpa-protocol.js';
import { AsrEngineFailedError, AsrModelLoadError } from './types.js';
import type { Asr, AsrCapabilities, AsrRecognizeOptions, AsrResult, AsrStream, AsrWord } from './types.js';
import { hasVoicedSpeech } from './voicing.js';

const ENGINE = 'zipformer-sherpa';
const WORKER = new URL('./zipformer-sherpa-worker.js', import.meta.url);
/** One encoder output frame (10 ms features, 4x subsampling): the length given to a word's last token. */
const FRAME_MS = 40;

export interface ZipformerSherpaConfig {
  /** Folder holding encoder*.onnx, decoder*.onnx, joiner*.onnx and tokens.txt (models/zipformer-en-streaming). */
  modelDir: string;
  /** Prefer the int8 exports when both are present. Default true. */
  int8?: boolean;
  numThreads?: number;
  /** recognize() answers clips without voiced speech with '' (streams are always decoded). Default true. */
  voicingGate?: boolean;
  /** Silence appended at finish() so the last chunk clears the encoder's right context. Default 0.5 s. */
  tailPaddingMs?: number;
  /** Time allowed for the load probe (child process). Default 60 s. */
  probeTimeoutMs?: number;
}

export interface ZipformerSherpaDeps {
  log: Logger;
  config: ZipformerSherpaConfig;
  /** `elapsedMs` on its monotonic time. Default the system clock. */
  clock?: Clock;
}

interface Pending {
  partial: string;
  done: boolean;
  resolve: (r: Extract<ZipformerReply, { op: 'final' }>) => void;
  reject: (err: unknown) => void;
}

interface Loaded {
  worker: EngineProcess<ZipformerRequest, ZipformerReply>;
  pending: Map<number, Pending>;
}

/** Pieces with their times -> words (a piece starting with a space starts a word). Pure. */
export function wordsFromTokens(tokens: readonly string[], timestamps: readonly number[]): AsrWord[] {
  const words: AsrWord[] = [];
  let text = '';
  let start = 0;
  let last = 0;
  const flush = (): void => {
    const word = normalizeText(text);
    if (word !== '') words.push({ word, startMs: Math.round(start * 1000), endMs: Math.round(last * 1000) + FRAME_MS, confidence: null });
    text = '';
  };
  tokens.forEach((piece, i) => {
    const t = timestamps[i] ?? last;
    if (piece.startsWith(' ') && text !== '') flush();
    if (text === '') start = t;
    text += piece;
    last = t;
  });
  if (text !== '') flush();
  return words;
}

/** Geometric mean of the emitted tokens' probabilities, or null when nothing was emitted. Pure. */
export function utteranceConfidence(logProbs: readonly number[]): number | null {
  if (logProbs.length === 0) return null;
  return Math.exp(logProbs.reduce((a, b) => a + b, 0) / logProbs.length);
}

export class ZipformerSherpaAsr implements Asr {
  readonly name = ENGINE;
  readonly capabilities: AsrCapabilities = { streaming: true, grammar: false, sampleRate: 16000 };
  readonly #deps: ZipformerSherpaDeps;
  #loading: Promise<Loaded> | null = null;
  /** Set once #loading has resolved: stream() must be synchronous. */
  #loaded: Loaded | null = null;
  #nextId = 1;

  constructor(deps: ZipformerSherpaDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    await this.#load();
  }

  async stop(): Promise<void> {
    const loading = this.#loading;
    this.#loading = null;
    this.#loaded = null;
    if (!loading) return;
    const loaded = await loading.catch(() => null);
    if (!loaded) return;
    for (const p of loaded.pending.values()) p.reject(new AsrEngineFailedError(ENGINE, 'stopped'));
    loaded.pending.clear();
    await loaded.worker.terminate();
  }

  async recognize(audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    const clock = this.#deps.clock ?? systemClock;
    const t0 = clock.monotonic();
    const loaded = await this.#load();
    opts.signal?.throwIfAborted();
    if ((this.#deps.config.voicingGate ?? true) && !hasVoicedSpeech(audio, 16000)) {
      return { text: '', confidence: null, words: [], elapsedMs: clock.monotonic() - t0 };
    }
    const stream = this.#open(loaded, opts.signal);
    stream.write(audio);
    const result = await stream.finish();
    return { ...result, elapsedMs: clock.monotonic() - t0 };
  }

  /** A live utterance; start() must have resolved (audio written before then would have nowhere to go). */
  stream(opts: AsrRecognizeOptions = {}): AsrStream {
    const loaded = this.#loaded;
    if (!loaded) throw new AsrEngineFailedError(ENGINE, 'stream() before start() resolved');
    return this.#open(loaded, opts.signal);
  }

  #open(loaded: Loaded, signal: AbortSignal | undefined): AsrStream {
    const clock = this.#deps.clock ?? systemClock;
    const id = this.#nextId++;
    const send = (msg: ZipformerRequest): void => loaded.worker.postMessage(msg);
    let settle: Pick<Pending, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined };
    const final = new Promise<Extract<ZipformerReply, { op: 'final' }>>((resolve, reject) => (settle = { resolve, reject }));
    final.catch(() => undefined); // observed through finish(); a stream that is only cancelled must not leak a rejection
    const pending: Pending = { partial: '', done: false, ...settle };
    loaded.pending.set(id, pending);
    send({ op: 'open', id });
    const end = (err: unknown): void => {
      if (pending.done) return;
      pending.done = true;
      loaded.pending.delete(id);
      send({ op: 'cancel', id });
      pending.reject(err);
    };
    const onAbort = (): void => end(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    let finishing = false;
    return {
      write: (audio: Int16Array): void => {
        if (pending.done || finishing || audio.length === 0) return;
        const samples = toFloat32(audio);
        send({ op: 'write', id, samples });
      },
      partial: (): string => normalizeText(pending.partial),
      finish: async (): Promise<AsrResult> => {
        const t0 = clock.monotonic();
        if (!finishing && !pending.done) {
          finishing = true;
          send({ op: 'finish', id });
        }
        try {
          const r = await final;
          const words = wordsFromTokens(r.tokens, r.timestamps);
          return { text: normalizeText(r.text), confidence: utteranceConfidence(r.logProbs), words, elapsedMs: clock.monotonic() - t0 };
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      },
      cancel: (): void => {
        signal?.removeEventListener('abort', onAbort);
        end(new AsrEngineFailedError(ENGINE, 'cancelled'));
      },
    };
  }

  #load(): Promise<Loaded> {
    this.#loading ??= this.#create().then(
      (loaded) => {
        this.#loaded = loaded;
        return loaded;
      },
      (err: unknown) => {
        this.#loading = null;
        throw err;
      },
    );
    return this.#loading;
  }

  async #create(): Promise<Loaded> {
    const config = this.#deps.config;
    const int8 = config.int8 ?? true;
    const encoder = await findModelFile(ENGINE, config.modelDir, /^encoder.*\.onnx$/, int8);
    const decoder = await findModelFile(ENGINE, config.modelDir, /^decoder.*\.onnx$/, int8);
    const joiner = await findModelFile(ENGINE, config.modelDir, /^joiner.*\.onnx$/, int8);
    const tokens = await requireFile(ENGINE, join(config.modelDir, 'tokens.txt'));
    const sherpaConfig: SherpaOnlineRecognizerConfig = {
      featConfig: { sampleRate: 16000, featureDim: 80 },
      modelConfig: { transducer: { encoder, decoder, joiner }, tokens, numThreads: config.numThreads ?? 1, provider: 'cpu', debug: 0 },
      decodingMethod: 'greedy_search',
      enableEndpoint: 0, // the VAD and turn-taking decide where a turn ends
    };
    const files = [encoder, decoder, joiner, tokens];
    await probeSherpaAsr(ENGINE, { kind: 'online', config: sherpaConfig }, files, config.probeTimeoutMs ?? 60_000);
    const tailPaddingSamples = Math.round(((config.tailPaddingMs ?? 500) / 1000) * 16000);
    const worker = await startEngineProcess<ZipformerRequest, ZipformerReply>(WORKER, { config: sherpaConfig, tailPaddingSamples }, (detail, cause) => new AsrModelLoadError(ENGINE, files, detail, cause));
    const pending = new Map<number, Pending>();
    worker.on('message', (msg: ZipformerReply) => {
      switch (msg.op) {
        case 'partial': {
          const p = pending.get(msg.id);
          if (p) p.partial = msg.text;
          break;
        }
        case 'final': {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (p && !p.done) {
            p.done = true;
            p.resolve(msg);
          }
          break;
        }
        case 'failed': {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (p && !p.done) {
            p.done = true;
            p.reject(new AsrEngineFailedError(ENGINE, msg.message));
          }
          break;
        }
        case 'ready':
        case 'load-failed':
          break;
      }
    });
    // A worker that dies takes its streams with it; the next start() or recognize() loads a new one.
    worker.on('error', (err) => {
      this.#deps.log.error({ err, engine: ENGINE }, 'zipformer worker failed');
      for (const p of pending.values()) {
        p.done = true;
        p.reject(new AsrEngineFailedError(ENGINE, err.message, { cause: err }));
      }
      pending.clear();
      this.#loading = null;
      this.#loaded = null;
    });
    this.#deps.log.info({ engine: ENGINE, model: basename(encoder) }, 'zipformer model loaded');
    return { worker, pending };
  }
}
