// How sure the receptionist can be of each critical slot a spoken turn gave (the service, the day
// and time, the provider, the caller's name): from the recogniser's confidence in the words the slot
// came from, and for a service from how closely those words match the catalogue. A turn without word
// confidences (a text message, the chat, a grammar-bound turn) gives none: its slots are taken as
// said. The dialog checks a slot below CHECK_BELOW in a short question before using it. Pure.
import type { Service } from '../booking/types.js';
import type { SlotConfidence, Understanding } from './types.js';

/** A recognised word with the recogniser's confidence in it (null: none given, e.g. a grammar decode). */
export interface HeardWord {
  word: string;
  confidence: number | null;
}

/**
 * Slots whose confidence is below this are checked with the caller before they are used: only the
 * really doubtful. Tuned on the tuning voices and dev lines of the hearing bench (test/bench/hearing.ts
 * --tune --checks, wideband): at 0.1, 1 of 69 key slots heard right is checked (1.4%) and 8 of 51
 * wrong ones are caught; at 0.5 (the first setting) 25 of 69 right ones were checked, which is what
 * asked "Was that Botox?" about a word heard right in the spoken end-to-end calls.
 */
export const CHECK_BELOW = 0.1;

/**
 * A spoken turn whose words the recogniser was this sure of on average, or less, is taken for
 * misheard where guessing would cost: an open model's second hearing of a rejected turn is not
 * taken (reheard.ts), an unanswerable "question" leaves no note for staff (dialog.ts). Chosen on the
 * hearing bench's tuning voices (--tune --only calls): the lines heard right there had 0.50 to 0.87
 * ("wait how long does it take", "no that's everything", "how much do you charge for microneedling"),
 * the garbage made of a yes, a treatment's name or noise 0.02 to 0.45 ("then", "where you",
 * "that all art all her what" for "the deluxe hydrafacial", "op to tuesday" for "no actually thursday").
 */
export const SURE_WORDS = 0.5;

/** The mean confidence of the words heard (null: none has one, e.g. a grammar decode). */
export function meanConfidence(words: readonly HeardWord[]): number | null {
  const scored = words.flatMap((w) => (w.confidence === null ? [] : [w.confidence]));
  return scored.length > 0 ? scored.reduce((s, c) => s + c, 0) / scored.length : null;
}

/** A service heard in words that are not its name or an alias (a sound-alike, a near spelling) counts for this much. */
const FUZZY_SERVICE = 0.6;

/**
 * Words that carry a day or time. A "when" keeps the caller's whole sentence as its text; only these
 * of its words say which day or time it is.
 */
const WHEN_WORD = /^(?:mon|tues|wednes|thurs|fri|satur|sun)days?$|^(?:today|tonight|tomorrow|morning|afternoon|evening|noon|midday|night|week|weekend|next|this|am|pm|o'clock|half|quarter|january|february|march|april|may|june|july|august|september|october|november|december|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|thirty|forty|fifty|oh|first|second|third|fourth|fifth|\d+(?::\d+)?(?:st|nd|rd|th|am|pm)?|\w+(?:teenth|tieth))$/;

/** The words of a "when"'s text that say its day or time (the whole text when none does). */
export function whenWords(text: string): string {
  const w = tokens(text).filter((x) => WHEN_WORD.test(x));
  return w.length > 0 ? w.join(' ') : text;
}

const tokens = (s: string): string[] => s.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
const compact = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * The confidence of the words `phrase` came from: the lowest of the heard words that are its
 * words (a slot is as doubtful as its weakest word); when none of them can be found among the heard
 * words (a number written as digits, a rewritten phrase), the mean over the whole turn.
 */
export function phraseConfidence(phrase: string, words: readonly HeardWord[]): number | null {
  const scored = words.filter((w): w is { word: string; confidence: number } => w.confidence !== null);
  if (scored.length === 0) return null;
  const want = new Set(tokens(phrase));
  const hits = scored.filter((w) => want.has(w.word.toLowerCase().replace(/\(\d+\)$/, '')));
  const pool = hits.length > 0 ? hits : scored;
  return hits.length > 0 ? Math.min(...pool.map((w) => w.confidence)) : pool.reduce((s, w) => s + w.confidence, 0) / pool.length;
}

/** Whether the words that named a service are one of its names or aliases (or a word of them), not a sound-alike. */
function exactService(serviceWords: string, service: Service | undefined): boolean {
  if (!service) return false;
  const said = compact(serviceWords);
  const names = [service.name, ...service.aliases];
  return names.some((n) => compact(n) === said || tokens(n).some((w) => w.length > 2 && compact(w) === said) || (said.length >= 5 && compact(n).includes(said)));
}

/**
 * The per-slot confidence of what a spoken turn was understood to say. `services`: the catalogue
 * (to judge how closely the service words match); `providers`: id to name.
 */
export function slotConfidence(u: Understanding, words: readonly HeardWord[], ctx: { service(id: string): Service | undefined; providerName(id: string): string }): SlotConfidence | undefined {
  if (!words.some((w) => w.confidence !== null)) return undefined;
  const out: SlotConfidence = {};
  const first = u.services[0];
  if (first !== undefined) {
    const c = phraseConfidence(u.serviceWords ?? '', words);
    if (c !== null) out.service = u.services.length === 1 && !exactService(u.serviceWords ?? '', ctx.service(first)) ? c * FUZZY_SERVICE : c;
  }
  if (u.when && !u.when.asap) {
    const c = phraseConfidence(whenWords(u.when.text), words);
    if (c !== null) out.when = c;
  }
  if (u.providerId) {
    const c = phraseConfidence(ctx.providerName(u.providerId), words);
    if (c !== null) out.provider = c;
  }
  if (u.name) {
    const c = phraseConfidence(u.name, words);
    if (c !== null) out.name = c;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
