// The caller-utterance corpus: what callers, texters and chat visitors say, labelled with what they
// want (intents), the knowledge entry that answers them (topics) and the facts they give (slots).
// Written by people apart from the code (test/nlu/corpus/), split once into train / dev / test
// (test/nlu/split/): train fits the models, dev tunes thresholds, test is only ever measured.
import { seededRandom } from '../../shared/random.js';
import { INTENTS } from '../types.js';

/** The dialog's intents, and the kinds of answer to its questions (yes, no, a day, a fix). */
export const CORPUS_INTENTS = [...INTENTS, 'yes', 'no', 'maybe', 'correction', 'inform'] as const;
export type CorpusIntent = (typeof CORPUS_INTENTS)[number];

/** What the receptionist had just asked when the utterance was said. */
export const CONTEXTS = ['open', 'service', 'when', 'choose', 'name', 'phone', 'confirm', 'anything-else'] as const;
export type UtteranceContext = (typeof CONTEXTS)[number];

export interface CorpusSlots {
  service?: string[];
  provider?: string;
  /** YYYY-MM-DD in the spa's zone, for the corpus's reference day. */
  day?: string;
  part?: 'morning' | 'afternoon' | 'evening';
  /** HH:MM, 24 h. */
  time?: string;
  asap?: true;
  name?: string;
  phone?: string;
  choice?: number;
}

export interface CorpusUtterance {
  text: string;
  intents: CorpusIntent[];
  after: UtteranceContext;
  slots: CorpusSlots;
  /** Knowledge entry ids, `service:<id>`, or `unknown`. */
  topics: string[];
  /** Where it came from: `author:line`. */
  source: string;
}

/** The corpus's "now": Tuesday 1 December 2026, 10:00 in the spa's zone. */
export const CORPUS_NOW_LOCAL = '2026-12-01T10:00';

export interface CorpusIds {
  services: readonly string[];
  providers: readonly string[];
  knowledge: readonly string[];
}

export class CorpusError extends Error {
  readonly code = 'SPA_ERR_CORPUS';
}

const TOPIC_INTENTS: readonly string[] = ['question', 'hours', 'location', 'payment'];

/** Parses one JSONL file of the corpus; every bad line is an error naming file and line. */
export function parseCorpus(jsonl: string, source: string, ids: CorpusIds): CorpusUtterance[] {
  const out: CorpusUtterance[] = [];
  const problems: string[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const at = `${source}:${i + 1}`;
    try {
      out.push(parseLine(JSON.parse(line) as unknown, at, ids));
    } catch (e) {
      problems.push(`${at}: ${e instanceof SyntaxError ? 'not JSON' : (e as Error).message}`);
    }
  });
  if (problems.length > 0) throw new CorpusError(`corpus has ${problems.length} bad lines:\n${problems.slice(0, 20).join('\n')}`);
  return out;
}

function parseLine(raw: unknown, at: string, ids: CorpusIds): CorpusUtterance {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not an object');
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!['text', 'intents', 'after', 'slots', 'topics', 'from'].includes(k)) throw new Error(`unknown field ${k}`);
  if (typeof r.text !== 'string' || r.text.trim() === '') throw new Error('text missing');
  const intents = r.intents;
  if (!Array.isArray(intents) || intents.length === 0 || intents.some((x) => !(CORPUS_INTENTS as readonly unknown[]).includes(x))) throw new Error('intents must be a non-empty list of known intents');
  const after = r.after ?? 'open';
  if (!(CONTEXTS as readonly unknown[]).includes(after)) throw new Error(`after must be one of ${CONTEXTS.join('|')}`);
  const topics = r.topics ?? [];
  if (!Array.isArray(topics) || topics.some((t) => typeof t !== 'string' || !(ids.knowledge.includes(t) || t === 'unknown' || (t.startsWith('service:') && ids.services.includes(t.slice(8)))))) {
    throw new Error('topics must be knowledge ids, service:<id> or unknown');
  }
  if ((intents as string[]).some((x) => TOPIC_INTENTS.includes(x)) !== topics.length > 0) throw new Error('topics go with question, hours, location or payment, and only with them');
  const slots = (r.slots ?? {}) as Record<string, unknown>;
  if (typeof slots !== 'object' || Array.isArray(slots)) throw new Error('slots must be an object');
  const s: CorpusSlots = {};
  for (const [k, v] of Object.entries(slots)) {
    switch (k) {
      case 'service':
        if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !ids.services.includes(x))) throw new Error('service must be a list of service ids');
        s.service = v as string[];
        break;
      case 'provider':
        if (typeof v !== 'string' || !ids.providers.includes(v)) throw new Error('provider must be a provider id');
        s.provider = v;
        break;
      case 'day':
        if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(v)) throw new Error('day must be YYYY-MM-DD');
        s.day = v;
        break;
      case 'part':
        if (v !== 'morning' && v !== 'afternoon' && v !== 'evening') throw new Error('part must be morning|afternoon|evening');
        s.part = v;
        break;
      case 'time':
        if (typeof v !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) throw new Error('time must be HH:MM');
        s.time = v;
        break;
      case 'asap':
        if (v !== true) throw new Error('asap must be true');
        s.asap = true;
        break;
      case 'name':
        if (typeof v !== 'string' || v.trim() === '') throw new Error('name must be text');
        s.name = v;
        break;
      case 'phone':
        if (typeof v !== 'string' || !/^\+1\d{10}$/.test(v)) throw new Error('phone must be +1 and 10 digits');
        s.phone = v;
        break;
      case 'choice':
        if (v !== 0 && v !== 1 && v !== 2 && v !== -1) throw new Error('choice must be 0|1|2|-1');
        s.choice = v;
        break;
      default:
        throw new Error(`unknown slot ${k}`);
    }
  }
  return { text: r.text, intents: intents as CorpusIntent[], after: after as UtteranceContext, slots: s, topics: topics as string[], source: typeof r.from === 'string' ? r.from : at };
}

export interface CorpusSplit {
  train: CorpusUtterance[];
  dev: CorpusUtterance[];
  test: CorpusUtterance[];
}

/**
 * Splits once, stratified by the first intent: in each intent's shuffled list, 60% train, 20% dev,
 * 20% test (rounded so small intents still get a dev and a test line). Deterministic per seed.
 */
export function splitCorpus(all: readonly CorpusUtterance[], seed = 20261206): CorpusSplit {
  const rand = seededRandom(seed);
  const by = new Map<string, CorpusUtterance[]>();
  for (const u of all) {
    const k = u.intents[0] ?? 'none';
    by.set(k, [...(by.get(k) ?? []), u]);
  }
  const split: CorpusSplit = { train: [], dev: [], test: [] };
  for (const k of [...by.keys()].sort()) {
    const list = [...(by.get(k) ?? [])];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j] as CorpusUtterance, list[i] as CorpusUtterance];
    }
    const nTest = Math.max(1, Math.round(list.length * 0.2));
    const nDev = Math.max(1, Math.round(list.length * 0.2));
    split.test.push(...list.slice(0, nTest));
    split.dev.push(...list.slice(nTest, nTest + nDev));
    split.train.push(...list.slice(nTest + nDev));
  }
  return split;
}

/** One corpus line as JSONL, without its source (the split files are what later runs read). */
export function toJsonl(list: readonly CorpusUtterance[]): string {
  return list
    .map((u) => {
      const o: Record<string, unknown> = { text: u.text, intents: u.intents };
      if (u.after !== 'open') o.after = u.after;
      if (Object.keys(u.slots).length > 0) o.slots = u.slots;
      if (u.topics.length > 0) o.topics = u.topics;
      o.from = u.source;
      return JSON.stringify(o);
    })
    .join('\n') + '\n';
}
