// Cancelling, looking up and finding the appointment to reschedule: only the appointments of the
// client the caller has proved to be (identity.ts), and nothing read out before that.
import type { BookTask, ManageTask, Understanding } from './types.js';
import { advance, switchService } from './booking-flow.js';
import type { Turn } from './dialog-turn.js';
import { spoken } from './dialog-turn.js';
import { identify, owns } from './identity.js';
import { ANYTHING_ELSE } from './prompts.js';

export function manage(t: Turn, task: ManageTask | BookTask, u: Understanding): number {
  const { s, ctx, ctx: { phr } } = t;
  const pending = s.pending;
  if (task.kind === 'cancel' && pending === 'confirm-cancel' && task.appointmentId !== undefined) {
    if (u.yes && owns(t, task.appointmentId)) {
      const appt = ctx.tools.cancel(task.appointmentId, ctx.source);
      const svc = ctx.tools.service(appt.serviceId);
      s.outcomes.push({ kind: 'cancelled', appointmentId: appt.id });
      s.task = null;
      t.said.push(`Your ${svc?.name ?? 'appointment'} on ${phr.when(appt.start)} is cancelled.`);
      t.ask('anything-else', spoken(t) ? 'Would you like to book another time, or is there anything else?' : 'Anything else?');
      return 1;
    }
    if (u.no) {
      s.task = null;
      t.said.push("Okay, I won't cancel it.");
      t.ask('anything-else', ANYTHING_ELSE);
      return 1;
    }
  }
  if (task.kind === 'book') return 0;
  const who = identify(t, task.kind, u);
  if (!who) return 1;
  // Only their own, still booked (a list from before another name was given is not theirs).
  const mine = (ids: number[]): ReturnType<typeof ctx.tools.upcomingFor> =>
    ids.map((id) => ctx.tools.appointment(id)).filter((a) => a.status === 'booked' && a.clientId === who.clientId);
  if (who.day) {
    // They proved it with a day: the appointments that day are the ones they mean.
    task.candidates = ctx.tools.bookedOn(who.clientId, who.day).map((a) => a.id);
  }
  const found = mine(task.candidates ?? []);
  let appts = found.length > 0 ? found : ctx.tools.upcomingFor(who.clientId);
  if (appts.length === 0) {
    s.task = null;
    t.said.push("I don't see any upcoming appointments under your name.");
    t.ask('anything-else', ANYTHING_ELSE);
    return 1;
  }
  if (appts.length > 1 && pending === 'which-appointment') {
    const pick = u.choice !== undefined ? (u.choice < 0 ? appts[appts.length - 1] : appts[u.choice]) : undefined;
    const bySvc = u.services.length > 0 ? appts.filter((a) => u.services.includes(a.serviceId)) : [];
    const chosen = pick ?? (bySvc.length === 1 ? bySvc[0] : undefined) ?? (u.when?.day ? appts.find((a) => ctx.tools.localTime(a.start).day === u.when?.day) : undefined);
    if (chosen) appts = [chosen];
  }
  if (appts.length > 1) {
    task.candidates = appts.map((a) => a.id);
    const list = appts.slice(0, 3).map((a) => `${ctx.tools.service(a.serviceId)?.name ?? 'an appointment'} on ${phr.when(a.start)}`);
    if (task.kind === 'lookup') {
      s.task = null;
      t.said.push(`You have ${phr.list(list, 'and')}.`);
      t.ask('anything-else', ANYTHING_ELSE);
      return 1;
    }
    t.ask('which-appointment', `I see ${phr.list(list, 'and')}. Which one?`);
    return 1;
  }
  const appt = appts[0];
  if (!appt) return 0;
  const svc = ctx.tools.service(appt.serviceId);
  const what = `${svc?.name ?? 'appointment'} with ${ctx.tools.providerName(appt.providerId)} on ${phr.fullWhen(appt.start)}`;
  switch (task.kind) {
    case 'lookup':
      s.task = null;
      t.said.push(`You're booked for ${what}.`);
      t.ask('anything-else', ANYTHING_ELSE);
      return 1;
    case 'cancel':
      task.appointmentId = appt.id;
      delete task.candidates;
      t.ask('confirm-cancel', `I see your ${what}. Would you like me to cancel it?`);
      return 1;
    case 'reschedule': {
      const next: BookTask = { kind: 'reschedule', appointmentId: appt.id, serviceId: appt.serviceId, providerId: appt.providerId };
      const to = (task.switchTo ?? []).filter((id) => id !== appt.serviceId);
      if (to.length > 0) switchService(next, appt.serviceId, to);
      if (task.when) next.when = task.when;
      else if (task.shift) next.when = ctx.tools.shifted(appt.start, task.shift, u.text);
      else if (u.when && pending !== 'appointment-day' && pending !== 'code') next.when = u.when;
      // Another treatment with no time said: at the same time, if it is free for that one.
      else if (next.switchedFrom) next.when = ctx.tools.shifted(appt.start, { minutes: 0 }, 'the same time');
      s.task = next;
      if (!next.when) {
        t.ask('when', `I see your ${what}. What day and time would you like instead?`);
        return 1;
      }
      // Which appointment is moving, before the times for it.
      t.said.push(`I see your ${what}.`);
      advance(t, next);
      return 1;
    }
  }
}
