// "When" in a caller's words -> a day and a window of the day in the spa's zone. The day is read in
// days.ts ("next Tuesday", "Saturday the 19th", "tmrw"); the time of day ("after 3", "around 2:30",
// "afternoon", "as soon as possible") is read here, because callers mean spa hours: "at 3" is 3 pm.
// What is said about the past ("since my filler this morning", "I had it at 3") and counts that
// only look like times ("20 min late", "after twenty years") give none. Pure: `now` and the zone
// are arguments.
import type { DayPart, WhenSpec } from '../types.js';
import { parseDay, type WhenOptions } from './days.js';
import { pickMention, withoutPast, type Mention } from './mentions.js';

export { parseDay, type WhenOptions } from './days.js';

/** Words for a part of the day, and the window each stands for. Lunch is a window, no part. */
const PARTS: { re: RegExp; from: number; to: number; part?: DayPart }[] = [
  { re: /\b(?:first thing|early morning)\b/, from: 0, to: 10 * 60 + 30, part: 'morning' },
  { re: /\b(?:mornings?|morn|mourning)\b/, from: 0, to: 12 * 60, part: 'morning' },
  { re: /\b(?:lunch ?time|over lunch|at lunch|lunch hour|lunch break)\b/, from: 11 * 60 + 30, to: 13 * 60 + 30 },
  { re: /\blate afternoon\b/, from: 15 * 60, to: 18 * 60, part: 'afternoon' },
  { re: /\bafternoons?\b/, from: 12 * 60, to: 17 * 60, part: 'afternoon' },
  {
    re: /\b(?:evenings?|tonight|tonite|2nite|after work|(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|tomorrow|tmrw) night)\b/,
    from: 17 * 60,
    to: 24 * 60,
    part: 'evening',
  },
];

/** A part of the day named as a greeting, a habit or relative to something else: no wish. */
const NOT_A_PART =
  /\bgood (?:morning|afternoon|evening|night)\b|\bhave a (?:good|nice|great|lovely|wonderful|pleasant|fab|blessed) (?:morning|afternoon|evening|night)\b|\b(?:that|same|all|every|each|one|other|most|following|next) (?:mornings?|afternoons?|evenings?|nights?)\b|\bthe (?:morning|afternoon|evening|night) (?:after|before)\b(?!\s+\d)|\b(?:morning|afternoon|evening) of(?=\s*[,.?!]|\s*$)/g;

const ASAP = /\b(?:asap|how soon|a s a p|as soon as (?:possible|you can|you have)|soonest|earliest|first available|next available|first opening|next opening|whenever you have|anytime soon|any time soon)\b/;

/** Hour as a caller means it at a spa: 1-7 without am/pm is afternoon. */
function hourOf(h: number, ampm: string | undefined): number {
  if (ampm === 'am') return h === 12 ? 0 : h;
  if (ampm === 'pm') return h === 12 ? 12 : h + 12;
  return h >= 1 && h <= 7 ? h + 12 : h;
}

const TIME = String.raw`(\d{1,2})(?::(\d\d))?\s?(am|pm)?`;
/** After a number, words that make it a count, a length or an amount, not a clock time. */
const NOT_A_TIME = String.raw`(?!\d|\s?(?:st|nd|rd|th|units?|syringes?|dollars|bucks|%|percent|min(?:ute)?s?|hrs?|hours?|days?|weeks?|wks?|months?|years?|yrs?|sessions?|people|ppl|times|x|k|grand|cc|ml|miles?|floor)\b)`;

interface TimeOfDay {
  fromMin?: number;
  toMin?: number;
  targetMin?: number;
  /** The window is the clock time they named, not a part of the day. */
  clock?: boolean;
  part?: DayPart;
}

/** Minutes after midnight; null for what is no clock time ("25", "14" said without a colon). */
function clockMin(h: string, m: string | undefined, ampm: string | undefined): number | null {
  const hh = Number(h);
  const mm = m === undefined ? 0 : Number(m);
  if (hh < 0 || hh > 23 || mm > 59) return null;
  if (m === undefined && (hh < 1 || hh > 12)) return null;
  const hour = hh > 12 ? hh : hourOf(hh, ampm);
  return hour * 60 + mm;
}

const WINDOW_AFTER = new Set(['after', 'from', 'later than', 'past']);
const WINDOW_BEFORE = new Set(['before', 'by', 'until', 'till', 'earlier than']);
/** Words before a clock time; the "for" ones say which appointment ("still on for 3"). */
const CLOCK_LEAD = String.raw`(after|from|later than|past|before|by|until|till|earlier than|around|about|at|near|close to|say|said|meant|make it|make that|change (?:it|that) to|(?:on|in|down|booked|scheduled) for)`;

/**
 * The clock time named: a window ("after 3", "between 2 and 4") or a target ("at 2:30"). Of
 * several, the one `pickMention` picks ("I said ten, I meant half past ten"); none when unsure
 * ("at 5 or was it 6").
 */
function clockTime(text: string): TimeOfDay | null {
  const found: Mention<TimeOfDay>[] = [];
  const add = (start: number, end: number, t: TimeOfDay | null): void => {
    if (found.some((f) => start < f.end && end > f.start)) return;
    if (t) found.push({ start, end, value: t });
  };
  const each = (re: RegExp, f: (m: RegExpExecArray) => TimeOfDay | null): void => {
    const g = new RegExp(re.source, 'g');
    for (let m = g.exec(text); m; m = g.exec(text)) add(m.index, m.index + m[0].length, f(m));
  };
  each(new RegExp(String.raw`\bbetween ${TIME} and ${TIME}`), (m) => {
    const a = clockMin(m[1] ?? '', m[2], m[3] ?? m[6]);
    const b = clockMin(m[4] ?? '', m[5], m[6]);
    return a !== null && b !== null && b > a ? { fromMin: a, toMin: b, clock: true } : null;
  });
  each(new RegExp(String.raw`\b(?:not\s)?${CLOCK_LEAD}\s(?:like\s)?${TIME}${NOT_A_TIME}`), (m) => {
    const min = clockMin(m[2] ?? '', m[3], m[4]);
    // "supervised by one", "swears by one": a pronoun, not 1 pm.
    if (min === null || (m[1] === 'by' && m[2] === '1' && !m[3] && !m[4])) return null;
    // "not before 5" is after 5; "not after 3" before it.
    if (m[0].startsWith('not ') && WINDOW_BEFORE.has(m[1] ?? '')) return { fromMin: min, toMin: 24 * 60, clock: true };
    if (m[0].startsWith('not ') && WINDOW_AFTER.has(m[1] ?? '')) return { fromMin: 0, toMin: min, clock: true };
    if (/^\s*or\s+(?:was it\s+|is it\s+|maybe\s+)?(?:at\s+)?\d/.test(text.slice(m.index + m[0].length))) return { targetMin: -1 };
    if (WINDOW_AFTER.has(m[1] ?? '')) return { fromMin: min, toMin: 24 * 60, clock: true };
    if (WINDOW_BEFORE.has(m[1] ?? '')) return { fromMin: 0, toMin: min, clock: true };
    return { targetMin: min };
  });
  each(/\b(\d{1,2}):(\d\d)\s?(am|pm)?\b|\b(\d{1,2})\s?(am|pm)\b|\b(\d{1,2}) o'clock\b|\b(\d{1,2}) ?ish\b/, (m) => {
    const min = m[1] !== undefined ? clockMin(m[1], m[2], m[3]) : m[4] !== undefined ? clockMin(m[4], undefined, m[5]) : clockMin(m[6] ?? m[7] ?? '', undefined, undefined);
    return min === null ? null : { targetMin: min };
  });
  each(/\b(?:noon|midday|mid day)\b/, () => ({ targetMin: 12 * 60 }));
  const picked = pickMention(text, found, (a, b) => a.targetMin === b.targetMin && a.fromMin === b.fromMin && a.toMin === b.toMin)?.value ?? null;
  return picked && picked.targetMin !== -1 ? picked : null;
}

/** The part of the day wished for, with its window; none for "the morning or the afternoon?". */
function partOfDay(text: string): { from: number; to: number; part?: DayPart } | null {
  const blanked = text.replace(NOT_A_PART, (w) => ' '.repeat(w.length));
  const found: Mention<(typeof PARTS)[number]>[] = [];
  for (const p of PARTS) {
    const g = new RegExp(p.re.source, 'g');
    for (let m = g.exec(blanked); m; m = g.exec(blanked)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!found.some((f) => start < f.end && end > f.start)) found.push({ start, end, value: p });
    }
  }
  return pickMention(text, found, (a, b) => a.part !== undefined && a.part === b.part)?.value ?? null;
}

/** The time-of-day part of a request, or null when it names none. */
export function parseTimeOfDay(text: string): TimeOfDay | null {
  const clock = clockTime(text);
  const part = partOfDay(text);
  if (!clock && !part) return null;
  const tod: TimeOfDay = clock ?? { fromMin: part?.from, toMin: part?.to };
  if (part?.part) tod.part = part.part;
  return tod;
}

/** Day and time of day together; null when the text names neither. */
export function parseWhen(text: string, now: number, zone: string, opts: WhenOptions = {}): WhenSpec | null {
  const present = withoutPast(text);
  const asap = ASAP.test(present);
  const day = parseDay(text, now, zone, opts);
  const tod = parseTimeOfDay(present);
  if (!asap && !day && !tod) return null;
  const spec: WhenSpec = { text };
  if (asap) spec.asap = true;
  if (day) {
    spec.day = day.day;
    if (day.days) spec.days = day.days;
    if (day.anyOf) spec.anyOf = day.anyOf;
  }
  if (tod) {
    for (const k of ['fromMin', 'toMin', 'targetMin', 'clock', 'part'] as const) if (tod[k] !== undefined) Object.assign(spec, { [k]: tod[k] });
  }
  return spec;
}
