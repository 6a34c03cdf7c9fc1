// Scores an understanding against labelled utterances: intent accuracy, slot precision / recall /
// F1, urgent recall and precision, and the misses by kind, so the bench, the CLI and the tests all
// count the same way. Pure: the understanding arrives as a function.
import type { Understanding } from '../types.js';
import type { CorpusSlots, CorpusUtterance } from './corpus.js';

export interface SlotPair {
  key: string;
  value: string;
}

export interface UtteranceResult {
  u: CorpusUtterance;
  predicted: string[];
  intentOk: boolean;
  goldSlots: SlotPair[];
  predictedSlots: SlotPair[];
  urgentPredicted: boolean;
}

export interface Evaluation {
  n: number;
  intentAccuracy: number;
  slot: { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number };
  /** Per slot key: [tp, fp, fn]. */
  perSlot: Record<string, [number, number, number]>;
  urgent: { recall: number; precision: number; missed: string[]; falseAlarms: string[] };
  /** Per gold intent: [right, total]. */
  perIntent: Record<string, [number, number]>;
  results: UtteranceResult[];
}

const hm = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** The slots an Understanding holds, in the corpus's terms. */
export function slotsOf(u: Understanding): CorpusSlots {
  const s: CorpusSlots = {};
  const services = [...new Set([...u.services, ...(u.otherServices ?? [])])];
  if (services.length > 0) s.service = services;
  if (u.providerId) s.provider = u.providerId;
  const w = u.when;
  if (w) {
    // A span ("next week", "this weekend") is no one day: the corpus labels none.
    if (w.day && (w.days ?? 1) <= 1) s.day = w.day;
    if (w.asap) s.asap = true;
    if (w.part) s.part = w.part;
    if (w.targetMin !== undefined) s.time = hm(w.targetMin);
    else if (w.clock && w.fromMin !== undefined && w.toMin !== undefined) {
      if (w.fromMin > 0) s.time = hm(w.fromMin);
      else if (w.toMin < 1440) s.time = hm(w.toMin);
    }
  }
  if (u.name) s.name = u.name;
  if (u.phone) s.phone = u.phone;
  if (u.choice !== undefined) s.choice = u.choice;
  return s;
}

/** Slots as comparable pairs; a service list is one value (the set, sorted). Names compare case-blind. */
export function slotPairs(s: CorpusSlots): SlotPair[] {
  const out: SlotPair[] = [];
  for (const [key, v] of Object.entries(s)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? [...(v as string[])].sort().join('+') : key === 'name' ? String(v).toLowerCase() : String(v);
    out.push({ key, value });
  }
  return out;
}

export function evaluate(list: readonly CorpusUtterance[], understand: (u: CorpusUtterance) => Understanding): Evaluation {
  const results: UtteranceResult[] = [];
  const perSlot: Record<string, [number, number, number]> = {};
  const perIntent: Record<string, [number, number]> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let right = 0;
  for (const c of list) {
    const u = understand(c);
    const predicted = u.nlu?.intents ?? u.intents;
    const intentOk = (c.intents as string[]).includes(predicted[0] ?? '');
    if (intentOk) right++;
    const gold = c.intents[0] ?? '';
    const pi = (perIntent[gold] ??= [0, 0]);
    pi[1]++;
    if (intentOk) pi[0]++;
    const goldSlots = slotPairs(c.slots);
    const predictedSlots = slotPairs(slotsOf(u));
    for (const p of predictedSlots) {
      const row = (perSlot[p.key] ??= [0, 0, 0]);
      if (goldSlots.some((g) => g.key === p.key && g.value === p.value)) {
        tp++;
        row[0]++;
      } else {
        fp++;
        row[1]++;
      }
    }
    for (const g of goldSlots) {
      if (!predictedSlots.some((p) => p.key === g.key && p.value === g.value)) {
        fn++;
        (perSlot[g.key] ??= [0, 0, 0])[2]++;
      }
    }
    results.push({ u: c, predicted, intentOk, goldSlots, predictedSlots, urgentPredicted: u.intents.includes('urgent') });
  }
  const urgentGold = results.filter((r) => r.u.intents.includes('urgent'));
  const urgentPred = results.filter((r) => r.urgentPredicted);
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return {
    n: list.length,
    intentAccuracy: right / Math.max(1, list.length),
    slot: { precision, recall, f1: (2 * precision * recall) / Math.max(1e-9, precision + recall), tp, fp, fn },
    perSlot,
    perIntent,
    urgent: {
      recall: urgentGold.filter((r) => r.urgentPredicted).length / Math.max(1, urgentGold.length),
      precision: urgentPred.filter((r) => r.u.intents.includes('urgent')).length / Math.max(1, urgentPred.length),
      missed: urgentGold.filter((r) => !r.urgentPredicted).map((r) => r.u.text),
      falseAlarms: urgentPred.filter((r) => !r.u.intents.includes('urgent')).map((r) => r.u.text),
    },
    results,
  };
}

/** Each intent miss, slot miss (-gold, +extra) and urgent miss or false alarm, one line each, for reading. */
export function missLines(ev: Evaluation): string[] {
  const lines = ev.results.filter((x) => !x.intentOk).map((r) => `INTENT ${r.u.intents.join('+')} -> ${r.predicted.join('+')} [${r.u.after}] ${r.u.text}`);
  for (const r of ev.results) {
    const miss = r.goldSlots.filter((g) => !r.predictedSlots.some((p) => p.key === g.key && p.value === g.value)).map((g) => `-${g.key}=${g.value}`);
    const extra = r.predictedSlots.filter((p) => !r.goldSlots.some((g) => g.key === p.key && g.value === p.value)).map((p) => `+${p.key}=${p.value}`);
    if (miss.length + extra.length > 0) lines.push(`SLOT ${[...miss, ...extra].join(' ')} [${r.u.after}] ${r.u.text}`);
  }
  for (const t of ev.urgent.missed) lines.push(`URGENT MISSED ${t}`);
  for (const t of ev.urgent.falseAlarms) lines.push(`URGENT FALSE ${t}`);
  return lines;
}
