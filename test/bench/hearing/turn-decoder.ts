// Decoding a caller line as the live box decodes a turn, for the hearing bench: spoken by a voice
// under a perturbation (tempo, pitch, noise), for narrowband calls through the phone line (G.711
// round trip, lost packets concealed, back up to 16 kHz), then recognised by the appliance's
// PocketsphinxAsr with the appliance's settings (SPHINX_TURN_DEFAULTS, the caller language model
// for free turns) with the grammar of the turn's Expectation and, on narrowband, `narrowband: true`
// (the engine's band filling). Clips and decodes are kept under the cache folder: a rerun with the
// same settings decodes nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../appliance/log.js';
import { ADAPTATION_DEFAULTS, ADAPTED_MODEL_FILES, PocketsphinxAsr, SPHINX_TURN_DEFAULTS, type PocketsphinxConfig } from '../../../appliance/voice/asr/pocketsphinx.js';
import type { AsrGrammar } from '../../../appliance/voice/asr/types.js';
import type { LanguageModelFiles } from '../../../appliance/voice/asr/lm/caller-lm.js';
import { phoneLine } from '../../helpers/phone-line.js';
import { seededRandom } from '../../../appliance/shared/random.js';
import { applyPerturbation, drawPerturbation, perturbationName, type Perturbation } from './nlu-audio.js';
import { speak, type VoiceName } from './voices.js';

export type Band = 'wideband' | 'narrowband';

/** One line as a caller says it: its voice, what is done to it, and for narrowband the line's loss. */
export interface SpokenLine {
  text: string;
  voice: VoiceName;
  perturbation: Perturbation;
  seed: number;
  band: Band;
  /** Packets lost on the phone line, in percent (narrowband). */
  lossPct: number;
  law: 'ulaw' | 'alaw';
}

/** A caller line as one of `voices` says it: voice, perturbation and phone line drawn from `seed`. */
export function spokenLine(text: string, seed: number, voices: readonly VoiceName[], band: Band): SpokenLine {
  const rng = seededRandom(seed);
  const voice = voices[Math.floor(rng() * voices.length)] ?? 'flite:rms';
  const perturbation = { ...drawPerturbation(rng), g711: false };
  return { text, voice, perturbation, seed, band, lossPct: 1 + Math.floor(rng() * 3), law: rng() < 0.5 ? 'ulaw' : 'alaw' };
}

export interface TurnHeard {
  text: string;
  rejected: boolean;
  /** The recogniser's words with their confidence (null on a grammar decode), for the dialog's slot checks. */
  words: HeardWord[];
  /** Decode time, ms (0 when read from the cache). */
  ms: number;
}

/** A word heard and its confidence (pocketsphinx's posterior on a language-model decode, else null). */
export interface HeardWord {
  word: string;
  confidence: number | null;
}

interface Kept {
  k: string;
  text: string;
  rejected: boolean;
  words?: HeardWord[];
}

/** Decoder settings a tuning run may change (hearing.ts --asr); part of each decode's cache key. */
export type DecoderSettings = Pick<PocketsphinxConfig, 'lmWeight' | 'lmWordInsertionPenalty' | 'extraArgs' | 'narrowband' | 'adaptation' | 'adaptedModel'>;

interface TurnDecoderDeps {
  log: Logger;
  cacheDir: string;
  languageModel: { current(): LanguageModelFiles | null };
  /** Settings over the appliance's defaults (tuning); none: the appliance's own. */
  settings?: DecoderSettings;
}

export class TurnDecoder {
  readonly #deps: TurnDecoderDeps;
  readonly #cache = new Map<string, Kept>();
  #asr: PocketsphinxAsr | null = null;
  #file = '';
  /** Each band's acoustic model transform by its content, for the cache key. */
  #adaptation: Partial<Record<Band, string>> = {};
  /** Each band's adapted acoustic model folder by its content, for the cache key. */
  #model: Partial<Record<Band, string>> = {};
  decoded = 0;
  cachedHits = 0;

  constructor(deps: TurnDecoderDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    this.#adaptation = await adaptationKeys(this.#deps.settings);
    this.#model = await adaptedModelKeys(this.#deps.settings);
    mkdirSync(join(this.#deps.cacheDir, 'clips'), { recursive: true });
    this.#file = join(this.#deps.cacheDir, 'decodes.jsonl');
    if (existsSync(this.#file)) {
      for (const line of (await readFile(this.#file, 'utf8')).split('\n')) {
        if (!line.trim()) continue;
        try {
          const d = JSON.parse(line) as Kept;
          this.#cache.set(d.k, d);
        } catch {
          // a line cut short by a killed run: decoded again
        }
      }
    }
    // The appliance's engine as engines.ts makes it (its defaults, the caller language model), with
    // room for a busy bench machine: a longer limit, no warm decoders.
    this.#asr = new PocketsphinxAsr({ log: this.#deps.log, config: { ...this.#deps.settings, languageModel: this.#deps.languageModel, timeoutMs: 180_000, warmDecoders: 0 } });
    await this.#asr.start();
  }

  async stop(): Promise<void> {
    await this.#asr?.stop();
    this.#asr = null;
  }

  /** The clip as the recogniser receives it (16 kHz; narrowband ones through the phone line). */
  async clip(line: SpokenLine): Promise<Int16Array> {
    const name = createHash('sha256').update(JSON.stringify([line.text, line.voice, line.perturbation, line.seed])).digest('hex').slice(0, 24);
    const file = join(this.#deps.cacheDir, 'clips', `${name}.raw`);
    let audio: Int16Array;
    try {
      const buf = await readFile(file);
      audio = new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2).slice();
    } catch {
      audio = await applyPerturbation(await speak(line.text, line.voice), { ...line.perturbation, g711: false }, line.seed);
      await writeFile(file, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    }
    return line.band === 'narrowband' ? phoneLine(audio, { lossPct: line.lossPct, seed: line.seed, law: line.law }) : audio;
  }

  /** The cache key of the line's decode on a turn with this grammar (and the language model current now). */
  #keyOf(line: SpokenLine, grammar: AsrGrammar | undefined): string {
    const lm = grammar?.free ? (this.#deps.languageModel.current()?.key ?? 'none') : null;
    // The transform only reaches language-model turns (grammar turns keep the stock model, or
    // with grammarTurns take the adapted model folder).
    const lmTurn = lm !== null && lm !== 'none';
    const model = lmTurn || this.#deps.settings?.adaptedModel?.grammarTurns ? this.#model[line.band] : undefined;
    return decodeKey(line, grammar, lm, this.#deps.settings, lmTurn ? this.#adaptation[line.band] : undefined, model);
  }

  /** Whether the line's decode on a turn with this grammar is on disk already. */
  cached(line: SpokenLine, grammar: AsrGrammar | undefined): boolean {
    return this.#cache.has(this.#keyOf(line, grammar));
  }

  /** What the box hears of the line on a turn with this grammar; a decoder failure is thrown. */
  async hear(line: SpokenLine, grammar: AsrGrammar | undefined): Promise<TurnHeard> {
    const k = this.#keyOf(line, grammar);
    const hit = this.#cache.get(k);
    if (hit) {
      this.cachedHits++;
      return { text: hit.text, rejected: hit.rejected, words: hit.words ?? [], ms: 0 };
    }
    if (!this.#asr) throw new Error('TurnDecoder: start() first');
    const r = await this.#asr.recognize(await this.clip(line), { ...(grammar ? { grammar } : {}), narrowband: line.band === 'narrowband' });
    const kept: Kept = { k, text: r.text, rejected: r.rejected === true, words: (r.words ?? []).map((w) => ({ word: w.word, confidence: w.confidence })) };
    this.#cache.set(k, kept);
    this.decoded++;
    await appendFile(this.#file, `${JSON.stringify(kept)}\n`);
    return { text: kept.text, rejected: kept.rejected, words: kept.words ?? [], ms: r.elapsedMs };
  }
}

/**
 * The cache key of a line's decode: the line, the turn's grammar, the language model, the
 * decoder's settings and, on a language-model turn, the content of the band's acoustic model
 * transform (adaptationKeys; the settings' file names do not count). With no settings over the appliance's defaults and no
 * transform the key is the one kept before either existed, so those cached decodes stay valid.
 */
export function decodeKey(line: SpokenLine, grammar: AsrGrammar | undefined, lmKey: string | null, settings?: DecoderSettings, adaptationKey?: string, modelKey?: string): string {
  const { adaptation: _files, adaptedModel: _folders, ...rest } = settings ?? {};
  const over = Object.keys(rest).length > 0 ? [rest] : [];
  const adapted = [...(adaptationKey ? [{ mllr: adaptationKey }] : []), ...(modelKey ? [{ hmm: modelKey }] : [])];
  return createHash('sha256').update(JSON.stringify([line, grammar ?? null, lmKey, SPHINX_TURN_DEFAULTS, ...over, ...adapted])).digest('hex').slice(0, 24);
}

/**
 * The acoustic model transform each band decodes with (the appliance's ADAPTATION_DEFAULTS under
 * the tuning settings), named by a hash of its content: a transform rebuilt in place must not be
 * answered from decodes made with the old one. A band without one, or whose file is missing (the
 * engine then decodes with the stock model), has none.
 */
export async function adaptationKeys(settings: DecoderSettings | undefined): Promise<Partial<Record<Band, string>>> {
  const files = { ...ADAPTATION_DEFAULTS, ...settings?.adaptation };
  const keys: Partial<Record<Band, string>> = {};
  for (const band of ['wideband', 'narrowband'] as const) {
    const file = files[band];
    if (file === null) continue;
    const content = await readFile(file).catch(() => null);
    if (content) keys[band] = createHash('sha256').update(content).digest('hex').slice(0, 16);
  }
  return keys;
}

/**
 * The adapted acoustic model folder each band decodes with (settings.adaptedModel), named by a hash
 * of its files' content; a band without one, or whose folder is incomplete (the engine then
 * decodes with the stock model), has none.
 */
export async function adaptedModelKeys(settings: DecoderSettings | undefined): Promise<Partial<Record<Band, string>>> {
  const keys: Partial<Record<Band, string>> = {};
  for (const band of ['wideband', 'narrowband'] as const) {
    const dir = settings?.adaptedModel?.[band];
    if (dir === undefined) continue;
    const hash = createHash('sha256');
    const contents = await Promise.all(ADAPTED_MODEL_FILES.map((name) => readFile(join(dir, name)).catch(() => null)));
    if (contents.some((c) => c === null)) continue;
    for (const c of contents) if (c) hash.update(c);
    keys[band] = hash.digest('hex').slice(0, 16);
  }
  return keys;
}

/** A label for a spoken line: "flite:rms t0.92 n22 nb 2% alaw". */
export function lineLabel(l: SpokenLine): string {
  return `${l.voice} ${perturbationName({ ...l.perturbation, g711: false })}${l.band === 'narrowband' ? ` nb ${l.lossPct}% ${l.law}` : ''}`;
}
