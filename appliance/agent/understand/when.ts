// "When" in a caller's words -> a day and a window of the day in the spa's zone. chrono-node finds
// the day ("next Tuesday", "tomorrow", "December 3rd"); the time of day ("after 3", "around 2:30",
// "afternoon", "as soon as possible") is read here, because callers mean spa hours: "at 3" is 3 pm.
// Dates are always forward. Pure: `now` and the zone are arguments.
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import type { WhenSpec } from '../types.js';

const PARTS: { re: RegExp; from: number; to: number }[] = [
  { re: /\b(?:first thing|early morning)\b/, from: 0, to: 10 * 60 + 30 },
  { re: /\bmornings?\b/, from: 0, to: 12 * 60 },
  { re: /\b(?:lunch ?time|over lunch|at lunch|midday)\b/, from: 11 * 60 + 30, to: 13 * 60 + 30 },
  { re: /\b(?:late afternoon)\b/, from: 15 * 60, to: 18 * 60 },
  { re: /\bafternoons?\b/, from: 12 * 60, to: 17 * 60 },
  { re: /\b(?:evenings?|tonight|after work)\b/, from: 17 * 60, to: 24 * 60 },
];

const ASAP = /\b(?:asap|a s a p|as soon as (?:possible|you can|you have)|soonest|earliest|first available|next available|first opening|next opening|whenever you have|anytime soon|any time soon)\b/;

/** Hour as a caller means it at a spa: 1-7 without am/pm is afternoon. */
function hourOf(h: number, ampm: string | undefined): number {
  if (ampm === 'am') return h === 12 ? 0 : h;
  if (ampm === 'pm') return h === 12 ? 12 : h + 12;
  return h >= 1 && h <= 7 ? h + 12 : h;
}

const TIME = String.raw`(\d{1,2})(?::(\d\d))?\s?(am|pm)?`;

interface TimeOfDay {
  fromMin?: number;
  toMin?: number;
  targetMin?: number;
}

function clockMin(h: string, m: string | undefined, ampm: string | undefined): number | null {
  const hh = Number(h);
  const mm = m === undefined ? 0 : Number(m);
  if (hh < 0 || hh > 23 || mm > 59) return null;
  const hour = hh > 12 ? hh : hourOf(hh, ampm);
  return hour * 60 + mm;
}

/** The time-of-day part of a request, or null when it names none. */
export function parseTimeOfDay(text: string): TimeOfDay | null {
  let m = new RegExp(String.raw`\bbetween ${TIME} and ${TIME}`).exec(text);
  if (m) {
    const a = clockMin(m[1] ?? '', m[2], m[3] ?? m[6]);
    const b = clockMin(m[4] ?? '', m[5], m[6]);
    if (a !== null && b !== null && b > a) return { fromMin: a, toMin: b };
  }
  m = new RegExp(String.raw`\b(after|from|later than|past|before|by|until|till|earlier than|around|about|at|near|close to|say)\s${TIME}(?!\s?(?:st|nd|rd|th|units?|syringes?|dollars|%)\b)(?!\d)`).exec(text);
  if (m && !/^\d{3,}/.test(m[2] ?? '')) {
    const min = clockMin(m[2] ?? '', m[3], m[4]);
    if (min !== null) {
      switch (m[1] ?? 'at') {
        case 'after':
        case 'from':
        case 'later than':
        case 'past':
          return { fromMin: min, toMin: 24 * 60 };
        case 'before':
        case 'by':
        case 'until':
        case 'till':
        case 'earlier than':
          return { fromMin: 0, toMin: min };
        default:
          return { targetMin: min };
      }
    }
  }
  m = /\b(\d{1,2}):(\d\d)\s?(am|pm)?\b|\b(\d{1,2})\s?(am|pm)\b|\b(\d{1,2}) o'clock\b/.exec(text);
  if (m) {
    const min = m[1] !== undefined ? clockMin(m[1], m[2], m[3]) : m[4] !== undefined ? clockMin(m[4], undefined, m[5]) : clockMin(m[6] ?? '', undefined, undefined);
    if (min !== null) return { targetMin: min };
  }
  if (/\b(?:noon|12 noon)\b/.test(text)) return { targetMin: 12 * 60 };
  for (const p of PARTS) if (p.re.test(text)) return { fromMin: p.from, toMin: p.to };
  return null;
}

const MONTH_ONLY = /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/;

/** The local day (and span of days) a request names, or null. */
export function parseDay(text: string, now: number, zone: string): { day: string; days?: number } | null {
  const local = DateTime.fromMillis(now, { zone });
  const today = local.startOf('day');
  if (/\b(?:this|the) weekend\b|\bweekend\b/.test(text)) {
    const sat = today.plus({ days: (6 - today.weekday + 7) % 7 });
    return { day: sat.toISODate() ?? '', days: 2 };
  }
  if (/\bnext week\b/.test(text) && !/\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b/.test(text)) {
    const monday = today.plus({ days: 8 - today.weekday });
    return { day: monday.toISODate() ?? '', days: 7 };
  }
  if (/\b(?:later )?this week\b/.test(text)) return { day: today.toISODate() ?? '', days: 8 - today.weekday };
  // "the 14th", "on the 3rd": that day of this month, or of next month once it has passed.
  const dom = /\b(?:the|on) (\d{1,2})(?:st|nd|rd|th)\b(?! of| (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/.exec(text);
  const ref = new Date(local.year, local.month - 1, local.day, local.hour, local.minute);
  const results = chrono.parse(text, ref, { forwardDate: true }).filter((r) => {
    const t = r.text.trim().toLowerCase();
    if (MONTH_ONLY.test(t)) return false;
    return r.start.isCertain('day') || r.start.isCertain('weekday') || /\b(?:today|tomorrow|tonight)\b/.test(t);
  });
  // "Friday... wait, Saturday": a correction inside the sentence means the last day named.
  const corrected = results.length > 1 && /\b(?:wait|actually|no|sorry|i mean|make it|rather|instead)\b/.test(text.slice(results[0]?.index ?? 0));
  const r = corrected ? results[results.length - 1] : results[0];
  if (r) {
    let d = DateTime.fromObject({ year: r.start.get('year') ?? local.year, month: r.start.get('month') ?? local.month, day: r.start.get('day') ?? local.day }, { zone });
    if (d < today) d = d.plus({ years: 1 });
    // A weekday named on that same weekday ("Monday" said on a Monday evening) means today only
    // while the spa could still fit them in; otherwise next week's is searched too.
    const days = /\bweeks?\b/.test(r.text) ? 7 : undefined;
    return days ? { day: d.toISODate() ?? '', days } : { day: d.toISODate() ?? '' };
  }
  if (dom) {
    const n = Number(dom[1]);
    let d = today.set({ day: 1 }).plus({ days: n - 1 });
    if (n < 1 || n > 31) return null;
    if (d < today || d.month !== today.month) {
      d = today.set({ day: 1 }).plus({ months: 1 });
      if (n > d.daysInMonth!) return null;
      d = d.set({ day: n });
    }
    return { day: d.toISODate() ?? '' };
  }
  return null;
}

/** Day and time of day together; null when the text names neither. */
export function parseWhen(text: string, now: number, zone: string): WhenSpec | null {
  const asap = ASAP.test(text);
  const day = parseDay(text, now, zone);
  const tod = parseTimeOfDay(text);
  if (!asap && !day && !tod) return null;
  const spec: WhenSpec = { text };
  if (asap) spec.asap = true;
  if (day) {
    spec.day = day.day;
    if (day.days) spec.days = day.days;
  }
  if (tod) Object.assign(spec, tod);
  return spec;
}
