// Pure text work for grammar-based recognisers (pocketsphinx): normalise written text into spoken
// words, fit the words to the pronunciation dictionary, and build a JSGF grammar for one turn.
// A word missing from the dictionary makes pocketsphinx reject the whole grammar, so no word
// reaches the grammar unless the dictionary has it: compounds are split ("hydrafacial" ->
// "hydra facial"), anything else is dropped (and reported, so the catalogue can be fixed).
import { InvalidInputError } from '../../errors.js';
import type { AsrGrammar } from './types.js';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_IRREGULAR: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** Cardinal number in words: 0..999999 ("one hundred twenty five"); larger numbers digit by digit. */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a whole number: ${n}`);
  if (n >= 1_000_000) return digitsToWords(String(n));
  if (n < 20) return ONES[n] ?? '';
  if (n < 100) {
    const unit = n % 10;
    return unit === 0 ? TENS[Math.floor(n / 10)] ?? '' : `${TENS[Math.floor(n / 10)] ?? ''} ${ONES[unit] ?? ''}`;
  }
  if (n < 1000) {
    const rest = n % 100;
    return `${ONES[Math.floor(n / 100)] ?? ''} hundred${rest === 0 ? '' : ` ${numberToWords(rest)}`}`;
  }
  const rest = n % 1000;
  return `${numberToWords(Math.floor(n / 1000))} thousand${rest === 0 ? '' : ` ${numberToWords(rest)}`}`;
}

/** Ordinal in words: 3 -> "third", 21 -> "twenty first", 40 -> "fortieth". */
export function ordinalToWords(n: number): string {
  const words = numberToWords(n).split(' ');
  const last = words.pop() ?? '';
  const ordinal = ORDINAL_IRREGULAR[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return [...words, ordinal].join(' ');
}

/** Each digit as a word ("555" -> "five five five"), as people read phone numbers and codes. */
export function digitsToWords(digits: string): string {
  return [...digits].filter((c) => c >= '0' && c <= '9').map((c) => ONES[Number(c)] ?? '').join(' ');
}

function clockToWords(h: number, m: number): string {
  if (m === 0) return `${numberToWords(h)} o'clock`;
  return `${numberToWords(h)} ${m < 10 ? `oh ${numberToWords(m)}` : numberToWords(m)}`;
}

/**
 * Written text -> spoken words: lowercase, numbers, times, ordinals, money and percentages in
 * words, punctuation removed (apostrophes inside words kept: "i'd", "o'clock"), single spaces.
 */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\b(\d{1,2}):(\d{2})\b/g, (_m, h: string, m: string) => ` ${clockToWords(Number(h), Number(m))} `)
    .replace(/\b(\d+)(st|nd|rd|th)\b/g, (_m, n: string) => ` ${ordinalToWords(Number(n))} `)
    .replace(/\$(\d+)/g, (_m, n: string) => ` ${n} dollars `)
    .replace(/(\d)\s*%/g, '$1 percent ')
    .replace(/&/g, ' and ')
    .replace(/(\d+)\.(\d+)/g, (_m, a: string, b: string) => ` ${a} point ${digitsToWords(b)} `)
    .replace(/\d+/g, (d) => ` ${d.length >= 5 || (d.length > 1 && d.startsWith('0')) ? digitsToWords(d) : numberToWords(Number(d))} `)
    .replace(/[^a-z']+/g, ' ')
    .split(' ')
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0)
    .join(' ');
}

/** Head words of a CMU-style dictionary ("word(2) PH ONES" lines count once, as "word"). */
export function parseDictionary(text: string): Set<string> {
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    const head = line.split(/\s/, 1)[0];
    if (head) words.add(head.replace(/\(\d+\)$/, ''));
  }
  return words;
}

const MIN_PART = 3;

/** Splits `word` into the fewest dictionary words of at least 3 letters, or null when it cannot. */
export function splitCompound(word: string, dictionary: { has(word: string): boolean }): string[] | null {
  const memo = new Map<number, string[] | null>();
  const from = (start: number): string[] | null => {
    if (start === word.length) return [];
    const known = memo.get(start);
    if (known !== undefined) return known;
    let best: string[] | null = null;
    for (let end = start + MIN_PART; end <= word.length; end++) {
      const head = word.slice(start, end);
      if (!dictionary.has(head)) continue;
      const tail = from(end);
      if (tail === null) continue;
      const candidate = [head, ...tail];
      if (best === null || candidate.length < best.length ||
          (candidate.length === best.length && shortest(candidate) > shortest(best))) best = candidate;
    }
    memo.set(start, best);
    return best;
  };
  const parts = from(0);
  return parts !== null && parts.length >= 2 ? parts : null;
}

function shortest(parts: readonly string[]): number {
  return Math.min(...parts.map((p) => p.length));
}

export interface FittedText {
  /** Words the dictionary knows, in order. */
  words: string[];
  /** Normalised words that could not be fitted and were left out. */
  dropped: string[];
}

/** Normalises `text` and keeps only what the dictionary can pronounce (splitting compounds). */
export function fitToDictionary(text: string, dictionary: ReadonlySet<string>): FittedText {
  const words: string[] = [];
  const dropped: string[] = [];
  for (const word of normalizeText(text).split(' ')) {
    if (word === '') continue;
    if (dictionary.has(word)) {
      words.push(word);
      continue;
    }
    const parts = splitCompound(word.replace(/'s$/, ''), dictionary);
    if (parts) words.push(...parts);
    else dropped.push(word);
  }
  return { words, dropped };
}

export interface JsgfBuild {
  jsgf: string;
  /** Every word the grammar can produce, sorted. */
  vocabulary: string[];
  /** Words of the grammar or vocabulary left out because the dictionary cannot pronounce them. */
  dropped: string[];
}

/**
 * JSGF for one turn. Closed: exactly one of the phrases. Open: one of the phrases, or any sequence
 * of words from the phrases, the grammar's words and the standing `vocabulary` (the catalogue).
 * Throws InvalidInputError when nothing pronounceable is left.
 */
/**
 * `orNothing`: the grammar may also match no answer at all (JSGF <NULL>), so that speech which is
 * none of the answers can be all filler words (the garbage of garbage.ts) instead of a forced answer.
 */
export function buildJsgf(grammar: AsrGrammar, opts: { dictionary: ReadonlySet<string>; vocabulary?: readonly string[]; orNothing?: boolean }): JsgfBuild {
  const dropped = new Set<string>();
  const fit = (text: string): string[] => {
    const f = fitToDictionary(text, opts.dictionary);
    for (const d of f.dropped) dropped.add(d);
    return f.words;
  };
  const phrases = [...new Set((grammar.phrases ?? []).map((p) => fit(p).join(' ')).filter((p) => p !== ''))];
  const words = new Set<string>();
  if (!grammar.closed) {
    for (const p of phrases) for (const w of p.split(' ')) words.add(w);
    for (const text of [...(grammar.words ?? []), ...(opts.vocabulary ?? [])]) for (const w of fit(text)) words.add(w);
  }
  const vocabulary = [...words].sort();
  // Each part's options as the dictionary says them; a required part with none leaves no sequence.
  const parts = (grammar.sequence ?? []).map((part) => ({ optional: part.optional === true, options: [...new Set(part.options.map((o) => fit(o).join(' ')).filter((o) => o !== ''))] }));
  const sequence = parts.some((p) => !p.optional && p.options.length === 0) ? [] : parts.filter((p) => p.options.length > 0);
  if (phrases.length === 0 && vocabulary.length === 0 && sequence.length === 0) {
    throw new InvalidInputError('the ASR grammar has no word the recogniser can pronounce', { grammar: 'empty' });
  }
  const rules: string[] = [];
  const top: string[] = [];
  if (phrases.length > 0) {
    top.push('<phrase>');
    rules.push(`<phrase> = ${phrases.join(' | ')};`);
  }
  if (vocabulary.length > 0) {
    // Pocketsphinx (5prealpha) builds `<x>+` as a loop back to the state the utterance started
    // from, so the other alternatives can follow it; `<x> <x>*` keeps the loop to itself.
    top.push(grammar.count ? Array.from({ length: grammar.count }, () => '<word>').join(' ') : opts.orNothing ? '<word> <word>*' : '<word>+');
    rules.push(`<word> = ${vocabulary.join(' | ')};`);
  }
  if (sequence.length > 0) {
    top.push(sequence.map((p, i) => (p.optional ? `[<part${i}>]` : `<part${i}>`)).join(' '));
    sequence.forEach((p, i) => rules.push(`<part${i}> = ${p.options.join(' | ')};`));
  }
  if (opts.orNothing) top.push('<NULL>');
  const utterance = top.join(' | ');
  const jsgf = ['#JSGF V1.0;', 'grammar turn;', `public <utterance> = ${utterance};`, ...rules, ''].join('\n');
  const allWords = new Set([...vocabulary, ...[...phrases, ...sequence.flatMap((p) => p.options)].flatMap((p) => p.split(' '))]);
  return { jsgf, vocabulary: [...allWords].sort(), dropped: [...dropped].sort() };
}
