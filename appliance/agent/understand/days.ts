// The day a caller asks for, read the way people say days to a spa: "Thursday", "next Tuesday",
// "Saturday the 19th", "dec 15", "12/22", "the 14th", "tmrw", "tonight", "Christmas Eve"; and the
// spans that are no one day ("next week", "this weekend", "sometime in January", "the week of the
// 14th"). What is not a wish for a day gives none: durations ("20 min late", "3 days after"), the
// past ("I had Botox on Friday", "last Christmas"), habits ("on Saturdays"), "now", and two days
// asked between ("is it Thursday or Friday?"). Days the caller would take either of ("Monday or
// Wednesday") are those days. Forward only. Pure: `now` and the zone are arguments.
import { DateTime } from 'luxon';
import { DEADLINE, FROM, NEGATED, pickMention, withoutPast, type Mention } from './mentions.js';

export interface DaySpan {
  /** 'YYYY-MM-DD' in the spa's zone: the day, or the first day of a span. */
  day: string;
  /** A span of days ("next week"): how many from `day`. */
  days?: number;
  /** Days named as alternatives ("Monday or Wednesday"), in order: only these, of the span. */
  anyOf?: string[];
}

interface Said {
  date: DateTime;
  days?: number;
}

/** A weekday as said, written or misheard ("tues", "thurs", "chewsday"). */
export const WEEKDAY_WORD = String.raw`(?:mon(?:day)?|tue(?:s(?:day)?)?|chews ?day|wed(?:s|nesday)?|wen(?:d)?sday|thu(?:r(?:s(?:day)?)?)?|thrusday|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
/** Month names that are never ordinary words: "may" and "march" alone are. */
const MONTH_ALONE = String.raw`(jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const ORD = String.raw`(?:st|nd|rd|th)`;
/** After a number, words that make it a count or an amount, not a day. */
const NOT_A_DAY_AFTER = /^\s*(?:one|ones|option|choice|sessions?|times?|treatments?|visits?|appointments?|appts?|floor|birthday|anniversary|syringes?|units?|weeks?|wks?|months?|years?|yrs?|days?|hours?|hrs?|min(?:ute)?s?|grade|street|st|ave(?:nue)?|place|round|try|attempt|kid|child|trimester|people|ppl|of us)\b/;

function weekdayOf(word: string): number {
  if (word.startsWith('mon')) return 1;
  if (word.startsWith('tu') || word.startsWith('ch')) return 2;
  if (word.startsWith('we')) return 3;
  if (word.startsWith('th')) return 4;
  if (word.startsWith('fr')) return 5;
  if (word.startsWith('sa')) return 6;
  return 7;
}

function monthOf(word: string): number {
  const names = ['ja', 'fe', 'mar', 'ap', 'may', 'jun', 'jul', 'au', 'se', 'oc', 'no', 'de'];
  return names.findIndex((n) => word.startsWith(n)) + 1;
}

/** Reads days against one "today". */
class DayReader {
  private readonly found: Mention<Said>[] = [];

  constructor(
    private readonly text: string,
    /** The text with its clauses about the past blanked out. */
    private readonly present: string,
    private readonly today: DateTime,
    /** The receptionist has just offered a list (times, treatments) to pick from. */
    private readonly listOffered: boolean,
  ) {}

  private free(start: number, end: number): boolean {
    return !this.found.some((m) => start < m.end && end > m.start);
  }

  private add(start: number, end: number, date: DateTime | null, days?: number): void {
    if (!this.free(start, end)) return;
    // Claimed even when it gives no day, so a later, looser pattern cannot read the same words.
    this.found.push({ start, end, value: { date: date ?? DateTime.invalid('none'), days } });
  }

  /** Every match of `re` in the text (or in its present-tense part), fed to `read`. */
  private scan(re: RegExp, read: (m: RegExpExecArray) => DateTime | null | undefined, opts: { present?: boolean; days?: number } = {}): void {
    const src = opts.present ? this.present : this.text;
    const g = new RegExp(re.source, 'g');
    for (let m = g.exec(src); m; m = g.exec(src)) {
      const date = read(m);
      if (date === undefined) continue;
      this.add(m.index, m.index + m[0].length, date, opts.days);
    }
  }

  /** Day n of this month, or of next month once it has passed. */
  private dayOfMonth(n: number): DateTime | null {
    if (n < 1 || n > 31) return null;
    let d = this.today.set({ day: 1 });
    if (n < this.today.day) d = d.plus({ months: 1 });
    return n <= (d.daysInMonth ?? 31) ? d.set({ day: n }) : null;
  }

  /** A calendar date without a year: this year's, or next year's once it is well past. */
  private calendar(month: number, day: number, year?: number, horizonDays = 366): DateTime | null {
    if (month < 1 || month > 12 || day < 1) return null;
    let d = DateTime.fromObject({ year: year ?? this.today.year, month, day }, { zone: this.today.zone });
    if (!d.isValid) return null;
    if (year === undefined && d < this.today) {
      // A few weeks back is a day gone by ("nov 28"); further back means next year's.
      if (this.today.diff(d, 'days').days <= 60) return null;
      d = d.plus({ years: 1 });
    }
    if (d < this.today || d.diff(this.today, 'days').days > horizonDays) return null;
    return d;
  }

  private weekday(word: string, before: string, after: string): DateTime | null | undefined {
    const wd = weekdayOf(word);
    // Short forms that are also words: "sun spots", "I sat in the waiting room", "c'mon".
    if (word === 'sun' && (!/^\s*(?:[?.,!]|$|(?:morning|morn|afternoon|evening|night|at|around|or|and|pls|please|works?|instead|\d))/.test(after) || /\b(?:the|of|much|from|any|some|no|avoid|avoiding|in)\s+$/.test(before))) return undefined;
    if (word === 'sat' && /\b(?:i|we|he|she|they|you|u|just|had|have|was|were|been|ive|i've)\s+$/.test(before)) return undefined;
    if (word === 'mon' && /(?:c'|come\s+)$/.test(before)) return undefined;
    if (word === 'wed' && /\b(?:get|getting|got|be|being)\s+$/.test(before)) return undefined;
    // "on a Saturday", "any Monday": a kind of day, not one.
    if (/\b(?:a|any|every|each)\s+$/.test(before)) return null;
    const ahead = (wd - this.today.weekday + 7) % 7;
    return this.today.plus({ days: ahead });
  }

  /** Monday of the week after this one. */
  private nextMonday(): DateTime {
    return this.today.plus({ days: 8 - this.today.weekday });
  }

  /**
   * A day named only as a deadline, "before the 19th", "by Friday", "I have a wedding on the 19th,
   * when should I come in before that", "need Botox asap, my event is Thursday": the days from
   * today up to it (the day itself only for "by"), not the day. "Until" is left out: "I'm away
   * until the 10th" means after it.
   */
  private deadline(m: { start: number; end: number; value: { date: DateTime; days?: number } }): DaySpan | null {
    const lead =
      /\b(before|by|no later than|ahead of)\s+(?:the\s+|this\s+|next\s+)?$/.exec(this.text.slice(Math.max(0, m.start - 20), m.start)) ??
      // "my event is Thursday", "the wedding's on the 19th": the day of the occasion, to be ready for.
      /\b(?:my|our|the|a|her|his)\s+(?:event|wedding|party|trip|vacation|holiday|big day|photo ?shoot|shoot|reunion|gala|prom|date night|interview|engagement party|bachelorette)\s*(?:is|'s|is on|'s on|on|was moved to)\s+(?:the\s+|this\s+|next\s+)?$/.exec(this.text.slice(Math.max(0, m.start - 40), m.start));
    const after = lead ? null : /^[^.?!]{0,60}?\bbefore (?:that|then|it|this|the (?:wedding|event|party|trip|big day|date))\b/.exec(this.text.slice(m.end));
    if ((!lead && !after) || m.value.days !== undefined) return null;
    const through = lead?.[1] === 'by' ? 1 : 0;
    const days = Math.round(m.value.date.diff(this.today, 'days').days) + through;
    return days >= 1 ? { day: this.today.toISODate() ?? '', days } : null;
  }

  /**
   * Days offered as alternatives, any of which would do: "Monday or Wednesday", "tues, thurs or
   * fri", "I can do the 14th and the 15th" (not "between the 14th and the 15th"): the span from
   * the first to the last, with the days named. Not when asked ("was it Monday or Tuesday?"),
   * ruled out ("not Monday or Tuesday") or a deadline ("before Monday or Tuesday").
   */
  private either(found: Mention<Said>[]): DaySpan | null {
    const t = this.text;
    const sorted = [...found].sort((a, b) => a.start - b.start);
    // The days joined as alternatives that end the text's mentions ("I can't make Tuesday, can we
    // do Wednesday or Friday instead": the day given up comes before them).
    const joins = (a: Mention<Said>, b: Mention<Said>): boolean => /^\s*(?:,|or|and|,\s*or|,\s*and)\s*(?:(?:maybe|perhaps|on|the|even)\s+)*$/.test(t.slice(a.end, b.start));
    let from = sorted.length - 1;
    while (from > 0 && joins(sorted[from - 1] as Mention<Said>, sorted[from] as Mention<Said>)) from--;
    const said = sorted.slice(from);
    const first = said[0];
    if (!first || said.length < 2 || said.length > 4 || said.some((m) => m.value.days !== undefined)) return null;
    const gaps = said.slice(1).map((m, i) => t.slice(said[i]?.end ?? 0, m.start));
    if (!gaps.some((g) => /\b(?:or|and)\b/.test(g))) return null;
    const before = t.slice(Math.max(0, first.start - 40), first.start);
    if (NEGATED.test(before) || DEADLINE.test(before) || FROM.test(before) || /\b(?:was|is|were|are)\s+(?:it|that|my|i|me|we)\b[^.?!]*$|\bbetween\s+(?:the\s+)?$/.test(before)) return null;
    const days = [...new Set(said.map((m) => m.value.date.toISODate() ?? ''))].sort();
    const start = DateTime.fromISO(days[0] ?? '', { zone: this.today.zone });
    const last = DateTime.fromISO(days[days.length - 1] ?? '', { zone: this.today.zone });
    if (days.length < 2 || !start.isValid || !last.isValid) return null;
    return { day: days[0] ?? '', days: Math.round(last.diff(start, 'days').days) + 1, anyOf: days };
  }

  read(): DaySpan | null {
    const t = this.text;
    // Calendar dates first, on the whole text: a date to come is a wish even in a story.
    this.scan(new RegExp(String.raw`\b(?:${WEEKDAY_WORD},?\s+)?(?:the\s+)?${MONTH}\s+(\d{1,2})${ORD}?\b(?![:/\d])(?:,?\s+(\d{4}))?`), (m) =>
      this.calendar(monthOf(m[1] ?? ''), Number(m[2]), m[3] ? Number(m[3]) : undefined),
    );
    this.scan(new RegExp(String.raw`\b(?:${WEEKDAY_WORD},?\s+)?(?:the\s+)?(\d{1,2})${ORD}?\s+(?:of\s+)?${MONTH}(?![a-z])`), (m) => {
      if (!/\d(?:st|nd|rd|th)\b|\bthe\s|\bof\s/.test(m[0]) && /^ma[yr]/.test(m[2] ?? '')) return undefined;
      return this.calendar(monthOf(m[2] ?? ''), Number(m[1]));
    });
    // 12/22, 1/8/27: a pair more than six months out is a score or a fraction ("pain is 9/10").
    this.scan(new RegExp(String.raw`\b(?:${WEEKDAY_WORD},?\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b(?![/\d])`), (m) => {
      if (/^\s*(?:a|an|of|syringes?|units?|cc|ml)\b/.test(t.slice(m.index + m[0].length))) return undefined;
      // "8/10" is a rating unless something makes it a date ("on 8/10", "fri 8/10").
      if (m[2] === '10' && !m[3] && !/^[a-z]/.test(m[0]) && !/\b(?:on|for|to|until|till|by|from|the)\s+$/.test(t.slice(Math.max(0, m.index - 8), m.index))) return null;
      const y = m[3] ? Number(m[3].length === 2 ? `20${m[3]}` : m[3]) : undefined;
      return this.calendar(Number(m[1]), Number(m[2]), y, 183);
    });
    // "Saturday the 19th", "tues the 8th", "saturday the 12", "thursday the first": the date wins
    // over the weekday.
    this.scan(new RegExp(String.raw`\b${WEEKDAY_WORD},?\s+(?:the\s+(\d{1,2})${ORD}?|(\d{1,2})${ORD}|the (first|second|third))\b(?![:/.\d]|\s?(?:am|pm|o'clock|ish)\b)`), (m) => {
      if (NOT_A_DAY_AFTER.test(t.slice(m.index + m[0].length)) || (m[3] && this.listOffered)) return undefined;
      return this.dayOfMonth(m[3] ? ['first', 'second', 'third'].indexOf(m[3]) + 1 : Number(m[1] ?? m[2]));
    });
    // "the 14th", "on the 3rd", "14th."; "on the 9" said without its ending.
    this.scan(new RegExp(String.raw`\b(\d{1,2})${ORD}\b|\bon the (\d{1,2})\b(?![:/.\d]|\s?(?:am|pm|o'clock|ish)\b)`), (m) => {
      const before = t.slice(Math.max(0, m.index - 12), m.index);
      if (/\b(?:my|your|her|his|their|our|a|an|its|it's|every)\s+$/.test(before)) return undefined;
      if (NOT_A_DAY_AFTER.test(t.slice(m.index + m[0].length))) return undefined;
      // Right after a list was offered, "2nd" is the second of it.
      if (this.listOffered && m[1] !== undefined && Number(m[1]) <= 3) return undefined;
      return this.dayOfMonth(Number(m[1] ?? m[2]));
    });

    const p = this.present;
    // Holidays: the next one. "last Christmas" and "for Christmas" are no day to book.
    const holiday = (month: number, day: number) => (m: RegExpExecArray) => {
      if (/\b(?:last|for|over|during|around|after|since|past|every)\s+(?:the\s+)?$/.test(p.slice(Math.max(0, m.index - 12), m.index))) return null;
      // "a Christmas party", "xmas shopping": the holiday names something else.
      if (/^'?s?\s+(?:party|parties|dinner|lunch|gifts?|presents?|shopping|cards?|break|holidays?|vacation|trip|list|tree|lights|sales?|specials?|season|week|weekend|market)\b/.test(p.slice(m.index + m[0].length))) return null;
      const d = DateTime.fromObject({ year: this.today.year, month, day }, { zone: this.today.zone });
      return d < this.today ? d.plus({ years: 1 }) : d;
    };
    this.scan(/\b(?:christmas|xmas|x-mas) eve\b/, holiday(12, 24), { present: true });
    this.scan(/\bnew year'?s eve\b|\bnye\b/, holiday(12, 31), { present: true });
    this.scan(/\bnew year'?s(?: day)?\b/, holiday(1, 1), { present: true });
    this.scan(/\b(?:christmas|xmas|x-mas)(?: day)?\b/, holiday(12, 25), { present: true });
    this.scan(/\bvalentine'?s(?: day)?\b/, holiday(2, 14), { present: true });

    // Days counted from today.
    this.scan(/\b(?:the )?day after (?:tomorrow|tmrw|tmr)\b/, () => this.today.plus({ days: 2 }), { present: true });
    this.scan(/\b(a|1|2|3|4) weeks? from (today|now|tomorrow|tmrw)\b/, (m) => this.today.plus({ days: 7 * (m[1] === 'a' ? 1 : Number(m[1])) + (m[2]?.startsWith('t') && m[2] !== 'today' ? 1 : 0) }), { present: true });
    this.scan(/\b(a|\d{1,2}) days? from (today|now)\b/, (m) => this.today.plus({ days: m[1] === 'a' ? 1 : Number(m[1]) }), { present: true });
    // "that's all for today" is a goodbye, not a day.
    this.scan(/\b(?:today|todays|today's|2day|tonight|tonite|2nite|this (?:morning|afternoon|evening)(?:'s)?)\b/, (m) => (/\b(?:all|enough|it) for\s+$/.test(p.slice(Math.max(0, m.index - 12), m.index)) ? null : this.today), { present: true });
    this.scan(/\b(?:tomorrow|tomorrows|tomorrow's|tmrw|tmrws|tmr|tmw|tomorow|tommorow|tommorrow|tomorrw|2morrow|2moro|2mrw)\b/, () => this.today.plus({ days: 1 }), { present: true });

    // Weekdays: "Thursday" is the coming one (today on a Thursday); "next Thursday" and "Thursday
    // next week" are in next week (Monday to Sunday); "last Friday" is gone; "on Saturdays" is a habit.
    this.scan(
      new RegExp(String.raw`\b(?:(next week|next|this coming|coming|this|last|past)\s+)?(${WEEKDAY_WORD})(s?)\b(?:,?\s+(next week|of next week|this week|after next))?`),
      (m) => {
        const word = m[2] ?? '';
        if (m[3] === 's') return word.endsWith('day') ? null : undefined;
        if (m[1] === 'last' || m[1] === 'past') return null;
        const d = this.weekday(word, p.slice(Math.max(0, m.index - 12), m.index), p.slice(m.index + m[0].length));
        if (!d) return d;
        const mod = m[4] ?? m[1] ?? '';
        if (mod === 'after next') return this.nextMonday().plus({ days: weekdayOf(word) + 6 });
        if (mod.startsWith('next') || mod === 'of next week') return this.nextMonday().plus({ days: weekdayOf(word) - 1 });
        return d;
      },
      { present: true },
    );

    // Spans.
    this.scan(/\b(?:the )?week after next\b/, () => this.nextMonday().plus({ days: 7 }), { present: true, days: 7 });
    this.scan(/\bnext week\b/, () => this.nextMonday(), { present: true, days: 7 });
    this.scan(/\b(?:(next|this coming|this|the|on the|at the|over the)\s+)?weekend\b(?!s)/, (m) => {
      const sat = this.today.plus({ days: (6 - this.today.weekday + 7) % 7 });
      return m[1] === 'next' ? this.nextMonday().plus({ days: 5 }) : this.today.weekday === 7 ? this.today : sat;
    }, { present: true, days: 2 });
    this.scan(/\b(?:later |sometime |some time )?this week\b/, () => this.today, { present: true, days: 8 - this.today.weekday });
    this.scan(/\b(?:this|the rest of (?:the|this)) month\b/, () => this.today, { present: true, days: (this.today.daysInMonth ?? 30) - this.today.day + 1 });
    this.scan(new RegExp(String.raw`\b(?:in|during|for|early|late|mid|sometime in|some time in|end of|beginning of|start of)\s+${MONTH_ALONE}\b`), (m) => this.calendar(monthOf(m[1] ?? ''), 1, undefined, 366) ?? (monthOf(m[1] ?? '') === this.today.month ? this.today : null), { present: true, days: 30 });
    this.scan(/\bnext month\b/, () => this.today.plus({ months: 1 }).set({ day: 1 }), { present: true, days: 30 });

    // "the week of the 14th": that week, no one day.
    for (const m of this.found) {
      if (m.value.days === undefined && /\bweek of\s+(?:the\s+)?$/.test(t.slice(Math.max(0, m.start - 14), m.start)) && m.value.date.isValid) {
        const d = m.value.date;
        m.value = { date: d.minus({ days: d.weekday - 1 }) < this.today ? this.today : d.minus({ days: d.weekday - 1 }), days: 7 };
      }
    }

    const usable = this.found.filter((m) => m.value.date.isValid);
    const either = this.either(usable);
    if (either) return either;
    const picked = pickMention(t, usable, (a, b) => +a.date === +b.date && a.days === b.days, {
      deadlines: true,
      narrows: (inner, outer) => (inner.days ?? 1) < (outer.days ?? 1) && inner.date >= outer.date && inner.date < outer.date.plus({ days: outer.days ?? 1 }),
    });
    if (!picked) return null;
    const deadline = this.deadline(picked);
    if (deadline) return deadline;
    const day = picked.value.date.toISODate() ?? '';
    return picked.value.days && picked.value.days > 1 ? { day, days: picked.value.days } : { day };
  }
}

export interface WhenOptions {
  /** The receptionist has just offered a list to pick from: a bare "2nd" is a pick, not a date. */
  listOffered?: boolean;
}

/** The local day (or span of days) a request names, or null. */
export function parseDay(text: string, now: number, zone: string, opts: WhenOptions = {}): DaySpan | null {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  return new DayReader(text, withoutPast(text), today, opts.listOffered === true).read();
}
