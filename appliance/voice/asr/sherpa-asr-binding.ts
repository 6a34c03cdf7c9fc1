// The slice of sherpa-onnx-node (1.13.x, which ships no type declarations) that the Whisper and
// zipformer adapters use, typed once. Facts relied on, from sherpa-onnx's csrc/ and checked by
// experiment with 1.13.8 (see models/tools/make-tiny-*.py for the model interfaces):
// - OfflineRecognizer.createAsync() and decodeAsync() run on the libuv pool, off the event loop.
//   The online recognizer has only synchronous calls: the zipformer adapter runs it in a worker.
// - A missing model file makes creation throw ("Please check your config!").
// - A corrupt file aborts the process from the synchronous constructor (uncaught Ort::Exception);
//   a valid ONNX file without the metadata a loader reads exit()s the process from any thread.
//   So both adapters load the model once in a child process (sherpa-asr-probe.ts) first.
// - Whisper decodes at most ~29.5 s of audio per call (the rest is dropped with a log line).
import { createRequire } from 'node:module';

export interface SherpaFeatureConfig {
  sampleRate: number;
  featureDim: number;
}

export interface SherpaOfflineRecognizerConfig {
  featConfig: SherpaFeatureConfig;
  modelConfig: {
    whisper: { encoder: string; decoder: string; language: string; task: 'transcribe'; tailPaddings: number };
    tokens: string;
    numThreads: number;
    provider: 'cpu';
    debug: 0 | 1;
  };
  decodingMethod: 'greedy_search';
}

export interface SherpaOnlineRecognizerConfig {
  featConfig: SherpaFeatureConfig;
  modelConfig: {
    transducer: { encoder: string; decoder: string; joiner: string };
    tokens: string;
    numThreads: number;
    provider: 'cpu';
    debug: 0 | 1;
  };
  decodingMethod: 'greedy_search';
  enableEndpoint: 0 | 1;
}

export interface SherpaWaveform {
  samples: Float32Array;
  sampleRate: number;
}

export interface SherpaOfflineResult {
  text: string;
  tokens: string[];
}

export interface SherpaOnlineResult {
  text: string;
  tokens: string[];
  /** Seconds from the start of the stream, one per token. */
  timestamps: number[];
  /** Log-probability of each emitted token. */
  ys_probs: number[];
}

export interface SherpaOfflineStream {
  acceptWaveform(wave: SherpaWaveform): void;
}

export interface SherpaOfflineRecognizer {
  createStream(): SherpaOfflineStream;
  decode(stream: SherpaOfflineStream): void;
  decodeAsync(stream: SherpaOfflineStream): Promise<SherpaOfflineResult>;
  getResult(stream: SherpaOfflineStream): SherpaOfflineResult;
}

export interface SherpaOnlineStream {
  acceptWaveform(wave: SherpaWaveform): void;
  inputFinished(): void;
}

export interface SherpaOnlineRecognizer {
  createStream(): SherpaOnlineStream;
  isReady(stream: SherpaOnlineStream): boolean;
  decode(stream: SherpaOnlineStream): void;
  getResult(stream: SherpaOnlineStream): SherpaOnlineResult;
}

export interface SherpaAsrModule {
  OfflineRecognizer: {
    new (config: SherpaOfflineRecognizerConfig): SherpaOfflineRecognizer;
    createAsync(config: SherpaOfflineRecognizerConfig): Promise<SherpaOfflineRecognizer>;
  };
  OnlineRecognizer: new (config: SherpaOnlineRecognizerConfig) => SherpaOnlineRecognizer;
}

/** What the probe child is asked to load. */
export type SherpaAsrProbeRequest =
  | { kind: 'offline'; config: SherpaOfflineRecognizerConfig }
  | { kind: 'online'; config: SherpaOnlineRecognizerConfig };

/** Loads the native module (throws if the prebuilt runtime for this platform is absent). */
export function loadSherpaAsr(): SherpaAsrModule {
  const require = createRequire(import.meta.url);
  return require('sherpa-onnx-node') as SherpaAsrModule;
}

/** 16-bit PCM to the [-1, 1) floats sherpa-onnx takes. */
export function toFloat32(audio: Int16Array): Float32Array {
  const out = new Float32Array(audio.length);
  for (let i = 0; i < audio.length; i++) out[i] = (audio[i] as number) / 32768;
  return out;
}
