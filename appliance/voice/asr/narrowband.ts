// Phone-band (G.711, 8 kHz) speech for a recogniser whose model was trained on 16 kHz audio.
// Calls in PCMU/PCMA reach the voice pipeline upsampled to 16 kHz with nothing above 4 kHz; the
// en-us model's filterbank runs to 6.8 kHz, and empty upper filters make its features nothing
// like the ones it was trained on. Two ways round that, measured in test/bench/hearing-nb.ts:
//  - 'band-fill': faint noise in the empty 4-8 kHz band before the 16 kHz front end, so the upper
//    filters hold a steady low level (much as in quiet wideband audio) instead of near silence;
//  - 'samprate-8k': the audio back down to 8 kHz and pocketsphinx's front end set up for it
//    (-samprate 8000, a 256-point FFT, filters up to 3.5 kHz).
import { Downsampler2x, Upsampler2x } from '../../media/resampler.js';
import { seededRandom } from '../../shared/random.js';

export type NarrowbandFrontEnd = 'band-fill' | 'samprate-8k';

/** Reshapes a turn's 16 kHz audio chunk by chunk, keeping its state across chunks. */
export interface AudioShaper {
  process(audio: Int16Array): Int16Array;
}

/**
 * Default level of the band-filling noise (RMS, in 16-bit sample units). Re-checked on open turns
 * (hearing bench --tune, caller model, tuning voices, dev lines; test/bench/hearing/sweep.sh with
 * BAND=narrowband), WER / intent / key slots:
 *   100 lines:  60 (default) 68.2 / 45.0 / 37.2;  30: 73.5 / 51.0 / 32.1;  120: 70.5 / 41.0 / 38.5;
 *               240: 68.9 / 49.0 / 37.2;  the 8 kHz front end ('samprate-8k'): 97.5 / 17.0 / 5.1
 *   200 lines:  60 (default) 72.2 / 46.0 / 32.9;  240: 73.6 / 43.0 / 31.6
 * Nothing beat 60 beyond the noise; the 8 kHz front end still drops most words (349 of 1259 deleted
 * against 90) with the 16 kHz acoustic model, so its -upperf/-nfilt variants were not pursued.
 */
export const BAND_FILL_RMS = 60;

/**
 * Adds white noise limited to 4-8 kHz: noise made at 8 kHz, upsampled (so it lies below 4 kHz),
 * then mirrored into the upper band by flipping the sign of every second sample.
 */
export class BandFiller implements AudioShaper {
  readonly #rng: () => number;
  readonly #up = new Upsampler2x();
  readonly #rms: number;
  #odd = false;

  constructor(opts: { rms?: number; seed?: number } = {}) {
    this.#rms = opts.rms ?? BAND_FILL_RMS;
    this.#rng = seededRandom(opts.seed ?? 1);
  }

  process(audio: Int16Array): Int16Array {
    const half = new Int16Array(Math.ceil(audio.length / 2));
    // Two-sided noise at 8 kHz; the half-band upsampler keeps its power, the mirror too.
    for (let i = 0; i < half.length; i++) half[i] = Math.round(this.#rms * gaussian(this.#rng));
    const low = this.#up.process(half);
    const out = new Int16Array(audio.length);
    for (let i = 0; i < audio.length; i++) {
      const n = (low[i] ?? 0) * (this.#odd ? -1 : 1);
      this.#odd = !this.#odd;
      const v = (audio[i] ?? 0) + n;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return out;
  }
}

/** 16 kHz back down to 8 kHz, for the 8 kHz front end. */
export class To8k implements AudioShaper {
  readonly #down = new Downsampler2x();

  process(audio: Int16Array): Int16Array {
    return this.#down.process(audio);
  }
}

/**
 * The shaper and the extra decoder flags of a narrowband front end; `eightKhzModel`: true when
 * the decoder needs the acoustic model folder with the 8 kHz feat.params (see featParams8k).
 */
export function narrowbandFrontEnd(kind: NarrowbandFrontEnd, opts: { bandFillRms?: number } = {}): { shaper: () => AudioShaper; args: string[]; eightKhzModel: boolean } {
  switch (kind) {
    case 'band-fill':
      return { shaper: () => new BandFiller({ rms: opts.bandFillRms ?? BAND_FILL_RMS }), args: [], eightKhzModel: false };
    case 'samprate-8k':
      return { shaper: () => new To8k(), args: ['-samprate', '8000', '-nfft', '256'], eightKhzModel: true };
  }
}

/** Highest filter frequency of the 8 kHz front end (below the 4 kHz Nyquist, where G.711 rolls off). */
export const UPPER_FREQUENCY_8K = 3500;

/**
 * The model's feat.params for the 8 kHz front end: the decoder reads these after its command line,
 * so the model's `-upperf 6800` must be changed here, not by a flag. Pure.
 */
export function featParams8k(text: string, upperf = UPPER_FREQUENCY_8K): string {
  const lines = text.split('\n').filter((l) => !/^-upperf\s/.test(l.trim()));
  return [`-upperf ${upperf}`, ...lines].join('\n');
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
