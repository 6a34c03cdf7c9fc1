// The rules of texting, as pure functions: compliance keywords (STOP and its kin, START, HELP),
// quiet hours for automated texts in the spa's time zone, the send rate limit and retry backoff.
import { DateTime } from 'luxon';

export type Keyword = 'stop' | 'start' | 'help';

const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'opt out', 'optout', 'opt-out', 'revoke', 'remove me']);
const START_WORDS = new Set(['start', 'unstop', 'subscribe', 'opt in', 'optin', 'opt-in']);
const HELP_WORDS = new Set(['help', 'info']);
/** Plain-language opt-outs: the whole message says "stop texting me" in some way. */
const STOP_PHRASES = [
  /^(please\s+)?(stop|quit|no more)\s+(texting|texts|messaging|messages|sms)(\s+me)?(\s+please)?$/,
  /^(please\s+)?(do not|dont)\s+(text|message|sms)\s+me(\s+(again|anymore|any more))?(\s+please)?$/,
  /^(please\s+)?(take|remove)\s+me\s+off(\s+(your|the|this))?\s+(list|texts|messages)(\s+please)?$/,
  /^(please\s+)?unsubscribe\s+me(\s+please)?$/,
];

/**
 * The compliance keyword a whole message is, or null. Only the whole message counts ("cancel my
 * appointment" goes to the receptionist; "CANCEL" alone opts out, as carriers expect).
 */
export function keywordOf(text: string): Keyword | null {
  const t = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[.!?,;:"]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(\s+it)$/, '');
  if (STOP_WORDS.has(t)) return 'stop';
  if (START_WORDS.has(t)) return 'start';
  if (HELP_WORDS.has(t)) return 'help';
  if (STOP_PHRASES.some((re) => re.test(t))) return 'stop';
  return null;
}

export interface QuietHours {
  /** First hour automated texts may go (spa time), e.g. 8. */
  endHour: number;
  /** Hour from which they wait again, e.g. 21. */
  startHour: number;
  zone: string;
}

/** The earliest instant at or after `now` when an automated text may go out (now itself when allowed). */
export function nextAllowed(now: number, q: QuietHours): number {
  const local = DateTime.fromMillis(now, { zone: q.zone });
  const hour = local.hour;
  if (q.endHour < q.startHour && hour >= q.endHour && hour < q.startHour) return now;
  const opening = local.set({ hour: q.endHour, minute: 0, second: 0, millisecond: 0 });
  return (hour >= q.endHour ? opening.plus({ days: 1 }) : opening).toMillis();
}

/** Retry delay after `attempts` failed tries: 30 s, 1, 2, 4 ... minutes, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Tries before a text is given up as failed. */
export const MAX_ATTEMPTS = 6;

/** The local day (spa time) an instant falls in, for the daily cap. */
export function localDay(now: number, zone: string): string {
  return DateTime.fromMillis(now, { zone }).toISODate() ?? '';
}

/** The start of the local day containing `now`, as epoch ms. */
export function localDayStart(now: number, zone: string): number {
  return DateTime.fromMillis(now, { zone }).startOf('day').toMillis();
}

/** Whole-message answers to a reminder's "Reply YES to confirm or NO to cancel" (never STOP's kin: CANCEL stays an opt-out). */
const YES_ANSWERS = new Set(['yes', 'y', 'yes please', 'yep', 'yeah', 'yea', 'ok', 'okay', 'confirm', 'confirmed', 'i confirm', 'yes confirm', 'yes i will be there', 'see you then', 'sure']);
const NO_ANSWERS = new Set(['no', 'n', 'nope', 'no thanks', 'no thank you', 'no i cant make it', 'i cant make it', 'cant make it']);

/** 'yes' or 'no' when the whole message answers a reminder that way, else null. */
export function reminderAnswer(text: string): 'yes' | 'no' | null {
  const t = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[.!?,;:"]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (YES_ANSWERS.has(t)) return 'yes';
  if (NO_ANSWERS.has(t)) return 'no';
  return null;
}
