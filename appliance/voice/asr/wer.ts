// Word error rate: minimum substitutions + deletions + insertions turning the reference words into
// the hypothesis words (Levenshtein over words), divided by the number of reference words.

export interface WordErrors {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Words in the reference. */
  referenceWords: number;
}

/** Edit counts between two word sequences (already normalised: same case, no punctuation). */
export function wordErrors(reference: readonly string[], hypothesis: readonly string[]): WordErrors {
  const n = reference.length;
  const m = hypothesis.length;
  // cost[i][j] = best edit to turn reference[0..i) into hypothesis[0..j), kept with its S/D/I split.
  type Cell = { cost: number; s: number; d: number; i: number };
  let prev: Cell[] = Array.from({ length: m + 1 }, (_v, j) => ({ cost: j, s: 0, d: 0, i: j }));
  for (let i = 1; i <= n; i++) {
    const row: Cell[] = [{ cost: i, s: 0, d: i, i: 0 }];
    for (let j = 1; j <= m; j++) {
      const diag = prev[j - 1] as Cell;
      const up = prev[j] as Cell;
      const left = row[j - 1] as Cell;
      const same = reference[i - 1] === hypothesis[j - 1];
      let best: Cell = same ? { ...diag } : { cost: diag.cost + 1, s: diag.s + 1, d: diag.d, i: diag.i };
      if (up.cost + 1 < best.cost) best = { cost: up.cost + 1, s: up.s, d: up.d + 1, i: up.i };
      if (left.cost + 1 < best.cost) best = { cost: left.cost + 1, s: left.s, d: left.d, i: left.i + 1 };
      row.push(best);
    }
    prev = row;
  }
  const last = prev[m] as Cell;
  return { substitutions: last.s, deletions: last.d, insertions: last.i, referenceWords: n };
}

/** Total errors over total reference words of a set of utterances (corpus WER, not a mean of rates). */
export function wordErrorRate(pairs: readonly { reference: readonly string[]; hypothesis: readonly string[] }[]): number {
  let errors = 0;
  let words = 0;
  for (const { reference, hypothesis } of pairs) {
    const e = wordErrors(reference, hypothesis);
    errors += e.substitutions + e.deletions + e.insertions;
    words += e.referenceWords;
  }
  if (words === 0) return errors === 0 ? 0 : Infinity;
  return errors / words;
}
