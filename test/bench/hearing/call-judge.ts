// Whether a scripted call reached its goal, judged on the spa's appointments before and after the
// call (their service, local day and status) and on how the call ended. Pure.
import type { CallGoal } from './scripted-call.js';

/** An appointment as the judge sees it: `day` is its local date (YYYY-MM-DD) in the spa's zone. */
export interface ApptView {
  id: number;
  service: string;
  day: string;
  status: string;
}

export interface CallRecord {
  /** The caller's appointments before the call. */
  before: readonly ApptView[];
  /** All appointments after the call (the caller's and any new one). */
  after: readonly ApptView[];
  /** What the box said, in order. */
  replies: readonly string[];
  transferred: boolean;
}

export interface Verdict {
  reached: boolean;
  why: string;
}

/** A keypad option the box lists ("For Thursday, press 1."): a choice offered, not an answer. */
const KEY_OPTION = /\bFor [^.]+?, press (?:\d|star)\./g;

function describe(a: ApptView): string {
  return `${a.service} on ${a.day} (${a.status})`;
}

export function judgeCall(goal: CallGoal, r: CallRecord): Verdict {
  const beforeIds = new Set(r.before.map((a) => a.id));
  const made = r.after.filter((a) => !beforeIds.has(a.id) && a.status === 'booked');
  const changed = r.before.flatMap((b) => {
    const a = r.after.find((x) => x.id === b.id);
    return a && (a.day !== b.day || a.status !== b.status || a.service !== b.service) ? [{ b, a }] : [];
  });
  const untouched = made.length === 0 && changed.length === 0;
  switch (goal.kind) {
    case 'book': {
      if (made.length !== 1 || changed.length > 0) return { reached: false, why: `booked ${made.length === 0 ? 'nothing' : made.map(describe).join(', ')}${changed.length > 0 ? ', changed an appointment on file' : ''}` };
      const a = made[0] as ApptView;
      const ok = a.service === goal.service && a.day === goal.day;
      return { reached: ok, why: ok ? `booked ${describe(a)}` : `booked ${describe(a)}, wanted ${goal.service} on ${goal.day}` };
    }
    case 'move': {
      const [c] = changed;
      if (made.length > 0 || changed.length !== 1 || !c) return { reached: false, why: `changed ${changed.length} appointments, booked ${made.length} new` };
      const ok = c.a.status === 'booked' && c.a.day === goal.day && c.a.service === c.b.service;
      return { reached: ok, why: `${describe(c.b)} -> ${describe(c.a)}` };
    }
    case 'cancel': {
      const [c] = changed;
      if (made.length > 0 || changed.length !== 1 || !c) return { reached: false, why: `changed ${changed.length} appointments, booked ${made.length} new` };
      return { reached: c.a.status === 'cancelled', why: `${describe(c.b)} -> ${describe(c.a)}` };
    }
    case 'transfer':
      return { reached: r.transferred && untouched, why: r.transferred ? (untouched ? 'transferred' : 'transferred, but the appointments changed') : 'not transferred' };
    case 'answer': {
      const re = new RegExp(goal.answer, 'i');
      const said = r.replies.some((x) => re.test(x.replace(KEY_OPTION, '')));
      return { reached: said && untouched, why: said ? (untouched ? 'answered' : 'answered, but the appointments changed') : 'never answered' };
    }
  }
}
