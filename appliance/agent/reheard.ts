// A spoken turn the question's closed grammar rejected (a yes/no, a read-back, an offer of times)
// and the open caller model heard again (voice/turns/session.ts): is what it heard taken as what
// the caller said? Only when the learned understanding is sure of it and it is something the
// grammar could not hold: a question, a request, a correction with its new value ("wait, how long
// does it take?", "no, actually thursday"), or, to "anything else?", a no or a goodbye; to "which
// treatment?", a service named in sure words. Never a
// yes: the grammar heard none, and a false yes would book or change what the caller did not want
// (the no-false-yes goal of issue 12 stays the grammar's rejection); nor a complaint. An urgent
// symptom in sure words always is (see ALERTS). Pure.
import { meanConfidence, SURE_WORDS, type HeardWord } from './slot-confidence.js';
import type { Intent, Pending, Understanding } from './types.js';

/** Intents that say nothing the question can be answered or followed with. */
const NOTHING: readonly Intent[] = ['off-topic', 'greeting', 'thanks'];

/**
 * A complaint heard again is not taken: garbage must not alert staff (a tuning-voice "no bye" came
 * out "nobody", read as a complaint), and a caller who means one says it again at an open turn.
 * An urgent symptom in sure words IS taken, whatever else: the question asked was closed (a
 * read-back, a yes/no), so its next turn would be closed too and the symptom lost again. Urgent
 * symptoms come before every other intent in every state (issue 11); a false alarm costs a call
 * to a nurse, a missed one a patient's harm.
 */
const ALERTS: readonly Intent[] = ['complaint'];

export function takesReheard(u: Understanding, pending: Pending | null, words: readonly HeardWord[]): boolean {
  // No confidences (a recogniser that gives none): nothing to tell its guess from garbage by.
  const sure = meanConfidence(words);
  if (sure === null || sure < SURE_WORDS) return false;
  if (u.intents.includes('urgent')) return true;
  // To "which treatment?" the answer itself, a service named in sure words: nothing is booked
  // before it is read back (a tuning call's "just the signature one" was heard so after the
  // closed list of the two offered took it for "the led").
  if ((pending === 'service' || pending === 'which-service') && u.services.length > 0 && !u.yes) return true;
  const nlu = u.nlu;
  if (!nlu || nlu.unsure) return false;
  const top = nlu.intents[0];
  if (u.yes || u.leaning === 'yes' || top === 'yes' || top === 'maybe') return false;
  const closing = pending === 'anything-else';
  // A correction carries its new value ("no, thursday"); without one, a "no" is only taken to "anything else?".
  if ((u.correction || top === 'correction') && (u.when !== undefined || u.services.length > 0 || u.providerId !== undefined)) return true;
  if (u.intents.includes('goodbye')) return closing;
  if (u.intents.some((i) => ALERTS.includes(i))) return false;
  if (u.intents.some((i) => !NOTHING.includes(i))) return true;
  return closing && (u.no || top === 'no');
}
