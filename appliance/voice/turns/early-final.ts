// Recognising a caller turn before its end-of-turn silence is over. With a live-fed recogniser the
// stream is finished a little into the caller's silence (completeAnswerMs - EARLY_LEAD_MS), so the
// words are known when the turn ends: no recognition is left after the endpoint. When those words
// already read as a whole answer to what the box asked ("yes", "the first one", "how much is
// Botox"), the turn ends at completeAnswerMs of silence instead of the full wait; when they stop
// on a word that leads on ("I'd like to book a ...", "on Friday and"), or the recogniser could not
// take them, the full wait stands. If the caller speaks again before the turn ends, the early result
// is dropped and a new stream is fed the whole turn so far: one turn, recognised as one.
import type { AsrResult } from '../asr/types.js';
import type { Expectation } from './types.js';

/** The early decode starts this long before completeAnswerMs (pocketsphinx finishes in ~70 ms). */
export const EARLY_LEAD_MS = 100;

/** A stream finished early: its result once it is in. */
export interface EarlyFinal {
  /** The caller's silence (ms) at the last frame: speech again makes it smaller. */
  silentMs: number;
  result: AsrResult | null;
  readonly promise: Promise<AsrResult>;
}

/**
 * Words after which a sentence goes on: articles, prepositions, conjunctions, auxiliaries,
 * pronouns that want a verb, and hesitations. A turn whose words end on one of them is mid-sentence.
 */
const LEADS_ON = new Set(
  (
    'a an the and or but so because if then than that which who to for of with without on at in into from by about ' +
    'around before after until between like as my your our their his her its this these those some any each every ' +
    'next last i i\'d i\'m i\'ll i\'ve we we\'d you it\'s is are was were am be been do does did can could would should ' +
    'will shall may might must have has had want wanted need get got make just also maybe um uh er erm hmm well ' +
    'what when where how which whether not no-one only very more less much many what\'s there here'
  ).split(' '),
);

/** Whether an early final already reads as a whole answer to what the box expects. Pure. */
export function looksComplete(r: Pick<AsrResult, 'text' | 'rejected'>, expect: Expectation | undefined): boolean {
  const words = r.text.trim().split(/\s+/).filter(Boolean);
  const last = words[words.length - 1];
  if (r.rejected || last === undefined) return false;
  switch (expect?.kind ?? 'open') {
    case 'digits':
    case 'spelling':
      // Long and paused by nature: always the full (patient) wait.
      return false;
    case 'yes-no':
      // Its grammar holds only answers: an accepted one is whole.
      return true;
    case 'open':
      // A word-loop grammar (names: "Jane ... Smith") has no end to reach: the full wait.
      if (expect?.grammar?.constrained && !expect.grammar.closed) return false;
      return !LEADS_ON.has(last);
  }
}
