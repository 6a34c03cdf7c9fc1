// Backchannels: what a caller says while the box talks to show they are listening ("mm-hm",
// "uh-huh", "okay", "yeah"). They must not stop the box; anything else said over it does. Pure
// helpers; the barge-in decision that uses them is in turn-taking.ts.
import type { AsrGrammar } from './asr/types.js';

/** Words that, alone, only say "go on" (as normalised ASR text: lowercase, no punctuation). */
export const DEFAULT_BACKCHANNELS: readonly string[] = [
  'mm', 'mhm', 'hm', 'hmm', 'uh-huh', 'uh', 'huh', 'um', 'ah', 'oh', 'okay', 'ok', 'yeah', 'yep', 'yes', 'right', 'sure', 'alright', 'cool', 'got it', 'i see',
];

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,.!?-]+/)
    .filter((w) => w !== '');
}

/** True when `text` says nothing but backchannels (or nothing at all: a cough, a click). Pure. */
export function isBackchannel(text: string, backchannels: readonly string[] = DEFAULT_BACKCHANNELS): boolean {
  const allowed = new Set(backchannels.flatMap(words));
  return words(text).every((w) => allowed.has(w));
}

/**
 * Words a grammar-bound recogniser fills a hum, a breath or a half-heard syllable with
 * (pocketsphinx hears a hummed "mm" as "a"): alone, they are no evidence of speech.
 */
const FILLER_WORDS = new Set(['a', 'an', 'the', 'i', 'to', 'and', 'of', 'it']);

/** True when `text` holds words, all of them fillers ("a", "the"). Pure. */
export function isFillerOnly(text: string): boolean {
  const w = words(text);
  return w.length > 0 && w.every((x) => FILLER_WORDS.has(x));
}

/**
 * The turn's grammar with the backchannels added, so a grammar-bound recogniser can hear "mm-hm"
 * as itself instead of forcing it onto the nearest expected phrase. Undefined stays undefined
 * (no grammar: the engine hears anything). Pure.
 */
export function withBackchannels(grammar: AsrGrammar | undefined, backchannels: readonly string[] = DEFAULT_BACKCHANNELS): AsrGrammar | undefined {
  if (!grammar) return undefined;
  return {
    ...grammar,
    phrases: [...(grammar.phrases ?? []), ...backchannels],
    ...(grammar.closed ? {} : { words: [...(grammar.words ?? []), ...backchannels] }),
  };
}
