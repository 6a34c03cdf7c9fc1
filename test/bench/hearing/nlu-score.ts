// Scoring the understanding of what the recogniser heard (the hearing-nlu bench): intent accuracy
// as the understanding bench counts it (the top intent is one of the line's), and key-slot accuracy:
// of the line's service, day, time and provider slots, the share understood with the right value
// (a slot missed or given another value is wrong), and apart, key slots understood that the line
// does not have. Pure: the understanding arrives as a function.
import type { Understanding } from '../../../appliance/agent/types.js';
import type { CorpusUtterance } from '../../../appliance/agent/nlu/corpus.js';
import { evaluate } from '../../../appliance/agent/nlu/evaluate.js';

export const KEY_SLOTS = ['service', 'day', 'time', 'provider'] as const;
export type KeySlot = (typeof KEY_SLOTS)[number];

export interface HeardScore {
  lines: number;
  intentAccuracy: number;
  /** Right key slots / key slots in the lines. */
  keySlotAccuracy: number;
  keySlots: number;
  /** Per key: [right, in the lines, understood but not in the line]. */
  perKey: Record<KeySlot, [number, number, number]>;
  /** Key slots understood that the line does not have (or has with another value counted once, as wrong). */
  extraKeySlots: number;
  misses: string[];
}

/** Scores `understand(line, heard)` over lines, each with the text the recogniser heard for it. */
export function scoreHeard(items: readonly { u: CorpusUtterance; heard: string }[], understand: (u: CorpusUtterance, heard: string) => Understanding): HeardScore {
  const heardOf = new Map(items.map((i) => [i.u, i.heard]));
  const ev = evaluate(
    items.map((i) => i.u),
    (u) => understand(u, heardOf.get(u) ?? ''),
  );
  const perKey = Object.fromEntries(KEY_SLOTS.map((k) => [k, [0, 0, 0]])) as unknown as Record<KeySlot, [number, number, number]>;
  const misses: string[] = [];
  let extra = 0;
  for (const r of ev.results) {
    const wrong: string[] = [];
    for (const k of KEY_SLOTS) {
      const gold = r.goldSlots.find((g) => g.key === k);
      const got = r.predictedSlots.find((p) => p.key === k);
      if (gold) {
        perKey[k][1]++;
        if (got?.value === gold.value) perKey[k][0]++;
        else wrong.push(`${k}=${gold.value}->${got?.value ?? '-'}`);
      } else if (got) {
        perKey[k][2]++;
        extra++;
        wrong.push(`+${k}=${got.value}`);
      }
    }
    if (!r.intentOk) wrong.unshift(`intent ${r.u.intents.join('+')}->${r.predicted.join('+')}`);
    if (wrong.length > 0) misses.push(`${wrong.join(' ')} | said: ${r.u.text} | heard: ${heardOf.get(r.u) ?? ''}`);
  }
  const right = KEY_SLOTS.reduce((s, k) => s + perKey[k][0], 0);
  const total = KEY_SLOTS.reduce((s, k) => s + perKey[k][1], 0);
  return { lines: ev.n, intentAccuracy: ev.intentAccuracy, keySlotAccuracy: right / Math.max(1, total), keySlots: total, perKey, extraKeySlots: extra, misses };
}
