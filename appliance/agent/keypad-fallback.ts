// Keys for the spoken questions that have no yes/no or numbered answer (how can I help, which
// treatment, which day), for a caller whose speech keeps failing on a call (voice-agent.ts decides
// when to offer them). Each key stands for the words the caller would have said: the spoken dialog
// takes them as it takes any answer, so the task goes on where it is (a move stays a move, a price
// question gets its price) instead of starting over in the keypad-only menus. A key may open a
// shorter menu under it. Menus say the option before its key ("For Botox, press 1") and list at
// most a handful of options, as callers forget longer lists. Pure over the tools, like dialog.ts.
import { DateTime } from 'luxon';
import type { Service } from '../booking/types.js';
import type { DialogState } from './types.js';
import type { AgentTools } from './tools.js';
import { categoriesOf, categoryLabel } from './keypad-menu.js';

/** A key's meaning: the caller's words for it, or a menu of finer choices. */
export type KeyChoice = { say: string } | { menu: KeyMenu };

export interface KeyMenu {
  /** The options with their keys, ready to be said. */
  prompt: string;
  keys: Record<string, KeyChoice>;
}

/** Open days listed at once; a key for later days brings the next ones. */
const DAYS_PER_MENU = 3;
/** How far ahead the day menus look for open days. */
const DAY_MENU_HORIZON = 21;
const LATER_DAYS_KEY = '8';
/** Kinds of treatment listed at once; a key for more brings the next ones. */
const KINDS_PER_MENU = 3;
const MORE_KEY = '8';
const EARLIEST_KEY = '9';

function menu(options: { label: string; choice: KeyChoice; key?: string }[]): KeyMenu {
  const keys: Record<string, KeyChoice> = {};
  let next = 1;
  const labelled = options.map((o) => {
    const key = o.key ?? String(next++);
    keys[key] = o.choice;
    return { label: o.label, key };
  });
  return { prompt: labelled.map((o) => `For ${o.label}, press ${o.key === '*' ? 'star' : o.key}.`).join(' '), keys };
}

/** How can I help: the caller's main reasons to call, each in words the dialog understands. */
function mainMenu(): KeyMenu {
  return menu([
    { label: 'a booking', choice: { say: "i'd like to book an appointment" } },
    {
      label: 'moving or cancelling an appointment',
      choice: {
        menu: menu([
          { label: 'moving it', choice: { say: 'i need to move my appointment' } },
          { label: 'cancelling it', choice: { say: 'i need to cancel my appointment' } },
          { label: 'its day and time', choice: { say: 'when is my appointment' } },
        ]),
      },
    },
    {
      label: 'our hours, address or prices',
      choice: {
        menu: menu([
          { label: 'our hours', choice: { say: 'what are your opening hours' } },
          { label: 'our address', choice: { say: 'what is your address' } },
          { label: 'prices', choice: { say: 'how much does a treatment cost' } },
        ]),
      },
    },
    { label: 'the front desk', choice: { say: 'front desk please' }, key: '0' },
  ]);
}

/** Star goes back to how can I help from a treatment menu: a caller misheard as booking may want something else. */
const SOMETHING_ELSE = { label: 'something else', choice: { menu: mainMenu() }, key: '*' };

/**
 * Which treatment: its kind first, then the treatment, as on a keypad-only call. A few kinds at a
 * time (each names up to three treatments, so a longer list is too much to hold on the phone),
 * then a key for more.
 */
function serviceMenu(services: Service[], phrList: (items: string[]) => string, from = 0): KeyMenu {
  const kinds = categoriesOf(services);
  const options: { label: string; choice: KeyChoice; key?: string }[] = kinds.slice(from, from + KINDS_PER_MENU).map((c) => ({
    label: categoryLabel(c.services, phrList),
    choice: c.services.length === 1 ? { say: (c.services[0] as Service).name } : { menu: menu(c.services.slice(0, 9).map((s) => ({ label: s.name, choice: { say: s.name } }))) },
  }));
  if (kinds.length > from + KINDS_PER_MENU) options.push({ label: 'more treatments', choice: { menu: serviceMenu(services, phrList, from + KINDS_PER_MENU) }, key: MORE_KEY });
  return menu([...options, SOMETHING_ELSE]);
}

/**
 * Which day: the spa's next open days from `from` on (today is "today"), a key for later days and,
 * when looking for a new time, one for the earliest times.
 */
function dayMenu(tools: AgentTools, from: DateTime, earliest: boolean): KeyMenu {
  const today = DateTime.fromMillis(tools.now(), { zone: tools.zone() }).startOf('day');
  const days: DateTime[] = [];
  let d = from;
  while (days.length < DAYS_PER_MENU && d.diff(today, 'days').days < DAY_MENU_HORIZON) {
    if (tools.closedReason(d.toISODate() ?? '') === null) days.push(d);
    d = d.plus({ days: 1 });
  }
  const ahead = (x: DateTime): number => Math.round(x.diff(today, 'days').days);
  const options: { label: string; choice: KeyChoice; key?: string }[] = days.map((x) => ({
    label: ahead(x) === 0 ? 'today' : ahead(x) < 7 ? x.toFormat('cccc') : x.toFormat('cccc, LLLL d'),
    // The weekday and the date: a weekday alone a week or more ahead would mean the nearer one.
    choice: { say: ahead(x) === 0 ? 'today' : x.toFormat('cccc LLLL d').toLowerCase() },
  }));
  const last = days.at(-1);
  const later = last ? dayMenu(tools, last.plus({ days: 1 }), earliest) : null;
  if (later && Object.keys(later.keys).some((k) => k !== LATER_DAYS_KEY && k !== EARLIEST_KEY)) options.push({ label: 'a later day', choice: { menu: later }, key: LATER_DAYS_KEY });
  if (earliest) options.push({ label: 'our earliest times', choice: { say: 'the earliest time you have' }, key: EARLIEST_KEY });
  return menu(options);
}

/**
 * The keys for the question the dialog has just asked, or null when it has none here (a yes/no
 * has its own keys, voice-agent.ts, and so have an offer's times; a name or a message cannot be keyed).
 */
export function fallbackMenu(state: DialogState, tools: AgentTools, phrList: (items: string[]) => string): KeyMenu | null {
  const task = state.task;
  const today = DateTime.fromMillis(tools.now(), { zone: tools.zone() }).startOf('day');
  switch (state.pending) {
    case null:
      return mainMenu();
    case 'service':
      return serviceMenu(tools.services(), phrList);
    case 'which-service': {
      const choices = task && (task.kind === 'book' || task.kind === 'reschedule') ? (task.choices ?? []) : [];
      const named = choices.flatMap((id) => tools.service(id) ?? []);
      return named.length > 0 ? menu([...named.slice(0, 9).map((s) => ({ label: s.name, choice: { say: s.name } })), SOMETHING_ELSE]) : serviceMenu(tools.services(), phrList);
    }
    case 'when':
      return dayMenu(tools, today, true);
    case 'appointment-day':
      return dayMenu(tools, today, false);
    case 'choose':
      // The offered times have their own keys (voice-agent.ts); this is the way to another day
      // ("no, Thursday"), which a caller cannot otherwise key.
      return menu([{ label: 'another day', choice: { menu: dayMenu(tools, today, false) }, key: LATER_DAYS_KEY }]);
    case 'name':
    case 'code':
    case 'phone':
    case 'confirm-phone':
    case 'confirm':
    case 'which-appointment':
    case 'confirm-cancel':
    case 'offer-callback':
    case 'message':
    case 'anything-else':
    case 'check':
    case 'urgent-check':
      return null;
  }
}
