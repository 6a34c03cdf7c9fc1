// Sounds a caller makes that are not words, for `play` turns of the caller simulator: a cough and
// a hummed "mm-hm". Synthetic (no recordings ship with the project), shaped like the real thing
// where it matters to a VAD and a recogniser: the cough is a loud, sharp-onset burst of broadband
// noise with no pitch; "mm-hm" is two closed-mouth hums (a glottal pulse train through the low-pass
// of the nasal tract, energy below ~500 Hz) with a breathy "h" between and the rising pitch of
// assent. Deterministic (seeded noise), 16 kHz mono.

const RATE = 16000;

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
}

/** `leadMs` of silence, the sound, and `tailMs` of silence. */
function padded(sound: Int16Array, leadMs = 100, tailMs = 300): Int16Array {
  const lead = Math.round((leadMs / 1000) * RATE);
  const out = new Int16Array(lead + sound.length + Math.round((tailMs / 1000) * RATE));
  out.set(sound, lead);
  return out;
}

/** A cough: 10 ms attack, then broadband noise (about 150 Hz to 5 kHz) decaying over ~300 ms. Peak about -6 dBFS. */
export function cough(): Int16Array {
  const rand = seeded(4242);
  const n = Math.round(0.35 * RATE);
  const out = new Int16Array(n);
  let hp = 0;
  let prev = 0;
  let lp = 0;
  for (let i = 0; i < n; i++) {
    const x = rand();
    hp = 0.94 * (hp + x - prev); // one-pole high-pass ~150 Hz
    prev = x;
    lp += 0.85 * (hp - lp); // one-pole low-pass ~5 kHz
    const t = i / RATE;
    const env = Math.min(1, t / 0.01) * Math.exp(-t / 0.09);
    out[i] = Math.round(Math.max(-1, Math.min(1, lp * 2.6 * env)) * 32767 * 0.5);
  }
  return padded(out);
}

/** A hummed "mm-hm": 260 ms at 190 -> 170 Hz, 70 ms of breath, 320 ms rising 170 -> 230 Hz. */
export function mmHm(): Int16Array {
  const rand = seeded(777);
  const parts: { kind: 'hum' | 'breath'; ms: number; f0From: number; f0To: number }[] = [
    { kind: 'hum', ms: 260, f0From: 190, f0To: 170 },
    { kind: 'breath', ms: 70, f0From: 170, f0To: 170 },
    { kind: 'hum', ms: 320, f0From: 170, f0To: 230 },
  ];
  const out: number[] = [];
  let phase = 0;
  let y1 = 0;
  let y2 = 0;
  for (const p of parts) {
    const n = Math.round((p.ms / 1000) * RATE);
    for (let i = 0; i < n; i++) {
      const f0 = p.f0From + (p.f0To - p.f0From) * (i / n);
      phase = (phase + f0 / RATE) % 1;
      // Open phase of the glottis for 40% of each period; breath is weak noise.
      const source = p.kind === 'hum' ? (phase < 0.4 ? Math.sin((Math.PI * phase) / 0.4) : 0) : rand() * 0.3;
      const env = Math.min(1, i / 480, (n - i) / 480);
      y1 += 0.12 * (source * env - y1); // two one-pole low-passes: the nasal murmur
      y2 += 0.12 * (y1 - y2);
      out.push(Math.round(y2 * 9000));
    }
  }
  return padded(Int16Array.from(out));
}
