// Understanding with a local LLM (agent/llm) on top of the rules: the rules run first and always
// win; the model only fills what they missed — an intent, a service, a day or time, a name —
// chosen from enums the catalogue defines, within a hard time budget. Its yes/no is kept apart as
// a leaning for soft questions: a booking, a move or a cancellation is confirmed only by a yes the
// rules heard. Any failure (timeout, bad JSON, engine error) leaves the rules' result as it was.
// Slots and prices never come from here.
import type { Logger } from '../../log.js';
import type { JsonSchema, Llm } from '../llm/types.js';
import { INTENTS, type Intent, type Understanding } from '../types.js';
import type { Understander } from './index.js';
import { normalizeUtterance } from './normalize.js';
import { understandRules, type RulesContext } from './rules.js';
import { parseWhen } from './when.js';

const DAYS = ['today', 'tomorrow', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const PARTS = ['morning', 'afternoon', 'evening'] as const;

const SYSTEM =
  'You read what a caller said to a med spa receptionist and fill in JSON. ' +
  'intent: what they want (book, reschedule, cancel, my-appointment, price, question, hours, location, human, urgent for worrying symptoms after a treatment, goodbye, thanks, greeting) or null. ' +
  'service: the id of the treatment they name, from the list given, or null. day, part_of_day, hour (24h): when they want to come, or null. ' +
  'yes / no: whether they agree or decline. name: their name when they give it, else null. Never invent what they did not say.';

export interface LlmUnderstanderDeps {
  llm: Llm;
  log: Logger;
  /** Hard budget per turn; past it the rules' result stands. A function is read on every turn (a setting changed while the box runs). */
  budgetMs: number | (() => number);
  /** What the model adds to (default: the rules alone); the receptionist's learned understanding in the box. */
  base?: Understander;
}

interface LlmAnswer {
  intent: Intent | null;
  service: string | null;
  day: (typeof DAYS)[number] | null;
  part_of_day: (typeof PARTS)[number] | null;
  hour: number | null;
  yes: boolean;
  no: boolean;
  name: string | null;
}

export function understandingSchema(serviceIds: readonly string[]): JsonSchema {
  return {
    type: 'object',
    properties: {
      intent: { enum: [...INTENTS, null] },
      service: { enum: [...serviceIds, null] },
      day: { enum: [...DAYS, null] },
      part_of_day: { enum: [...PARTS, null] },
      hour: { oneOf: [{ type: 'integer', minimum: 7, maximum: 21 }, { type: 'null' }] },
      yes: { type: 'boolean' },
      no: { type: 'boolean' },
      name: { oneOf: [{ type: 'string', maxLength: 40 }, { type: 'null' }] },
    },
  };
}

/** Checks the model's value field by field against what the schema allowed; null when it does not fit. Pure. */
export function readAnswer(value: unknown, serviceIds: readonly string[]): LlmAnswer | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const inEnum = <T extends string>(x: unknown, list: readonly T[]): x is T => typeof x === 'string' && (list as readonly string[]).includes(x);
  if (v.intent !== null && !inEnum(v.intent, INTENTS)) return null;
  if (v.service !== null && !inEnum(v.service, serviceIds)) return null;
  if (v.day !== null && !inEnum(v.day, DAYS)) return null;
  if (v.part_of_day !== null && !inEnum(v.part_of_day, PARTS)) return null;
  if (v.hour !== null && !(typeof v.hour === 'number' && Number.isInteger(v.hour) && v.hour >= 7 && v.hour <= 21)) return null;
  if (typeof v.yes !== 'boolean' || typeof v.no !== 'boolean') return null;
  if (v.name !== null && !(typeof v.name === 'string' && [...v.name].length <= 40)) return null;
  return v as unknown as LlmAnswer;
}

/** Merges the model's answer into the rules' result: only where the rules found nothing. Pure. */
export function mergeAnswer(rules: Understanding, a: LlmAnswer, ctx: Pick<RulesContext, 'now' | 'zone' | 'expectingName'>): Understanding {
  const u: Understanding = { ...rules, intents: [...rules.intents] };
  if (u.intents.length === 0 && a.intent) u.intents.push(a.intent);
  if (u.services.length === 0 && a.service) u.services = [a.service];
  if (!u.when && (a.day || a.part_of_day || a.hour !== null)) {
    const phrase = [a.day, a.part_of_day, a.hour !== null ? `at ${a.hour}:00` : null].filter(Boolean).join(' ');
    const when = parseWhen(normalizeUtterance(phrase), ctx.now, ctx.zone);
    if (when) {
      u.when = { ...when, text: rules.text };
      u.whenFromLlm = true;
    }
  }
  // Never u.yes / u.no: those confirm bookings, moves and cancellations.
  if (!u.yes && !u.no && a.yes !== a.no) u.leaning = a.yes ? 'yes' : 'no';
  if (ctx.expectingName && !u.name && a.name) {
    const words = a.name.replace(/[^\p{L}' -]/gu, ' ').trim().split(/\s+/).filter(Boolean).slice(0, 3);
    // Only a name the caller actually said.
    if (words.length > 0 && words.every((w) => rules.text.includes(w.toLowerCase()))) u.name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(' ');
  }
  return u;
}

export class LlmUnderstander implements Understander {
  readonly name: string;

  constructor(private readonly deps: LlmUnderstanderDeps) {
    this.name = `${deps.base?.name ?? 'rules'} + ${deps.llm.name}`;
  }

  async understand(text: string, ctx: RulesContext): Promise<Understanding> {
    const rules = this.deps.base ? await this.deps.base.understand(text, ctx) : understandRules(text, ctx);
    const serviceIds = ctx.services.ids();
    try {
      const r = await this.deps.llm.generateJson({
        system: SYSTEM,
        prompt: `Treatments: ${serviceIds.join(', ')}.\nCaller: ${rules.text}`,
        schema: understandingSchema(serviceIds),
        maxTokens: 96,
        timeoutMs: typeof this.deps.budgetMs === 'function' ? this.deps.budgetMs() : this.deps.budgetMs,
      });
      const answer = readAnswer(r.value, serviceIds);
      if (!answer) {
        this.deps.log.debug('LLM answer outside the schema; using the rules alone');
        return rules;
      }
      return mergeAnswer(rules, answer, ctx);
    } catch (err) {
      this.deps.log.debug({ err }, 'LLM understanding failed; using the rules alone');
      return rules;
    }
  }
}
