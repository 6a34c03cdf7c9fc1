// Who is calling, before the receptionist reads out, moves or cancels an appointment. Caller ID,
// an SMS sender and a chat's `from` can all be forged, and a name is easy to know, so neither is
// enough alone. The caller is taken to be a client when
//   (a) the calling number is that client's number on file and the name they give matches the
//       client's name on file (booking/names.ts: tolerant of case, spacing, order, a middle
//       name; not of another first or last name), or
//   (b) from another number, or with no caller ID: the name plus the day of one of that client's
//       upcoming appointments (the spa keeps no date of birth, so the day is the second fact), or
//   (c) on a call from the number on file of one client with an upcoming appointment, when the
//       name did not match it (likely misheard): a one-time code texted to that number, typed
//       back (identity-code.ts says why only there). Tried once, before the day; without a
//       modem, or with no code typed, the day as in (b).
// Anything else reads out nothing and changes nothing. After two answers that match nobody it
// stops asking and offers a call back or a text to the number on file (a staff alert). The
// replies are the same whether or not the name is on file, so a stranger learns nothing from
// them. One short question at a time: the name, then (only when needed) the day.
import { nameWords, sameName } from '../booking/names.js';
import { anythingElse, spoken, type Turn } from './dialog-turn.js';
import { digitsIn } from './identity-code.js';
import type { CallerIdentity, Understanding } from './types.js';

/** Name-and-day answers that may match nobody before the receptionist stops asking. */
export const MAX_WRONG_ANSWERS = 2;

/**
 * Wrong name-and-day answers for one name, over all conversations in a day, after which no day is
 * accepted for that name (a stranger calling back again and again to guess). The caller is told
 * no more than on any wrong answer; the client can still call from their own number or be called.
 */
export const MAX_WRONG_PER_NAME_PER_DAY = 4;
const DAY_MS = 24 * 3_600_000;

export type AppointmentWish = NonNullable<CallerIdentity['wanted']>;

export interface Identified {
  clientId: number;
  /** Proved with this day (b): the appointments that day are the ones meant. */
  day?: string;
}

const DONT_KNOW = /\b(?:(?:don'?t|do not|can'?t|cannot) (?:know|remember|recall)|not sure|no idea|forgot|forget)\b/;

/**
 * The client the caller has proved to be, or null after putting the next question (or the call
 * back offer) on `t`. Call it before every look-up or change of an appointment.
 */
export function identify(t: Turn, wish: AppointmentWish, u: Understanding): Identified | null {
  const { s } = t;
  const id = (s.identity ??= { wrong: 0 });
  if (id.refused) {
    refuse(t, id, wish, '');
    return null;
  }
  const pending = s.pending;
  if (pending === 'name' && u.name) {
    const lastName = id.askedLastName && s.name && nameWords(s.name).length === 1 && nameWords(u.name).length === 1 && !sameName(u.name, s.name);
    s.name = lastName ? `${s.name ?? ''} ${u.name}` : u.name;
  }
  if (id.clientId !== undefined) {
    if (s.name && id.name && sameName(s.name, id.name)) return { clientId: id.clientId };
    // They now give another name: whoever that is has to be shown again.
    delete id.clientId;
    delete id.via;
    delete id.name;
  }

  if (!s.name) {
    if (pending === 'name' && t.said.length === 0) {
      // An answer with no name in it (and nothing else answered this turn).
      id.unheardNames = (id.unheardNames ?? 0) + 1;
      if (id.unheardNames >= 2) {
        refuse(t, id, wish, spoken(t) ? "I'm sorry, I'm having trouble catching your name." : "Sorry, I couldn't make out a name.");
        return null;
      }
      // A number is no name, and not what proves who calls (caller ID is): the name is still asked for.
      // A day given ahead of the name is kept for later: the name is still what is asked.
      t.ask('name', u.phone ? "Thanks. I'll need the first and last name on the appointment too." : u.when ? "Got it. First, what's your first and last name?" : "Sorry, I didn't catch that. What's your first and last name?");
      return null;
    }
    t.ask('name', spoken(t) ? 'Sure, I can help with that. First, may I have your first and last name?' : "Sure. What's your first and last name?");
    return null;
  }
  if (nameWords(s.name).length < 2 && !id.askedLastName) {
    id.askedLastName = true;
    t.ask('name', 'And your last name, please?');
    return null;
  }

  // (a) Their own number, and their name on it.
  const onNumber = t.ctx.tools.clientOnNumber(s.callerPhone, s.name);
  if (onNumber) return proved(id, onNumber.id, s.name, 'number-and-name');

  // (c) A code texted to the number they call from.
  if (pending === 'code' && id.codeFor !== undefined) {
    const answer = codeAnswer(t, u);
    if (answer === 'right' && id.codeFor !== null) return proved(id, id.codeFor, s.name, 'number-and-code');
    if (answer === 'again') return null;
  } else if (id.codeFor === undefined && textCode(t, id)) {
    return null;
  }

  // (b) The name and the day of the appointment.
  if (pending !== 'appointment-day') {
    const lead = pending === 'code' ? 'Then what' : spoken(t) ? 'Thank you. And what' : 'Thanks. What';
    t.ask('appointment-day', `${lead} day is the appointment on?`);
    return null;
  }
  const day = !u.whenFromLlm && u.when?.day && (u.when.days ?? 1) === 1 ? u.when.day : undefined;
  if (!day) {
    if (DONT_KNOW.test(u.text)) {
      refuse(t, id, wish, "That's okay.");
      return null;
    }
    if (u.question) {
      t.said.push('I ask so that I only go over an appointment with the person it belongs to.');
      t.ask('appointment-day', 'What day is the appointment on?');
      return null;
    }
    if (!id.unclear) {
      id.unclear = true;
      t.ask('appointment-day', 'Sorry, which day is it on? For example, Tuesday, or the 14th.');
      return null;
    }
  } else if (!guessedTooOften(t, s.name)) {
    const matches = t.ctx.tools.clientsNamedBookedOn(s.name, day);
    const client = matches.length === 1 ? matches[0] : undefined;
    if (client) return { ...proved(id, client.id, s.name, 'name-and-day'), day };
  }

  id.wrong++;
  (id.tried ??= []).push(s.name);
  if (id.wrong >= MAX_WRONG_ANSWERS) {
    refuse(t, id, wish, "I'm sorry, I couldn't match that to an appointment.");
    return null;
  }
  // Once more from the name: a misheard name is the likelier mistake.
  s.name = null;
  id.askedLastName = false;
  delete id.unclear;
  t.said.push("I'm sorry, I couldn't match that to an appointment.");
  t.ask('name', "Let's try once more. What's the first and last name on the appointment?");
  return null;
}

/**
 * Texts a code when the calling number is one client's with an upcoming appointment, and asks for
 * it. Any caller with a caller ID is asked the same way whether or not a code went, so the box
 * never tells a caller who forged someone's number that this number is a client's.
 */
function textCode(t: Turn, id: CallerIdentity): boolean {
  const { s, ctx } = t;
  if (!ctx.codes || !s.callerPhone || !ctx.codes.ready()) return false;
  const owners = ctx.tools.clientsWithUpcomingOn(s.callerPhone);
  const owner = owners.length === 1 ? owners[0] : undefined;
  const sent = owner !== undefined && ctx.codes.send(s.callerPhone);
  if (!sent) ctx.codes.withhold();
  id.codeFor = sent && owner ? owner.id : null;
  t.ask('code', "Thank you. To make sure it's you: if the number you're calling from is on file with us, I've just texted it a six-digit code. Please type it on your keypad, or press pound if no code came.");
  return true;
}

/** The answer to the code question: right, wrong with a try left (asked again), or no code (the day is asked). */
function codeAnswer(t: Turn, u: Understanding): 'right' | 'again' | 'none' {
  const digits = digitsIn(u.text);
  const verdict = digits === '' ? 'spent' : (t.ctx.codes?.check(digits) ?? 'spent');
  if (verdict === 'right') return 'right';
  if (verdict === 'wrong') {
    t.ask('code', "Sorry, that code doesn't match. Please type it again.");
    return 'again';
  }
  t.said.push(digits === '' ? 'No problem.' : "Sorry, that code doesn't match.");
  return 'none';
}

function guessedTooOften(t: Turn, name: string): boolean {
  const tools = t.ctx.tools;
  const here = (t.s.identity?.tried ?? []).filter((n) => sameName(name, n)).length;
  return here + tools.wrongGuessesFor(name, tools.now() - DAY_MS, t.ctx.conversationId) >= MAX_WRONG_PER_NAME_PER_DAY;
}

function proved(id: CallerIdentity, clientId: number, name: string, via: NonNullable<CallerIdentity['via']>): Identified {
  id.clientId = clientId;
  id.name = name;
  id.via = via;
  id.wrong = 0;
  delete id.unclear;
  return { clientId };
}

/** Whether the identified caller may change this appointment (it is theirs). */
export function owns(t: Turn, appointmentId: number): boolean {
  const clientId = t.s.identity?.clientId;
  return clientId !== undefined && t.ctx.tools.appointment(appointmentId).clientId === clientId;
}

function refuse(t: Turn, id: CallerIdentity, wish: AppointmentWish, lead: string): void {
  id.refused = true;
  id.wanted = wish;
  if (lead) t.said.push(lead);
  t.said.push(
    spoken(t)
      ? "For your privacy, I can't go over or change an appointment until I can confirm who I'm speaking with."
      : "For your privacy, I can't share or change an appointment without confirming who you are.",
  );
  t.ask(
    'offer-callback',
    spoken(t) ? 'I can have our team call you back at the number we have on file. Would you like that?' : 'Our team can call or text you at the number we have on file. Would you like that?',
  );
}

const WANTS_TEXT = /\b(?:text|texts|texting|sms|message me)\b/;
const WANTS_CALL = /\b(?:call me|call back|callback|ring me|please do|do that)\b/;

/**
 * The answer to the call back offer. Returns false when it is not one (the dialog goes on as
 * usual). A yes leaves a staff alert to call or text the client at the number on file (the app
 * has no SMS sending yet, so a text is asked of staff too), never at the calling number.
 */
export function answerCallbackOffer(t: Turn, u: Understanding): boolean {
  const { s, ctx } = t;
  const text = WANTS_TEXT.test(u.text);
  const yes = !u.no && (u.yes || u.leaning === 'yes' || text || WANTS_CALL.test(u.text));
  if (!yes) {
    if (u.no || u.leaning === 'no') {
      s.task = null;
      t.said.push(spoken(t) ? 'No problem. You can also call us during opening hours.' : 'No problem.');
      anythingElse(t);
      return true;
    }
    return false;
  }
  const named = s.name ? ctx.tools.clientsNamedWithUpcoming(s.name) : [];
  const onFile = named.length === 1 ? (named[0]?.phone ?? null) : null;
  const wanted = s.identity?.wanted === 'lookup' ? 'ask about' : (s.identity?.wanted ?? 'ask about');
  const how = text ? 'Text' : 'Call';
  const alertId = ctx.alert(
    'message',
    `${how} back requested: a caller wanted to ${wanted} an appointment but could not confirm who they are, so nothing was read out or changed. ` +
      `Name given: "${s.name ?? 'none'}". Calling number: ${s.callerPhone ?? 'withheld'} (not verified). ` +
      (onFile ? `${how} the number on file for this client, not the calling number.` : 'No single client with an upcoming appointment has this name: check the record before calling anyone back.'),
    { phone: onFile, name: s.name ?? '' },
  );
  s.outcomes.push({ kind: 'message', alertId });
  s.task = null;
  t.said.push(text ? "Okay. I've asked our team to text you at the number we have on file." : "Okay. I've asked our team to call you back at the number we have on file.");
  anythingElse(t);
  return true;
}
