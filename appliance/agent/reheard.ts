// A spoken turn the question's closed grammar rejected (a yes/no, a read-back, an offer of times)
// and the open caller model heard again (voice/turns/session.ts): is what it heard taken as what
// the caller said? Only when the learned understanding is sure of it and it is something the
// grammar could not hold: a question, a request, a correction with its new value ("wait, how long
// does it take?", "no, actually thursday"), or, to "anything else?", a no or a goodbye. Never a
// yes: the grammar heard none, and a false yes would book or change what the caller did not want
// (the no-false-yes goal of issue 12 stays the grammar's rejection). Pure.
import type { HeardWord } from './slot-confidence.js';
import type { Intent, Pending, Understanding } from './types.js';

/**
 * The mean confidence of the words heard again below which the open model's guess is not taken.
 * Chosen on the hearing bench's tuning voices (--tune --only calls): the turns heard right there
 * ("wait how long does it take", "no that's everything") had 0.50 to 0.87, the garbage the open
 * model makes of a yes or of noise ("then", "where you", "ottilie", "op to tuesday" for "no
 * actually thursday") 0.02 to 0.45.
 */
export const REHEARD_MIN_CONFIDENCE = 0.5;

/** Intents that say nothing the question can be answered or followed with. */
const NOTHING: readonly Intent[] = ['off-topic', 'greeting', 'thanks'];

/** Whether the re-heard words, understood as `u`, are taken at a turn asking `pending`. */
export function takesReheard(u: Understanding, pending: Pending | null, words: readonly HeardWord[]): boolean {
  const scored = words.flatMap((w) => (w.confidence === null ? [] : [w.confidence]));
  // No confidences (a recogniser that gives none): nothing to tell its guess from garbage by.
  if (scored.length === 0 || scored.reduce((s, c) => s + c, 0) / scored.length < REHEARD_MIN_CONFIDENCE) return false;
  const nlu = u.nlu;
  if (!nlu || nlu.unsure) return false;
  const top = nlu.intents[0];
  if (u.yes || u.leaning === 'yes' || top === 'yes' || top === 'maybe') return false;
  const closing = pending === 'anything-else';
  // A correction carries its new value ("no, thursday"); without one, a "no" is only taken to "anything else?".
  if ((u.correction || top === 'correction') && (u.when !== undefined || u.services.length > 0 || u.providerId !== undefined)) return true;
  if (u.intents.includes('goodbye')) return closing;
  if (u.intents.some((i) => !NOTHING.includes(i))) return true;
  return closing && (u.no || top === 'no');
}
