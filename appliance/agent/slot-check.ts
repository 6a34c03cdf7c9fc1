// Checking a critical slot heard with low confidence (slot-confidence.ts) before it is used: one
// short question on a yes/no turn ("Was that Lip Filler?", "Thursday afternoon, is that right?").
// A yes keeps it; a no drops it (the usual question for it comes next); a new value in the answer
// ("no, Thursday", "not Botox, filler") replaces it at once; an answer not understood (or rejected
// by the recogniser) keeps it and the call moves on. A slot is checked at most once a conversation
// and a check is never asked twice,
// and text turns never carry a confidence, so texts and chats are never asked. The read-back before
// booking stays as it is.
import { spokenClock } from './phrasing.js';
import { CHECK_BELOW } from './slot-confidence.js';
import type { BookTask, CheckSlot, Understanding } from './types.js';
import { releaseHold, type Turn } from './dialog-turn.js';

/** A check question at the end of a reply; group 1 or 2 is the value checked. */
export const CHECK_QUESTION = /(?:^|[.!?] )(?:Was that (.+)|(?:And I have your name as )?([^.!?]+), is that right)\?$/;

/** Notes whether `slot`, just set from `u`, must be checked before it is used. */
export function noteDoubt(t: Turn, task: BookTask, u: Understanding, slot: CheckSlot): void {
  const c = u.slotConfidence?.[slot];
  const doubted = c !== undefined && c < CHECK_BELOW && !(t.s.checked ?? []).includes(slot);
  const rest = (task.doubt ?? []).filter((x) => x !== slot);
  if (doubted) rest.push(slot);
  if (rest.length > 0) task.doubt = rest;
  else delete task.doubt;
}

/** The new value the answer to a check gives for the slot, if any. */
function newValue(slot: CheckSlot, u: Understanding): boolean {
  switch (slot) {
    case 'service':
      return u.services.length > 0;
    case 'when':
      return u.when !== undefined;
    case 'provider':
      return u.providerId !== undefined;
    case 'name':
      return u.name !== undefined && u.correction;
  }
}

/**
 * Whether `u` is taken as the answer to the check being asked: anything but a question (a yes, a
 * no, a new value, or words that say none of these: the check then passes, never asked twice).
 */
export function answersCheck(u: Understanding): boolean {
  return u.yes || u.no || !u.question;
}

/**
 * The caller's answer to the check: 'kept' (yes, or words that answer nothing), 'dropped' (no: the
 * slot is cleared and asked for again), 'replaced' (a new value, for the booking flow to take), or
 * null when no check was being asked.
 */
export function takeCheckAnswer(t: Turn, task: BookTask, u: Understanding): 'kept' | 'dropped' | 'replaced' | null {
  const slot = task.checking;
  if (!slot) return null;
  const replaced = newValue(slot, u);
  passCheck(t, task);
  if (replaced) return 'replaced';
  // A yes keeps it; so does an answer that is neither yes, no nor a value: the check is not asked
  // twice (the read-back before booking still puts every detail to the caller).
  if (!u.no) return 'kept';
  const s = t.s;
  releaseHold(t);
  delete task.offers;
  delete task.chosen;
  switch (slot) {
    case 'service':
      delete task.serviceId;
      delete task.requestedServiceId;
      delete task.choices;
      break;
    case 'when':
      delete task.when;
      break;
    case 'provider':
      delete task.providerId;
      break;
    case 'name':
      s.name = null;
      break;
  }
  t.said.push('Sorry about that.');
  return 'dropped';
}

/**
 * Ends the check being asked without changing its slot (an answer heard but not understood, or a
 * yes): the slot is marked checked and never asked about again. False when no check was asked.
 */
export function passCheck(t: Turn, task: BookTask): boolean {
  const slot = task.checking;
  if (!slot) return false;
  delete task.checking;
  const rest = (task.doubt ?? []).filter((x) => x !== slot);
  if (rest.length > 0) task.doubt = rest;
  else delete task.doubt;
  t.s.checked = [...(t.s.checked ?? []), slot];
  return true;
}

/** Asks about the first of `slots` still in doubt; true when it asked. */
export function askCheck(t: Turn, task: BookTask, slots: readonly CheckSlot[]): boolean {
  const slot = slots.find((x) => task.doubt?.includes(x) && !(t.s.checked ?? []).includes(x));
  if (!slot) return false;
  const question = checkQuestion(t, task, slot);
  if (!question) {
    task.doubt = (task.doubt ?? []).filter((x) => x !== slot);
    return false;
  }
  task.checking = slot;
  t.ask('check', question);
  return true;
}

function checkQuestion(t: Turn, task: BookTask, slot: CheckSlot): string | null {
  const { ctx, s } = t;
  switch (slot) {
    case 'service': {
      const svc = ctx.tools.service(task.requestedServiceId ?? task.serviceId ?? '');
      return svc ? `Was that ${svc.name}?` : null;
    }
    case 'when': {
      const w = task.when;
      if (!w || w.asap) return null;
      const time = w.targetMin !== undefined ? `at ${spokenClock(Math.floor(w.targetMin / 60), w.targetMin % 60)}` : (w.part ?? '');
      const day = w.day && (w.days ?? 1) === 1 ? ctx.phr.dayOfDate(w.day) : '';
      const said = [day, time].filter(Boolean).join(' ') || w.text;
      return `${said.charAt(0).toUpperCase()}${said.slice(1)}, is that right?`;
    }
    case 'provider':
      return task.providerId ? `With ${ctx.tools.providerName(task.providerId)}, is that right?` : null;
    case 'name':
      return s.name ? `And I have your name as ${s.name}, is that right?` : null;
  }
}
