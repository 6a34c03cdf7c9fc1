// Dates, times and money the way the channel needs them: spoken ("two thirty on Thursday the
// 4th") for calls, compact written ("Thu Dec 4, 2:30 PM") for SMS and chat. Pure.
import { DateTime } from 'luxon';
import type { Channel } from './types.js';

const HOUR_WORDS = ['twelve', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven'];
const UNDER_20 = ['oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty'];

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "two thirty", "ten", "noon", "eleven oh five", with "in the morning"/"p.m." only when needed. */
export function spokenClock(hour: number, minute: number): string {
  if (hour === 12 && minute === 0) return 'noon';
  const h = HOUR_WORDS[hour % 12] ?? String(hour);
  let m = '';
  if (minute > 0 && minute < 10) m = ` oh ${UNDER_20[minute] ?? minute}`;
  else if (minute >= 10 && minute < 20) m = ` ${UNDER_20[minute] ?? minute}`;
  else if (minute >= 20) m = ` ${TENS[Math.floor(minute / 10)] ?? ''}${minute % 10 ? ` ${UNDER_20[minute % 10] ?? ''}` : ''}`;
  // Spa hours make most times unambiguous; early or late ones get their half of the day.
  const tag = hour < 8 ? ' in the morning' : hour >= 20 ? ' in the evening' : hour < 12 && hour < 9 ? ' a.m.' : '';
  return `${h}${m}${tag}`;
}

/** The day relative to today: "today", "tomorrow", "Thursday", "Thursday the 10th", "Thursday, January 14th". */
export function spokenDay(d: DateTime, today: DateTime): string {
  const diff = Math.round(d.startOf('day').diff(today.startOf('day'), 'days').days);
  if (diff === 0) return 'today';
  if (diff === 1) return 'tomorrow';
  if (diff > 1 && diff < 7) return d.toFormat('cccc');
  if (diff >= 7 && diff < 28) return `${d.toFormat('cccc')} the ${ordinal(d.day)}`;
  return `${d.toFormat('cccc')}, ${d.toFormat('LLLL')} ${ordinal(d.day)}`;
}

export class Phrasing {
  constructor(
    readonly channel: Channel,
    private readonly zone: string,
    private readonly now: number,
  ) {}

  get spoken(): boolean {
    return this.channel === 'voice';
  }

  private dt(instant: number): DateTime {
    return DateTime.fromMillis(instant, { zone: this.zone });
  }

  time(instant: number): string {
    const d = this.dt(instant);
    return this.spoken ? spokenClock(d.hour, d.minute) : d.toFormat(d.minute === 0 ? 'h a' : 'h:mm a');
  }

  /** A time of day from its minute after midnight ("9 AM", or "nine" spoken), as time() says an instant's. */
  clock(minuteOfDay: number): string {
    const [hour, minute] = [Math.floor(minuteOfDay / 60), minuteOfDay % 60];
    return this.spoken ? spokenClock(hour, minute) : DateTime.fromObject({ hour, minute }).toFormat(minute === 0 ? 'h a' : 'h:mm a');
  }

  day(instant: number): string {
    const d = this.dt(instant);
    if (!this.spoken) return d.toFormat('ccc LLL d');
    return spokenDay(d, this.dt(this.now));
  }

  /** A local date (YYYY-MM-DD in the spa's zone) as `day` says it. */
  dayOfDate(isoDate: string): string {
    return this.day(DateTime.fromISO(isoDate, { zone: this.zone }).set({ hour: 12 }).toMillis());
  }

  /** An offer: "Thursday at two thirty" / "Thu Dec 4, 2:30 PM". */
  when(instant: number): string {
    return this.spoken ? `${this.day(instant)} at ${this.time(instant)}` : `${this.day(instant)}, ${this.time(instant)}`;
  }

  /** A read-back with the date always said: "Thursday, December 4th at two thirty". */
  fullWhen(instant: number): string {
    const d = this.dt(instant);
    if (!this.spoken) return `${d.toFormat('cccc, LLLL d')} at ${this.time(instant)}`;
    const rel = spokenDay(d, this.dt(this.now));
    const date = `${d.toFormat('cccc')}, ${d.toFormat('LLLL')} ${ordinal(d.day)}`;
    return rel === 'today' || rel === 'tomorrow' ? `${rel}, ${date.split(', ')[1] ?? ''}, at ${this.time(instant)}` : `${date} at ${this.time(instant)}`;
  }

  /** Offered times, the day said once when they share it: "on Friday I have nine or one fifteen". */
  offers(starts: number[]): string {
    const days = new Set(starts.map((s) => this.day(s)));
    if (days.size === 1 && starts.length > 1) {
      const day = this.day(starts[0] ?? 0);
      // "today I have", not "on today I have".
      return `${day === 'today' || day === 'tomorrow' ? day : `on ${day}`} I have ${this.list(starts.map((s) => this.time(s)))}`;
    }
    if (days.size < starts.length) {
      // Two times on one day and one on another: each day said once ("I have Tuesday at nine or
      // four fifteen, and Thursday at twelve").
      const byDay = new Map<string, string[]>();
      for (const s of starts) byDay.set(this.day(s), [...(byDay.get(this.day(s)) ?? []), this.time(s)]);
      return `I have ${[...byDay].map(([day, times]) => `${day} at ${this.list(times)}`).join(', and ')}`;
    }
    return `I have ${this.list(starts.map((s) => this.when(s)))}`;
  }

  /** "a Signature HydraFacial", "an IPL Photofacial": a name with its article, by how it is said. */
  withArticle(name: string): string {
    const first = name.split(/\s+/)[0] ?? '';
    const spelled = /^[A-Z]{2,}$/.test(first);
    return `${(spelled ? /^[AEFHILMNORSX]/ : /^[aeiou]/i).test(first) ? 'an' : 'a'} ${name}`;
  }

  /** A list: "a, b or c". */
  list(items: string[], last = 'or'): string {
    if (items.length <= 1) return items[0] ?? '';
    return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`;
  }
}

export function money(cents: number): string {
  return cents % 100 === 0 ? `$${cents / 100}` : `$${(cents / 100).toFixed(2)}`;
}
