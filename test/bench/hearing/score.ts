// Scoring what a recogniser heard against what was said: word error rate and the retention of key
// words (services, days, times and numbers, provider names), on canonical spoken words, so that
// spellings the recogniser may use for one thing count alike ("hydra facial" / "hydrafacial",
// "i p l" / "ipl").
import { splitCompound } from '../../../appliance/voice/asr/jsgf.js';
import { spokenWords } from '../../../appliance/voice/asr/lm/spoken.js';
import { wordErrors } from '../../../appliance/voice/asr/wer.js';

export type KeyClass = 'service' | 'day' | 'time' | 'provider';

const FUNCTION_WORDS = new Set(['a', 'an', 'the', 'with', 'and', 'for', 'of', 'my', 'on', 'in', 'to', 'or', 'area', 'treatment', 'i', 'is']);
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'today', 'tomorrow', 'tonight', 'weekend', 'week',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth',
  'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth', 'thirtieth'];
const TIMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen',
  'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety',
  'hundred', "o'clock", 'noon', 'am', 'pm', 'morning', 'afternoon', 'evening', 'half', 'quarter'];

export class Scorer {
  readonly #dictionary: { has(w: string): boolean };
  readonly #keys = new Map<string, KeyClass>();

  constructor(opts: { dictionary: { has(w: string): boolean }; services: readonly string[]; providers: readonly string[] }) {
    this.#dictionary = opts.dictionary;
    for (const w of DAYS) this.#keys.set(w, 'day');
    for (const w of TIMES) this.#keys.set(w, 'time');
    for (const s of opts.services) for (const w of this.canonical(s)) if (!FUNCTION_WORDS.has(w) && !this.#keys.has(w)) this.#keys.set(w, 'service');
    for (const p of opts.providers) for (const w of this.canonical(p)) this.#keys.set(w, 'provider');
  }

  /** Canonical words: spoken form, compounds of dictionary words split, runs of single letters joined. */
  canonical(text: string): string[] {
    const words = spokenWords(text).flatMap((w) => (this.#dictionary.has(w) ? [w] : (splitCompound(w, this.#dictionary) ?? [w])));
    const out: string[] = [];
    let joinable = false;
    for (const w of words) {
      const letter = /^[b-z]$/.test(w);
      if (letter && joinable) out[out.length - 1] += w;
      else out.push(w);
      joinable = letter;
    }
    return out;
  }

  keyClass(word: string): KeyClass | undefined {
    return this.#keys.get(word);
  }
}

export interface Tally {
  utterances: number;
  refWords: number;
  errors: number;
  keys: Record<KeyClass, { said: number; kept: number }>;
  ms: number[];
}

export function newTally(): Tally {
  return { utterances: 0, refWords: 0, errors: 0, keys: { service: { said: 0, kept: 0 }, day: { said: 0, kept: 0 }, time: { said: 0, kept: 0 }, provider: { said: 0, kept: 0 } }, ms: [] };
}

/** Adds one utterance: reference and hypothesis as canonical words. */
export function addTo(t: Tally, scorer: Scorer, reference: readonly string[], hypothesis: readonly string[], ms: number): void {
  const e = wordErrors(reference, hypothesis);
  t.utterances++;
  t.refWords += e.referenceWords;
  t.errors += e.substitutions + e.deletions + e.insertions;
  t.ms.push(ms);
  const heard = new Map<string, number>();
  for (const w of hypothesis) heard.set(w, (heard.get(w) ?? 0) + 1);
  const said = new Map<string, number>();
  for (const w of reference) said.set(w, (said.get(w) ?? 0) + 1);
  for (const [w, n] of said) {
    const k = scorer.keyClass(w);
    if (!k) continue;
    t.keys[k].said += n;
    t.keys[k].kept += Math.min(n, heard.get(w) ?? 0);
  }
}

