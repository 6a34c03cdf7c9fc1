// The scripted callers of the hearing bench (calls.json): what each caller wants, what it says when
// the box asks for something, and the goal its call is judged on. The caller is a policy over the
// box's replies: the first rule whose `ask` matches the box's words (and whose `expect`, when given,
// is what the box listens for) is said; open turns with no matching rule take the caller's next
// opening line, or say the last one again when it was just said (the box did not get it). A line
// is said at most three times in a row. When the box offers a keypad menu ("For Botox, press 1")
// and the caller uses keys, it presses the option that shares a word with what it would say (or
// said last), else with what it wants (`wants`); what is not listed is under "a later day", "more
// treatments" or "something else", and a day it would name now that no option names is "another day". A rule
// with a key answers by that key unless its own words pick an option. Asked for a code the box
// texted, it types (or reads out) the last text its own phone got; with none, it presses pound (or says so). Asked whether
// it has a problem after a treatment (agent/urgent.ts), it says no (or keys it): no caller here wants urgent help; told then that the box misheard, it says its request again. Only the caller's own lines and wants choose: never the goal the call is judged on.
// Pure: the bench's call runner feeds it the box's replies.
import { readFileSync } from 'node:fs';
import type { CallerExpects } from '../../../appliance/voice/asr/caller-grammars.js';
import { CHECK_QUESTION } from '../../../appliance/agent/slot-check.js';
import { URGENT_CHECK } from '../../../appliance/agent/urgent.js';

/** What a call must end with, judged on the spa's database or on what the box said. */
export type CallGoal =
  /** One new booked appointment for the caller, of this service on this day (YYYY-MM-DD, the spa's zone). */
  | { kind: 'book'; service: string; day: string }
  /** The caller's appointment on file moved to this day, still booked, nothing else booked. */
  | { kind: 'move'; day: string }
  /** The caller's appointment on file cancelled, nothing booked. */
  | { kind: 'cancel' }
  /** The call handed to staff (a transfer), nothing booked or changed. */
  | { kind: 'transfer' }
  /** A reply of the box matched `answer` (a case-insensitive regular expression), nothing booked or changed. */
  | { kind: 'answer'; answer: string };

/** A line the caller says when the box's reply matches `ask` (and it listens for `expect`). */
export interface CallerRule {
  ask?: string;
  expect?: CallerExpects;
  say: string;
  /** The key a caller would press instead, once the box offers the keypad. */
  key?: string;
  /** How many times the rule may be used (default: any). */
  times?: number;
}

export interface ScriptedCall {
  id: string;
  /** What the call tries, in a few words (for the report). */
  about: string;
  /** Caller ID (null: withheld). */
  from: string | null;
  /** An appointment the caller has on file before calling. */
  onFile?: { service: string; start: string; name: string };
  /** What the caller says on open turns, in order (the first one after the greeting). */
  opening: string[];
  rules: CallerRule[];
  /**
   * What the caller listens for in a keypad menu besides its lines' words, one entry per opening
   * line ("prices" while asking a price, "booking" once it books): the request it is on.
   */
  wants?: string[];
  goal: CallGoal;
}

/** What the scripted caller does next. */
export type CallerMove = { say: string } | { key: string } | { hangup: string };

const CAUGHT_NOT = /^Sorry, I didn't catch that|^Still there\?/;
const MISHEARD = /^Sorry, I misheard\b/;
/** The box asks for a code it texted (agent/identity.ts). */
const ASKS_CODE = /\btexted\b.*\bcode\b|\bcode doesn't match\. Please type it again/i;
const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** A day named (the last one in a reply is the day it proposes: "to Thursday, December 3rd"). */
const WEEKDAY = /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow)\b/gi;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** The box asks the day of the appointment on file: a day said to it is that appointment's, not one the caller wants. */
const ASKS_APPOINTMENT_DAY = /\bwhat day is the appointment on\b|\bwhich day is it on\b/i;
/** The box reads back what it is about to book or move. */
const READ_BACK = /\bShall I (?:book it|go ahead)\?/;
/** A day a caller names; and a menu option for a day not listed. */
const NAMES_A_DAY = /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow)\b/i;
const OTHER_DAY = /\b(?:another|later) day\b/i;
/** A reply that is only a menu (the options under a key), not a question with keys beside it. */
const FINER_MENU = /^For .+?, press (?:\d|star)\./;

/** A keypad menu's options as the box says them: "For Botox or Dysport, press 1." */
const MENU_OPTION = /\bFor (.+?), press (\d|star)\./g;
/** An option for what the menu does not list. */
const OTHER = /\b(?:later|more|something else)\b/i;
const NOT_CONTENT = new Set(['a', 'an', 'the', 'i', 'me', 'my', 'it', 'to', 'for', 'on', 'in', 'of', 'or', 'and', 'is', 'at', 'do', 'you', 'your', 'our', 'can', 'could', 'would', 'like', 'please', 'just', 'one', 'get', 'have', 'that', 'there', 'hi', 'hey', 'so', 'what', 'when', 'need']);

/** A word's rough stem, so "cancelling" meets "cancel" and "booking" meets "book". */
function stem(w: string): string {
  return w.replace(/(?:ing|ed|es|s|e)$/, '').replace(/(.)\1$/, '$1');
}

function contentWords(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9']+/).filter((w) => w.length > 0 && !NOT_CONTENT.has(w)).map(stem));
}

/**
 * The key of the option in `reply` that shares the most words with the first of `lines` that
 * shares any with an option (the first line, what the caller would say now, naming a day that no
 * option names: the option for another day); else the option for what is not listed ("a later
 * day", "something else"); else null.
 */
export function menuKey(reply: string, lines: readonly string[]): string | null {
  const options = [...reply.matchAll(MENU_OPTION)].map((m) => ({ label: m[1] ?? '', key: m[2] === 'star' ? '*' : (m[2] ?? ''), words: contentWords(m[1] ?? '') }));
  if (options.length === 0) return null;
  for (const line of lines) {
    const want = contentWords(line);
    let best: { key: string; shared: number } | null = null;
    for (const o of options) {
      const shared = [...o.words].filter((w) => want.has(w)).length;
      if (shared > 0 && (!best || shared > best.shared)) best = { key: o.key, shared };
    }
    if (best) return best.key;
    const otherDay = options.find((o) => OTHER_DAY.test(o.label));
    if (line === lines[0] && otherDay && NAMES_A_DAY.test(line)) return otherDay.key;
  }
  return options.find((o) => OTHER.test(o.label))?.key ?? null;
}

/** Most times a line is said again in a row when the box did not catch it (or asks the same again). */
export const MAX_REPEATS = 2;

/**
 * A scripted caller on one call. `keypad`: whether it presses a key when the box offers the
 * keypad (the fall-back), as a real caller would; without it the caller only speaks.
 */
export class ScriptedCaller {
  readonly #call: ScriptedCall;
  readonly #keypad: boolean;
  #opening = 0;
  readonly #used = new Map<number, number>();
  #last: { say: string; key?: string } | null = null;
  #repeats = 0;
  /** The last key chose from a keypad menu: a menu that follows is the same request's. */
  #inMenu = false;
  /** The line the caller chose its last menu key by. */
  #menuLine: string | undefined;
  /**
   * The day the caller wants now: the last weekday it named (said, or chose a key by), not counting
   * the day of an appointment on file it was asked for. "no actually thursday" makes it Thursday.
   */
  #day: string | null = null;
  /** The line said last (null after a key), and the box's question it answered. */
  #said: string | null = null;
  #saidTo: string | undefined;

  readonly #isRight: ((value: string) => boolean) | null;

  /** The texts that reached the caller's phone, newest last. */
  readonly #inbox: () => readonly string[];
  /** Today's weekday ("monday"), to know what "today" and "tomorrow" are; unknown: those name no day. */
  readonly #today: string | null;

  /**
   * `isRight`: whether a value the box checks ("Was that Lip Filler?") is what the caller wants
   * (answered yes or no); `inbox`: the texts its phone (its `from` number) received; `today`: the
   * call's weekday.
   */
  constructor(call: ScriptedCall, opts: { keypad: boolean; isRight?: (value: string) => boolean; inbox?: () => readonly string[]; today?: string }) {
    this.#call = call;
    this.#keypad = opts.keypad;
    this.#isRight = opts.isRight ?? null;
    this.#inbox = opts.inbox ?? (() => []);
    this.#today = opts.today?.toLowerCase() ?? null;
  }

  /** The caller's move after the box said `reply` and listens for `expects`. */
  next(reply: string, expects: CallerExpects): CallerMove {
    const offersKeys = /\bpress \d|keypad/i.test(reply);
    if (ASKS_CODE.test(reply)) {
      // The code its phone just got: typed, or read out by a caller who only speaks; none came: pound, or says so.
      const code = /\b\d{4,8}\b/.exec(this.#inbox().at(-1) ?? '')?.[0];
      const answer = code ? { say: code.split('').map((d) => DIGIT_NAMES[Number(d)]).join(' '), key: code } : { say: "I didn't get a code", key: '#' };
      this.#last = answer;
      return this.#keypad ? this.#press(answer.key) : this.#say(reply, answer.say);
    }
    if (reply.includes(URGENT_CHECK)) {
      this.#last = { say: 'no', key: '2' };
      return this.#keypad && offersKeys ? this.#press('2') : this.#say(reply, 'no');
    }
    // Told its request was misheard ("Sorry, I misheard. How can I help you today?"), it says the request again.
    const request = this.#call.opening[this.#opening - 1];
    if (MISHEARD.test(reply) && request !== undefined && !(this.#keypad && offersKeys)) {
      this.#last = { say: request };
      return this.#say(reply, request);
    }
    // Offered times or a read-back on another day than the one it wants: a real caller says no and
    // names its day (or keys no, or the key for another day), whatever its script would say next.
    const other = expects === 'choice' || (expects === 'yes-no' && READ_BACK.test(reply)) ? this.#otherDay(reply) : null;
    if (other !== null && !FINER_MENU.test(reply)) {
      const line = `no ${this.#day ?? ''}`;
      this.#last = { say: line, key: '2' };
      const key = !this.#keypad || !offersKeys ? null : expects === 'yes-no' ? '2' : menuKey(reply, [line]);
      if (key !== null) {
        const move = this.#press(key);
        this.#inMenu = expects === 'choice';
        this.#menuLine = line;
        return move;
      }
      return this.#say(reply, line);
    }
    if (this.#keypad) {
      const ruleIndex = this.#rule(reply, expects);
      const rule = this.#call.rules[ruleIndex];
      // A finer menu under the key it pressed is said alone; a question after it is a new turn.
      const inMenu = this.#inMenu && FINER_MENU.test(reply);
      // An open question it has no rule for, not a menu it chose its way into: its next request, as it would say it.
      const fresh = !rule && expects === 'open' && !inMenu && this.#opening < this.#call.opening.length;
      const on = fresh ? this.#opening : Math.max(0, this.#opening - 1);
      const request = [this.#call.opening[on], this.#call.wants?.[on]];
      // In a menu it chose its way into, it goes on with the line it chose by. An answer it has a
      // key for (the first time offered) is that key unless its own words pick an option.
      const own = [inMenu ? this.#menuLine : undefined, rule ? this.#words(rule) : undefined];
      const lines = (fresh ? request : rule?.key !== undefined ? own : [...own, this.#last?.say, ...request]).filter((l): l is string => l !== undefined);
      const key = menuKey(reply, lines);
      if (key !== null) {
        if (fresh) {
          this.#opening++;
          this.#last = { say: this.#call.opening[on] ?? '' };
        }
        // Its answer to this question, given by key ("no, Thursday" as another day): used, like a line said.
        if (rule && !inMenu && lines[0] === this.#words(rule)) this.#used.set(ruleIndex, (this.#used.get(ruleIndex) ?? 0) + 1);
        if (lines[0] !== undefined) this.#names(reply, lines[0]);
        const move = this.#press(key);
        this.#inMenu = true;
        this.#menuLine = lines[0];
        return move;
      }
    }
    if (CAUGHT_NOT.test(reply) && this.#last) {
      if (this.#keypad && offersKeys && this.#last.key) return this.#press(this.#last.key);
      return this.#say(reply, this.#last.say);
    }
    const check = this.#isRight ? CHECK_QUESTION.exec(reply) : null;
    if (check && this.#isRight && expects === 'check') {
      const value = check[1] ?? check[2] ?? '';
      const right = this.#isRight(value) && this.#otherDay(value) === null;
      this.#last = right ? { say: "that's right", key: '1' } : { say: 'no', key: '2' };
      if (this.#keypad && offersKeys && this.#last.key) return this.#press(this.#last.key);
      return this.#say(reply, this.#last.say);
    }
    const i = this.#rule(reply, expects);
    const rule = this.#call.rules[i];
    if (rule) {
      this.#used.set(i, (this.#used.get(i) ?? 0) + 1);
      const words = this.#words(rule);
      this.#last = { say: words, ...(rule.key !== undefined ? { key: rule.key } : {}) };
      if (this.#keypad && offersKeys && rule.key) return this.#press(rule.key);
      return this.#say(reply, words, true);
    }
    if (expects === 'open' || expects === 'service' || expects === 'when') {
      const line = this.#call.opening[this.#opening];
      if (line !== undefined) {
        this.#opening++;
        this.#last = { say: line };
        return this.#say(reply, line);
      }
      // The box asks again what it asked last, in other words ("Sorry, I can't help with that ...
      // What would you like to do?"): the caller says its request again.
      if (this.#said !== null && this.#said === this.#call.opening[this.#opening - 1]) return this.#say(reply, this.#said);
      return { hangup: 'nothing more to say' };
    }
    return { hangup: `no answer for a ${expects} question` };
  }

  /** The first rule that answers `reply` (-1: none). */
  #rule(reply: string, expects: CallerExpects): number {
    return this.#call.rules.findIndex((r, k) => (r.ask === undefined || new RegExp(r.ask, 'i').test(reply)) && (r.expect === undefined || r.expect === expects) && (r.times === undefined || (this.#used.get(k) ?? 0) < r.times));
  }

  /** A rule's words as the caller says them now: asked when, it names the day it wants now. */
  #words(rule: CallerRule): string {
    return rule.expect === 'when' && this.#day !== null ? rule.say.replace(WEEKDAY, this.#day) : rule.say;
  }

  /** The weekday `text` names last ("today" as today's), or null. */
  #weekday(text: string): string | null {
    const day = [...text.matchAll(WEEKDAY)].at(-1)?.[0].toLowerCase();
    if (day === 'today' || day === 'tomorrow') return this.#today === null ? null : (WEEKDAYS[(WEEKDAYS.indexOf(this.#today) + (day === 'today' ? 0 : 1)) % 7] ?? null);
    return day ?? null;
  }

  /** The weekday `text` proposes when the caller wants another one; else null. */
  #otherDay(text: string): string | null {
    const day = this.#weekday(text);
    return day !== null && this.#day !== null && day !== this.#day ? day : null;
  }

  /** Notes the day a line the caller says (or keys by) in answer to `reply` wants. */
  #names(reply: string, line: string): void {
    const day = this.#weekday(line);
    if (day !== null && !ASKS_APPOINTMENT_DAY.test(reply)) this.#day = day;
  }

  #press(key: string): CallerMove {
    this.#inMenu = false;
    this.#repeats = 0;
    this.#said = null;
    return { key };
  }

  /**
   * Says a line, unless it was just said 1 + MAX_REPEATS times in a row (the box asking again in
   * whatever words; a rule's line to another question is a new answer): then the caller gives up.
   */
  #say(reply: string, line: string, rule = false): CallerMove {
    const question = lastQuestion(reply);
    // A rule's words to a new question the box moved on to (not a "Sorry, ..."): an answer, not a repeat.
    const moved = rule && question !== this.#saidTo && !/^Sorry\b/.test(reply);
    this.#saidTo = question;
    if (line === this.#said && !moved) {
      if (this.#repeats >= MAX_REPEATS) return { hangup: 'not understood after saying it again twice' };
      this.#repeats++;
    } else {
      this.#repeats = 0;
    }
    this.#inMenu = false;
    this.#said = line;
    this.#names(reply, line);
    return { say: line };
  }
}

/** The last question in a reply ("Shall I book it?"), keypad hints aside. */
function lastQuestion(reply: string): string | undefined {
  return reply.split(/(?<=[.!?])\s+/).filter((x) => x.endsWith('?')).at(-1);
}

/** The calls of calls.json (validated lightly: a broken file is a thrown error, not a silent skip). */
export function readScriptedCalls(path: string): ScriptedCall[] {
  const calls = JSON.parse(readFileSync(path, 'utf8')) as ScriptedCall[];
  if (!Array.isArray(calls)) throw new Error(`${path}: not a list of calls`);
  for (const c of calls) {
    if (typeof c.id !== 'string' || !Array.isArray(c.opening) || !Array.isArray(c.rules) || typeof c.goal?.kind !== 'string') throw new Error(`${path}: call ${String(c.id)} is malformed`);
  }
  return calls;
}
