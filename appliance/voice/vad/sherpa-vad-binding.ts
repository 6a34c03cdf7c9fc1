// The slice of sherpa-onnx-node (1.13.x, which ships no type declarations) that the Silero adapter
// uses, typed here once, plus the config it is created with. Facts relied on, from sherpa-onnx's
// csrc/silero-vad-model.cc and voice-activity-detector.cc and checked by experiment with 1.13.8:
// - A model with 3 inputs (input, state, sr) and 2 outputs (output, stateN) is run as Silero v5;
//   v5 needs windowSize 512 at 16 kHz and is fed 512 + 64 samples of context per window.
// - acceptWaveform() evaluates one window per 512 new samples; isDetected() is the speech state
//   after the last evaluated window (with minSpeechDuration onset and minSilenceDuration hangover).
// - Detected segments queue up until popped or cleared.
// - A missing model file does not throw: creation logs to stderr and returns a null handle.
//   A corrupt or mismatched model aborts or exit()s the whole process. So the adapter checks the
//   file and loads the model once in a child process (silero-sherpa-probe.ts) before loading it here.
// - The per-window probability (C++ Compute) is not exposed to Node: only the speech state is.
import { createRequire } from 'node:module';

export interface SherpaVadConfig {
  sileroVad: {
    model: string;
    threshold: number;
    minSilenceDuration: number;
    minSpeechDuration: number;
    windowSize: number;
    maxSpeechDuration: number;
  };
  sampleRate: number;
  numThreads: number;
  provider: 'cpu';
  debug: 0 | 1;
}

export interface SherpaVadInstance {
  acceptWaveform(samples: Float32Array): void;
  isDetected(): boolean;
  isEmpty(): boolean;
  clear(): void;
  reset(): void;
}

interface SherpaVadModule {
  Vad: new (config: SherpaVadConfig, bufferSizeInSeconds: number) => SherpaVadInstance;
}

/** Samples per Silero v5 window at 16 kHz (sherpa-onnx rejects anything else for v5). */
export const SILERO_WINDOW = 512;

/** Loads the native module (throws if the prebuilt runtime for this platform is absent). */
export function loadSherpaVad(): SherpaVadModule {
  const require = createRequire(import.meta.url);
  return require('sherpa-onnx-node') as SherpaVadModule;
}
