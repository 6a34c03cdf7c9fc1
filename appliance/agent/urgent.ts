// Urgent symptoms after a treatment (issue 11), taken before anything else in every state: staff
// are alerted at once and the caller told to call 911 in an emergency. A false alarm costs a call
// from the nurse, a missed one a patient's harm, so a symptom is never dropped; but on a spoken
// turn whose words the recogniser doubted (mean confidence under SURE_WORDS) it is put to the
// caller first: a tuning call's "what's your address" came out "my eye is red" (confidence 0.16)
// and alerted the nurse instead of giving the address. Only a clear no stands the check down; a
// yes, silence, speech not understood, or the symptom said again escalate, so a caller who meant
// it loses one question, never the alert. On a narrowband call the check offers its keys at once.
import { spoken, type DialogInput, type Turn } from './dialog-turn.js';
import { SURE_WORDS } from './slot-confidence.js';
import type { Understanding } from './types.js';

/** The check's question (the hearing bench's scripted callers answer it). */
export const URGENT_CHECK = 'are you having a problem after a treatment?';

/** An urgent symptom heard: escalated, or checked first when its words were doubted. */
export function onUrgent(t: Turn, u: Understanding): void {
  if ((u.wordConfidence ?? 1) >= SURE_WORDS) {
    escalate(t, u.text);
    return;
  }
  t.s.urgentHeard = u.text;
  if (t.s.narrowband) t.offerKeys = true;
  t.ask('urgent-check', `Sorry, I want to be sure I heard you: ${URGENT_CHECK} If it's an emergency, please hang up and call 911.`);
}

/** The answer to the check: a clear no stands it down, every other answer (silence and not understood too) escalates. */
export function answerUrgentCheck(t: Turn, input: DialogInput): void {
  const heard = t.s.urgentHeard ?? '';
  delete t.s.urgentHeard;
  if (input.kind === 'words' && input.u.no && !input.u.yes && !input.u.intents.includes('urgent')) {
    t.ask(null, spoken(t) ? 'Sorry, I misheard. How can I help you today?' : 'Sorry, I misread. How can I help?');
    return;
  }
  escalate(t, input.kind === 'words' && input.u.intents.includes('urgent') ? input.u.text : heard);
}

function escalate(t: Turn, said: string): void {
  const id = t.ctx.alert('urgent', `URGENT: caller reports symptoms after treatment: "${said}"`);
  t.s.outcomes.push({ kind: 'urgent', alertId: id });
  t.said.push(
    spoken(t)
      ? "I'm sorry you're going through that. If you have any change in your vision, trouble breathing, or severe or worsening pain, please hang up and call 911 now."
      : 'If you have any change in vision, trouble breathing, or severe or worsening pain, call 911 now.',
    spoken(t)
      ? "I've alerted our nurse practitioner right away, and she will call you back as soon as possible."
      : "I've alerted our nurse practitioner, who will call you right away.",
  );
  t.ask('anything-else', spoken(t) ? 'Is there anything else I can do for you right now?' : 'Anything else?');
}
