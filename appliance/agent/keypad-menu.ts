// The receptionist by keypad, for calls its speech recogniser cannot hear (8 kHz phone audio with
// no Whisper model installed). Menus are built from the catalogue; slots come from booking/ like
// the spoken dialog's, and the outcome lands in the same dialog state, so the call gets the same
// summary. Pure over the tools, like dialog.ts.
import type { Service } from '../booking/types.js';
import type { DialogContext, Turn } from './dialog-turn.js';
import { bestSentences } from './knowledge.js';
import type { AgentAction, DialogState, Offer } from './types.js';
import { HOW_CAN_I_HELP } from './prompts.js';

export interface KeypadState {
  menu: 'main' | 'category' | 'service' | 'slot' | 'confirm';
  categories?: string[];
  services?: string[];
  serviceId?: string;
  requestedServiceId?: string;
  offers?: Offer[];
  chosen?: Offer;
  /** Misses in a row (wrong keys or silence). */
  misses: number;
}

type KeypadDialogState = DialogState & { keypad?: KeypadState };

const MAIN = 'To book an appointment, press 1. For our hours and address, press 2. To have our team call you back, press 3. For the front desk, press 0.';
const ORDINAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function keypadGreeting(greeting: string): string {
  const lead = greeting.endsWith(HOW_CAN_I_HELP) ? greeting.slice(0, -HOW_CAN_I_HELP.length) : greeting;
  return `${lead.trim()} ${MAIN}`;
}

/** The catalogue's kinds of treatment (at most nine: one key each), in catalogue order. */
export function categoriesOf(services: Service[]): { category: string; services: Service[] }[] {
  const by = new Map<string, Service[]>();
  for (const s of services) by.set(s.category, [...(by.get(s.category) ?? []), s]);
  return [...by.entries()].map(([category, list]) => ({ category, services: list })).slice(0, 9);
}

/**
 * A kind of treatment as callers know it: up to three of its treatments, by their short names
 * and one per first word ("Laser Hair Removal or IPL Photofacial", not the small and the large area).
 */
export function categoryLabel(services: Service[], list: (items: string[]) => string): string {
  const names: string[] = [];
  const firsts = new Set<string>();
  for (const s of services) {
    const name = (s.name.split(/[,(]/)[0] ?? s.name).trim();
    const first = name.split(' ')[0]?.toLowerCase() ?? name;
    if (firsts.has(first) || names.length >= 3) continue;
    firsts.add(first);
    names.push(name);
  }
  return list(names);
}

function menuOf(items: string[]): string {
  return items.map((label, i) => `For ${label}, press ${i + 1}.`).join(' ');
}

/** One key press; `key` null = no input. Mutates `state`. */
export function keypadTurn(state: KeypadDialogState, key: string | null, t: Turn, ctx: DialogContext, services: Service[]): void {
  const k = (state.keypad ??= { menu: 'main', misses: 0 });
  state.turns++;
  const missesBefore = k.misses;
  let missed = false;
  const again = (why: string): void => {
    missed = true;
    k.misses = missesBefore + 1;
    if (k.misses >= 3) {
      state.done = true;
      t.hangup = true;
      t.said.push(`${why} Please call back anytime, or call during opening hours to speak with our team. Goodbye!`);
      return;
    }
    t.said.push(why);
    t.prompt = promptFor(k, ctx, services);
  };
  if (key === null) return again("I didn't hear a key.");
  if (key === '*') {
    Object.assign(k, { menu: 'main', misses: 0 });
    t.prompt = MAIN;
    return;
  }
  pressKey(state, k, key, t, ctx, services, again);
  if (!missed) k.misses = 0;
}

function pressKey(state: KeypadDialogState, k: KeypadState, key: string, t: Turn, ctx: DialogContext, services: Service[], again: (why: string) => void): void {
  switch (k.menu) {
    case 'main':
      return mainKey(state, k, key, t, ctx, services, again);
    case 'category': {
      const cat = categoriesOf(services)[Number(key) - 1];
      if (!cat) return again("Sorry, that's not one of the choices.");
      if (cat.services.length === 1) return chooseService(state, k, cat.services[0] as Service, t, ctx);
      k.services = cat.services.map((s) => s.id).slice(0, 9);
      k.menu = 'service';
      t.prompt = promptFor(k, ctx, services);
      return;
    }
    case 'service': {
      const svc = ctx.tools.service(k.services?.[Number(key) - 1] ?? '');
      if (!svc) return again("Sorry, that's not one of the choices.");
      return chooseService(state, k, svc, t, ctx);
    }
    case 'slot': {
      if (key === '9' && k.offers?.length) {
        const last = k.offers[k.offers.length - 1] as Offer;
        return offer(state, k, t, ctx, last.start + 60_000);
      }
      const chosen = k.offers?.[Number(key) - 1];
      if (!chosen || !k.serviceId) return again("Sorry, that's not one of the times.");
      if (!ctx.tools.hold(k.serviceId, chosen, ctx.conversationId)) {
        t.said.push('Sorry, that time was just taken.');
        return offer(state, k, t, ctx, ctx.tools.now());
      }
      k.chosen = chosen;
      k.menu = 'confirm';
      t.prompt = promptFor(k, ctx, services);
      return;
    }
    case 'confirm': {
      if (key === '2') return offer(state, k, t, ctx, ctx.tools.now());
      if (key !== '1' || !k.chosen || !k.serviceId) return again("Sorry, that's not one of the choices.");
      const client = ctx.tools.client(state.callerPhone);
      const appt = ctx.tools.book({
        serviceId: k.serviceId,
        offer: k.chosen,
        phone: state.callerPhone ?? '',
        name: client?.name ?? '',
        source: ctx.source,
        holder: ctx.conversationId,
        notes: k.requestedServiceId ? `Interested in ${ctx.tools.service(k.requestedServiceId)?.name ?? k.requestedServiceId}; booked by keypad` : 'Booked by keypad',
      });
      if (!appt) {
        t.said.push('Sorry, that time was just taken.');
        return offer(state, k, t, ctx, ctx.tools.now());
      }
      state.outcomes.push({ kind: 'booked', appointmentId: appt.id });
      Object.assign(k, { menu: 'main', offers: undefined, chosen: undefined });
      t.said.push(`You're all set for ${ctx.phr.fullWhen(appt.start)}. Our team will text you a confirmation.`);
      t.prompt = `${MAIN} Or simply hang up.`;
      return;
    }
  }
}

function mainKey(state: KeypadDialogState, k: KeypadState, key: string, t: Turn, ctx: DialogContext, services: Service[], again: (why: string) => void): void {
  switch (key) {
    case '1':
      if (!state.wanted.includes('book')) state.wanted.push('book');
      if (!state.callerPhone) {
        const id = ctx.alert('message', 'Caller with a withheld number wants to book (keypad call)');
        state.outcomes.push({ kind: 'message', alertId: id });
        t.said.push("I can't see the number you're calling from, so I can't book by keypad. I've asked our team to help; please call back during opening hours.");
        t.prompt = MAIN;
        return;
      }
      k.menu = 'category';
      t.prompt = promptFor(k, ctx, services);
      return;
    case '2': {
      state.wanted.push('hours', 'location');
      const hours = ctx.knowledge.search('opening hours open', 5).find((h) => h.entry.topic === 'hours');
      const where = ctx.knowledge.search('address parking directions', 5).find((h) => h.entry.topic === 'location');
      for (const h of [hours, where]) {
        if (!h) continue;
        t.said.push(bestSentences(h.entry.body, 'open hours address parking', 2));
        state.outcomes.push({ kind: 'answered', topic: h.entry.id });
      }
      t.prompt = MAIN;
      return;
    }
    case '0':
      if (!state.wanted.includes('human')) state.wanted.push('human');
      if (ctx.canTransfer && ctx.tools.openNow()) {
        t.said.push('Connecting you to our front desk now.');
        t.transfer = true;
        state.outcomes.push({ kind: 'transfer' });
        return;
      }
      // Nobody to transfer to: a call back.
      return callBack(state, t, ctx);
    case '3':
      if (!state.wanted.includes('human')) state.wanted.push('human');
      return callBack(state, t, ctx);
    default:
      return again("Sorry, that's not one of the choices.");
  }
}

function callBack(state: KeypadDialogState, t: Turn, ctx: DialogContext): void {
  if (!state.callerPhone) {
    t.said.push("I can't see the number you're calling from. Please call back during opening hours to reach our team.");
    t.prompt = MAIN;
    return;
  }
  const id = ctx.alert('message', 'Caller asked to be called back (keypad call)');
  state.outcomes.push({ kind: 'message', alertId: id });
  t.said.push("Our team will call you back at the number you're calling from.");
  t.prompt = `${MAIN} Or simply hang up.`;
}

function chooseService(state: KeypadDialogState, k: KeypadState, svc: Service, t: Turn, ctx: DialogContext): void {
  k.serviceId = svc.id;
  delete k.requestedServiceId;
  const client = ctx.tools.client(state.callerPhone);
  const consult = svc.consultFirst && svc.consultServiceId ? ctx.tools.service(svc.consultServiceId) : undefined;
  if (consult && (!client || client.isNew)) {
    k.requestedServiceId = svc.id;
    k.serviceId = consult.id;
    t.said.push(`First-time ${svc.name} clients start with a free consultation with our nurse practitioner, so I'll find you one of those.`);
  }
  offer(state, k, t, ctx, ctx.tools.now());
}

function offer(state: KeypadDialogState, k: KeypadState, t: Turn, ctx: DialogContext, from: number): void {
  const later = ctx.tools.earliest({ serviceId: k.serviceId ?? '', from, count: 3, holder: ctx.conversationId });
  if (later.length === 0) {
    const id = ctx.alert('no-availability', `No openings found for ${ctx.tools.service(k.serviceId ?? '')?.name ?? k.serviceId} (keypad call)`);
    state.outcomes.push({ kind: 'message', alertId: id });
    t.said.push("I'm sorry, I don't see any openings soon. Our team will call you to find a time.");
    Object.assign(k, { menu: 'main' });
    t.prompt = MAIN;
    return;
  }
  k.offers = later;
  k.menu = 'slot';
  t.prompt = promptFor(k, ctx, []);
}

function promptFor(k: KeypadState, ctx: DialogContext, services: Service[]): string {
  switch (k.menu) {
    case 'main':
      return MAIN;
    case 'category':
      return menuOf(categoriesOf(services).map((c) => categoryLabel(c.services, (items) => ctx.phr.list(items))));
    case 'service':
      return menuOf((k.services ?? []).map((id) => ctx.tools.service(id)?.name ?? id));
    case 'slot':
      return `${(k.offers ?? []).map((o, i) => `For ${ctx.phr.when(o.start)}, press ${ORDINAL_KEYS[i] ?? ''}.`).join(' ')} For later times, press 9.`;
    case 'confirm': {
      const svc = ctx.tools.service(k.serviceId ?? '');
      const c = k.chosen;
      if (!svc || !c) return MAIN;
      return `To book ${svc.name} with ${ctx.tools.providerName(c.providerId)} on ${ctx.phr.fullWhen(c.start)} for the number you're calling from, press 1. To choose another time, press 2.`;
    }
  }
}

/** The action for a finished keypad turn: keys are the expected input. */
export function keypadAction(t: Turn): AgentAction {
  const a = t.action();
  return { ...a, expect: 'digits' };
}
