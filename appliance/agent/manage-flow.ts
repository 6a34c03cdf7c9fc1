// Cancelling, looking up and finding the appointment to reschedule: by caller ID, else by name.
import type { BookTask, ManageTask, Understanding } from './types.js';
import { advance } from './booking-flow.js';
import type { Turn } from './dialog-turn.js';
import { spoken } from './dialog-turn.js';

export function manage(t: Turn, task: ManageTask | BookTask, u: Understanding): number {
  const { s, ctx, ctx: { phr } } = t;
  const pending = s.pending;
  if (task.kind === 'cancel' && pending === 'confirm-cancel' && task.appointmentId !== undefined) {
    if (u.yes) {
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
      t.ask('anything-else', 'Is there anything else I can help with?');
      return 1;
    }
  }
  if (pending === 'name' && u.name) s.name = u.name;
  const found = task.kind === 'cancel' || task.kind === 'lookup' ? (task.candidates ?? []) : [];
  let appts = found.length > 0 ? found.map((id) => ctx.tools.appointment(id)).filter((a) => a.status === 'booked') : ctx.tools.upcoming({ phone: s.phone ?? s.callerPhone, name: s.name });
  if (appts.length === 0) {
    if (!s.name) {
      t.ask('name', "I'll look that up. What name is the appointment under?");
      return 1;
    }
    s.task = null;
    t.said.push(`I couldn't find an upcoming appointment under ${s.name}${s.callerPhone ? ' or this number' : ''}.`);
    t.ask('anything-else', 'Is there anything else I can help with?');
    return 1;
  }
  if (appts.length > 1 && pending === 'which-appointment') {
    const pick = u.choice !== undefined ? (u.choice < 0 ? appts[appts.length - 1] : appts[u.choice]) : undefined;
    const bySvc = u.services.length > 0 ? appts.filter((a) => u.services.includes(a.serviceId)) : [];
    const chosen = pick ?? (bySvc.length === 1 ? bySvc[0] : undefined) ?? (u.when?.day ? appts.find((a) => ctx.tools.localTime(a.start).day === u.when?.day) : undefined);
    if (chosen) appts = [chosen];
  }
  if (appts.length > 1) {
    if (task.kind === 'cancel' || task.kind === 'lookup') task.candidates = appts.map((a) => a.id);
    const list = appts.slice(0, 3).map((a) => `${ctx.tools.service(a.serviceId)?.name ?? 'an appointment'} on ${phr.when(a.start)}`);
    if (task.kind === 'lookup') {
      s.task = null;
      t.said.push(`You have ${phr.list(list, 'and')}.`);
      t.ask('anything-else', 'Is there anything else I can help with?');
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
      t.ask('anything-else', 'Is there anything else I can help with?');
      return 1;
    case 'cancel':
      task.appointmentId = appt.id;
      delete task.candidates;
      t.ask('confirm-cancel', `I see your ${what}. Would you like me to cancel it?`);
      return 1;
    case 'reschedule': {
      const next: BookTask = { kind: 'reschedule', appointmentId: appt.id, serviceId: appt.serviceId, providerId: appt.providerId };
      if (task.when) next.when = task.when;
      else if (u.when) next.when = u.when;
      s.task = next;
      if (!next.when) {
        t.ask('when', `I see your ${what}. What day and time would you like instead?`);
        return 1;
      }
      advance(t, next);
      return 1;
    }
    case 'book':
      return 0;
  }
}
