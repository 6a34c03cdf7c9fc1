// The receptionist's dialog policy: given the state and what the caller's words were understood
// to mean, decide the reply and the next state. Booking truth comes from AgentTools (booking/);
// knowledge answers from the spa's own entries. No I/O of its own beyond those tools.
import type { AppointmentSource } from '../booking/types.js';
import { bestSentences, type KnowledgeIndex } from './knowledge.js';
import { money, type Phrasing } from './phrasing.js';
import type { AgentTools } from './tools.js';
import type { AgentAction, BookTask, DialogState, ManageTask, Offer, Pending, Understanding, WhenSpec } from './types.js';
import type { AlertKind } from './conversations.js';

export interface DialogContext {
  tools: AgentTools;
  knowledge: KnowledgeIndex;
  phr: Phrasing;
  spaName: string;
  conversationId: string;
  source: AppointmentSource;
  /** A staff destination exists for live transfer (voice only). */
  canTransfer: boolean;
  /** Leaves an alert for staff; returns its id. */
  alert(kind: AlertKind, text: string): number;
}

export type DialogInput = { kind: 'words'; u: Understanding } | { kind: 'silence' };

/** A knowledge hit below this BM25 score is not an answer. */
const ANSWER_MIN_SCORE = 2.2;
const MAX_MISSES = 3;

const EXPECT: Record<Pending, AgentAction['expect']> = {
  service: 'service',
  'which-service': 'service',
  when: 'when',
  choose: 'choice',
  name: 'name',
  phone: 'digits',
  'confirm-phone': 'yes-no',
  confirm: 'yes-no',
  'which-appointment': 'choice',
  'confirm-cancel': 'yes-no',
  message: 'open',
  'anything-else': 'yes-no',
};

class Turn {
  readonly said: string[] = [];
  prompt = '';
  hangup = false;
  transfer = false;

  constructor(
    readonly s: DialogState & { lastPrompt?: string; priceAsk?: boolean },
    readonly ctx: DialogContext,
  ) {}

  ask(pending: Pending | null, prompt: string): void {
    this.s.pending = pending;
    this.prompt = prompt;
  }

  action(): AgentAction {
    const reply = [...this.said, this.prompt].filter(Boolean).join(' ');
    if (this.prompt) this.s.lastPrompt = this.prompt;
    const a: AgentAction = { reply, expect: this.s.pending ? EXPECT[this.s.pending] : 'open' };
    if (this.hangup) a.hangup = true;
    if (this.transfer) a.transfer = true;
    return a;
  }
}

export function dialogTurn(state: DialogState, input: DialogInput, ctx: DialogContext): AgentAction {
  const t = new Turn(state, ctx);
  state.turns++;
  if (input.kind === 'silence' || input.u.text.trim() === '') {
    onSilence(t);
    return t.action();
  }
  const u = input.u;
  for (const i of u.intents) if (!state.wanted.includes(i) && i !== 'thanks' && i !== 'greeting' && i !== 'goodbye') state.wanted.push(i);
  if (u.name && !state.name && (state.pending === 'name' || /\b(?:my name|this is|i'm|i am|name is)\b/.test(u.text))) state.name = u.name;

  if (u.intents.includes('urgent')) {
    urgent(t, u);
    return t.action();
  }
  if (state.pending === 'message') {
    takeMessage(t, u);
    return t.action();
  }
  if (u.intents.includes('human')) {
    handoff(t);
    return t.action();
  }
  if (u.intents.includes('goodbye') && !u.yes && u.intents.every((i) => i === 'goodbye' || i === 'thanks')) {
    goodbye(t);
    return t.action();
  }

  const understood = answerQuestions(t, u) | startTasks(t, u) | continueTask(t, u);
  if (t.prompt || t.hangup || t.transfer) {
    state.misses = 0;
    return t.action();
  }
  if (understood) {
    state.misses = 0;
    if (!t.prompt) t.ask('anything-else', spoken(t) ? 'Is there anything else I can help with?' : 'Anything else I can help with?');
    return t.action();
  }
  closing(t, u);
  return t.action();
}

function spoken(t: Turn): boolean {
  return t.ctx.phr.spoken;
}

// ---------------------------------------------------------------- silence, misses, closing

function onSilence(t: Turn): void {
  const s = t.s;
  s.misses++;
  if (s.misses >= MAX_MISSES) {
    goodbye(t, spoken(t) ? "I haven't heard anything, so I'll let you go. Please call back anytime." : 'Feel free to text us anytime.');
    return;
  }
  const again = s.lastPrompt && s.pending ? s.lastPrompt : 'How can I help you today?';
  t.ask(s.pending, `${spoken(t) ? 'Are you still there?' : 'Still there?'} ${again}`);
}

function goodbye(t: Turn, lead = ''): void {
  const s = t.s;
  if (s.task && 'holdId' in s.task && s.task.holdId) t.ctx.tools.release(t.ctx.conversationId);
  s.task = null;
  s.done = true;
  s.pending = null;
  t.said.push(lead, spoken(t) ? `Thank you for calling ${t.ctx.spaName}. Have a wonderful day!` : `Thanks for contacting ${t.ctx.spaName}!`);
  t.hangup = true;
}

function closing(t: Turn, u: Understanding): void {
  const s = t.s;
  const ending = u.intents.includes('goodbye') || (u.intents.includes('thanks') && (s.pending === 'anything-else' || s.pending === null) && !u.question);
  if (ending || (s.pending === 'anything-else' && u.no)) {
    goodbye(t);
    return;
  }
  if (s.pending === 'anything-else' && u.yes) {
    t.ask(null, 'Sure, what can I help with?');
    return;
  }
  if (u.intents.includes('greeting') && s.misses === 0) {
    t.ask(null, 'Hi! How can I help you today?');
    return;
  }
  s.misses++;
  if (s.misses >= MAX_MISSES) {
    t.said.push("I'm sorry, I'm having trouble understanding.");
    if (spoken(t) && t.ctx.canTransfer && t.ctx.tools.openNow()) {
      t.said.push("Let me connect you with our front desk.");
      t.transfer = true;
      s.outcomes.push({ kind: 'transfer' });
      return;
    }
    s.task = null;
    t.ask('message', 'Let me take a message for our team. What would you like them to know?');
    return;
  }
  if (s.pending && s.lastPrompt) {
    t.ask(s.pending, `Sorry, I didn't catch that. ${s.lastPrompt}`);
    return;
  }
  t.ask(
    null,
    spoken(t)
      ? "Sorry, I can't help with that, but I can book an appointment, answer questions about our treatments and prices, or take a message. What would you like to do?"
      : 'Sorry, I can help with booking, our treatments and prices, or take a message for the team. What would you like to do?',
  );
}

// ---------------------------------------------------------------- urgent, handoff, message

function urgent(t: Turn, u: Understanding): void {
  const id = t.ctx.alert('urgent', `URGENT: caller reports symptoms after treatment: "${u.text}"`);
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

function handoff(t: Turn): void {
  const s = t.s;
  if (s.task && 'holdId' in s.task && s.task.holdId) t.ctx.tools.release(t.ctx.conversationId);
  s.task = null;
  if (spoken(t) && t.ctx.canTransfer && t.ctx.tools.openNow()) {
    t.said.push('Of course. Connecting you to our front desk now.');
    t.transfer = true;
    s.outcomes.push({ kind: 'transfer' });
    s.done = true;
    return;
  }
  const why = spoken(t) ? (t.ctx.tools.openNow() ? 'No one at the front desk can pick up right now,' : "Our team isn't in right now,") : 'Happy to pass this to our team:';
  s.task = { kind: 'message', reason: 'handoff' };
  t.ask('message', spoken(t) ? `${why} but I can take a message and someone will call you back. What would you like me to pass on?` : `${why} what would you like me to tell them? Someone will get back to you.`);
}

function takeMessage(t: Turn, u: Understanding): void {
  const s = t.s;
  const id = t.ctx.alert('message', `Message for staff: "${u.text}"`);
  s.outcomes.push({ kind: 'message', alertId: id });
  s.task = null;
  t.said.push(s.phone ?? s.callerPhone ? "Thank you, I've passed that on and someone will get back to you." : "Thank you, I've passed that on.");
  if (!s.phone && !s.callerPhone) {
    t.ask('phone', 'What number should they call you back on?');
    return;
  }
  t.ask('anything-else', spoken(t) ? 'Is there anything else I can help with?' : 'Anything else?');
}

// ---------------------------------------------------------------- questions

/** Answers the questions in this turn. Returns 1 when it answered something. */
function answerQuestions(t: Turn, u: Understanding): number {
  const { ctx, s } = t;
  let answered = 0;
  const maxSentences = spoken(t) ? 2 : 3;
  if (u.intents.includes('price')) {
    const named = [...u.services, ...(u.otherServices ?? [])];
    const ids = named.length > 0 ? named : s.task && 'serviceId' in s.task && s.task.serviceId ? [s.task.serviceId] : [];
    if (ids.length > 0) {
      for (const id of ids.slice(0, 3)) {
        const svc = ctx.tools.service(id);
        if (svc) t.said.push(`${svc.name} is ${svc.priceText}.`);
        s.outcomes.push({ kind: 'answered', topic: `price:${id}` });
      }
      answered = 1;
    } else if (!u.intents.includes('book')) {
      s.priceAsk = true;
      t.ask('service', 'Which treatment would you like the price for?');
      return 1;
    }
  }
  for (const [intent, topic, seed] of [
    ['hours', 'hours', 'opening hours open'],
    ['location', 'location', 'address parking directions'],
  ] as const) {
    if (!u.intents.includes(intent)) continue;
    const hit = ctx.knowledge.search(`${seed} ${u.text}`, 5).find((h) => h.entry.topic === topic);
    if (hit) {
      t.said.push(bestSentences(hit.entry.body, u.text, maxSentences));
      s.outcomes.push({ kind: 'answered', topic: hit.entry.id });
      answered = 1;
    }
  }
  const handled = u.intents.some((i) => i !== 'greeting' && i !== 'thanks');
  const freeQuestion = u.question && !handled && !(s.pending && s.pending !== 'anything-else' && isAnswerToPending(s.pending, u));
  if (freeQuestion) {
    const hit = ctx.knowledge.search(u.text, 3)[0];
    // An answer must be about what was asked: a word the knowledge base has never seen ("tattoo")
    // outweighs a match on a generic one ("removal").
    const unknown = ctx.knowledge.unknownTerms(u.text).length;
    if (hit && hit.score >= ANSWER_MIN_SCORE && unknown < ctx.knowledge.covered(hit.entry, u.text)) {
      t.said.push(bestSentences(hit.entry.body, u.text, maxSentences));
      s.outcomes.push({ kind: 'answered', topic: hit.entry.id });
      answered = 1;
    } else if (hit || u.services.length > 0) {
      // About the spa, but nothing in the knowledge base answers it: never guess.
      const id = ctx.alert('question', `Question the receptionist could not answer: "${u.text}"`);
      s.outcomes.push({ kind: 'unknown-question', alertId: id });
      t.said.push(
        spoken(t)
          ? "That's a good question, and I don't want to guess. I've left a note for our team, and someone will follow up with you."
          : "I don't have that answer, so I've asked our team to follow up with you.",
      );
      answered = 1;
    }
  }
  return answered;
}

function isAnswerToPending(p: Pending, u: Understanding): boolean {
  switch (p) {
    case 'service':
    case 'which-service':
      return u.services.length > 0 || u.choice !== undefined;
    case 'when':
      return u.when !== undefined;
    case 'choose':
    case 'which-appointment':
      return u.choice !== undefined || u.when !== undefined || u.yes || u.no;
    case 'name':
      return u.name !== undefined;
    case 'phone':
      return u.phone !== undefined;
    case 'confirm':
    case 'confirm-phone':
    case 'confirm-cancel':
    case 'anything-else':
      return u.yes || u.no;
    case 'message':
      return true;
  }
}

// ---------------------------------------------------------------- tasks

function startTasks(t: Turn, u: Understanding): number {
  const s = t.s;
  const has = (i: string): boolean => u.intents.includes(i as never);
  if (s.priceAsk && s.pending === 'service' && u.services.length > 0 && !has('book')) {
    s.priceAsk = false;
    for (const id of [...u.services, ...(u.otherServices ?? [])].slice(0, 3)) {
      const svc = t.ctx.tools.service(id);
      if (svc) t.said.push(`${svc.name} is ${svc.priceText}.`);
      s.outcomes.push({ kind: 'answered', topic: `price:${id}` });
    }
    s.pending = null;
    return 1;
  }
  const manageKind = has('cancel') ? 'cancel' : has('reschedule') ? 'reschedule' : has('my-appointment') ? 'lookup' : null;
  if (manageKind) {
    const same = s.task?.kind === manageKind && (manageKind !== 'reschedule' || (s.task.kind === 'reschedule' && s.task.appointmentId === undefined));
    if (same && s.pending !== null && s.pending !== 'anything-else') return 0;
    releaseHold(t);
    s.task = manageKind === 'reschedule' ? { kind: 'reschedule' } : { kind: manageKind };
    s.pending = null;
    return 1;
  }
  const wantsService = u.services.length > 0 && !has('price') && (!u.question || u.when !== undefined) && s.pending !== 'which-appointment';
  const bookingWords = has('book') || wantsService;
  if (bookingWords && (!s.task || s.task.kind === 'message' || (s.task.kind !== 'book' && s.task.kind !== 'reschedule'))) {
    s.task = { kind: 'book' };
    if (!s.wanted.includes('book')) s.wanted.push('book');
    s.pending = null;
    return 1;
  }
  return 0;
}

function continueTask(t: Turn, u: Understanding): number {
  const s = t.s;
  const task = s.task;
  if (!task) {
    // Contact details given outside a task (after a message): keep them.
    if (s.pending === 'phone' && u.phone) {
      s.phone = u.phone;
      s.phoneConfirmed = true;
      t.said.push('Thank you.');
      t.ask('anything-else', spoken(t) ? 'Is there anything else I can help with?' : 'Anything else?');
      return 1;
    }
    return 0;
  }
  switch (task.kind) {
    case 'reschedule':
      if (task.appointmentId === undefined) {
        if (u.when) task.when = u.when;
        return manage(t, task, u);
      }
      return booking(t, task, u);
    case 'book':
      return booking(t, task, u);
    case 'cancel':
    case 'lookup':
      return manage(t, task, u);
    case 'message':
      return 0;
  }
}

function releaseHold(t: Turn): void {
  const task = t.s.task;
  if (task && (task.kind === 'book' || task.kind === 'reschedule') && task.holdId) {
    t.ctx.tools.release(t.ctx.conversationId);
    delete task.holdId;
  }
}

function clearOffers(t: Turn, task: BookTask): void {
  releaseHold(t);
  delete task.offers;
  delete task.chosen;
}

function mergeWhen(old: WhenSpec | undefined, next: WhenSpec): WhenSpec {
  if (!old) return next;
  const merged: WhenSpec = { ...next };
  const hasTod = next.fromMin !== undefined || next.toMin !== undefined || next.targetMin !== undefined;
  if (!hasTod && next.day && !next.asap) {
    if (old.fromMin !== undefined) merged.fromMin = old.fromMin;
    if (old.toMin !== undefined) merged.toMin = old.toMin;
  }
  if (!next.day && !next.asap && hasTod && old.day) {
    merged.day = old.day;
    if (old.days) merged.days = old.days;
  }
  return merged;
}

/** Which offer the caller picked: by ordinal, by time ("the 2:30"), by day ("Thursday"). */
function pickOffer(t: Turn, offers: Offer[], u: Understanding): Offer | undefined {
  if (u.choice !== undefined) return u.choice < 0 ? offers[offers.length - 1] : offers[u.choice];
  const w = u.when;
  if (w) {
    const zone = t.ctx.tools.zone();
    const fits = offers.filter((o) => {
      const d = new Date(o.start);
      const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
      const get = (k: string): string => local.find((p) => p.type === k)?.value ?? '';
      const day = `${get('year')}-${get('month')}-${get('day')}`;
      const minute = Number(get('hour')) * 60 + Number(get('minute'));
      if (w.day && w.day !== day) return false;
      if (w.targetMin !== undefined && w.targetMin !== minute && w.targetMin !== minute + 12 * 60 && w.targetMin + 12 * 60 !== minute) return false;
      if (w.fromMin !== undefined && minute < w.fromMin) return false;
      if (w.toMin !== undefined && minute >= w.toMin) return false;
      return true;
    });
    if (fits.length === 1) return fits[0];
    return undefined;
  }
  if (u.yes && offers.length === 1) return offers[0];
  return undefined;
}

function booking(t: Turn, task: BookTask, u: Understanding): number {
  const { s } = t;
  let used = 0;
  const pending = s.pending;

  // Service: set, corrected, or chosen among candidates.
  if (task.kind === 'book') {
    if (pending === 'which-service' && task.choices && u.choice !== undefined) {
      const id = u.choice < 0 ? task.choices[task.choices.length - 1] : task.choices[u.choice];
      if (id) u = { ...u, services: [id] };
    }
    const mayChangeService = !task.serviceId || pending === 'service' || pending === 'which-service' || u.correction || (u.intents.includes('book') && !u.intents.includes('price'));
    if (u.services.length > 0 && mayChangeService) {
      let ids = u.services;
      if (task.choices && ids.length > 1) {
        const narrowed = ids.filter((id) => task.choices?.includes(id));
        if (narrowed.length > 0) ids = narrowed;
      }
      if (ids.length === 1) {
        const id = ids[0] ?? '';
        if (id !== task.serviceId && id !== task.requestedServiceId) {
          clearOffers(t, task);
          task.serviceId = id;
          delete task.requestedServiceId;
          delete task.choices;
        }
      } else {
        clearOffers(t, task);
        delete task.serviceId;
        task.choices = ids;
      }
      used = 1;
    }
  }

  // Provider preference.
  if (u.providerId && u.providerId !== task.providerId) {
    task.providerId = u.providerId;
    clearOffers(t, task);
    used = 1;
  } else if (u.anyProvider && task.providerId) {
    delete task.providerId;
    clearOffers(t, task);
    used = 1;
  }

  // Choosing among the offers, or a new time instead.
  if (pending === 'choose' && task.offers && !task.chosen) {
    const pick = pickOffer(t, task.offers, u);
    if (pick) {
      task.chosen = pick;
      used = 1;
    } else if (u.no && !u.when) {
      clearOffers(t, task);
      delete task.when;
      used = 1;
      t.ask('when', 'No problem. What other day or time would work for you?');
      return used;
    }
  }
  if (u.when && !(pending === 'choose' && task.chosen)) {
    const changes = !task.when || pending === 'when' || pending === 'choose' || pending === 'confirm' || u.correction || u.intents.includes('book') || u.intents.includes('reschedule');
    if (changes) {
      task.when = mergeWhen(task.when, u.when);
      clearOffers(t, task);
      used = 1;
    }
  }

  // Contact details.
  if (u.name && (pending === 'name' || !s.name || (u.correction && pending === 'confirm'))) {
    s.name = u.name;
    used = 1;
  }
  if (pending === 'confirm-phone') {
    if (u.phone) {
      s.phone = u.phone;
      s.phoneConfirmed = true;
      used = 1;
    } else if (u.yes) {
      s.phone = s.callerPhone;
      s.phoneConfirmed = true;
      used = 1;
    } else if (u.no) {
      t.ask('phone', "What's the best number to reach you, with the area code?");
      return 1;
    }
  } else if (u.phone && (pending === 'phone' || !s.phone)) {
    s.phone = u.phone;
    s.phoneConfirmed = true;
    used = 1;
  }

  // The read-back answered.
  if (pending === 'confirm' && task.chosen && !used) {
    if (u.yes) return finishBooking(t, task);
    if (u.no) {
      clearOffers(t, task);
      t.ask('when', 'No problem. What would you like to change? You can give me another day or time, or a different treatment.');
      return 1;
    }
  }

  advance(t, task);
  return used || t.prompt ? 1 : 0;
}

/** Moves the booking forward: asks for what is missing, offers slots, reads back. */
function advance(t: Turn, task: BookTask): void {
  const { s, ctx, ctx: { phr } } = t;
  if (task.kind === 'book' && !task.serviceId) {
    if (task.choices && task.choices.length > 1) {
      const names = task.choices.map((id) => ctx.tools.service(id)?.name ?? id);
      t.ask('which-service', `Would that be ${phr.list(names)}?`);
    } else t.ask('service', spoken(t) ? 'Which treatment would you like to book?' : 'Which treatment would you like to book?');
    return;
  }
  const svcId = task.serviceId ?? '';
  let svc = ctx.tools.service(svcId);
  if (!svc) {
    delete task.serviceId;
    t.ask('service', 'Which treatment would you like to book?');
    return;
  }
  // New clients start injectables with the good-faith exam.
  if (task.kind === 'book' && svc.consultFirst && svc.consultServiceId && !task.requestedServiceId) {
    const client = ctx.tools.client(s.phone ?? s.callerPhone);
    const consult = ctx.tools.service(svc.consultServiceId);
    if ((!client || client.isNew) && consult) {
      task.requestedServiceId = svc.id;
      task.serviceId = consult.id;
      clearOffers(t, task);
      t.said.push(
        spoken(t)
          ? `Since this would be your first ${svc.name} visit with us, we start with a free consultation with our nurse practitioner, so I'll book that for you.`
          : `New ${svc.name} clients start with a free consultation with our nurse practitioner, so I'll book that first.`,
      );
      svc = consult;
    }
  }
  if (task.providerId && !svc.providerIds.includes(task.providerId)) {
    t.said.push(`${ctx.tools.providerName(task.providerId)} doesn't do ${svc.name}, so I'll look at everyone who does.`);
    delete task.providerId;
  }
  if (!task.when) {
    t.ask('when', spoken(t) ? `What day and time work best for your ${svc.name}?` : `What day and time work best for your ${svc.name}?`);
    return;
  }
  if (!task.chosen) {
    if (!task.offers) {
      const count = spoken(t) ? 2 : 3;
      const r = ctx.tools.offers({ serviceId: svc.id, providerId: task.providerId, when: task.when, count, holder: ctx.conversationId });
      if (r.offers.length === 0) {
        const id = ctx.alert('no-availability', `No openings found for ${svc.name} near "${task.when.text}"`);
        s.outcomes.push({ kind: 'message', alertId: id });
        s.task = null;
        t.said.push(`I'm sorry, I don't see any openings for ${svc.name} around then. I've asked our team to reach out to find you a time.`);
        t.ask('anything-else', 'Is there anything else I can help with?');
        return;
      }
      task.offers = [...r.offers].sort((a, b) => a.start - b.start);
      r.offers = task.offers;
      const list = phr.offers(r.offers.map((o) => o.start));
      const lead = r.fits
        ? `${list.charAt(0).toUpperCase()}${list.slice(1)}.`
        : `I'm sorry, ${closedNote(t, task.when) ?? `${describeWhen(t, task.when)} is fully booked`}. The closest ${list.replace(/^on (.*) I have/, 'I have are on $1:').replace(/^I have/, 'I have are')}.`;
      t.said.push(lead);
      t.ask('choose', r.offers.length === 1 ? 'Would that work?' : 'Which would you like?');
      return;
    }
    t.ask('choose', `${phr.offers(task.offers.map((o) => o.start))}. Which would you like?`.replace(/^./, (c) => c.toUpperCase()));
    return;
  }
  if (!task.holdId) {
    const hold = ctx.tools.hold(svc.id, task.chosen, ctx.conversationId);
    if (!hold) {
      delete task.chosen;
      delete task.offers;
      t.said.push('Sorry, that time was just taken.');
      advance(t, task);
      return;
    }
    task.holdId = hold;
  }
  if (task.kind === 'book') {
    if (!s.name) {
      const known = ctx.tools.client(s.phone ?? s.callerPhone);
      if (known?.name) s.name = known.name;
      else {
        t.ask('name', spoken(t) ? 'Great. May I have your first and last name?' : "Great. What's your first and last name?");
        return;
      }
    }
    if (!s.phone) {
      if (s.callerPhone && s.channel !== 'voice') {
        s.phone = s.callerPhone;
        s.phoneConfirmed = true;
      } else if (s.callerPhone) {
        t.ask('confirm-phone', 'And is the number you are calling from the best one to reach you?');
        return;
      } else {
        t.ask('phone', "What's the best phone number to reach you?");
        return;
      }
    }
  }
  // Read back and ask for a clear yes.
  const provider = ctx.tools.providerName(task.chosen.providerId);
  if (task.kind === 'reschedule' && task.appointmentId !== undefined) {
    const old = ctx.tools.appointment(task.appointmentId);
    t.ask('confirm', `To confirm, I'll move your ${svc.name} from ${phr.when(old.start)} to ${phr.fullWhen(task.chosen.start)} with ${provider}. Shall I go ahead?`);
    return;
  }
  const policy: string[] = [];
  if (svc.depositCents > 0) policy.push(`A ${money(svc.depositCents)} deposit holds the appointment`);
  const cancelNote = ctx.knowledge.search('cancellation policy notice cancel reschedule', 3).find((h) => h.entry.topic === 'policy' && /cancel/i.test(h.entry.title));
  if (cancelNote && svc.depositCents > 0) policy.push('and we ask for 24 hours notice to cancel');
  const policyText = policy.length > 0 ? ` ${policy.join(', ')}.` : '';
  t.ask('confirm', `So that's ${svc.name} with ${provider} on ${phr.fullWhen(task.chosen.start)}, for ${s.name ?? 'you'}.${policyText} Shall I book it?`);
}

/** "we're closed on Sundays" when the day asked for has no opening hours or is a holiday. */
function closedNote(t: Turn, w: WhenSpec): string | null {
  if (!w.day || (w.days ?? 1) > 1) return null;
  const closed = t.ctx.tools.closedReason(w.day);
  return closed;
}

function describeWhen(t: Turn, w: WhenSpec): string {
  const phr = t.ctx.phr;
  if (w.day) {
    const noon = Date.parse(`${w.day}T12:00:00Z`);
    const dayWord = w.days && w.days > 2 ? 'that week' : w.days === 2 ? 'that weekend' : phr.day(noon);
    const part = w.targetMin !== undefined ? '' : w.fromMin === 0 && w.toMin === 720 ? ' morning' : w.fromMin === 720 && w.toMin === 1020 ? ' afternoon' : w.fromMin === 1020 ? ' evening' : '';
    return `${dayWord}${part}`;
  }
  return 'that time';
}

function finishBooking(t: Turn, task: BookTask): number {
  const { s, ctx, ctx: { phr } } = t;
  const svc = ctx.tools.service(task.serviceId ?? '');
  const chosen = task.chosen;
  if (!svc || !chosen) return 0;
  if (task.kind === 'reschedule' && task.appointmentId !== undefined) {
    const moved = ctx.tools.move(task.appointmentId, chosen, ctx.source, ctx.conversationId);
    if (!moved) {
      clearOffers(t, task);
      t.said.push('Sorry, that time was just taken.');
      advance(t, task);
      return 1;
    }
    s.outcomes.push({ kind: 'rescheduled', appointmentId: moved.id });
    s.task = null;
    t.said.push(`Done. Your ${svc.name} is now ${phr.fullWhen(moved.start)}.`);
    t.ask('anything-else', spoken(t) ? 'Is there anything else I can help with?' : 'Anything else?');
    return 1;
  }
  const notes = task.requestedServiceId ? `Interested in ${ctx.tools.service(task.requestedServiceId)?.name ?? task.requestedServiceId}` : '';
  const appt = ctx.tools.book({ serviceId: svc.id, offer: chosen, phone: s.phone ?? '', name: s.name ?? '', source: ctx.source, holder: ctx.conversationId, notes });
  if (!appt) {
    clearOffers(t, task);
    t.said.push('Sorry, that time was just taken.');
    advance(t, task);
    return 1;
  }
  s.outcomes.push({ kind: 'booked', appointmentId: appt.id });
  s.task = null;
  t.said.push(
    spoken(t)
      ? `You're all set for ${phr.fullWhen(appt.start)}. We'll send a text confirmation.`
      : `You're booked: ${svc.name} with ${ctx.tools.providerName(appt.providerId)}, ${phr.fullWhen(appt.start)}.`,
  );
  t.ask('anything-else', spoken(t) ? 'Is there anything else I can help with?' : 'Anything else?');
  return 1;
}

// ---------------------------------------------------------------- cancel, look up, reschedule lookup

function manage(t: Turn, task: ManageTask | BookTask, u: Understanding): number {
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
    const chosen = pick ?? (bySvc.length === 1 ? bySvc[0] : undefined) ?? (u.when?.day ? appts.find((a) => phr.day(a.start) === phr.day(Date.parse(`${u.when?.day ?? ''}T17:00:00Z`))) : undefined);
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
