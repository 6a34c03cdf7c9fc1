// Training lines made of what the recogniser heard: a corpus line's transcript keeps the line's
// intents, context and topics (what the caller wanted does not change with how it was heard), and
// its slots with their canonical values, less a slot whose words are clearly gone from the
// transcript (a day no day word of which was heard is not in the transcript to learn from). Pure.
import { spokenWords } from '../../voice/asr/lm/spoken.js';
import type { CorpusSlots, CorpusUtterance } from './corpus.js';

/** The catalogue's words for each id, to tell whether a service or provider slot was heard. */
export interface SlotVocabulary {
  services: readonly { id: string; name: string; aliases: readonly string[] }[];
  providers: readonly { id: string; name: string }[];
}

/** One line of a transcript file (the corpus's JSONL fields). */
export interface TranscriptLine {
  text: string;
  intents: string[];
  after?: string;
  slots?: CorpusSlots;
  topics?: string[];
  from: string;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const NUMBERS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen',
  'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'oh', 'zero', 'hundred'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth',
  'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth', 'thirtieth'];
const DAY_WORDS = new Set([...WEEKDAYS, ...MONTHS, ...ORDINALS, ...NUMBERS, 'today', 'tomorrow', 'tonight', 'weekend', 'week']);
const PART_WORDS = new Set(['morning', 'afternoon', 'evening', 'tonight', 'night', 'lunch', 'lunchtime', 'noon', 'work']);
const TIME_WORDS = new Set([...NUMBERS, 'noon', 'midnight', 'am', 'pm', "o'clock", 'half', 'quarter']);
const DIGIT_WORDS = new Set(['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'double', 'triple']);
/** Catalogue words that name nothing alone. */
const PLAIN = new Set(['the', 'and', 'with', 'area', 'small', 'large', 'hair', 'removal', 'good', 'faith', 'face', 'full', 'back', 'line', 'lines']);

/** Which words of the original line stand for the slot `key` (empty: none can be told apart, the slot is kept). */
function evidence(key: keyof CorpusSlots, slots: CorpusSlots, said: readonly string[], vocab: SlotVocabulary): string[] {
  const of = (set: ReadonlySet<string>): string[] => said.filter((w) => set.has(w));
  switch (key) {
    case 'service': {
      const words = new Set(
        vocab.services.filter((s) => slots.service?.includes(s.id)).flatMap((s) => [s.name, ...s.aliases].flatMap((n) => spokenWords(n).concat(spokenWords(n).join(''))).filter((w) => w.length >= 3 && !PLAIN.has(w))),
      );
      return [...words].filter((w) => said.join('').includes(w));
    }
    case 'provider': {
      const p = vocab.providers.find((x) => x.id === slots.provider);
      return p ? of(new Set(spokenWords(p.name))) : [];
    }
    case 'day':
      return of(DAY_WORDS);
    case 'part':
      return of(PART_WORDS);
    case 'time':
      return of(TIME_WORDS);
    case 'name':
      return slots.name ? of(new Set(spokenWords(slots.name))) : [];
    case 'phone':
      return of(DIGIT_WORDS);
    case 'asap':
    case 'choice':
      return [];
  }
}

/** The slots of `u` still in `heard`: each kept unless none of the words that gave it was heard. */
export function slotsHeard(u: Pick<CorpusUtterance, 'text' | 'slots'>, heard: string, vocab: SlotVocabulary): CorpusSlots {
  const said = spokenWords(u.text);
  const heardWords = spokenWords(heard);
  const heardCompact = heardWords.join('');
  const out: CorpusSlots = {};
  for (const key of Object.keys(u.slots) as (keyof CorpusSlots)[]) {
    const words = evidence(key, u.slots, said, vocab);
    // Service names are compared without spaces: "hydra facial" is "hydrafacial".
    const kept = words.length === 0 || words.some((w) => (key === 'service' ? heardCompact.includes(w) : heardWords.includes(w)));
    if (kept) Object.assign(out, { [key]: u.slots[key] });
  }
  return out;
}

/**
 * Of the line's words, the share a transcript must keep to teach anything when the line has no cue
 * words (intentCues) to judge it by: below it the words are mostly the recogniser's, and labelled
 * with the line's intent they teach that noise means that intent (most often "question", the
 * largest: "i totally blanked on when i am supposed to come in" went from my-appointment to question
 * with such transcripts in training).
 */
export const MIN_WORDS_HEARD = 0.7;

/**
 * A line with cue words keeps its meaning when at least this share of them is heard, and at least
 * MIN_WORDS_WITH_CUES of all its words: "plum much doesn't chemical peel past" (of "how much does a
 * chemical peel cost") still says price, though it keeps three words of seven.
 */
export const MIN_CUES_HEARD = 0.5;
export const MIN_WORDS_WITH_CUES = 0.4;

/** A word is a cue of an intent when it is in at least CUE_MIN_LINES written lines, CUE_SHARE of which say that intent... */
const CUE_MIN_LINES = 5;
const CUE_SHARE = 0.5;
/** ...and that share is at least CUE_LIFT times the intent's share of all lines (common words of a large intent are no cue). */
const CUE_LIFT = 2;

/** Each intent's cue words: the words that tell it from the others in the written lines. */
export type IntentCues = ReadonlyMap<string, ReadonlySet<string>>;

/** The cue words of each intent (CUE_MIN_LINES, CUE_SHARE, CUE_LIFT), learned from written lines. */
export function intentCues(lines: readonly Pick<CorpusUtterance, 'text' | 'intents'>[]): IntentCues {
  const linesWith = new Map<string, number>();
  const byIntent = new Map<string, Map<string, number>>();
  const intentLines = new Map<string, number>();
  for (const u of lines) {
    const words = new Set(spokenWords(u.text));
    for (const c of new Set(u.intents)) {
      intentLines.set(c, (intentLines.get(c) ?? 0) + 1);
      const counts = byIntent.get(c) ?? new Map<string, number>();
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      byIntent.set(c, counts);
    }
    for (const w of words) linesWith.set(w, (linesWith.get(w) ?? 0) + 1);
  }
  const cues = new Map<string, Set<string>>();
  for (const [c, counts] of byIntent) {
    const prior = (intentLines.get(c) ?? 0) / Math.max(1, lines.length);
    const set = new Set<string>();
    for (const [w, n] of counts) {
      const all = linesWith.get(w) ?? 0;
      if (all >= CUE_MIN_LINES && n / all >= Math.max(CUE_SHARE, CUE_LIFT * prior)) set.add(w);
    }
    cues.set(c, set);
  }
  return cues;
}

/** The share of `said`'s words that are in `heard` (as many times as said). */
export function wordsHeard(said: readonly string[], heard: readonly string[]): number {
  const left = new Map<string, number>();
  for (const w of heard) left.set(w, (left.get(w) ?? 0) + 1);
  let kept = 0;
  for (const w of said) {
    const n = left.get(w) ?? 0;
    if (n > 0) {
      kept++;
      left.set(w, n - 1);
    }
  }
  return kept / Math.max(1, said.length);
}

/**
 * Whether a transcript still carries what line `u` says, and so may be labelled with its intents:
 * most of the cue words of its intents heard (MIN_CUES_HEARD) and not mostly the recogniser's
 * words (MIN_WORDS_WITH_CUES); a line with no cue words, most of its words (MIN_WORDS_HEARD).
 */
export function keepsMeaning(u: Pick<CorpusUtterance, 'text' | 'intents'>, heard: string, cues: IntentCues): boolean {
  const said = spokenWords(u.text);
  const heardWords = spokenWords(heard);
  const recall = wordsHeard(said, heardWords);
  const lineCues = new Set(said.filter((w) => u.intents.some((c) => cues.get(c)?.has(w))));
  if (lineCues.size === 0) return recall >= MIN_WORDS_HEARD;
  const got = new Set(heardWords);
  const cuesHeard = [...lineCues].filter((w) => got.has(w)).length / lineCues.size;
  return cuesHeard >= MIN_CUES_HEARD && recall >= MIN_WORDS_WITH_CUES;
}

/**
 * The transcript `heard` of corpus line `u` as a training line, or null when nothing, or too little
 * of the line's meaning (keepsMeaning), was heard. `from` says where it came from (voice,
 * perturbation, the original line's source).
 */
export function transcriptLine(u: CorpusUtterance, heard: string, from: string, vocab: SlotVocabulary, cues: IntentCues): TranscriptLine | null {
  const text = heard.trim().replace(/\s+/g, ' ');
  if (text === '' || !keepsMeaning(u, text, cues)) return null;
  const slots = slotsHeard(u, text, vocab);
  return {
    text,
    intents: [...u.intents],
    ...(u.after !== 'open' ? { after: u.after } : {}),
    ...(Object.keys(slots).length > 0 ? { slots } : {}),
    ...(u.topics.length > 0 ? { topics: [...u.topics] } : {}),
    from,
  };
}
