// Questions in a caller's turn: prices and durations from the catalogue, everything else from the
// spa's knowledge base (knowledge.ts); a question torn between two entries is asked back, and one
// nothing answers is left for staff, unless it is likelier misheard speech. Split from dialog.ts.
import { bestSentences, type KnowledgeIndex } from './knowledge.js';
import type { Intent, Understanding } from './types.js';
import type { KnowledgeEntry } from '../booking/types.js';
import { spoken, type TopicChoice, type Turn } from './dialog-turn.js';
import { SURE_WORDS } from './slot-confidence.js';
import { DateTime, Info } from 'luxon';
import { spokenClock, spokenDay } from './phrasing.js';
import { wallMinutes } from '../booking/zone-time.js';

/**
 * Answers the questions in this turn. Returns 1 when it answered something. `answersPending`: the
 * words answer the question pending, so a question in them is not a free one.
 */
export function answerQuestions(t: Turn, u: Understanding, answersPending: boolean): number {
  const { ctx, s } = t;
  let answered = 0;
  const has = (i: Intent): boolean => u.intents.includes(i);
  // Several questions at once get shorter answers each.
  const maxSentences = (spoken(t) ? 2 : 3) - ((u.asks?.length ?? 0) > 1 ? 1 : 0);
  const named = [...u.services, ...(u.otherServices ?? [])];
  // The treatment being booked, else the one asked about in the turn before ("how long does Botox
  // last?" then "and how much is it?").
  const booking = s.task && 'serviceId' in s.task && s.task.serviceId ? [s.task.serviceId] : [];
  const current = booking.length > 0 ? booking : s.lastServices?.turn === s.turns - 1 ? s.lastServices.ids : [];
  // Named now, or asked about again (its price after its description): still the one talked of.
  const about = named.length > 0 ? named : (has('price') || has('duration')) && booking.length === 0 ? current : [];
  if (about.length > 0) s.lastServices = { ids: about, turn: s.turns };
  if (has('price')) {
    const ids = named.length > 0 ? named : current;
    if (ids.length > 0) {
      sayPrices(t, ids);
      answered = 1;
    } else if (!has('book')) {
      s.priceAsk = true;
      t.ask('service', 'Which treatment would you like the price for?');
      return 1;
    }
  }
  if (has('duration')) {
    const ids = named.length > 0 ? named : current;
    if (ids.length > 0) {
      sayDurations(t, ids);
      answered = 1;
    } else if (!has('book') && !t.prompt) {
      s.durationAsk = true;
      t.ask('service', 'Which treatment would you like to know about?');
      return 1;
    }
  }
  // Each of several questions is looked up in its own words ("... and do you have parking?").
  const words = (i: Intent): string => u.asks?.filter((a) => a.intent === i).map((a) => a.text).join('. ') || u.text;
  // A payment question no entry answers ("how do I check the balance?") is a question like any other.
  let unanswered = false;
  // A reading the model is unsure of, from words the recogniser doubted, is not answered as if
  // asked: on a call such turns were bookings misheard ("are those side of the hydro could offer",
  // read as where the spa is), answered with the address and the request lost. Not understood, the
  // caller says it again.
  const guessed = spoken(t) && (u.nlu?.unsure ?? false) && !sureWords(u);
  // The hours of a team member ("is Jordan ever in on weekends") are theirs, not the spa's.
  const theirHours = !guessed && has('hours') && u.providerId !== undefined && (sayProviderDay(t, u) || sayProviderWeek(t, u));
  if (theirHours) answered = 1;
  for (const [intent, topics] of [
    ['hours', theirHours ? null : ['hours']],
    ['location', ['location']],
    ['payment', null],
  ] as const) {
    if (!has(intent) || guessed || (intent === 'hours' && theirHours)) continue;
    const lookUp = (text: string) => (topics ? ctx.knowledge.answer(text, { topics }) : ctx.knowledge.answer(text));
    // Its own words, else the whole turn's (the rest may say what it is about).
    const own = words(intent);
    const hit = lookUp(own) ?? (own === u.text ? null : lookUp(u.text));
    if (hit) {
      readAnswer(t, hit.entry, own, maxSentences);
      answered = 1;
    } else unanswered = true;
  }
  const handled = u.intents.some((i) => i !== 'greeting' && i !== 'thanks');
  const freeQuestion = (has('question') || (unanswered && answered === 0) || (u.question && !handled)) && !answersPending;
  if (freeQuestion && (sayProviderDay(t, u) || sayProviderWeek(t, u))) return 1;
  if (freeQuestion) {
    // A question that names no treatment is about the one being booked (the one asked for, when a
    // consultation is booked first) or the one just described ("does it hurt?").
    const asked = s.task && 'requestedServiceId' in s.task && s.task.requestedServiceId ? [s.task.requestedServiceId] : [];
    const described = s.lastTopic?.turn === s.turns - 1 && s.lastTopic.id.startsWith('service:') ? [s.lastTopic.id.slice('service:'.length)] : [];
    // One of several questions is asked in its own words, about the treatments the turn names.
    // Its own words, else the whole turn's ("I need to cancel, am I gonna get hit with the fee":
    // the fee is the cancellation's).
    const own = words('question');
    const about = [...asked, ...current, ...described];
    // A part alone has less to go on ("which should come first?"): only a sure answer is taken from it.
    const mine = own === u.text ? null : ctx.knowledge.consult(own, { about: [...named, ...about] });
    const sure = mine && 'hit' in mine && mine.hit.score >= PART_SURE_P ? mine : null;
    const q = sure ? own : u.text;
    const found = sure ?? ctx.knowledge.consult(u.text, { about });
    // Torn, but one of the two is what the last turn answered ("what about late on thursdays?"
    // after the opening hours): a follow-up on it, as a receptionist would take it.
    const followed = found && 'torn' in found && s.lastTopic?.turn === s.turns - 1 ? found.torn.find((e) => e.id === s.lastTopic?.id) : undefined;
    const compared = found && 'hit' in found ? comparedServices(t, u, found.hit.entry) : [];
    if (compared.length > 1) {
      // "What's the difference between the signature and the deluxe?": each one said, as asked.
      for (const e of compared) t.said.push(`${e.title}. ${bestSentences(e.body, u.text, 1)}`);
      t.s.outcomes.push({ kind: 'answered', topic: compared[0]?.id ?? '' });
      answered = 1;
    } else if (found && 'hit' in found) {
      readAnswer(t, found.hit.entry, q, maxSentences);
      answered = 1;
    } else if (found && !s.narrowband && sureWords(u)) {
      if (followed) readAnswer(t, followed, q, maxSentences);
      else askWhichTopic(t, q, found.torn);
      answered = 1;
    } else if (forStaff(u, ctx.knowledge) && !s.narrowband && sureWords(u) && !(spoken(t) && s.misses > 0)) {
      // About the spa, but nothing in the knowledge base answers it: never guess. On a narrowband
      // call such a "question" is far likelier misheard speech (3 of the 12 tuning calls of the
      // hearing bench), and so are words the recogniser itself doubted ("that all art all her
      // what" for "the deluxe hydrafacial"): not understood (asked again, then with keys), not
      // garbled words for staff. So is a spoken "question" right after a turn not understood: far
      // likelier the caller's request misheard again ("what's your address" heard "what are your
      // that", then "what are up") than a new question, and a note for staff would end the request
      // unanswered; asked again, the caller gets the keypad menu (hours, address, prices) too.
      leaveForStaff(t, u.text);
      answered = 1;
    }
  }
  return answered;
}

/** How sure the knowledge base must be of an answer to one of several questions, read in its own words alone. */
const PART_SURE_P = 0.5;

/** Asking whether a team member is in: "is Maya working Saturday", "will Sophie be there Friday". */
const IS_IN = /\b(?:work(?:s|ing)?|in|there|around|available|off|schedule[sd]?)\b/i;

/**
 * Whether a named team member works on a named day, from the calendar (their hours, closures, time
 * off), which knows it: no knowledge entry does, and no note for staff is needed. True when said.
 */
function sayProviderDay(t: Turn, u: Understanding): boolean {
  const day = u.when?.day;
  if (!u.providerId || !day || u.when?.days || !IS_IN.test(u.text)) return false;
  const found = t.ctx.tools.providerDay(u.providerId, day);
  if (!found) return false;
  const zone = t.ctx.tools.zone();
  const who = t.ctx.tools.providerName(u.providerId).split(' ')[0] ?? '';
  const named = spokenDay(DateTime.fromISO(day, { zone }), DateTime.fromMillis(t.ctx.tools.now(), { zone }));
  const when = named === 'today' || named === 'tomorrow' ? named : `on ${named}`;
  const clock = (hhmm: string): string => {
    const m = wallMinutes(hhmm);
    return spokenClock(Math.floor(m / 60), m % 60);
  };
  if (!found.hours) t.said.push(`${who} isn't in ${when}.`);
  else if (found.partly) t.said.push(`${who} is in ${when} for part of the day, between ${clock(found.hours.start)} and ${clock(found.hours.end)}.`);
  else t.said.push(`${who} works ${when} from ${clock(found.hours.start)} to ${clock(found.hours.end)}.`);
  return true;
}

/** Asking which days a team member works: "does Sophie work Fridays", "what days is Maya in", "is Jordan around on weekends". */
const WHICH_DAYS = /\b(?:what|which) days?\b|\bwhen (?:is|does) \w+(?: \w+)? (?:usually |normally )?(?:in|there|work|working|around|available)\b|\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends?|weekdays|evenings|schedule)\b/i;

/**
 * Which days a named team member usually works, from their hours in the calendar (no knowledge
 * entry says it, and no note for staff is needed). True when said.
 */
function sayProviderWeek(t: Turn, u: Understanding): boolean {
  if (!u.providerId || (u.when?.day && !u.when.days) || !WHICH_DAYS.test(u.text)) return false;
  const week = t.ctx.tools.providerWeek(u.providerId);
  if (!week) return false;
  const who = t.ctx.tools.providerName(u.providerId).split(' ')[0] ?? '';
  const { phr } = t.ctx;
  if (week.length === 0) t.said.push(`${who} has no regular days with us at the moment.`);
  else t.said.push(`${who} usually works ${phr.list(week.map((d) => `${Info.weekdays('long')[d.weekday - 1] ?? ''} from ${phr.clock(wallMinutes(d.start))} until ${phr.clock(wallMinutes(d.end))}`), 'and')}.`);
  return true;
}

/** Asking how treatments differ, or which to pick. */
const COMPARES = /\b(?:difference|differ|different|compare|compared|comparison|versus|vs|better|which (?:one|is)|or the)\b/;

/**
 * The descriptions of the treatments a question compares (two or three named, and it asks how they
 * differ or which is better) or names with one word that fits them all ("what is the HydraFacial?":
 * the Signature and the Deluxe), when the answer found is one of them; else none.
 */
function comparedServices(t: Turn, u: Understanding, answer: KnowledgeEntry): KnowledgeEntry[] {
  if (!answer.id.startsWith('service:')) return [];
  const ids = u.services.length > 1 ? [...u.services] : COMPARES.test(u.text) ? [...new Set([...u.services, ...(u.otherServices ?? [])])] : [];
  if (ids.length < 2 || ids.length > 3) return [];
  // The plainer (cheaper) one first, as the choice between them is asked.
  const price = (id: string): number => t.ctx.tools.service(id)?.priceCents ?? Number.MAX_SAFE_INTEGER;
  return ids.sort((a, b) => price(a) - price(b)).flatMap((id) => t.ctx.knowledge.entry(`service:${id}`) ?? []);
}

/** An entry's answer to the question, remembered for a follow-up in the next turn. */
function readAnswer(t: Turn, entry: KnowledgeEntry, question: string, maxSentences: number): void {
  t.said.push(bestSentences(entry.body, question, maxSentences));
  t.s.outcomes.push({ kind: 'answered', topic: entry.id });
  t.s.lastTopic = { id: entry.id, turn: t.s.turns };
}

/** Requests that start a task the receptionist carries out (a reply to the which-topic question that makes one is that request). */
const TASKS: readonly Intent[] = ['book', 'reschedule', 'cancel', 'my-appointment'];

/** Words the recogniser did not doubt (text has no word confidences: always sure). */
function sureWords(u: Understanding): boolean {
  return (u.wordConfidence ?? 1) >= SURE_WORDS;
}

/** A question nothing in the knowledge base answers: a note for staff, and the caller told so. */
function leaveForStaff(t: Turn, question: string): void {
  const id = t.ctx.alert('question', `Question the receptionist could not answer: "${question}"`);
  t.s.outcomes.push({ kind: 'unknown-question', alertId: id });
  t.said.push(
    spoken(t)
      ? "That's a good question, and I don't want to guess. I've left a note for our team, and someone will follow up with you."
      : "I don't have that answer, so I've asked our team to follow up with you.",
  );
}

/**
 * A question torn between two knowledge entries ("can I drink before or after Botox?"): asked
 * which one is meant, instead of a guess or a note for staff (KnowledgeIndex.consult).
 */
function askWhichTopic(t: Turn, question: string, pair: readonly [KnowledgeEntry, KnowledgeEntry]): void {
  t.s.topicChoice = { ids: pair.map((e) => e.id), question };
  const about = (e: KnowledgeEntry): string => e.title.charAt(0).toLowerCase() + e.title.slice(1);
  t.ask(null, `Just so I answer the right thing: is that about ${about(pair[0])}, or ${about(pair[1])}?`);
}

/**
 * The reply to askWhichTopic's question: the entry it picks is read for the question first asked
 * (true). A reply that picks neither and asks nothing else leaves the question for staff (true); a
 * new request is handled as one (false).
 */
export function answerWhichTopic(t: Turn, u: Understanding, offered: TopicChoice): boolean {
  // "Actually, can I book Botox?" is a new request, even if it shares a word with an entry's title.
  if (u.intents.some((i) => TASKS.includes(i))) return false;
  const entries = offered.ids.flatMap((id) => t.ctx.knowledge.entry(id) ?? []);
  const picked = t.ctx.knowledge.picked(u.text, entries);
  if (picked) {
    readAnswer(t, picked, `${offered.question} ${u.text}`, spoken(t) ? 2 : 3);
    return true;
  }
  if (u.intents.some((i) => i !== 'thanks' && i !== 'greeting')) return false;
  leaveForStaff(t, offered.question);
  return true;
}


/** How long each of up to three services takes. */
export function sayDurations(t: Turn, ids: string[]): void {
  for (const id of ids.slice(0, 3)) {
    const svc = t.ctx.tools.service(id);
    if (svc) t.said.push(`${svc.name} takes about ${svc.durationMin} minutes.`);
    t.s.outcomes.push({ kind: 'answered', topic: `duration:${id}` });
  }
}

/** The catalogue's price wording for up to three services. */
export function sayPrices(t: Turn, ids: string[]): void {
  for (const id of ids.slice(0, 3)) {
    const svc = t.ctx.tools.service(id);
    if (svc) t.said.push(`${svc.name} is ${svc.priceText}.`);
    t.s.outcomes.push({ kind: 'answered', topic: `price:${id}` });
  }
}


/**
 * An unanswered question worth a note for staff: about the spa (asked as a question, near an
 * entry, or naming a treatment), and none of
 * - off-topic among its two likeliest readings with none of the spa's treatments or people named
 *   ("whats 17 x 23", "do you do teeth whitening"): the kind no comes instead;
 * - not worded as a question (or read as one only unsurely) with not one word the knowledge base,
 *   catalogue or team knows ("blah blah"): not understood ("do you do Kybella?" is worded as a
 *   question, and staff hear of it);
 * - read beside a booking, move, cancellation or look-up the receptionist carries out itself: the
 *   request's own wording ("I blanked on when I'm supposed to come in").
 */
function forStaff(u: Understanding, knowledge: KnowledgeIndex): boolean {
  const has = (i: Intent): boolean => u.intents.includes(i);
  const aboutSpa = has('question') || knowledge.search(u.text, 1).length > 0 || u.services.length > 0;
  const namesNothing = u.services.length === 0 && !u.providerId;
  const elsewhere = (has('off-topic') || (u.nlu?.ranked.slice(0, 2).includes('off-topic') ?? false)) && namesNothing;
  const meaningless = (!u.question || (u.nlu?.unsure ?? false)) && namesNothing && !knowledge.knowsAnyWord(u.text);
  const task = u.intents[0] !== undefined && TASKS.includes(u.intents[0]);
  return aboutSpa && !elsewhere && !meaningless && !task;
}
