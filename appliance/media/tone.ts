// Test tones and their measurement: sine generation (the caller simulator's and the tests' signal)
// and Goertzel filters to tell how much of a signal's energy sits at a frequency.

/** `samples` of a sine at `freq` Hz, amplitude in 16-bit units, continuing from sample `startIndex`. */
export function sineWave(freq: number, sampleRate: number, samples: number, amplitude = 8000, startIndex = 0): Int16Array {
  const out = new Int16Array(samples);
  const w = (2 * Math.PI * freq) / sampleRate;
  for (let i = 0; i < samples; i++) out[i] = Math.round(amplitude * Math.sin(w * (startIndex + i)));
  return out;
}

/** Squared magnitude of the signal's DFT at `freq` (generalised Goertzel: freq need not be a bin centre). */
export function goertzelPower(samples: ArrayLike<number>, sampleRate: number, freq: number): number {
  const w = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Energy (sum of squares). */
export function energy(samples: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < samples.length; i++) e += (samples[i] ?? 0) ** 2;
  return e;
}

/**
 * Share of the signal's energy at `freq`, 0..1 (1 for a pure tone at that frequency over a whole
 * number of cycles; a Hann window is not applied, so use a length of many cycles).
 */
export function toneShare(samples: ArrayLike<number>, sampleRate: number, freq: number): number {
  const e = energy(samples);
  if (e === 0) return 0;
  return (2 * goertzelPower(samples, sampleRate, freq)) / (samples.length * e);
}

/** The frequency between `from` and `to` (in `step` Hz steps) with the most energy. */
export function dominantFrequency(samples: ArrayLike<number>, sampleRate: number, from = 100, to = sampleRate / 2 - 100, step = 10): number {
  let best = from;
  let bestPower = -1;
  for (let f = from; f <= to; f += step) {
    const p = goertzelPower(samples, sampleRate, f);
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}

/** Root mean square level. */
export function rms(samples: ArrayLike<number>): number {
  return samples.length === 0 ? 0 : Math.sqrt(energy(samples) / samples.length);
}
