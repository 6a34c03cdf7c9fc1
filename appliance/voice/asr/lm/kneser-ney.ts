// Interpolated modified Kneser-Ney estimation (Chen & Goodman 1998, as KenLM's lmplz and SRILM's
// -kndiscount -interpolate do it) of a back-off n-gram model from tokenised sentences. Pure.
//
// Counts: the highest order and n-grams starting with <s> use raw counts; lower orders use
// continuation counts (how many different words precede the n-gram). Each order has three
// discounts (for counts 1, 2 and 3+) from its count-of-counts. For a context h:
//   p(w | h) = (a(h w) - D(a(h w))) / a(h .)  +  gamma(h) * p(w | h minus its oldest word)
//   gamma(h) = (D1 N1(h .) + D2 N2(h .) + D3 N3+(h .)) / a(h .)
// and the unigrams are interpolated with the uniform distribution over the vocabulary. In back-off
// form the explicit n-grams carry the whole interpolated probability and backoff(h) = gamma(h).
import { BackoffLm, BOS, EOS, NEVER, Vocabulary } from './backoff-lm.js';

export type Discounts = readonly [d1: number, d2: number, d3plus: number];

export interface KneserNeyOptions {
  order: number;
  /** Words the model must know although the corpus never says them (they get the uniform share). */
  vocabulary?: Iterable<string>;
  /** The same discounts for every order (hand-checked tests); default: estimated per order. */
  discounts?: Discounts;
  /** The word numbering to use (shared with the models this one is mixed with). */
  vocab?: Vocabulary;
}

/** Modified Kneser-Ney discounts from count-of-counts n1..n4; a plain discount when the counts are too few. */
export function modifiedKneserNeyDiscounts(n1: number, n2: number, n3: number, n4: number): Discounts {
  const y = n1 / (n1 + 2 * n2);
  const d = [1 - 2 * y * (n2 / n1), 2 - 3 * y * (n3 / n2), 3 - 4 * y * (n4 / n3)];
  const fallback = Number.isFinite(y) && y > 0 && y < 1 ? y : 0.5;
  const ok = (x: number | undefined, k: number): number => (x !== undefined && Number.isFinite(x) && x > 0 && x <= k ? x : Math.min(k, fallback));
  return [ok(d[0], 1), ok(d[1], 2), ok(d[2], 3)];
}

interface CountNode {
  raw: number;
  /** Adjusted count: raw, or the continuation count (see the file comment). */
  adj: number;
  children: Map<number, CountNode> | null;
}

function child(level: Map<number, CountNode>, id: number): CountNode {
  let node = level.get(id);
  if (!node) level.set(id, (node = { raw: 0, adj: 0, children: null }));
  return node;
}

function find(root: Map<number, CountNode>, ids: readonly number[], from: number): CountNode | undefined {
  let level: Map<number, CountNode> | null = root;
  let node: CountNode | undefined;
  for (let i = from; i < ids.length; i++) {
    node = level?.get(ids[i] as number);
    if (!node) return undefined;
    level = node.children;
  }
  return node;
}

export function estimateKneserNey(sentences: Iterable<readonly string[]>, opts: KneserNeyOptions): BackoffLm {
  const order = opts.order;
  const vocab = opts.vocab ?? new Vocabulary();
  const bos = vocab.id(BOS);
  const eos = vocab.id(EOS);
  // Raw counts of every n-gram but the lone <s>, in a trie (oldest word first).
  const counts = new Map<number, CountNode>();
  for (const sentence of sentences) {
    const tokens = [bos, ...sentence.map((w) => vocab.id(w)), eos];
    for (let i = 0; i < tokens.length; i++) {
      let level = counts;
      for (let k = i; k < tokens.length && k < i + order; k++) {
        const node = child(level, tokens[k] as number);
        if (k > 0) node.raw++;
        level = node.children ??= new Map<number, CountNode>();
      }
    }
  }
  // Adjusted counts.
  const path: number[] = [];
  const adjust = (level: Map<number, CountNode>, depth: number): void => {
    for (const [id, node] of level) {
      path[depth] = id;
      path.length = depth + 1;
      if (depth + 1 === order || path[0] === bos) node.adj += node.raw;
      // As the left extension of its suffix: one more distinct word before that suffix.
      if (depth > 0 && path[1] !== bos && node.raw > 0) {
        const suffix = find(counts, path, 1);
        if (suffix) suffix.adj++;
      }
      if (node.children) adjust(node.children, depth + 1);
    }
  };
  adjust(counts, 0);

  // Discounts per order from the count-of-counts of the adjusted counts.
  const countOfCounts = Array.from({ length: order }, () => [0, 0, 0, 0, 0]);
  const tally = (level: Map<number, CountNode>, depth: number): void => {
    for (const [id, node] of level) {
      const n = countOfCounts[depth] as number[];
      if (!(depth === 0 && id === bos) && node.adj >= 1 && node.adj <= 4) n[node.adj] = (n[node.adj] ?? 0) + 1;
      if (node.children) tally(node.children, depth + 1);
    }
  };
  tally(counts, 0);
  const discounts = countOfCounts.map((n) => opts.discounts ?? modifiedKneserNeyDiscounts(n[1] ?? 0, n[2] ?? 0, n[3] ?? 0, n[4] ?? 0));
  const discount = (depth: number, c: number): number => {
    const d = discounts[depth] as Discounts;
    return c >= 3 ? d[2] : c === 2 ? d[1] : d[0];
  };
  /** total, and gamma's numerator, over the continuations of a context. */
  const stats = (level: Map<number, CountNode>, depth: number): { total: number; gammaTop: number } => {
    let total = 0;
    let gammaTop = 0;
    for (const node of level.values()) {
      if (node.adj <= 0) continue;
      total += node.adj;
      gammaTop += discount(depth, node.adj);
    }
    return { total, gammaTop };
  };

  const lm = new BackoffLm(order, vocab);
  // Unigrams: discounted continuation counts plus the uniform share over the vocabulary (without <s>).
  const words = new Set<number>([...counts.keys(), eos, ...[...(opts.vocabulary ?? [])].map((w) => vocab.id(w))]);
  words.delete(bos);
  const root = stats(new Map([...counts].filter(([id]) => id !== bos)), 0);
  const uniform = (root.total > 0 ? root.gammaTop / root.total : 1) / words.size;
  for (const id of words) {
    const c = counts.get(id)?.adj ?? 0;
    lm.set([id], Math.log10((root.total > 0 && c > 0 ? (c - discount(0, c)) / root.total : 0) + uniform));
  }
  lm.set([bos], NEVER);

  // Higher orders, one context at a time: its continuations, then its back-off weight.
  const context: number[] = [];
  const fill = (level: Map<number, CountNode>, depth: number): void => {
    for (const [id, node] of level) {
      context[depth] = id;
      context.length = depth + 1;
      const continuations = node.children;
      if (!continuations || depth + 1 >= order) continue;
      const s = stats(continuations, depth + 1);
      if (s.total > 0) {
        const gamma = s.gammaTop / s.total;
        // The continuations' suffixes are explicit n-grams of the order below (continuation count >= 1).
        const lower = depth === 0 ? lm.root : lm.node(context.slice(1))?.children;
        const own = lm.node(context);
        if (!own) continue;
        own.backoff = Math.log10(gamma);
        for (const [w, c] of continuations) {
          if (c.adj <= 0) continue;
          const pLower = 10 ** (lower?.get(w)?.logProb ?? NEVER);
          lm.setChild(own, w, Math.log10((c.adj - discount(depth + 1, c.adj)) / s.total + gamma * pLower));
        }
      }
    }
  };
  // Order by order, so every lower-order probability exists when a higher one needs it.
  for (let n = 2; n <= order; n++) {
    const atDepth = (level: Map<number, CountNode>, depth: number): void => {
      if (depth === n - 2) return fill(level, depth);
      for (const [id, node] of level) {
        context[depth] = id;
        if (node.children) atDepth(node.children, depth + 1);
      }
    };
    atDepth(counts, 0);
  }
  return lm;
}
