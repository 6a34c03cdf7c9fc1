// Silero VAD v5 through sherpa-onnx-node's Vad. 20 ms frames (320 samples) are gathered into the
// 512-sample windows Silero v5 needs; the speech state therefore changes at most once per 32 ms,
// and a frame that completes no window reports the state of the last one. sherpa-onnx exposes
// only its speech state to Node, so `probability` is binary. See sherpa-vad-binding.ts for the
// facts about the runtime this adapter depends on.
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { VadModelLoadError, VadModelMissingError, VadNotStartedError } from './errors.js';
import {
  loadSherpaVad,
  SILERO_WINDOW,
  type SherpaVadConfig,
  type SherpaVadInstance,
} from './sherpa-vad-binding.js';
import type { Vad, VadCapabilities, VadFrameResult } from './types.js';

export interface SileroSherpaVadConfig {
  /** Path of silero_vad.onnx (v5). */
  modelPath: string;
  /** Model score above which a window is speech (sherpa ends speech below threshold - 0.15). */
  threshold?: number;
  /** Speech must last this long before it is reported (onset). */
  minSpeechMs?: number;
  /** Silence must last this long before speech ends (hangover). */
  minSilenceMs?: number;
  /** Longer speech gets a stricter threshold and shorter hangover from sherpa-onnx. */
  maxSpeechMs?: number;
  numThreads?: number;
  /** Time allowed for the load probe (child process). */
  probeTimeoutMs?: number;
}

const ENGINE = 'silero-sherpa';
/** Model files that passed the probe in this process, with the size:mtime they had then. */
const probedModels = new Map<string, string>();

const PROBE = fileURLToPath(new URL('./silero-sherpa-probe.js', import.meta.url));

export function sherpaConfigFor(config: SileroSherpaVadConfig): SherpaVadConfig {
  return {
    sileroVad: {
      model: config.modelPath,
      threshold: config.threshold ?? 0.5,
      minSilenceDuration: (config.minSilenceMs ?? 500) / 1000,
      minSpeechDuration: (config.minSpeechMs ?? 100) / 1000,
      windowSize: SILERO_WINDOW,
      maxSpeechDuration: (config.maxSpeechMs ?? 20_000) / 1000,
    },
    sampleRate: 16000,
    numThreads: config.numThreads ?? 1,
    provider: 'cpu',
    debug: 0,
  };
}

export class SileroSherpaVad implements Vad {
  readonly name = ENGINE;
  readonly capabilities: VadCapabilities = {
    frameMs: 20,
    sampleRate: 16000,
    probability: 'binary',
    decisionMs: (SILERO_WINDOW / 16000) * 1000,
  };
  private readonly config: SileroSherpaVadConfig;
  private vad: SherpaVadInstance | null = null;
  private readonly window = new Float32Array(SILERO_WINDOW);
  private filled = 0;
  private speech = false;

  constructor(deps: { config: SileroSherpaVadConfig }) {
    this.config = deps.config;
  }

  async start(): Promise<void> {
    if (this.vad) return;
    const path = this.config.modelPath;
    try {
      await access(path, constants.R_OK);
    } catch {
      throw new VadModelMissingError(ENGINE, path);
    }
    const sherpaConfig = sherpaConfigFor(this.config);
    // The probe costs a child process (~0.7 s): once per model file (same size and mtime) per process.
    const info = await stat(path);
    const stamp = `${info.size}:${info.mtimeMs}`;
    if (probedModels.get(path) !== stamp) {
      await this.probe(sherpaConfig);
      probedModels.set(path, stamp);
    }
    try {
      const { Vad: SherpaVad } = loadSherpaVad();
      this.vad = new SherpaVad(sherpaConfig, 30);
    } catch (err) {
      throw new VadModelLoadError(ENGINE, path, 'runtime', err instanceof Error ? err.message : String(err), err);
    }
    this.clearBuffers();
  }

  async stop(): Promise<void> {
    this.vad = null; // the native detector is freed by its finalizer
    this.clearBuffers();
  }

  process(frame: Int16Array): VadFrameResult {
    const vad = this.started();
    for (let i = 0; i < frame.length; i++) {
      this.window[this.filled++] = (frame[i] as number) / 32768;
      if (this.filled === SILERO_WINDOW) {
        vad.acceptWaveform(this.window); // copied by the runtime before it returns
        this.filled = 0;
        this.speech = vad.isDetected();
        // Finished segments are not used (ASR takes audio from the call path): drop them so they do not pile up.
        if (!vad.isEmpty()) vad.clear();
      }
    }
    return { speech: this.speech, probability: this.speech ? 1 : 0 };
  }

  reset(): void {
    this.started().reset();
    this.clearBuffers();
  }

  private clearBuffers(): void {
    this.filled = 0;
    this.speech = false;
  }

  private started(): SherpaVadInstance {
    if (!this.vad) throw new VadNotStartedError(ENGINE);
    return this.vad;
  }

  /** Loads and runs the model once in a child process: sherpa-onnx kills its process on a bad model. */
  private probe(sherpaConfig: SherpaVadConfig): Promise<void> {
    const path = this.config.modelPath;
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [PROBE, JSON.stringify(sherpaConfig)],
        { timeout: this.config.probeTimeoutMs ?? 15_000, maxBuffer: 256 * 1024 },
        (err, stdout, stderr) => {
          if (!err && stdout.trim() === 'ok') {
            resolve();
            return;
          }
          const lastLines = stderr.trim().split('\n').slice(-3).join(' | ');
          reject(new VadModelLoadError(ENGINE, path, 'probe', lastLines || 'no output', err ?? undefined));
        },
      );
    });
  }
}
