// The end-of-conversation summary staff read in the call log: who, what they wanted, what
// happened, and the appointment. Pure over the dialog state and the booking tools.
import type { Phrasing } from './phrasing.js';
import type { AgentTools } from './tools.js';
import type { DialogState, Intent } from './types.js';

const WANTED: Partial<Record<Intent, string>> = {
  book: 'to book',
  reschedule: 'to reschedule',
  cancel: 'to cancel',
  'my-appointment': 'their appointment time',
  price: 'prices',
  question: 'an answer to a question',
  hours: 'opening hours',
  location: 'directions',
  human: 'a person',
  urgent: 'urgent help after a treatment',
};

export function summarize(s: DialogState, deps: { tools: AgentTools; phr: Phrasing }): string {
  const who = [s.name ?? 'Unknown caller', s.phone ?? s.callerPhone ?? 'no number'].join(', ');
  const wanted = s.wanted.map((i) => WANTED[i]).filter(Boolean);
  const outcomes: string[] = [];
  for (const o of s.outcomes) {
    switch (o.kind) {
      case 'booked':
      case 'rescheduled': {
        const a = deps.tools.appointment(o.appointmentId);
        const svc = deps.tools.service(a.serviceId)?.name ?? a.serviceId;
        outcomes.push(`${o.kind} ${svc} with ${deps.tools.providerName(a.providerId)} ${deps.phr.when(a.start)} (#${a.id})`);
        break;
      }
      case 'cancelled': {
        const a = deps.tools.appointment(o.appointmentId);
        outcomes.push(`cancelled ${deps.tools.service(a.serviceId)?.name ?? a.serviceId} ${deps.phr.when(a.start)} (#${a.id})`);
        break;
      }
      case 'answered':
        outcomes.push(`answered ${o.topic}`);
        break;
      case 'message':
        outcomes.push(`left a message for staff (alert #${o.alertId})`);
        break;
      case 'unknown-question':
        outcomes.push(`question for staff to follow up (alert #${o.alertId})`);
        break;
      case 'urgent':
        outcomes.push(`URGENT symptoms reported, staff alerted (alert #${o.alertId})`);
        break;
      case 'transfer':
        outcomes.push('transferred to staff');
        break;
    }
  }
  return `${who}. Wanted: ${wanted.length ? wanted.join(', ') : 'nothing stated'}. Outcome: ${outcomes.length ? outcomes.join('; ') : 'no action'}.`;
}
