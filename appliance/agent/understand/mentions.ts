// What the words around a day or a time say about it, shared by the day and time-of-day readers:
// whether it sits in a clause about something that already happened ("I had Botox on Friday",
// "blurry since my filler this morning"), and which of several mentions the caller means ("from
// Thursday to Friday", "Wednesday, not Thursday", "is it today or tomorrow?"). Pure.

/** One thing said about when, found at [start, end) of the canonical text. */
export interface Mention<T> {
  start: number;
  end: number;
  value: T;
}

// Words that put a clause in the past. Left out on purpose: "booked" and "did" (callers ask about
// appointments still to come with them: "did I book Friday?", "or was it Thursday?"), the polite
// past ("I was hoping", "I was wondering") and "got" as in "have you got".
const PAST = /\b(?:had(?! (?:booked|scheduled|made|planned|an? (?:appointment|appt|booking)))|got(?! (?:any|anything|time|space|room|openings?|availability|an? (?:opening|spot|slot|space|time)))|was(?! (?:wondering|hoping|thinking|going|gonna|looking|calling|planning|supposed|booked|scheduled|meant|for|on|at|told|it|that|i))|were(?! (?:wondering|hoping|thinking|going|gonna|looking|calling|planning|supposed|booked|scheduled|meant|for|on|at|told|we|you))|went|came|been(?! (?:meaning|wanting|thinking|hoping|trying|looking))|ago|yesterday|since|stayed|waited|passed|happened|looked|rang|last (?:night|week|weekend|month|year|time|visit))\b/;
const PRESENT_GOT = /\b(?:you|u|ya|ve|have|has)\s+got$/;

/** [start, end) of each clause of the text: sentences, then commas and joining words. */
export function clauses(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /[.?!;,]+(?:\s|$)|\s(?:and|but|because|cause|cuz|bc)\s/g;
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push([from, m.index]);
    from = m.index + m[0].length;
  }
  out.push([from, text.length]);
  return out;
}

/** The text with every clause about the past blanked out (same length, so offsets hold). */
export function withoutPast(text: string): string {
  let out = text;
  for (const [a, b] of clauses(text)) {
    const clause = text.slice(a, b);
    const m = PAST.exec(clause);
    if (!m) continue;
    if (m[0] === 'got' && PRESENT_GOT.test(clause.slice(0, m.index + 3))) continue;
    out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  }
  return out;
}

/** Said just before a mention that rules it out: "not Thursday", "instead of the 4th". */
export const NEGATED = /\b(?:not|instead of|rather than|other than|isn't|wasn't|n't)\s+(?:on\s+|for\s+|at\s+)?(?:the\s+|this\s+|my\s+)?$/;
/** Said just before a mention that makes it a deadline: "before the 20th". */
export const DEADLINE = /\b(?:before|by|until|till|til|no later than|ahead of)\s+(?:the\s+)?$/;
/** Said just before the old value of a move: "from the 9th". */
export const FROM = /\bfrom\s+(?:the\s+|my\s+)?$/;
const OR_BETWEEN = /^[\s,]*(?:or|or maybe|or was it|or is it|or was that|or on|or the)\s*(?:the\s+|on\s+)?$/;
/** The new value of a move: "move my facial to Saturday", "change it to 3". */
const MOVE_TO = /\b(?:move|moved|moving|change|changed|switch|swap|push|bump|shift|reschedule|rebook)\b[^.?!]{0,40}?\bto\s+(?:the\s+|a\s+)?$/;

/**
 * The one mention the caller means, or null when they name two as alternatives ("Thursday or
 * Friday?", "between Christmas and New Year's") or none. Negated ones ("not Thursday", "instead of
 * the 4th") and the old one of a move ("from the 9th to the 16th") go; with `deadlines`, a
 * deadline ("before the 20th") goes when something else is named. Of the rest, the new value of a
 * move wins ("move it to Saturday? can't do Friday"), else the last one said ("Wednesday, I mean
 * Thursday"). `same` tells when two mentions mean the same thing ("next Friday, the 11th").
 */
export function pickMention<T>(
  text: string,
  found: Mention<T>[],
  same: (a: T, b: T) => boolean,
  opts: { deadlines?: boolean; narrows?: (inner: T, outer: T) => boolean } = {},
): Mention<T> | null {
  const sorted = [...found].sort((a, b) => a.start - b.start);
  const kept = sorted.filter((m, i) => {
    const before = text.slice(Math.max(0, m.start - 24), m.start);
    if (NEGATED.test(before)) return false;
    if (FROM.test(before) && sorted.slice(i + 1).some((o) => !same(o.value, m.value))) return false;
    return true;
  });
  for (let i = 0; i + 1 < kept.length; i++) {
    const a = kept[i];
    const b = kept[i + 1];
    if (!a || !b || same(a.value, b.value)) continue;
    const between = text.slice(a.end, b.start);
    if (OR_BETWEEN.test(between)) return null;
    if (/^\s*and\s+(?:the\s+)?$/.test(between) && /\bbetween\s+(?:the\s+)?$/.test(text.slice(Math.max(0, a.start - 12), a.start))) return null;
  }
  const firm = opts.deadlines ? kept.filter((m) => !DEADLINE.test(text.slice(Math.max(0, m.start - 20), m.start))) : kept;
  const pool = firm.length > 0 ? firm : kept;
  let pick = pool.filter((m) => MOVE_TO.test(text.slice(Math.max(0, m.start - 60), m.start))).pop() ?? pool[pool.length - 1];
  // "to later this week, perhaps Thursday": a later mention inside the one picked narrows it.
  const narrows = opts.narrows;
  if (pick && narrows) pick = pool.filter((m) => m.start > (pick?.start ?? 0) && pick && narrows(m.value, pick.value)).pop() ?? pick;
  return pick ?? null;
}
