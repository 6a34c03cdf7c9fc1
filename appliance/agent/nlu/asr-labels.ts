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
 * Of the line's words, the share a transcript must keep to teach anything: below it the words are
 * mostly the recogniser's, and labelled with the line's intent they teach that noise means that
 * intent (most often "question", the largest: "i totally blanked on when i am supposed to come in"
 * went from my-appointment to question with such transcripts in training).
 */
export const MIN_WORDS_HEARD = 0.7;

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
 * The transcript `heard` of corpus line `u` as a training line, or null when nothing, or too little
 * of the line (MIN_WORDS_HEARD), was heard. `from` says where it came from (voice, perturbation,
 * the original line's source).
 */
export function transcriptLine(u: CorpusUtterance, heard: string, from: string, vocab: SlotVocabulary): TranscriptLine | null {
  const text = heard.trim().replace(/\s+/g, ' ');
  if (text === '' || wordsHeard(spokenWords(u.text), spokenWords(text)) < MIN_WORDS_HEARD) return null;
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
