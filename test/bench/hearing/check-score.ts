// Scoring the receptionist's slot checks on heard utterances (the hearing bench): each key slot
// (service, day, time, provider) the understanding took from what the recogniser heard gets the
// confidence of its words (appliance/agent/slot-confidence.ts); below the threshold it would be
// checked with the caller ("Was that lip filler?"). Counted: how often a check is asked (the cost),
// how many wrong slot values a check catches and how many pass unchecked, and the key-slot accuracy
// after repair when the caller's answer to the check is heard right (a wrong value caught is then
// replaced by the right one; a right one checked is kept). Pure: understanding and confidences
// arrive as functions.
import type { SlotConfidence, Understanding } from '../../../appliance/agent/types.js';
import type { CorpusUtterance } from '../../../appliance/agent/nlu/corpus.js';
import { evaluate } from '../../../appliance/agent/nlu/evaluate.js';
import { KEY_SLOTS, type KeySlot } from './nlu-score.js';

const SLOT_OF: Record<KeySlot, keyof SlotConfidence> = { service: 'service', day: 'when', time: 'when', provider: 'provider' };

export interface CheckScore {
  lines: number;
  /** Lines in which at least one check would be asked. */
  linesChecked: number;
  /** Checks asked (one per slot kind and line: day and time are one "when" check). */
  checks: number;
  keySlots: number;
  /** Key slots right as heard (before any check). */
  rightAsHeard: number;
  /** Key slots right after repair, the check's answer heard right. */
  rightAfterRepair: number;
  /** Wrong slot values (another value, or one the line does not have) that a check caught / that passed unchecked. */
  wrongCaught: number;
  wrongUnchecked: number;
  /** Right values checked anyway (a question the caller did not need). */
  rightChecked: number;
}

export interface HeardLine {
  u: CorpusUtterance;
  heard: string;
}

/** Scores slot checks at `threshold` over lines heard; `confidence` gives each understanding's slot confidences. */
export function scoreChecks(items: readonly HeardLine[], understand: (u: CorpusUtterance, heard: string) => Understanding, confidence: (item: HeardLine, u: Understanding) => SlotConfidence | undefined, threshold: number): CheckScore {
  const byLine = new Map(items.map((i) => [i.u, i]));
  const understood = new Map<CorpusUtterance, Understanding>();
  const ev = evaluate(
    items.map((i) => i.u),
    (u) => {
      const got = understand(u, byLine.get(u)?.heard ?? '');
      understood.set(u, got);
      return got;
    },
  );
  const s: CheckScore = { lines: ev.n, linesChecked: 0, checks: 0, keySlots: 0, rightAsHeard: 0, rightAfterRepair: 0, wrongCaught: 0, wrongUnchecked: 0, rightChecked: 0 };
  for (const r of ev.results) {
    const item = byLine.get(r.u);
    const got = understood.get(r.u);
    const conf = item && got ? confidence(item, got) : undefined;
    const checkedKinds = new Set<string>();
    for (const k of KEY_SLOTS) {
      const gold = r.goldSlots.find((g) => g.key === k);
      const heard = r.predictedSlots.find((p) => p.key === k);
      if (!gold && !heard) continue;
      const c = heard ? conf?.[SLOT_OF[k]] : undefined;
      const checked = heard !== undefined && c !== undefined && c < threshold;
      if (checked) checkedKinds.add(SLOT_OF[k]);
      const right = gold !== undefined && heard?.value === gold.value;
      if (gold) {
        s.keySlots++;
        if (right) s.rightAsHeard++;
        // Caught: the caller says no and gives it again (heard right). A slot not heard at all is not checked.
        if (right || (checked && heard !== undefined)) s.rightAfterRepair++;
      }
      if (heard && !right) {
        if (checked) s.wrongCaught++;
        else s.wrongUnchecked++;
      } else if (right && checked) s.rightChecked++;
    }
    s.checks += checkedKinds.size;
    if (checkedKinds.size > 0) s.linesChecked++;
  }
  return s;
}
