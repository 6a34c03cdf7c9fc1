// A move counted from the appointment being moved: "push it back an hour", "30 minutes earlier",
// "same time next week", "a day later". Only the appointment knows the day and time it lands on,
// so the reschedule flow turns it into a day and time once the appointment is found. Pure.

export interface Shift {
  /** Minutes later (negative: earlier), on the same day. */
  minutes?: number;
  /** Days later (negative: earlier), at the same time. */
  days?: number;
}

const COUNT: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, couple: 2, 'a couple of': 2, 'a couple': 2 };

const AMOUNT = String.raw`(half an hour|a half hour|an hour and a half|(?:an|a|one|two|three|four|\d{1,3}|a couple(?: of)?)\s+(?:hours?|hrs?|minutes?|mins?|days?|weeks?))`;
const LATER = String.raw`(?:back|later|out|forward)`;
const EARLIER = String.raw`(?:up|earlier|sooner)`;

function amount(said: string): Shift | null {
  const a = said.trim();
  if (a === 'half an hour' || a === 'a half hour') return { minutes: 30 };
  if (a === 'an hour and a half') return { minutes: 90 };
  const m = /^(an|a|one|two|three|four|\d{1,3}|a couple(?: of)?)\s+(hours?|hrs?|minutes?|mins?|days?|weeks?)$/.exec(a);
  if (!m) return null;
  const n = COUNT[m[1] ?? ''] ?? Number(m[1]);
  const unit = m[2] ?? '';
  if (!Number.isFinite(n) || n <= 0) return null;
  if (unit.startsWith('h')) return n <= 12 ? { minutes: n * 60 } : null;
  if (unit.startsWith('m')) return n >= 5 && n <= 600 ? { minutes: n } : null;
  if (unit.startsWith('d')) return n <= 30 ? { days: n } : null;
  return n <= 8 ? { days: n * 7 } : null;
}

function negate(s: Shift): Shift {
  return s.minutes !== undefined ? { minutes: -s.minutes } : { days: -(s.days ?? 0) };
}

/** The move the words ask for, counted from the appointment, or null. */
export function parseShift(text: string): Shift | null {
  const t = text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ');
  if (/\bsame time (?:next week|a week later|the following week)\b/.test(t)) return { days: 7 };
  if (/\b(?:same time )?(?:the )?(?:next|following) day\b|\bthe day after\b(?! (?:tomorrow|that|my|the))/.test(t) && /\b(?:move|push|change|switch|resched\w*|instead|can we|could we|can i|could i)\b/.test(t)) return { days: 1 };
  // "push it back an hour", "move me up 30 minutes", "bump it an hour later"
  const verb = new RegExp(String.raw`\b(?:push|move|bump|shift|put|make)\b(?:\s+(?:it|me|that|this|us|my\s+(?:\w+\s+){0,2}?(?:appointment|appt|visit|session|booking|\w+)))?\s+(${LATER}|${EARLIER})\s+(?:by\s+)?${AMOUNT}`).exec(t);
  if (verb) {
    const s = amount(verb[2] ?? '');
    if (s) return new RegExp(`^${EARLIER}$`).test(verb[1] ?? '') ? negate(s) : s;
  }
  // "an hour later", "30 minutes earlier", "a week later"
  const after = new RegExp(String.raw`\b${AMOUNT}\s+(later|earlier|sooner)\b`).exec(t);
  if (after && !/\b(?:ago|late)\b/.test(t.slice(after.index + after[0].length, after.index + after[0].length + 10))) {
    const s = amount(after[1] ?? '');
    if (s) return /^(?:earlier|sooner)$/.test(after[2] ?? '') ? negate(s) : s;
  }
  return null;
}
