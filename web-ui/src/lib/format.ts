// How the UI writes money, times and durations. Times are shown in the spa's zone (the server's
// ISO strings carry the offset), whatever zone the tablet is set to.

export function money(cents: number): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);
}

// Building an Intl formatter costs far more than using one (a list of 200 rows took seconds on a
// busy box): one per zone and style, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, style: 'time' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${style} ${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      'en-US',
      style === 'time'
        ? { timeZone: zone, hour: 'numeric', minute: '2-digit' }
        : { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
    );
    formatters.set(key, f);
  }
  return f;
}

export function timeOfDay(iso: string, zone: string): string {
  return formatter(zone, 'time').format(new Date(iso));
}

export function dateTime(iso: string, zone: string): string {
  return formatter(zone, 'dateTime').format(new Date(iso));
}

/** 65_000 -> '1:05'; 3_725_000 -> '1:02:05'. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** How long the box has been up: '45 s', '12 min', '3 h 5 min', '2 days 4 h'. */
export function uptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return `${d} day${d === 1 ? '' : 's'} ${h % 24} h`;
}

/** Seconds left as the idle warning says it: '1 minute 5 seconds', '40 seconds'. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (m === 0) return plural(rest, 'second');
  return rest === 0 ? plural(m, 'minute') : `${plural(m, 'minute')} ${plural(rest, 'second')}`;
}

export const OUTCOME_NAMES: Record<string, string> = {
  'ai-handled': 'Answered by the box',
  transferred: 'Box, then transferred',
  'answered-elsewhere': 'Answered by staff',
  missed: 'Missed',
  'rejected-busy': 'Refused (busy)',
  'rejected-forbidden': 'Refused',
  failed: 'Failed',
};
