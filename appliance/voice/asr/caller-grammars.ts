// What callers of a spa say at each point of the receptionist's dialog, as grammars for a
// grammar-bound recogniser (pocketsphinx; engines without grammars ignore them). The dialog only
// says what it expects next (an open question, yes or no, a day and time, a service, one of the
// offered slots, a name, digits); this maps that and the spa's catalogue words to the Expectation
// turn-taking uses: the end-of-turn wait (its kind) and the grammar. Pure.
import type { Expectation } from '../turns/types.js';
import type { AsrGrammar } from './types.js';
import { checkGrammar, codeGrammar, dayTimeGrammar, digitsGrammar, openGrammar, serviceAnswerGrammar, serviceGrammar, yesNoGrammar } from './grammars.js';

/** What the dialog expects the caller's next turn to be ('menu': one key of a keypad menu, or the digit said; 'code': a texted code). */
export type CallerExpects = 'open' | 'yes-no' | 'check' | 'when' | 'service' | 'choice' | 'name' | 'digits' | 'code' | 'menu';

/** What callers of a spa say, so a grammar-bound recogniser (pocketsphinx) can follow them. */
export const CALLER_PHRASES = [
  "i'd like to book an appointment",
  "i'd like to book a chemical peel",
  'do you have anything on friday morning',
  'how much is botox',
  'what are your hours',
  'where are you located',
  'is there parking',
  'can i speak to a person',
  'i need to cancel my appointment',
  'i need to reschedule my appointment',
  'when is my appointment',
  'yes please',
  'no thanks',
  "no that's all thank you",
  'goodbye',
];

/** Picking one of the offered slots. */
const CHOICE_PHRASES = ['the first one', 'the second one', 'the third one', 'the last one', 'the earlier one', 'the later one', 'first', 'second', 'the first', 'the second', 'yes', 'yes please', 'that works', 'no', 'neither'];

/** Common first names for the name turn. */
const FIRST_NAMES = ['jane', 'john', 'emma', 'olivia', 'sophia', 'mia', 'ava', 'amy', 'anna', 'sarah', 'laura', 'maria', 'lisa', 'kate',
  'grace', 'lily', 'rose', 'ruth', 'karen', 'linda', 'susan', 'nancy', 'jessica', 'emily', 'michael', 'david', 'james', 'robert', 'mark',
  'paul', 'peter'];
/** Common last names for the name turn. */
const LAST_NAMES = ['smith', 'brown', 'johnson', 'williams', 'jones', 'miller', 'davis', 'garcia', 'wilson', 'moore', 'taylor',
  'anderson', 'thomas', 'jackson', 'white', 'harris', 'martin', 'thompson', 'young', 'allen', 'king', 'wright', 'scott', 'green', 'baker',
  'adams', 'nelson', 'hill', 'campbell', 'mitchell', 'roberts', 'carter', 'phillips', 'evans', 'turner', 'parker', 'collins', 'edwards',
  'stewart', 'morris', 'murphy', 'cook', 'rogers', 'morgan', 'cooper', 'peterson', 'reed', 'bailey', 'bell', 'kelly', 'howard', 'ward', 'cox',
  'richardson', 'wood', 'watson', 'brooks', 'bennett', 'gray', 'james', 'hughes', 'price', 'sanders', 'myers', 'long', 'ross', 'foster', 'lee', 'chen', 'kim'];
/** How callers lead into their name. */
const NAME_LEADS = ['my name is', "it's", 'this is', "i'm", 'yes'];

/**
 * The answer to "may I have your first and last name?": a first name, perhaps after "my name is",
 * then mostly a last name. A loop of the same words in any order and number heard the tuning
 * calls' two-word names as three ("emily paul cook", "white anna ward" for "laura miller"), which
 * match no appointment on file; the order holds the decoder to one first and one last name (names
 * heard right on the tuning calls: 13 of 45 with the loop, 23 of 39 so). No garbage ("constrained"):
 * with it the order lost a quarter of the tuning calls' real names to the garbage, and the loop's
 * garbage had rejected only 5 of 80 out-of-grammar lines at this turn anyway ("who is this"; tuning
 * voices, clean). A line that is no name comes out as some name, as with the loop: the read-back
 * before booking puts it to the caller, and a lookup by name finds nothing and asks once more.
 */
export function nameGrammar(): AsrGrammar {
  return { phrases: [], sequence: [{ options: NAME_LEADS, optional: true }, { options: FIRST_NAMES }, { options: LAST_NAMES, optional: true }], closed: true };
}

/** Said when asked when: a day and time, "as soon as possible", or a correction ("no, wednesday"). */
const WHEN_PHRASES = ['as soon as possible', 'next week', 'the first available', 'no wednesday', 'actually thursday'];
const WHEN_WORDS = ['no', 'actually', 'instead', 'soon', 'possible', 'as', 'earliest'];
/**
 * Other answers to "which would you like?" that keep the call going: another day, none of them. No
 * weekday names: in the spoken e2e calls "the first one" was heard as "monday" in two runs of four.
 * The choice is a closed list (no word loop): on the tuning voices a loop of day and time words
 * heard the wrong slot in half of the answers, the closed list in a quarter, rejecting the rest.
 */
const CHOICE_OTHERS = ['another day', 'a different day', 'something later', 'something earlier', 'none of those', 'none of them', 'next week'];

/** callerExpectation for a spa whose service names and aliases `catalogue` gives (read when a turn needs them). */
export function callerExpectations(catalogue: () => readonly string[]): (expects: CallerExpects, offered?: Offered) => Expectation {
  return (expects, offered) => callerExpectation(expects, catalogue, offered);
}

/** What the question just asked offered: times to choose from, or services ("Signature HydraFacial or Deluxe HydraFacial?"). */
export interface Offered {
  times?: readonly OfferedTime[];
  /** Each offered service's name and aliases. */
  services?: readonly (readonly string[])[];
  /** How many digits the answer has, when the box knows (a code it texted). */
  digits?: number;
}

/** A time just offered, as the box said it ("six fifteen"), with its day when the offers span days ("thursday"). */
export interface OfferedTime {
  time: string;
  day?: string;
}

/**
 * How a caller names one of the times just offered: the time alone, "at ten", "ten please", "the
 * ten", "ten works", "ten o'clock" for a whole hour; with offers on several days also "thursday",
 * "thursday at noon", "the thursday one". In the choice grammar beside "the first one": callers
 * answer "ten o'clock", which the list without the times forced onto "that works" or "none of
 * them" (a tuning-voice call looped so).
 */
export function offeredTimePhrases(offers: readonly OfferedTime[]): string[] {
  return offers.flatMap(({ time: t, day }) => {
    const hour = /^[a-z]+$/.test(t) && t !== 'noon' && t !== 'midnight';
    const times = [t, `at ${t}`, `${t} please`, `the ${t}`, `${t} works`, ...(hour ? [`${t} o'clock`, `${t} o'clock please`, `at ${t} o'clock`] : [])];
    const days = day && /^[a-z]+$/.test(day) ? [day, `${day} at ${t}`, `${day} please`, `the ${day} one`] : [];
    return [...times, ...days];
  });
}

/**
 * The Expectation for what the dialog expects. `catalogue`: the spa's service names and aliases
 * (asked for only when the grammar needs them); `offered`: on a choice, the times offered, as said;
 * on a service, the services the question named.
 */
export function callerExpectation(expects: CallerExpects, catalogue: () => readonly string[], offered: Offered = {}): Expectation {
  // Free: a recogniser with the spa's caller language model decodes it with that; the phrases
  // and words are the grammar of one without.
  const open = (): AsrGrammar => ({ ...openGrammar({ catalogue: catalogue(), phrases: CALLER_PHRASES }), free: true });
  switch (expects) {
    // A read-back or an offer is often met with a question or a correction ("wait, how long does
    // it take?", "no, actually thursday"), which the closed grammar rejects: heard again as an open turn.
    case 'yes-no':
      return { kind: 'yes-no', grammar: { ...yesNoGrammar(), constrained: true }, retry: open() };
    // "Was that Botox?": a confirmation, a no, or a no with the right day or treatment ("no thursday").
    case 'check':
      return { kind: 'yes-no', grammar: { ...checkGrammar(catalogue()), constrained: true }, retry: open() };
    // Answers to "when?" and "which treatment?" are free too: with the caller language model they
    // kept 81% of their key words against 56% with these lists (test/bench/hearing-lm.ts --answers,
    // dev sentences, tuning voices). The lists remain the grammar of a recogniser without one.
    case 'when':
      return { kind: 'open', grammar: { phrases: [...(dayTimeGrammar().phrases ?? []), ...WHEN_PHRASES], words: [...(dayTimeGrammar().words ?? []), ...WHEN_WORDS], free: true } };
    // "Signature HydraFacial or Deluxe HydraFacial?": one of the services named, as a closed list
    // ("the deluxe one"; the caller model never heard "deluxe" in the tuning calls), anything else
    // (a question, another treatment) heard again as an open turn.
    case 'service':
      return offered.services?.length
        ? { kind: 'open', grammar: { ...serviceAnswerGrammar(offered.services), constrained: true }, retry: open() }
        : { kind: 'open', grammar: { ...serviceGrammar(catalogue()), free: true } };
    case 'choice':
      return { kind: 'open', grammar: { phrases: [...CHOICE_PHRASES, ...CHOICE_OTHERS, ...offeredTimePhrases(offered.times ?? [])], closed: true, constrained: true }, retry: open() };
    case 'name':
      return { kind: 'open', grammar: nameGrammar() };
    case 'digits':
      return { kind: 'digits', grammar: { ...digitsGrammar(), constrained: true } };
    // A code the box texted (agent/identity-code.ts): exactly its digits.
    case 'code':
      return { kind: 'digits', grammar: { ...(offered.digits ? codeGrammar(offered.digits) : digitsGrammar()), constrained: true } };
    case 'menu':
      // One key: the wait after a key is a menu's (turn-taking's kind 'open'), not a number's.
      return { kind: 'open', grammar: { ...digitsGrammar(), constrained: true } };
    case 'open':
      return { kind: 'open', grammar: open() };
  }
}
