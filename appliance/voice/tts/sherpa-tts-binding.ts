// The slice of sherpa-onnx-node (1.13.x, which ships no type declarations) that the Piper adapter
// uses, typed here once. Facts relied on, from sherpa-onnx's csrc/offline-tts-vits-model.cc,
// offline-tts-vits-impl.h, piper-phonemize-lexicon.cc, offline-tts-vits-model-config.cc and checked
// by experiment with 1.13.8 (models/tools/make-tiny-piper.py builds a voice to check them with):
// - A VITS model whose metadata comment contains "piper" is run with inputs (input, input_lengths,
//   scales=[noise, length, noise_w]) plus sid when its 4th input is named "sid"; speed s sets
//   length_scale = 1/s. The metadata keys sample_rate, n_speakers, language and comment are required.
// - With a data dir, text is phonemised by sherpa's built-in espeak-ng using the model's `voice`
//   metadata. espeak-ng is initialised once per process (std::call_once): the first Piper voice
//   loaded fixes the espeak-ng-data directory for every later one in the same process. Debian's
//   espeak-ng-data 1.51 (/usr/lib/<triplet>/espeak-ng-data) is accepted.
// - createAsync() and generateAsync() run on the libuv thread pool: the event loop keeps turning.
//   A missing file, a data dir without phontab/phonindex/phondata/intonations, or an unparsable ONNX
//   file reject the promise. Missing required metadata, a malformed tokens.txt or an espeak-ng
//   failure exit() the whole process: the adapter loads a voice once in a child process first.
// - onProgress is called after each batch of maxNumSentences sentences; returning 0 stops generation.
// - LinearResampler is Kaldi's windowed-sinc resampler (6 zeros, cutoff 0.99 x the lower Nyquist),
//   synchronous; flush() returns all output for a whole clip.
import { createRequire } from 'node:module';

export interface SherpaOfflineTtsConfig {
  model: {
    vits: {
      model: string;
      tokens: string;
      dataDir: string;
      noiseScale: number;
      noiseScaleW: number;
      lengthScale: number;
    };
    numThreads: number;
    provider: 'cpu';
    debug: 0 | 1;
  };
  /** Sentences per inference batch; 1 lets generation stop between sentences. */
  maxNumSentences: number;
  /** Scales the pauses between sentences (1 = as the model makes them). */
  silenceScale: number;
}

export interface SherpaGeneratedAudio {
  samples: Float32Array;
  sampleRate: number;
}

export interface SherpaTtsRequest {
  text: string;
  sid: number;
  speed: number;
  enableExternalBuffer?: boolean;
  /** Return 0 or false to stop after the current batch. */
  onProgress?: (info: { samples: Float32Array; progress: number }) => number | boolean;
}

export interface SherpaOfflineTts {
  readonly sampleRate: number;
  readonly numSpeakers: number;
  generate(request: SherpaTtsRequest): SherpaGeneratedAudio;
  generateAsync(request: SherpaTtsRequest): Promise<SherpaGeneratedAudio>;
}

export interface SherpaLinearResampler {
  flush(samples: Float32Array): Float32Array;
}

interface SherpaTtsModule {
  OfflineTts: {
    new (config: SherpaOfflineTtsConfig): SherpaOfflineTts;
    createAsync(config: SherpaOfflineTtsConfig): Promise<SherpaOfflineTts>;
  };
  LinearResampler: new (inputRate: number, outputRate: number) => SherpaLinearResampler;
}

/** Loads the native module (throws if the prebuilt runtime for this platform is absent). */
export function loadSherpaTts(): SherpaTtsModule {
  const require = createRequire(import.meta.url);
  return require('sherpa-onnx-node') as SherpaTtsModule;
}
