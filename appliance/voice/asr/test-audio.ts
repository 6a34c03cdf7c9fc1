// Deterministic test signals for ASR tests (seeded, so a failing run can be replayed).

/** Gaussian white noise with the given RMS (of 32768), from a seeded PRNG (mulberry32). */
export function whiteNoise(length: number, rms: number, seed: number): Int16Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    out[i] = Math.max(-32768, Math.min(32767, Math.round(g * rms)));
  }
  return out;
}
