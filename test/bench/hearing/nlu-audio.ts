// Caller audio for ASR-aware understanding (the hearing-nlu bench and `npm run nlu -- asr-transcripts`):
// a sentence spoken by a voice under a random perturbation (tempo, pitch, white noise at 15-30 dB
// SNR, sometimes a G.711 round trip), decoded the way the box decodes an open turn (pocketsphinx
// with the spa's caller language model and the box's -lw/-wip), the decodes kept on disk so a
// rerun only decodes what is new.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeUlaw, encodeUlaw } from '../../../appliance/media/g711.js';
import type { Logger } from '../../../appliance/log.js';
import { seededRandom } from '../../../appliance/shared/random.js';
import { callerExpectation } from '../../../appliance/voice/asr/caller-grammars.js';
import { DEFAULT_CALLER_LM_PARAMS, type CallerLmInputs } from '../../../appliance/voice/asr/lm/build.js';
import type { CallerDomain } from '../../../appliance/voice/asr/lm/caller-corpus.js';
import { buildCallerLmFiles, DEFAULT_MODEL_DIR, type CallerLmReport } from '../../../appliance/voice/asr/lm/caller-lm-build.js';
import { inputsKey, type LanguageModelFiles } from '../../../appliance/voice/asr/lm/caller-lm.js';
import { PocketsphinxAsr } from '../../../appliance/voice/asr/pocketsphinx.js';
import { addNoise, rawPcm, sox, speak, TEST_VOICES, type VoiceName } from './voices.js';

/**
 * Voices the understanding may be trained and tuned on: the hearing benches' tuning voices and more
 * (flite kal; espeak-ng variants other than the test voices'). Never a test voice.
 */
export const NLU_TUNING_VOICES: readonly VoiceName[] = ['flite:kal16', 'flite:slt', 'flite:kal', 'espeak:en-us', 'espeak:en-us+f4', 'espeak:en-us+m5', 'espeak:en-gb'];
export { TEST_VOICES };

/** What is done to a clip: tempo factor, pitch in cents, noise SNR in dB (null: none), a G.711 round trip. */
export interface Perturbation {
  tempo: number;
  pitch: number;
  snrDb: number | null;
  g711: boolean;
}

/** A random perturbation: about a third of clips left at their tempo, pitch, or without noise; a fifth through G.711. */
export function drawPerturbation(rng: () => number): Perturbation {
  const round = (x: number, step: number): number => Math.round(x / step) * step;
  return {
    tempo: rng() < 0.35 ? 1 : Math.round(round(0.85 + 0.3 * rng(), 0.01) * 100) / 100,
    pitch: rng() < 0.35 ? 0 : round(-250 + 500 * rng(), 10),
    snrDb: rng() < 0.3 ? null : round(15 + 15 * rng(), 1),
    g711: rng() < 0.2,
  };
}

/** Short name of a perturbation, for labels and cache keys: "t0.92 p+120 n22 g711". */
export function perturbationName(p: Perturbation): string {
  const parts: string[] = [];
  if (p.tempo !== 1) parts.push(`t${p.tempo}`);
  if (p.pitch !== 0) parts.push(`p${p.pitch > 0 ? '+' : ''}${p.pitch}`);
  if (p.snrDb !== null) parts.push(`n${p.snrDb}`);
  if (p.g711) parts.push('g711');
  return parts.length > 0 ? parts.join(' ') : 'clean';
}


/** sox over raw mono PCM, from one rate to another. */
function resox(input: Int16Array, inRate: number, outRate: number, effects: string[]): Promise<Int16Array> {
  return sox(input, rawPcm(inRate), effects, outRate);
}

export async function applyPerturbation(audio: Int16Array, p: Perturbation, seed: number): Promise<Int16Array> {
  let out = audio;
  const effects = [...(p.tempo !== 1 ? ['tempo', String(p.tempo)] : []), ...(p.pitch !== 0 ? ['pitch', String(p.pitch)] : [])];
  if (effects.length > 0) out = await resox(out, 16000, 16000, effects);
  if (p.snrDb !== null) out = addNoise(out, p.snrDb, seed);
  if (p.g711) {
    const narrow = await resox(out, 16000, 8000, []);
    const wide = await resox(decodeUlaw(encodeUlaw(narrow)), 8000, 16000, []);
    out = BAND_FILL_DB === null ? wide : await fillBand(wide, BAND_FILL_DB, seed);
  }
  return out;
}

/**
 * How far below the clip's level the 4-8 kHz band is filled with noise after a G.711 round trip
 * (null: not filled). Plainly upsampled, G.711 clips decode to nothing like what was said ("what
 * ah i'd all are do"); filled 30 dB down, most come back (8 tuning-voice clips, 40/30/20 dB tried).
 */
const BAND_FILL_DB: number | null = 30;

/** The empty band above 4 kHz of an upsampled narrowband clip filled with faint noise (what the 16 kHz model expects there). */
async function fillBand(audio: Int16Array, db: number, seed: number): Promise<Int16Array> {
  let sum = 0;
  for (const s of audio) sum += s * s;
  const sigma = Math.sqrt(sum / Math.max(1, audio.length)) / 10 ** (db / 20);
  const rng = seededRandom(seed ^ 0x5bd1e995);
  const white = new Int16Array(audio.length);
  for (let i = 0; i < white.length; i++) white[i] = Math.max(-32768, Math.min(32767, Math.round(sigma * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()))));
  const high = await resox(white, 16000, 16000, ['sinc', '4000']);
  const out = new Int16Array(audio.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, (audio[i] as number) + (high[i] ?? 0)));
  return out;
}

/** One clip to decode: a sentence, its voice and what is done to it. */
export interface Clip {
  text: string;
  voice: VoiceName;
  perturbation: Perturbation;
  /** The noise generator's seed. */
  seed: number;
}

/** A caller language model built from given inputs (a fold of the training sentences, or all of them). */
export interface BuiltLm {
  key: string;
  files: LanguageModelFiles;
}

/** Builds (or finds in `cacheDir`) the caller language model for `domain` and `extraTexts`, in this process. */
export async function callerLm(opts: { cacheDir: string; domain: CallerDomain; extraTexts: readonly string[] }): Promise<BuiltLm> {
  const inputs: CallerLmInputs = { domain: opts.domain, extraTexts: opts.extraTexts, params: DEFAULT_CALLER_LM_PARAMS };
  const key = await inputsKey(inputs, DEFAULT_MODEL_DIR);
  const outDir = join(opts.cacheDir, 'caller-lm', key);
  let report: CallerLmReport;
  try {
    report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as CallerLmReport;
  } catch {
    report = await buildCallerLmFiles({ outDir, cacheDir: opts.cacheDir, inputs });
  }
  return { key, files: { lm: report.lm, dict: report.dict, key } };
}

/** A decode kept on disk. */
interface Decoded {
  k: string;
  heard: string;
}

/**
 * Open-turn decoding with caching: clips are rendered and decoded once per (text, voice,
 * perturbation, seed, language model); later runs read the JSONL file under `cacheDir`.
 */
export class OpenTurnDecoder {
  readonly #deps: { log: Logger; cacheDir: string };
  readonly #cache = new Map<string, string>();
  #asr: PocketsphinxAsr | null = null;
  #lm: BuiltLm | null = null;
  #file = '';

  constructor(deps: { log: Logger; cacheDir: string }) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    mkdirSync(this.#deps.cacheDir, { recursive: true });
    this.#file = join(this.#deps.cacheDir, 'decodes.jsonl');
    if (existsSync(this.#file)) {
      for (const line of (await readFile(this.#file, 'utf8')).split('\n')) {
        if (!line.trim()) continue;
        try {
          const d = JSON.parse(line) as Decoded;
          this.#cache.set(d.k, d.heard);
        } catch {
          // a line cut short by a killed run: decoded again
        }
      }
    }
    this.#asr = new PocketsphinxAsr({ log: this.#deps.log, config: { timeoutMs: 180_000, warmDecoders: 0, languageModel: { current: () => this.#lm?.files ?? null } } });
    await this.#asr.start();
  }

  async stop(): Promise<void> {
    await this.#asr?.stop();
    this.#asr = null;
  }

  static keyOf(clip: Clip, lmKey: string): string {
    return createHash('sha256').update(JSON.stringify([clip.text, clip.voice, clip.perturbation, clip.seed, lmKey])).digest('hex').slice(0, 24);
  }

  /** Whether this clip's decode with `lm` is on disk already. */
  cached(clip: Clip, lm: BuiltLm): boolean {
    return this.#cache.has(OpenTurnDecoder.keyOf(clip, lm.key));
  }

  /**
   * What the box would hear of the clip in an open turn with the language model `lm`; null when
   * the clip could not be made or decoded (a decoder starved past its time on a busy machine):
   * not kept, tried again on the next run.
   */
  async decode(clip: Clip, lm: BuiltLm): Promise<string | null> {
    const k = OpenTurnDecoder.keyOf(clip, lm.key);
    const hit = this.#cache.get(k);
    if (hit !== undefined) return hit;
    if (!this.#asr) throw new Error('OpenTurnDecoder: start() first');
    this.#lm = lm;
    const grammar = { ...callerExpectation('open', () => []).grammar, free: true };
    let r: { text: string };
    try {
      const audio = await applyPerturbation(await speak(clip.text, clip.voice), clip.perturbation, clip.seed);
      r = await this.#asr.recognize(audio, { grammar });
    } catch (err) {
      this.#deps.log.warn({ err }, 'clip not decoded');
      return null;
    }
    this.#cache.set(k, r.text);
    await appendFile(this.#file, `${JSON.stringify({ k, heard: r.text } satisfies Decoded)}\n`);
    return r.text;
  }
}

/** A seeded voice and perturbation for the i-th sentence of a list. */
export function clipFor(text: string, i: number, voices: readonly VoiceName[], seed: number): Clip {
  const rng = seededRandom(seed * 100_003 + i);
  return { text, voice: voices[Math.floor(rng() * voices.length)] ?? 'flite:kal16', perturbation: drawPerturbation(rng), seed: seed * 100_003 + i };
}
