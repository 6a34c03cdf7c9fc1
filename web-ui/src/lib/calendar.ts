// The calendar's arithmetic on the spa's dates and times, as text: the server writes every
// instant as an ISO string in the spa's zone (2026-11-30T11:00:00-05:00), so a date is its first
// ten characters and a time of day its next five, whatever zone the tablet is set to.

/** 'YYYY-MM-DD' plus n days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function weekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the week the date is in. */
export function weekStart(date: string): string {
  return addDays(date, 1 - weekday(date));
}

/** The local date of a server ISO string. */
export function isoDate(iso: string): string {
  return iso.slice(0, 10);
}

/** Minutes after local midnight of a server ISO string ('...T13:45...' -> 825). */
export function minuteOfDay(iso: string): number {
  return Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16));
}

/** 'HH:MM' -> minutes; '24:00' -> 1440. */
export function wallMinutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** 825 -> '1:45 PM'. */
export function clockLabel(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  const suffix = h < 12 ? 'AM' : 'PM';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return m === 0 ? `${h12} ${suffix}` : `${h12}:${String(m).padStart(2, '0')} ${suffix}`;
}

/** 'Mon, Nov 30' for a date. */
export function dayLabel(date: string, style: 'short' | 'long' = 'short'): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: style,
    month: style === 'short' ? 'short' : 'long',
    day: 'numeric',
  });
}

/** The hours a day grid shows: the spa's opening hours that weekday, else 9 to 5; whole hours. */
export function gridHours(hours: readonly { weekday: number; start: string; end: string }[], day: number): { from: number; to: number; open: boolean } {
  const spans = hours.filter((h) => h.weekday === day);
  if (spans.length === 0) return { from: 9 * 60, to: 17 * 60, open: false };
  const from = Math.min(...spans.map((h) => wallMinutes(h.start)));
  const to = Math.max(...spans.map((h) => wallMinutes(h.end)));
  return { from: Math.floor(from / 60) * 60, to: Math.ceil(to / 60) * 60, open: true };
}

/** How an appointment came in, as staff say it. */
export const ORIGIN_NAMES: Record<string, string> = { call: 'Phone call', sms: 'Text message', web: 'Chat', staff: 'Staff' };

export const STATUS_NAMES: Record<string, string> = { booked: 'Booked', cancelled: 'Cancelled', completed: 'Completed', 'no-show': 'No-show' };

export const HISTORY_NAMES: Record<string, string> = {
  booked: 'Booked',
  rescheduled: 'Moved',
  cancelled: 'Cancelled',
  completed: 'Completed',
  'no-show': 'Marked no-show',
};
