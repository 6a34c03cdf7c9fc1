// Piper voices (VITS) through sherpa-onnx-node's OfflineTts. Loading and synthesis run on the libuv
// thread pool (createAsync / generateAsync), so the event loop that paces RTP keeps turning; only
// the resampling to 16 kHz (about 0.5 ms per second of audio on x86) and the Int16 conversion run
// here. One sentence is synthesised at a time, in the order asked: speakSentences() asks for the
// next sentence while the current one plays, and the current one must come first.
// See sherpa-tts-binding.ts for the facts about the runtime this adapter depends on, and
// piper-voice.ts for where an installed voice keeps its files.
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trimLeadingSilence } from '../trim.js';
import { loadSherpaTts, type SherpaOfflineTts, type SherpaOfflineTtsConfig } from './sherpa-tts-binding.js';
import { TtsFailedError, TtsModelLoadError, TtsUnavailableError, type Tts, type TtsCapabilities } from './types.js';

export interface PiperSherpaTtsConfig {
  /** The voice's .onnx file (sherpa-onnx packaging: Piper's export with metadata added). */
  modelPath: string;
  tokensPath: string;
  /**
   * espeak-ng-data folder: the voice package's own, or the system's (piper-voice.ts finds both).
   * espeak-ng is set up once per process: the first Piper voice loaded fixes it for all others.
   */
  dataDir: string;
  /** Speaker of a multi-speaker voice (libritts_r has 904); must be 0 for single-speaker voices. */
  speakerId?: number;
  /** Speaking rate: 1 is the voice's own, 1.2 is 20 % faster. */
  speed?: number;
  /** Piper's sampling noise (defaults as Piper's own: 0.667 and 0.8). */
  noiseScale?: number;
  noiseScaleW?: number;
  numThreads?: number;
  /** Shown in the engine's name; defaults to the model file's name. */
  label?: string;
  /** Time allowed for the load probe (child process). */
  probeTimeoutMs?: number;
}

interface ProbeResult {
  sampleRate: number;
  numSpeakers: number;
}

const OUTPUT_RATE = 16000;
const PROBE = fileURLToPath(new URL('./piper-sherpa-probe.js', import.meta.url));
/** Voices that passed the probe in this process, by their files' paths, sizes and mtimes. */
const probedVoices = new Map<string, ProbeResult>();

export function sherpaTtsConfigFor(config: PiperSherpaTtsConfig): SherpaOfflineTtsConfig {
  return {
    model: {
      vits: {
        model: config.modelPath,
        tokens: config.tokensPath,
        dataDir: config.dataDir,
        noiseScale: config.noiseScale ?? 0.667,
        noiseScaleW: config.noiseScaleW ?? 0.8,
        lengthScale: 1, // speed is given per request
      },
      numThreads: config.numThreads ?? 1,
      provider: 'cpu',
      debug: 0,
    },
    maxNumSentences: 1,
    silenceScale: 1,
  };
}

/** Float samples in [-1, 1] to Int16, clipped. */
export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round((samples[i] as number) * 32767);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

export class PiperSherpaTts implements Tts {
  readonly name: string;
  readonly capabilities: TtsCapabilities = { streaming: false, sampleRate: OUTPUT_RATE };
  private readonly config: PiperSherpaTtsConfig;
  private tts: SherpaOfflineTts | null = null;
  private voiceRate = 0;
  /** Settles when the synthesis asked for last has finished; the next one waits for it. */
  private queue: Promise<void> = Promise.resolve();

  constructor(deps: { config: PiperSherpaTtsConfig }) {
    this.config = deps.config;
    const label = deps.config.label ?? basename(deps.config.modelPath, '.onnx');
    this.name = `piper ${label}${deps.config.speakerId ? ` speaker ${deps.config.speakerId}` : ''}`;
  }

  /** The voice's own sample rate (16000 for Piper "low" voices, 22050 for "medium"), known after start(). */
  get voiceSampleRate(): number {
    return this.voiceRate;
  }

  async start(): Promise<void> {
    if (this.tts) return;
    const { modelPath, tokensPath, dataDir } = this.config;
    const speakerId = this.config.speakerId ?? 0;
    const speed = this.config.speed ?? 1;
    if (!Number.isInteger(speakerId) || speakerId < 0) throw new TtsUnavailableError(this.name, `speaker id ${speakerId} is not a whole number >= 0`);
    if (!(speed > 0)) throw new TtsUnavailableError(this.name, `speed ${speed} must be above 0`);
    for (const path of [modelPath, tokensPath, join(dataDir, 'phontab')]) {
      try {
        await access(path, constants.R_OK);
      } catch {
        throw new TtsUnavailableError(this.name, `voice file not installed: ${path}`, { path });
      }
    }
    const sherpaConfig = sherpaTtsConfigFor(this.config);
    const key = await this.voiceStamp();
    let voice = probedVoices.get(key);
    if (!voice) {
      voice = await this.probe(sherpaConfig);
      probedVoices.set(key, voice);
    }
    if (speakerId >= Math.max(1, voice.numSpeakers)) {
      throw new TtsUnavailableError(this.name, `speaker id ${speakerId} is out of range: the voice has ${voice.numSpeakers} speaker(s)`);
    }
    try {
      this.tts = await loadSherpaTts().OfflineTts.createAsync(sherpaConfig);
    } catch (err) {
      throw new TtsModelLoadError(this.name, modelPath, 'runtime', err instanceof Error ? err.message : String(err), err);
    }
    this.voiceRate = this.tts.sampleRate;
    try {
      await this.synthesize('Ready.'); // the first inference is the slow one: not on a call
    } catch (err) {
      this.tts = null;
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.queue;
    this.tts = null; // the native engine is freed by its finalizer
  }

  synthesize(text: string, opts: { signal?: AbortSignal } = {}): Promise<Int16Array> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(this.aborted());
    const run = this.queue.then(() => this.generate(text, signal));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    if (!signal) return run;
    // An abort answers at once; the engine stops at its next sentence boundary and the queue moves on then.
    return new Promise<Int16Array>((resolve, reject) => {
      const onAbort = (): void => reject(this.aborted());
      signal.addEventListener('abort', onAbort, { once: true });
      void run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async generate(text: string, signal: AbortSignal | undefined): Promise<Int16Array> {
    const tts = this.tts;
    if (!tts) throw new TtsUnavailableError(this.name, 'not started');
    if (signal?.aborted) throw this.aborted();
    if (text.trim() === '') return new Int16Array(0);
    let audio;
    try {
      audio = await tts.generateAsync({
        text,
        sid: this.config.speakerId ?? 0,
        speed: this.config.speed ?? 1,
        enableExternalBuffer: false,
        onProgress: () => (signal?.aborted ? 0 : 1),
      });
    } catch (err) {
      throw new TtsFailedError(this.name, err instanceof Error ? err.message : String(err), err);
    }
    if (signal?.aborted) throw this.aborted();
    if (audio.samples.length === 0) throw new TtsFailedError(this.name, 'the voice produced no audio');
    const samples = audio.sampleRate === OUTPUT_RATE ? audio.samples : new (loadSherpaTts().LinearResampler)(audio.sampleRate, OUTPUT_RATE).flush(audio.samples);
    return trimLeadingSilence(floatToInt16(samples));
  }

  private aborted(): TtsFailedError {
    return new TtsFailedError(this.name, 'aborted');
  }

  private async voiceStamp(): Promise<string> {
    const { modelPath, tokensPath, dataDir } = this.config;
    const parts = [];
    for (const path of [modelPath, tokensPath, join(dataDir, 'phondata')]) {
      const info = await stat(path);
      parts.push(`${path}:${info.size}:${info.mtimeMs}`);
    }
    return parts.join('|');
  }

  /** Loads the voice and speaks one word in a child process: sherpa-onnx kills its process on a bad voice. */
  private probe(sherpaConfig: SherpaOfflineTtsConfig): Promise<ProbeResult> {
    const path = this.config.modelPath;
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [PROBE, JSON.stringify(sherpaConfig)],
        { timeout: this.config.probeTimeoutMs ?? 30_000, maxBuffer: 256 * 1024 },
        (err, stdout, stderr) => {
          if (!err) {
            try {
              const result = JSON.parse(stdout.trim()) as ProbeResult;
              if (result.sampleRate > 0) {
                resolve({ sampleRate: result.sampleRate, numSpeakers: result.numSpeakers });
                return;
              }
            } catch {
              // falls through to the error below
            }
          }
          const lastLines = stderr.trim().split('\n').slice(-3).join(' | ');
          const why = err?.killed ? `no answer within ${this.config.probeTimeoutMs ?? 30_000} ms` : lastLines || `no output (exit ${String(err?.code ?? 0)})`;
          reject(new TtsModelLoadError(this.name, path, 'probe', why, err ?? undefined));
        },
      );
    });
  }
}
