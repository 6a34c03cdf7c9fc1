// The receptionist's dialog policy: given the state and what the caller's words were understood
// to mean, decide the reply and the next state. Booking truth comes from AgentTools (booking/);
// knowledge answers from the spa's own entries. No I/O of its own beyond those tools. The booking
// and appointment flows live in booking-flow.ts and manage-flow.ts, questions in question-flow.ts.
import type { AgentAction, DialogState, Pending, Understanding } from './types.js';
import { advance, booking } from './booking-flow.js';
import { agrees, anythingElse, declines, releaseHold, spoken, Turn, type DialogContext, type DialogInput } from './dialog-turn.js';
import { answerCallbackOffer } from './identity.js';
import { digitsIn } from './identity-code.js';
import { manage } from './manage-flow.js';
import { answersCheck, noteDoubt, passCheck } from './slot-check.js';
import { SURE_WORDS } from './slot-confidence.js';
import { answerQuestions, answerWhichTopic, sayDurations, sayPrices } from './question-flow.js';
import { ANYTHING_ELSE, HOW_CAN_I_HELP, STILL_THERE } from './prompts.js';
import { answerUrgentCheck, onUrgent } from './urgent.js';
import { saysTreatmentHad } from './nlu/urgent.js';
import { asksSwitch } from './understand/switch.js';
import { partySize } from './understand/party.js';
import { parseShift } from './understand/shift.js';

export type { DialogContext, DialogInput } from './dialog-turn.js';

const MAX_MISSES = 3;

/** Words about an appointment the caller already has ("move my appointment"), not the one being booked. */
const HAS_APPOINTMENT = /\b(?:my|our|the|that) (?:appointment|appt|booking|visit)\b|\balready (?:have|booked)\b|\bi have an? (?:appointment|appt|booking)\b/;

export function dialogTurn(state: DialogState, input: DialogInput, ctx: DialogContext): AgentAction {
  const t = new Turn(state, ctx);
  const asked = state.pending;
  const missesBefore = state.misses;
  const promptBefore = t.s.lastPrompt;
  const offersBefore = offersOf(state.task);
  decide(t, state, input);
  // Offers left standing, none taken ("yes" to three offered times), leave the question as it was.
  // New times offered under the same "Which would you like?" ("the afternoon one", "thursday
  // instead") are the question moving on, not the same question again.
  const offersAfter = offersOf(state.task);
  const newOffers = offersBefore !== undefined && offersAfter !== undefined && offersAfter !== offersBefore;
  const unmoved = !newOffers && (t.prompt === promptBefore || (asked === 'choose' && offersBefore !== undefined && offersAfter === offersBefore && !chosenIn(state.task)));
  if (input.kind === 'words' && input.u.text.trim() !== '') repair(t, asked, input.u, unmoved);
  // The same question word for word ("Signature or Deluxe?" after an answer naming both) is asked again too.
  const sameQuestion = asked !== null && asked !== 'anything-else' && asked !== 'message' && state.pending === asked && t.prompt === promptBefore && !newOffers;
  const a = t.action();
  // Silence is not counted: the caller may just be thinking (the no-input prompts handle it).
  if (input.kind !== 'silence' && (state.misses > missesBefore || (t.s.repeats ?? 0) > 0 || t.unanswered || sameQuestion)) a.again = true;
  return a;
}

// ---------------------------------------------------------------- repair

/**
 * Never the same question three times: when the caller's words answer the question asked twice in
 * a row and it would be asked again, the receptionist changes tack — the earliest real times
 * instead of "what day?", the kinds of treatment instead of "which treatment?" — and one more miss
 * after that brings a person or a message.
 */
function repair(t: Turn, asked: Pending | null, u: Understanding, unmoved: boolean): void {
  const s = t.s;
  // An answer that leaves the very question standing ("yes" to three offered times) is no answer.
  const again = t.prompt !== '' && !t.hangup && !t.transfer && asked !== null && s.pending === asked && asked !== 'anything-else' && asked !== 'message' && (!isAnswerToPending(asked, u) || unmoved);
  s.repeats = again ? (s.repeats ?? 0) + 1 : 0;
  if ((s.repeats ?? 0) < 2) return;
  const task = s.task;
  const lead = t.said.filter((x) => !/^(?:Sorry, I didn't catch that\.|Still there\?)$/.test(x));
  t.said.length = 0;
  t.said.push(...lead);
  if (s.repeats === 2 && s.pending === 'when' && task && (task.kind === 'book' || task.kind === 'reschedule') && (task.serviceId || task.kind === 'reschedule')) {
    t.said.push('Let me suggest the earliest times I have.');
    task.when = { asap: true, text: 'the earliest times' };
    advance(t, task);
    return;
  }
  if (s.repeats === 2 && s.pending === 'choose' && task && 'offers' in task && task.offers && task.offers.length > 1) {
    const list = t.ctx.phr.offers(task.offers.map((o) => o.start));
    t.ask('choose', `${list.charAt(0).toUpperCase()}${list.slice(1)}. Just say the first, the second or the last one, or another day that suits you.`);
    return;
  }
  if (s.repeats === 2 && s.pending === 'which-service' && task?.kind === 'book' && task.choices && task.choices.length > 1) {
    // Torn between kinds of one treatment: what sets them apart, not the whole catalogue.
    const choices = task.choices.flatMap((id) => t.ctx.tools.service(id) ?? []);
    t.said.push(`${choices.map((x) => `${x.name} is ${x.priceText} and takes about ${x.durationMin} minutes`).join('; ')}.`);
    t.ask('which-service', `Which would you like, ${t.ctx.phr.list(choices.map((x) => x.name))}?`);
    return;
  }
  if (s.repeats === 2 && (s.pending === 'service' || s.pending === 'which-service')) {
    // One treatment of each kind, by its name: the kinds themselves are the catalogue's words.
    const firsts = new Map<string, string>();
    for (const x of t.ctx.tools.services()) if (!firsts.has(x.category)) firsts.set(x.category, x.name);
    t.ask('service', `We offer treatments such as ${t.ctx.phr.list([...firsts.values()], 'and')}. Which would you like?`);
    return;
  }
  s.repeats = 0;
  t.said.push("I'm sorry, I'm not getting this right.");
  if (spoken(t) && t.ctx.canTransfer && t.ctx.tools.openNow()) {
    t.said.push('Let me connect you with our front desk.');
    t.prompt = '';
    t.transfer = true;
    s.outcomes.push({ kind: 'transfer' });
    return;
  }
  releaseHold(t);
  s.task = null;
  t.ask('message', 'Let me take a message for our team, and someone will get back to you. What would you like them to know?');
}

function offersOf(task: DialogState['task']): readonly unknown[] | undefined {
  return task && 'offers' in task ? task.offers : undefined;
}

function chosenIn(task: DialogState['task']): boolean {
  return task !== null && 'chosen' in task && task.chosen !== undefined;
}

function decide(t: Turn, state: DialogState, input: DialogInput): void {
  state.turns++;
  if (state.pending === 'urgent-check') {
    answerUrgentCheck(t, input);
    return;
  }
  if (input.kind === 'unclear') {
    // An answer to a check the recogniser could not take for one: the detail stands (the read-back
    // before booking still puts it to the caller) and the check is not asked again.
    const task = state.task;
    if (state.pending === 'check' && task && (task.kind === 'book' || task.kind === 'reschedule') && passCheck(t, task)) {
      advance(t, task);
      return;
    }
    onUnclear(t);
    return;
  }
  if (input.kind === 'silence' || input.u.text.trim() === '') {
    onSilence(t);
    return;
  }
  const u = input.u;
  // A which-topic question is answered by the very next turn or not at all.
  const topicChoice = t.s.topicChoice;
  t.s.topicChoice = undefined;
  // A yes said over a read-back the caller never heard to its question is no yes to it.
  const asked = t.s.lastPrompt;
  if (input.heard?.interrupted && asked && !input.heard.heardText.includes(asked.split(/(?<=[.!?])\s/)[0] ?? asked)) t.cutOffBeforeQuestion = true;
  for (const i of u.intents) if (!state.wanted.includes(i) && i !== 'thanks' && i !== 'greeting' && i !== 'goodbye') state.wanted.push(i);
  // A name said plainly ("my name is ...", "this is ...") replaces the one before: the caller may
  // be someone else than who spoke first (identity.ts then asks again). "I'm ...", "it's ..." give
  // the first one ("hey it's Olivia Grant, can I move my peel", "Olivia Grant here, ...").
  if (u.name && (/\b(?:my name|this is|name is)\b/.test(u.text) || (!state.name && (state.pending === 'name' || /\b(?:i'm|i am|it's|it is|its|here)\b/.test(u.text))))) state.name = u.name;

  if (SAYS_RETURNING.test(u.text)) t.s.saysReturning = true;

  if (u.intents.includes('urgent')) {
    onUrgent(t, u);
    return;
  }
  if (state.pending === 'message') {
    takeMessage(t, u);
    return;
  }
  // "Yes, call me back" answers the call back offer; it is not a request for the front desk.
  if (state.pending === 'offer-callback' && answerCallbackOffer(t, u)) {
    state.misses = 0;
    return;
  }
  // The code texted to them: its digits (or words with none) go to the identity check, never to
  // the intent guesses ("four eight two" is no booking).
  if (state.pending === 'code' && state.task && state.task.kind !== 'book' && state.task.kind !== 'message' && !u.intents.includes('human')) {
    continueTask(t, u);
    return;
  }
  if (u.intents.includes('human')) {
    handoff(t, u.providerId);
    return;
  }
  // A treatment had that turned out wrong is the nurse's, even asked as a question ("I got botox
  // 3 days ago and one eyebrow is way higher, is that normal?").
  const resultComplaint = u.intents.includes('complaint') && saysTreatmentHad(u.text.toLowerCase()) && aboutTreatmentResult(u);
  // An unsure reading is no complaint to pass on (misheard speech is not a grievance for the manager);
  // nor are words the recogniser itself doubted (mean confidence under SURE_WORDS: a narrowband
  // "could i get a hydrafacial on thursday" heard "however provider total should i want for you",
  // at 0.10, read as a complaint): not understood, so the caller says it again.
  const sure = (u.wordConfidence ?? 1) >= SURE_WORDS;
  if (((u.intents[0] === 'complaint' && !u.nlu?.unsure && sure) || resultComplaint) && !(state.pending && state.pending !== 'anything-else' && isAnswerToPending(state.pending, u))) {
    complaint(t, u);
    return;
  }
  if (saysGoodbye(u) && !u.yes && u.intents.every((i) => i === 'goodbye' || i === 'thanks')) {
    goodbye(t);
    return;
  }

  if (topicChoice && answerWhichTopic(t, u, topicChoice)) {
    state.misses = 0;
    t.ask('anything-else', spoken(t) ? ANYTHING_ELSE : 'Anything else I can help with?');
    return;
  }
  if (clarify(t, u)) return;

  // A day or time said while booking ("what about saturday then?") is about the visit, not a question for the knowledge base.
  const booking = state.task?.kind === 'book' || state.task?.kind === 'reschedule';
  const answersPending = (state.pending !== null && state.pending !== 'anything-else' && isAnswerToPending(state.pending, u)) || (booking && u.when !== undefined && u.services.length === 0);
  const understood = answerQuestions(t, u, answersPending) | startTasks(t, u) | continueTask(t, u);
  if (t.prompt || t.hangup || t.transfer) {
    state.misses = 0;
    return;
  }
  if (understood) {
    state.misses = 0;
    if (!t.prompt) t.ask('anything-else', spoken(t) ? ANYTHING_ELSE : 'Anything else I can help with?');
    return;
  }
  closing(t, u);
  return;
}


// ---------------------------------------------------------------- unsure

const INFO = ['price', 'duration', 'question', 'hours', 'location', 'payment'];

/** What each intent is, for a clarifying question. */
const CLARIFY: Partial<Record<string, string>> = {
  book: 'book an appointment',
  reschedule: 'move an appointment',
  cancel: 'cancel an appointment',
  'my-appointment': 'check on an appointment you have',
  price: 'know a price',
  duration: 'know how long a treatment takes',
  question: 'ask about a treatment or our policies',
  hours: 'know our hours',
  location: 'know where we are',
  payment: 'ask about payment',
  human: 'speak with someone on our team',
  complaint: 'tell us about a problem',
};

/**
 * Unsure between two readings of an opening request, with nothing in it to go on (no treatment,
 * no day), the receptionist asks which one instead of guessing — once: unsure again, it takes its
 * best reading.
 */
function clarify(t: Turn, u: Understanding): boolean {
  const s = t.s;
  const [a, b] = u.nlu?.ranked ?? [];
  const open = s.pending === null || s.pending === 'anything-else';
  // Two kinds of question are both answered from the knowledge base: nothing to ask.
  const bothQuestions = INFO.includes(a ?? '') && INFO.includes(b ?? '');
  if (!u.nlu?.unsure || !open || s.clarified || bothQuestions || u.services.length > 0 || u.when || !a || !b || !CLARIFY[a] || !CLARIFY[b]) {
    s.clarified = false;
    return false;
  }
  s.clarified = true;
  t.ask(null, `Just so I get it right: did you want to ${CLARIFY[a]}, or ${CLARIFY[b]}?`);
  return true;
}

// ---------------------------------------------------------------- silence, misses, closing

function onSilence(t: Turn): void {
  const s = t.s;
  s.misses++;
  if (s.misses >= MAX_MISSES) {
    goodbye(t, spoken(t) ? "I haven't heard anything, so I'll let you go. Please call back anytime." : 'Feel free to text us anytime.');
    return;
  }
  const again = s.lastPrompt && s.pending ? s.lastPrompt : HOW_CAN_I_HELP;
  t.ask(s.pending, `${spoken(t) ? STILL_THERE : 'Still there?'} ${again}`);
}

/** Too many misses: a person when one can take the call now, else a message. */
function giveUp(t: Turn, why: string): void {
  const s = t.s;
  t.said.push(why);
  if (spoken(t) && t.ctx.canTransfer && t.ctx.tools.openNow()) {
    t.said.push("Let me connect you with our front desk.");
    t.transfer = true;
    s.outcomes.push({ kind: 'transfer' });
    return;
  }
  s.task = null;
  t.ask('message', 'Let me take a message for our team. What would you like them to know?');
}

/**
 * The caller spoke but the recogniser could not take it for any answer the question allows (a
 * constrained turn's rejection): the question again, never a guess at yes or no.
 */
function onUnclear(t: Turn): void {
  const s = t.s;
  s.misses++;
  if (s.misses >= MAX_MISSES) {
    giveUp(t, "I'm sorry, I'm having trouble understanding.");
    return;
  }
  t.ask(s.pending, askAgain(s.lastPrompt && s.pending ? s.lastPrompt : HOW_CAN_I_HELP));
}

/** The last question asked again, with one apology however often it is asked ("Sorry, I didn't catch that. Sorry, ..." read as a stutter). */
function askAgain(lastPrompt: string): string {
  return `${SORRY} ${lastPrompt.startsWith(SORRY) ? lastPrompt.slice(SORRY.length).trimStart() : lastPrompt}`;
}

const SORRY = "Sorry, I didn't catch that.";

function goodbye(t: Turn, lead = ''): void {
  const s = t.s;
  if (s.task && 'holdId' in s.task && s.task.holdId) t.ctx.tools.release(t.ctx.conversationId);
  s.task = null;
  s.done = true;
  s.pending = null;
  t.said.push(lead, spoken(t) ? `Thank you for calling ${t.ctx.spaName}. Have a wonderful day!` : `Thanks for contacting ${t.ctx.spaName}!`);
  t.hangup = true;
}

/** Words that end a call whatever else the model read ("thanks, bye", "that's all"). */
const GOODBYE_WORDS = /\b(?:bye|goodbye|good night|that's (?:all|it)|nothing else|all set|talk (?:to you )?later|take care|see (?:you|ya)|have a (?:good|great|nice|wonderful) (?:day|one|night|evening|weekend|afternoon))\b/;

/**
 * A goodbye that ends the conversation: the model's first reading, or a lesser one said in words
 * of parting. Not a goodbye the model only half read into misheard speech ("hi good i have a good
 * total ...").
 */
function saysGoodbye(u: Understanding): boolean {
  if (!u.intents.includes('goodbye')) return false;
  return u.nlu === undefined || u.nlu.intents[0] === 'goodbye' || GOODBYE_WORDS.test(u.text);
}

function closing(t: Turn, u: Understanding): void {
  const s = t.s;
  const ending = saysGoodbye(u) || (u.intents.includes('thanks') && (s.pending === 'anything-else' || s.pending === null) && !u.question);
  if (ending || (s.pending === 'anything-else' && declines(u))) {
    goodbye(t);
    return;
  }
  if (s.pending === 'anything-else' && agrees(u)) {
    t.ask(null, 'Sure, what can I help with?');
    return;
  }
  if (u.intents.includes('greeting') && s.misses === 0) {
    // A hello is no answer to a question the caller was asked (on a phone line, often misheard words).
    t.unanswered = s.pending !== null && s.pending !== 'anything-else';
    t.ask(null, 'Hi! How can I help you today?');
    return;
  }
  s.misses++;
  const offTopic = u.intents.includes('off-topic');
  if (s.misses >= MAX_MISSES) {
    giveUp(t, offTopic ? "I'm sorry, that's not something I can help with." : "I'm sorry, I'm having trouble understanding.");
    return;
  }
  if (offTopic) {
    // Nothing the spa does: a kind no, what it can do, and no note for staff.
    t.ask(
      null,
      spoken(t)
        ? "I'm sorry, that's not something we can help with here. I can book an appointment, answer questions about our treatments and prices, or take a message. What would you like to do?"
        : "Sorry, that's not something we can help with. I can help with booking, our treatments and prices, or take a message for the team. What would you like to do?",
    );
    return;
  }
  if (s.pending && s.lastPrompt) {
    t.ask(s.pending, askAgain(s.lastPrompt));
    return;
  }
  t.ask(
    null,
    spoken(t)
      ? "Sorry, I can't help with that, but I can book an appointment, answer questions about our treatments and prices, or take a message. What would you like to do?"
      : 'Sorry, I can help with booking, our treatments and prices, or take a message for the team. What would you like to do?',
  );
}

// ---------------------------------------------------------------- handoff, message

function handoff(t: Turn, providerId?: string): void {
  const s = t.s;
  if (s.task && 'holdId' in s.task && s.task.holdId) t.ctx.tools.release(t.ctx.conversationId);
  s.task = null;
  const who = providerId ? t.ctx.tools.providerName(providerId) : null;
  if (spoken(t) && t.ctx.canTransfer && t.ctx.tools.openNow()) {
    t.said.push(who ? `Of course. ${who} is often with clients, so I'm connecting you to our front desk, who can pass your message on.` : 'Of course. Connecting you to our front desk now.');
    t.transfer = true;
    s.outcomes.push({ kind: 'transfer' });
    s.done = true;
    return;
  }
  const why = who
    ? `${who} can't come to the phone right now,`
    : spoken(t)
      ? t.ctx.tools.openNow()
        ? 'No one at the front desk can pick up right now,'
        : "Our team isn't in right now,"
      : 'Happy to pass this to our team:';
  s.task = { kind: 'message', reason: 'handoff' };
  t.ask('message', spoken(t) ? `${why} but I can take a message and someone will call you back. What would you like me to pass on?` : `${why} what would you like me to tell them? Someone will get back to you.`);
}

/** A caller saying they have been a client before ("I'm a returning client", "I've had it here before"). */
const SAYS_RETURNING = /\b(?:returning (?:client|patient|customer)|existing (?:client|patient|customer)|(?:been|come) (?:here|there|in|to you(?: guys)?) before|(?:i'?ve|i have) (?:had|done|gotten) (?:it|this|that|them|\w+) (?:here |there |with you(?: guys)? )?before|(?:i'?m|i am) (?:already )?(?:a|one of your) (?:client|patient|regular)s?|not (?:a |my )?first time)\b/;

/** A complaint about money or service at the desk, not about how a treatment turned out. */
const NOT_A_RESULT = /\b(?:charg\w*|overcharg\w*|bill\w*|refund\w*|price\w*|cost\w*|paid|pay|rude|wait\w*|late|staff|receptionist|front desk|parking|phone)\b/;

/**
 * A complaint about how a treatment turned out ("my filler feels lumpy", "I got Botox 3 days ago
 * and one brow is higher", "my Botox didn't work"): a clinical follow-up for the nurse, who can
 * judge it, rather than the manager. (Signs of a complication went to onUrgent before this.)
 */
function aboutTreatmentResult(u: Understanding): boolean {
  const text = u.text.toLowerCase();
  return u.services.length > 0 && (saysTreatmentHad(text) || /\bmy\b/.test(text)) && !NOT_A_RESULT.test(text);
}

/**
 * Unhappy with a result, a bill, a wait: said sorry for, and passed to staff word for word (to the
 * nurse when it is how a treatment turned out).
 */
function complaint(t: Turn, u: Understanding): void {
  const s = t.s;
  const nurse = aboutTreatmentResult(u);
  const id = t.ctx.alert('message', nurse ? `Concern after a treatment, for the nurse: "${u.text}"` : `Complaint from the caller: "${u.text}"`);
  s.outcomes.push({ kind: 'message', alertId: id });
  if (nurse) t.said.push("I'm sorry to hear that. I've asked our nurse to look into it with you.");
  else t.said.push(spoken(t) ? "I'm really sorry to hear that. I've passed this on to our manager so they can make it right." : "I'm sorry to hear that. I've passed this on to our manager.");
  if (!s.phone && !s.callerPhone) {
    t.ask('phone', nurse ? 'What number should the nurse call you back on?' : 'What number should they call you back on?');
    return;
  }
  t.said.push(nurse ? 'They will call you back. If it turns into an emergency, call 911.' : 'Someone will call you back.');
  anythingElse(t);
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
  anythingElse(t);
}

/** Whether the words answer the question pending (a day to "when?", a yes or a no to a read-back). */
function isAnswerToPending(p: Pending, u: Understanding): boolean {
  switch (p) {
    case 'service':
    case 'which-service':
      return u.services.length > 0 || u.choice !== undefined;
    case 'when':
    case 'appointment-day':
      return u.when !== undefined;
    case 'choose':
    case 'which-appointment':
      return u.choice !== undefined || u.when !== undefined || u.yes || u.no;
    case 'name':
      return u.name !== undefined;
    case 'phone':
      return u.phone !== undefined;
    case 'code':
      return digitsIn(u.text) !== '';
    case 'confirm':
    case 'confirm-phone':
    case 'confirm-cancel':
    case 'offer-callback':
    case 'anything-else':
    case 'urgent-check':
      return u.yes || u.no;
    case 'message':
      return true;
    case 'check':
      return answersCheck(u);
  }
}

// ---------------------------------------------------------------- tasks

function startTasks(t: Turn, u: Understanding): number {
  const s = t.s;
  const has = (i: string): boolean => u.intents.includes(i as never);
  if (s.priceAsk && s.pending === 'service' && u.services.length > 0 && !has('book')) {
    s.priceAsk = false;
    sayPrices(t, [...u.services, ...(u.otherServices ?? [])]);
    s.pending = null;
    return 1;
  }
  if (s.durationAsk && s.pending === 'service' && u.services.length > 0 && !has('book')) {
    s.durationAsk = false;
    sayDurations(t, [...u.services, ...(u.otherServices ?? [])]);
    s.pending = null;
    return 1;
  }
  // An unsure reading does not switch tasks while the caller is answering the question asked
  // ("wednesday afternoon instead" to "what day works?" is an answer, not a new reschedule).
  const answering = s.pending !== null && s.pending !== 'anything-else' && isAnswerToPending(s.pending, u);
  if (u.nlu?.unsure && answering) return 0;
  // "A different day" while picking or confirming a new booking's time asks for another time for
  // it: the offers are declined, no appointment they already have is moved.
  if (has('reschedule') && s.task?.kind === 'book' && (s.pending === 'choose' || s.pending === 'confirm') && !HAS_APPOINTMENT.test(u.text)) {
    u.intents = u.intents.filter((i) => i !== 'reschedule');
    u.no = true;
    return 0;
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
  // A treatment named in a request, not in a question about it ("tell me about microneedling" is read
  // as a question though not worded as one): a question starts a booking only with a day in it.
  const asks = u.question || (has('question') && !has('book'));
  const wantsService = u.services.length > 0 && !has('price') && (!asks || u.when !== undefined) && s.pending !== 'which-appointment';
  // "My peel appointment is on Wednesday" answers who they are; it does not start a booking.
  const provingWho = (s.pending === 'name' || s.pending === 'appointment-day') && s.task !== null && s.task.kind !== 'book' && s.task.kind !== 'message';
  const bookingWords = (has('book') || wantsService) && (!provingWho || /\b(?:book|schedule|make an? appointment)\b/.test(u.text));
  if (bookingWords && (!s.task || s.task.kind === 'message' || (s.task.kind !== 'book' && s.task.kind !== 'reschedule'))) {
    s.task = { kind: 'book' };
    if (!s.wanted.includes('book')) s.wanted.push('book');
    s.pending = null;
    groupRequest(t, u);
    // "Can I book one?" right after asking about a treatment: that treatment.
    const recent = s.lastServices?.turn === s.turns - 1 ? s.lastServices.ids : [];
    if (u.services.length === 0 && recent.length > 0 && !/\b(?:different|another|other|else)\b/.test(u.text)) u.services = [...recent];
    return 1;
  }
  return 0;
}

/**
 * A booking for more than the caller ("for 3 people", "my sister and I"): one appointment is
 * booked on a call, so staff are asked to set up the others beside it, and the caller is told so.
 */
function groupRequest(t: Turn, u: Understanding): void {
  const n = partySize(u.text);
  if (n === 1 || t.s.groupNoted) return;
  t.s.groupNoted = true;
  const id = t.ctx.alert('message', `Group booking (${n > 1 ? `${n} people` : 'a group'}): "${u.text}"`);
  t.s.outcomes.push({ kind: 'message', alertId: id });
  t.said.push(`I can book your appointment now, and I've asked our team to call you to set up ${n === 2 ? 'the second one' : 'the others'} alongside it.`);
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
      anythingElse(t);
      return 1;
    }
    return 0;
  }
  switch (task.kind) {
    case 'reschedule':
      if (task.appointmentId === undefined) {
        // The day of the appointment they name to be identified is not the day they want instead.
        // A move counted from it ("an hour later", "same time next week") waits until it is found.
        const shift = s.pending !== 'appointment-day' && s.pending !== 'code' ? parseShift(u.text) : null;
        if (shift) {
          task.shift = shift;
          delete task.when;
        } else if (u.when && s.pending !== 'appointment-day' && s.pending !== 'code') {
          task.when = u.when;
          noteDoubt(t, task, u, 'when');
        }
        // "Switch my peel to a hydrafacial": which of the services named it becomes is known once
        // the appointment is.
        const named = [...u.services, ...(u.otherServices ?? [])];
        if (named.length > 0 && asksSwitch(u.text)) task.switchTo = named;
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
