// Ready-made grammars for the turns the receptionist's dialog asks for. Pure data builders: the
// dialog picks one per turn ("expect yes/no", "expect a service", ...) and hands it to `Asr.recognize`.
import type { AsrGrammar } from './types.js';

const YES = ['yes', 'yes please', 'yeah', 'sure', 'correct', "that's right", 'that works', 'okay', 'sounds good'];
const NO = ['no', 'no thanks', 'no thank you', "that's wrong", "that doesn't work", 'not really'];
const DIGITS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'today', 'tomorrow', 'weekend'];
const TIME_WORDS = ['morning', 'afternoon', 'evening', 'noon', 'midday', "o'clock", 'half', 'past', 'quarter', 'thirty',
  'fifteen', 'forty', 'five', 'am', 'pm', 'early', 'late', 'next', 'this', 'week', 'at', 'on', 'in', 'the', 'after', 'before',
  'around', 'any', 'time', 'anytime', 'first', 'available'];
const HOURS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const FILLER = ['i', "i'd", 'like', 'want', 'to', 'a', 'an', 'the', 'please', 'book', 'for', 'um', 'uh', 'maybe', 'some', 'get'];

/**
 * A closed yes/no question: the answer is one of a small set of yes and no phrases. "yep" and
 * "nope" are left out: pocketsphinx hears a short "no" as "nope" when both are allowed.
 */
export function yesNoGrammar(): AsrGrammar {
  return { phrases: [...YES, ...NO], closed: true, committing: YES };
}

/**
 * How a caller confirms a detail the receptionist checks ("Was that Botox?"): the natural
 * confirmations, "yep" included (a check has no "nope"), each its own committing answer.
 */
export const CHECK_YES = ['yes', 'yeah', 'yep', 'correct', "that's right", "that's correct", 'yes it is', "yes that's right", 'right'];
const CHECK_NO = ['no', "that's wrong", 'not really', 'no it was not'];

/** Names as a phrase list holds them: lower case, letters and apostrophes, single spaces, each once. */
function namesAsSaid(names: readonly string[]): string[] {
  return [...new Set(names.map((v) => v.toLowerCase().replace(/[^a-z' ]+/g, ' ').replace(/\s+/g, ' ').trim()).filter(Boolean))];
}

/**
 * The answer to a check of a detail heard with low confidence: a confirmation, a no, or a no with
 * the right value ("no thursday", "no filler", "actually thursday"); `serviceNames`: the spa's
 * service names and aliases a correction may name (days are added). Closed, the confirmations
 * committing (held to the check's own floor: `check`).
 */
export function checkGrammar(serviceNames: readonly string[]): AsrGrammar {
  const named = namesAsSaid([...DAYS.slice(0, 7), ...serviceNames]);
  const corrections = named.flatMap((v) => [`no ${v}`, `actually ${v}`]);
  return { phrases: [...CHECK_YES, ...CHECK_NO, ...corrections], closed: true, committing: CHECK_YES, check: true };
}

/** A spoken number (phone, date of birth, confirmation code): digits in any order and count. */
export function digitsGrammar(): AsrGrammar {
  return { words: DIGITS };
}

/**
 * A code of `length` digits read out ("two two three, oh nine one"): exactly that many digit
 * words. Any count let a tuning-voice caller's six digits come out as seven, which matches no
 * code; a decoder held to six has to place every digit it hears.
 */
export function codeGrammar(length: number): AsrGrammar {
  return { words: DIGITS, count: length };
}

/** A day and/or time of day ("next tuesday afternoon", "friday at 2:30"). */
export function dayTimeGrammar(): AsrGrammar {
  return { phrases: DAYS.flatMap((d) => [d, `${d} morning`, `${d} afternoon`]), words: [...DAYS, ...TIME_WORDS, ...HOURS, 'and', 'or'] };
}

/** One of the spa's services, said alone or inside a short request ("a HydraFacial please"). */
export function serviceGrammar(serviceNames: readonly string[]): AsrGrammar {
  return { phrases: serviceNames, words: [...serviceNames, ...FILLER] };
}

/** Words of service names that name no part of one on their own. */
const NAME_GLUE = new Set(['with', 'and', 'the', 'for', 'area', 'good', 'faith', 'exam']);

/**
 * The answer to "would that be Signature HydraFacial or Deluxe HydraFacial?" as a closed list:
 * `offered` holds each offered service's name and aliases. What tells them apart, alone or in a
 * short frame: a name or alias of one of them only ("the deluxe hydrafacial", "classic hydrafacial
 * please"), or a word that only one's names have ("the deluxe one", "just the signature one",
 * "deluxe"). What they share ("hydrafacial", "facial") answers nothing, and as a short phrase it
 * took the tuning calls' "just the signature one".
 */
export function serviceAnswerGrammar(offered: readonly (readonly string[])[]): AsrGrammar {
  const named = offered.map((names) => namesAsSaid(names));
  const only = <T>(of: (names: string[]) => T[]): T[][] => {
    const each = named.map((names) => [...new Set(of(names))]);
    return each.map((mine, i) => mine.filter((x) => !each.some((theirs, j) => j !== i && theirs.includes(x))));
  };
  const names = only((n) => n).flat();
  const parts = only((n) => n.flatMap((v) => v.split(' ')).filter((w) => w.length >= 3 && !NAME_GLUE.has(w))).flat();
  return {
    phrases: [
      ...names.flatMap((n) => [n, `the ${n}`, `a ${n}`, `just the ${n}`, `${n} please`]),
      ...parts.flatMap((w) => [w, `the ${w}`, `the ${w} one`, `just the ${w} one`]),
    ],
    closed: true,
  };
}

/**
 * Free-ish speech: anything built from the standing conversation vocabulary plus the catalogue
 * (service names and descriptions), days and times. Phrases are preferred when given.
 */
export function openGrammar(opts: { catalogue: readonly string[]; vocabulary?: readonly string[]; phrases?: readonly string[] }): AsrGrammar {
  return {
    phrases: opts.phrases ?? [],
    words: [...opts.catalogue, ...(opts.vocabulary ?? []), ...DAYS, ...TIME_WORDS, ...HOURS, ...FILLER, ...YES, ...NO],
  };
}
