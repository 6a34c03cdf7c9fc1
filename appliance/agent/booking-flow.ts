// Booking and rescheduling: gather what is missing (service, day, choice of slot, name, number),
// offer only slots booking/ returned, hold the chosen one, read it back, and book or move after
// a clear yes.
import { DateTime } from 'luxon';
import { money } from './phrasing.js';
import type { BookTask, Offer, Understanding, WhenSpec } from './types.js';
import { agrees, anythingElse, declines, releaseHold, spoken, type Turn } from './dialog-turn.js';
import { owns } from './identity.js';
import { ANYTHING_ELSE, ASK_NAME, CONFIRM_CALLER_NUMBER, WHICH_TREATMENT } from './prompts.js';
import { askCheck, noteDoubt, takeCheckAnswer } from './slot-check.js';
import { WEEKDAY_WORD } from './understand/days.js';
import { parseShift } from './understand/shift.js';
import { asksSwitch } from './understand/switch.js';

function clearOffers(t: Turn, task: BookTask): void {
  releaseHold(t);
  delete task.offers;
  delete task.chosen;
}


/** A weekday said alone ("tuesday morning"), with nothing that places it in a week of its own. */
const BARE_WEEKDAY = new RegExp(String.raw`\b${WEEKDAY_WORD}\b`);
const PLACES_WEEK = /\b(?:next|this|coming|following|after|week|weekend|tomorrow|today|tonight|\d{1,2}(?:st|nd|rd|th)|january|february|march|april|may|june|july|august|september|october|november|december)\b|\d+\/\d+/;

/**
 * The day a weekday said alone stands for within the span asked for before ("the week after next",
 * then "tuesday morning": that week's Tuesday, not this one), when the span holds one; else null.
 */
function weekdayInSpan(old: WhenSpec, next: WhenSpec): string | null {
  if (!old.day || !old.days || old.days < 2 || !next.day || next.days || next.anyOf) return null;
  const said = next.text.toLowerCase();
  if (!BARE_WEEKDAY.test(said) || PLACES_WEEK.test(said)) return null;
  const weekday = DateTime.fromISO(next.day).weekday;
  const start = DateTime.fromISO(old.day);
  for (let i = 0; i < old.days; i++) {
    const d = start.plus({ days: i });
    if (d.weekday === weekday) return d.toISODate();
  }
  return null;
}

function mergeWhen(old: WhenSpec | undefined, next: WhenSpec): WhenSpec {
  if (!old) return next;
  const merged: WhenSpec = { ...next };
  const inSpan = weekdayInSpan(old, next);
  if (inSpan) merged.day = inSpan;
  const hasTod = next.fromMin !== undefined || next.toMin !== undefined || next.targetMin !== undefined;
  if (!hasTod && next.day && !next.asap) {
    if (old.fromMin !== undefined) merged.fromMin = old.fromMin;
    if (old.toMin !== undefined) merged.toMin = old.toMin;
  }
  if (!next.day && !next.asap && hasTod && old.day) {
    merged.day = old.day;
    if (old.days) merged.days = old.days;
    if (old.anyOf) merged.anyOf = old.anyOf;
  }
  return merged;
}

/** The offers that fit what the caller said of the time ("the afternoon one", "the 2:30", "Thursday"). */
function offersFitting(t: Turn, offers: readonly Offer[], w: WhenSpec): Offer[] {
  return offers.filter((o) => {
    const { day, minute } = t.ctx.tools.localTime(o.start);
    if (w.day && w.day !== day) return false;
    if (w.targetMin !== undefined && w.targetMin !== minute && w.targetMin !== minute + 12 * 60 && w.targetMin + 12 * 60 !== minute) return false;
    if (w.fromMin !== undefined && minute < w.fromMin) return false;
    if (w.toMin !== undefined && minute >= w.toMin) return false;
    return true;
  });
}

/** Which offer the caller picked: by ordinal, by time ("the 2:30"), by day ("Thursday"), or a yes to the only or the earliest one. */
function pickOffer(t: Turn, task: BookTask, offers: Offer[], u: Understanding): Offer | undefined {
  if (u.choice !== undefined) return u.choice < 0 ? offers[offers.length - 1] : offers[u.choice];
  if (u.when) {
    const fits = offersFitting(t, offers, u.when);
    if (fits.length === 1) return fits[0];
    return undefined;
  }
  if (agrees(u) && offers.length === 1) return offers[0];
  // Asked for the earliest time, a plain "sure" to the times offered takes the earliest of them
  // (the read-back still confirms it).
  if (agrees(u) && task.when?.asap) return offers[0];
  return undefined;
}

export function booking(t: Turn, task: BookTask, u: Understanding): number {
  const { s } = t;
  let used = 0;
  const pending = s.pending;

  // The answer to a check of a slot heard with low confidence: kept, dropped (asked for again) or
  // replaced by the value in the answer (taken below, as any correction).
  const checked = pending === 'check' ? takeCheckAnswer(t, task, u) : null;
  if (pending === 'check' && checked === null) return 0;
  if (checked === 'kept' || checked === 'dropped') {
    advance(t, task);
    return 1;
  }
  const checking = checked === 'replaced';

  // "Actually, can I make it a hydrafacial?" while moving an appointment: it becomes that treatment.
  let switched = false;
  if (task.kind === 'reschedule' && task.appointmentId !== undefined && asksSwitch(u.text)) {
    const from = task.switchedFrom ?? t.ctx.tools.appointment(task.appointmentId).serviceId;
    const to = [...u.services, ...(u.otherServices ?? [])].filter((id) => id !== from);
    if (to.length > 0) {
      clearOffers(t, task);
      switchService(task, from, to);
      noteDoubt(t, task, u, 'service');
      switched = true;
      used = 1;
    }
  }
  // Service: set, corrected, or chosen among candidates.
  if ((task.kind === 'book' || task.switchedFrom !== undefined) && !switched) {
    if (pending === 'which-service' && task.choices && u.choice !== undefined) {
      const id = u.choice < 0 ? task.choices[task.choices.length - 1] : task.choices[u.choice];
      if (id) u = { ...u, services: [id] };
    }
    const mayChangeService = !task.serviceId || checking || pending === 'service' || pending === 'which-service' || u.correction || (u.intents.includes('book') && !u.intents.includes('price'));
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
          noteDoubt(t, task, u, 'service');
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
    noteDoubt(t, task, u, 'provider');
    clearOffers(t, task);
    used = 1;
  } else if (u.anyProvider && task.providerId) {
    delete task.providerId;
    clearOffers(t, task);
    used = 1;
  }

  // Choosing among the offers, or a new time instead.
  if (pending === 'choose' && task.offers && !task.chosen) {
    const pick = pickOffer(t, task, task.offers, u);
    const among = !pick && u.when && !u.correction ? offersFitting(t, task.offers, u.when) : [];
    if (pick) {
      task.chosen = pick;
      used = 1;
    } else if (among.length > 1 && among.length < task.offers.length) {
      // "The afternoon one" of 9 AM, 1:15 PM and 4:30 PM: the two that fit, not a new search.
      task.offers = among;
      t.ask('choose', `${t.ctx.phr.offers(among.map((o) => o.start))}. Which would you like?`.replace(/^./, (c) => c.toUpperCase()));
      return 1;
    } else if (declines(u) && !u.when) {
      clearOffers(t, task);
      delete task.when;
      used = 1;
      t.ask('when', 'No problem. What other day or time would work for you?');
      return used;
    }
  }
  // Moving an appointment: "an hour later", "same time next week" are counted from it.
  const shift = task.kind === 'reschedule' && task.appointmentId !== undefined ? parseShift(u.text) : null;
  if (shift && task.appointmentId !== undefined) u = { ...u, when: t.ctx.tools.shifted(t.ctx.tools.appointment(task.appointmentId).start, shift, u.text) };
  if (u.when && !(pending === 'choose' && task.chosen)) {
    // Asked for a name with a time picked, another day instead ("what about saturday then") is a change too.
    const instead = pending === 'name' && task.chosen !== undefined && !u.name;
    const changes = !task.when || checking || instead || pending === 'when' || pending === 'choose' || pending === 'confirm' || u.correction || u.intents.includes('book') || u.intents.includes('reschedule');
    if (changes) {
      task.when = mergeWhen(task.when, u.when);
      noteDoubt(t, task, u, 'when');
      clearOffers(t, task);
      used = 1;
    }
  }

  // Contact details.
  if (u.name && (pending === 'name' || !s.name || (u.correction && (pending === 'confirm' || checking)))) {
    s.name = u.name;
    used = 1;
  }
  if (u.name && s.name === u.name) noteDoubt(t, task, u, 'name');
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
    if (u.yes && t.cutOffBeforeQuestion) {
      // They said yes before hearing what they agree to: read it back once more.
      t.said.push('Just to be sure.');
      advance(t, task);
      return 1;
    }
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
export function advance(t: Turn, task: BookTask): void {
  const { s, ctx, ctx: { phr } } = t;
  if ((task.kind === 'book' || task.switchedFrom !== undefined) && !task.serviceId) {
    if (task.choices && task.choices.length > 1) {
      // The plainer (cheaper) one first: "the Signature or the Deluxe"; "the first one" picks it.
      const price = (id: string): number => ctx.tools.service(id)?.priceCents ?? Number.MAX_SAFE_INTEGER;
      task.choices = [...task.choices].sort((a, b) => price(a) - price(b) || a.localeCompare(b));
      const names = task.choices.map((id) => ctx.tools.service(id)?.name ?? id);
      t.ask('which-service', `Would that be ${phr.list(names)}?`);
    } else t.ask('service', WHICH_TREATMENT);
    return;
  }
  const svcId = task.serviceId ?? '';
  let svc = ctx.tools.service(svcId);
  if (!svc) {
    delete task.serviceId;
    t.ask('service', WHICH_TREATMENT);
    return;
  }
  // A service heard with low confidence is checked before anything is done with it.
  if (askCheck(t, task, ['service'])) return;
  // New clients start injectables with the good-faith exam. Asked again once the caller gives
  // their name: someone else on a returning client's phone is a new client.
  // A caller who says they have been before is looked up by name first, not told they are new.
  const waitForName = s.saysReturning === true && !s.name;
  if ((task.kind === 'book' || task.switchedFrom !== undefined) && svc.consultFirst && svc.consultServiceId && !task.requestedServiceId && !waitForName) {
    const consult = ctx.tools.service(svc.consultServiceId);
    if (!ctx.tools.returning(s.phone ?? s.callerPhone, s.name) && consult) {
      task.requestedServiceId = svc.id;
      task.serviceId = consult.id;
      // A time already picked (before the name told the caller is new) is tried for the consultation.
      const picked = task.chosen;
      clearOffers(t, task);
      if (picked) task.when = ctx.tools.shifted(picked.start, { minutes: 0 }, 'the time picked');
      t.said.push(
        s.saysReturning
          ? `I can't find a past visit under your name and this number, so I'll book the free consultation with our nurse practitioner that new ${svc.name} clients start with. If you've been in before, our team will change it to your ${svc.name}.`
          : spoken(t)
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
      if (askCheck(t, task, ['when', 'provider'])) return;
      const count = spoken(t) ? 2 : 3;
      // A move may take the appointment's own time for another treatment, not for the same one.
      const moving = task.kind === 'reschedule' ? task.appointmentId : undefined;
      const r = ctx.tools.offers({ serviceId: svc.id, providerId: task.providerId, when: task.when, count, holder: ctx.conversationId, ...(moving === undefined ? {} : { moving }) });
      if (moving !== undefined && !task.switchedFrom) {
        const own = ctx.tools.appointment(moving).start;
        const others = r.offers.filter((o) => o.start !== own);
        if (others.length === 0 && r.offers.length > 0) {
          delete task.when;
          t.ask('when', `Your ${svc.name} is already booked for ${phr.when(own)}. What other day or time would you like?`);
          return;
        }
        r.offers = others;
      }
      if (r.offers.length === 0) {
        const id = ctx.alert('no-availability', `No openings found for ${svc.name} near "${task.when.text}"`);
        s.outcomes.push({ kind: 'message', alertId: id });
        s.task = null;
        t.said.push(`I'm sorry, I don't see any openings for ${svc.name} around then. I've asked our team to reach out to find you a time.`);
        t.ask('anything-else', ANYTHING_ELSE);
        return;
      }
      task.offers = [...r.offers].sort((a, b) => a.start - b.start);
      r.offers = task.offers;
      const list = phr.offers(r.offers.map((o) => o.start));
      const gone = r.unavailable?.map((d) => phr.dayOfDate(d));
      // A time asked for and not free that day: said, before the nearest ones.
      const w = task.when;
      const asked = w.day && w.targetMin !== undefined ? ctx.tools.atLocal(w.day, w.targetMin) : null;
      const missed = asked !== null && !r.offers.some((o) => o.start === asked) ? `I'm sorry, ${phr.time(asked)} is taken that day, but ` : null;
      const lead = r.fits
        ? gone
          ? `I'm sorry, ${phr.list(gone, 'and')} ${gone.length > 1 ? 'are' : 'is'} fully booked, but ${list}.`
          : missed
            ? `${missed}${list}.`
            : `${list.charAt(0).toUpperCase()}${list.slice(1)}.`
        : `I'm sorry, ${closedNote(t, task.when) ?? `${describeWhen(t, task.when)} is fully booked`}. The closest ${list.replace(/^(on .*|today|tomorrow) I have/, 'I have are $1:').replace(/^I have/, 'I have are')}.`;
      t.said.push(lead);
      t.ask('choose', r.offers.length === 1 ? 'Would that work?' : 'Which would you like?');
      return;
    }
    t.ask('choose', `${phr.offers(task.offers.map((o) => o.start))}. Which would you like?`.replace(/^./, (c) => c.toUpperCase()));
    return;
  }
  if (!task.holdId) {
    const hold = ctx.tools.hold(svc.id, task.chosen, ctx.conversationId, task.kind === 'reschedule' ? task.appointmentId : undefined);
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
    // Always their own words: reading back the name on file for a number would tell whoever
    // holds (or forges) that number who the spa's client is.
    if (!s.name) {
      t.ask('name', spoken(t) ? ASK_NAME : "Great. What's your first and last name?");
      return;
    }
    if (!s.phone) {
      if (s.callerPhone && s.channel !== 'voice') {
        s.phone = s.callerPhone;
        s.phoneConfirmed = true;
      } else if (s.callerPhone) {
        t.ask('confirm-phone', CONFIRM_CALLER_NUMBER);
        return;
      } else {
        t.ask('phone', "What's the best phone number to reach you?");
        return;
      }
    }
  }
  if (askCheck(t, task, ['name'])) return;
  // Read back and ask for a clear yes.
  const provider = ctx.tools.providerName(task.chosen.providerId);
  if (task.kind === 'reschedule' && task.appointmentId !== undefined) {
    const old = ctx.tools.appointment(task.appointmentId);
    const was = task.switchedFrom ? ctx.tools.service(task.switchedFrom)?.name : undefined;
    t.ask(
      'confirm',
      was
        ? `To confirm, I'll change your ${was} on ${phr.when(old.start)} to ${phr.withArticle(svc.name)} on ${phr.fullWhen(task.chosen.start)} with ${provider}. Shall I go ahead?`
        : `To confirm, I'll move your ${svc.name} from ${phr.when(old.start)} to ${phr.fullWhen(task.chosen.start)} with ${provider}. Shall I go ahead?`,
    );
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
    const dayWord = w.anyOf ? w.anyOf.map((d) => phr.dayOfDate(d)).join(' or ') : w.days && w.days > 2 ? 'that week' : w.days === 2 ? 'that weekend' : phr.dayOfDate(w.day);
    const part = w.targetMin !== undefined ? '' : w.fromMin === 0 && w.toMin === 720 ? ' morning' : w.fromMin === 720 && w.toMin === 1020 ? ' afternoon' : w.fromMin === 1020 ? ' evening' : '';
    return `${dayWord}${part}`;
  }
  return 'that time';
}

/** Someone else took the slot between the read-back and the yes: offer again. */
function justTaken(t: Turn, task: BookTask): number {
  clearOffers(t, task);
  t.said.push('Sorry, that time was just taken.');
  advance(t, task);
  return 1;
}

function finishBooking(t: Turn, task: BookTask): number {
  const { s, ctx, ctx: { phr } } = t;
  const svc = ctx.tools.service(task.serviceId ?? '');
  const chosen = task.chosen;
  if (!svc || !chosen) return 0;
  if (task.kind === 'reschedule' && task.appointmentId !== undefined) {
    if (!owns(t, task.appointmentId)) {
      // They gave another name since they were identified: nothing moves until that person is.
      releaseHold(t);
      s.task = null;
      t.said.push("I'm sorry, I can only move an appointment for the person it belongs to.");
      anythingElse(t);
      return 1;
    }
    const moved = ctx.tools.move(task.appointmentId, chosen, ctx.source, ctx.conversationId, task.switchedFrom ? svc.id : undefined);
    if (!moved) return justTaken(t, task);
    s.outcomes.push({ kind: 'rescheduled', appointmentId: moved.id });
    s.task = null;
    const was = task.switchedFrom ? ctx.tools.service(task.switchedFrom)?.name : undefined;
    t.said.push(was ? `Done. Your ${was} is now ${phr.withArticle(svc.name)} on ${phr.fullWhen(moved.start)}.` : `Done. Your ${svc.name} is now ${phr.fullWhen(moved.start)}.`);
    anythingElse(t);
    return 1;
  }
  const interested = task.requestedServiceId ? `Interested in ${ctx.tools.service(task.requestedServiceId)?.name ?? task.requestedServiceId}` : '';
  const notes = interested && s.saysReturning ? `${interested}; says they are a returning client` : interested;
  const appt = ctx.tools.book({ serviceId: svc.id, offer: chosen, phone: s.phone ?? '', name: s.name ?? '', source: ctx.source, holder: ctx.conversationId, notes });
  if (!appt) return justTaken(t, task);
  s.outcomes.push({ kind: 'booked', appointmentId: appt.id });
  s.task = null;
  t.said.push(
    spoken(t)
      ? `You're all set for ${phr.fullWhen(appt.start)}. We'll send a text confirmation.`
      : `You're booked: ${svc.name} with ${ctx.tools.providerName(appt.providerId)}, ${phr.fullWhen(appt.start)}.`,
  );
  anythingElse(t);
  return 1;
}

/**
 * Makes a reschedule another treatment (`to`: the services named for it, several when the words fit
 * more than one, asked next). The provider is chosen again: theirs may not do the new one.
 */
export function switchService(task: BookTask, from: string, to: readonly string[]): void {
  task.switchedFrom = from;
  delete task.providerId;
  delete task.offers;
  delete task.chosen;
  if (to.length === 1) {
    task.serviceId = to[0] ?? from;
    delete task.choices;
  } else {
    delete task.serviceId;
    task.choices = [...to];
  }
}
