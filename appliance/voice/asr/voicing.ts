// Cheap evidence that a clip holds voiced speech: a periodic signal with a pitch between 70 and
// 400 Hz in enough frames. Grammar-constrained recognisers force every sound onto some phrase of
// the grammar (white noise comes out as "no"), and pocketsphinx gives no usable confidence, so
// clips without voicing are answered with empty text before the engine sees them.

const FRAME_MS = 30;
const HOP_MS = 20;
const MIN_PITCH_HZ = 70;
const MAX_PITCH_HZ = 400;

export interface VoicingOptions {
  /** Normalised autocorrelation a frame's best pitch lag must reach (0..1). */
  threshold?: number;
  /** Voiced frames needed to say "speech" (20 ms each). */
  minVoicedFrames?: number;
  /** Frames quieter than this RMS (of 32768) are not examined. */
  minRms?: number;
}

/** Counts voiced frames in 16 kHz mono audio, stopping as soon as `minVoicedFrames` is reached. */
export function hasVoicedSpeech(samples: Int16Array, sampleRate: number, opts: VoicingOptions = {}): boolean {
  const threshold = opts.threshold ?? 0.6;
  const needed = opts.minVoicedFrames ?? 5;
  const minRms = opts.minRms ?? 100;
  // Work at half rate: enough for pitch, a quarter of the cost.
  const rate = sampleRate / 2;
  const x = new Float32Array(Math.floor(samples.length / 2));
  for (let i = 0; i < x.length; i++) x[i] = ((samples[2 * i] ?? 0) + (samples[2 * i + 1] ?? 0)) / 2;
  const frame = Math.round((rate * FRAME_MS) / 1000);
  const hop = Math.round((rate * HOP_MS) / 1000);
  const minLag = Math.floor(rate / MAX_PITCH_HZ);
  const maxLag = Math.ceil(rate / MIN_PITCH_HZ);
  let voiced = 0;
  for (let start = 0; start + frame + maxLag <= x.length; start += hop) {
    let mean = 0;
    for (let i = 0; i < frame + maxLag; i++) mean += x[start + i] ?? 0;
    mean /= frame + maxLag;
    let e0 = 0;
    for (let i = 0; i < frame; i++) {
      const v = (x[start + i] ?? 0) - mean;
      e0 += v * v;
    }
    if (Math.sqrt(e0 / frame) < minRms) continue;
    let best = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let r = 0;
      let el = 0;
      for (let i = 0; i < frame; i++) {
        const a = (x[start + i] ?? 0) - mean;
        const b = (x[start + i + lag] ?? 0) - mean;
        r += a * b;
        el += b * b;
      }
      const c = r / Math.sqrt(e0 * el + 1e-9);
      if (c > best) best = c;
    }
    if (best >= threshold && ++voiced >= needed) return true;
  }
  return false;
}
