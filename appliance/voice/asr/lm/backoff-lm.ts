// A back-off n-gram language model in memory, and its ARPA text form (what pocketsphinx reads).
// Probabilities are log10, as in ARPA files. Pure.
//
// p(w | h) = p*(h w)                                       when "h w" is an explicit n-gram
//          = backoff(h) + p(w | h without its oldest word)  otherwise (log domain),
// with backoff(h) = 0 when h has no entry.
//
// Words are numbered by a Vocabulary (shared by the models a build mixes) and the n-grams kept in
// a trie, oldest word first: the node of "a b c" holds p(c | a b) and the back-off weight of
// "a b c" as a context. Numbers instead of strings keep a build of a few hundred thousand n-grams
// within a second or two.
import { InvalidInputError } from '../../../errors.js';

export const BOS = '<s>';
export const EOS = '</s>';
/** log10 "probability" of <s>, which is never predicted (ARPA convention). */
export const NEVER = -99;

/** Words and their numbers. */
export class Vocabulary {
  readonly words: string[] = [];
  readonly #ids = new Map<string, number>();

  /** The word's number, numbering it if it is new. */
  id(word: string): number {
    let id = this.#ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(word);
      this.#ids.set(word, id);
    }
    return id;
  }

  find(word: string): number | undefined {
    return this.#ids.get(word);
  }

  word(id: number): string {
    const w = this.words[id];
    if (w === undefined) throw new RangeError(`no word numbered ${id}`);
    return w;
  }
}

export interface LmNode {
  logProb: number;
  /** log10 back-off weight of this n-gram as a context (0 when it has none). */
  backoff: number;
  children: Map<number, LmNode> | null;
}

export class BackoffLm {
  /** Unigrams by word number; longer n-grams under their first word. */
  readonly root = new Map<number, LmNode>();

  constructor(
    readonly order: number,
    readonly vocab: Vocabulary = new Vocabulary(),
  ) {
    if (!Number.isInteger(order) || order < 1) throw new RangeError(`bad n-gram order ${order}`);
  }

  /** The node of an n-gram (word numbers, oldest first), or undefined. */
  node(ids: readonly number[]): LmNode | undefined {
    let level: Map<number, LmNode> | null = this.root;
    let node: LmNode | undefined;
    for (const id of ids) {
      node = level?.get(id);
      if (!node) return undefined;
      level = node.children;
    }
    return node;
  }

  /** Adds or replaces an n-gram; its prefix must already be in the model. */
  set(ids: readonly number[], logProb: number, backoff = 0): LmNode {
    if (ids.length === 0 || ids.length > this.order) throw new RangeError(`n-gram of length ${ids.length} in an order-${this.order} model`);
    let level = this.root;
    for (let i = 0; i < ids.length - 1; i++) {
      const parent = level.get(ids[i] as number);
      if (!parent) throw new InvalidInputError('n-gram without its prefix', { ngram: ids.map((id) => this.vocab.word(id)).join(' ') });
      level = parent.children ??= new Map<number, LmNode>();
    }
    const last = ids[ids.length - 1] as number;
    const existing = level.get(last);
    if (existing) {
      existing.logProb = logProb;
      existing.backoff = backoff;
      return existing;
    }
    const node: LmNode = { logProb, backoff, children: null };
    level.set(last, node);
    return node;
  }

  /** Adds or replaces the n-gram that extends `parent` (a node of this model) by `word`. */
  setChild(parent: LmNode, word: number, logProb: number, backoff = 0): LmNode {
    const level = (parent.children ??= new Map<number, LmNode>());
    const existing = level.get(word);
    if (existing) {
      existing.logProb = logProb;
      existing.backoff = backoff;
      return existing;
    }
    const node: LmNode = { logProb, backoff, children: null };
    level.set(word, node);
    return node;
  }

  /** Visits every n-gram of order n (word numbers oldest first; the array is reused between calls). */
  forEachOfOrder(n: number, visit: (ids: readonly number[], node: LmNode) => void): void {
    const ids: number[] = [];
    const walk = (level: Map<number, LmNode>, depth: number): void => {
      for (const [id, node] of level) {
        ids[depth] = id;
        if (depth + 1 === n) visit(ids, node);
        else if (node.children) walk(node.children, depth + 1);
      }
    };
    ids.length = n;
    walk(this.root, 0);
  }

  /** How many n-grams of each order. */
  counts(): number[] {
    const counts = Array.from({ length: this.order }, () => 0);
    const walk = (level: Map<number, LmNode>, depth: number): void => {
      counts[depth] = (counts[depth] ?? 0) + level.size;
      for (const node of level.values()) if (node.children) walk(node.children, depth + 1);
    };
    walk(this.root, 0);
    return counts;
  }

  /**
   * log10 p(word | context) for many words after one context (word numbers; only the last
   * order-1 count): the context's suffixes and their back-off weights are looked up once.
   * -Infinity for a word the model does not have.
   */
  scorer(context: readonly number[]): (word: number) => number {
    const h = context.slice(Math.max(0, context.length - (this.order - 1)));
    const levels: (Map<number, LmNode> | null)[] = [];
    const backoffs: number[] = [];
    let cumulative = 0;
    for (let i = 0; i <= h.length; i++) {
      backoffs.push(cumulative);
      if (i === h.length) {
        levels.push(this.root);
        break;
      }
      const node = this.node(h.slice(i));
      levels.push(node?.children ?? null);
      cumulative += node?.backoff ?? 0;
    }
    return (word) => {
      for (let i = 0; i < levels.length; i++) {
        const entry = levels[i]?.get(word);
        if (entry) return (backoffs[i] as number) + entry.logProb;
      }
      return -Infinity;
    };
  }

  /** log10 p(word | context) by back-off, with words as text (-Infinity for unknown words). */
  logProb(context: readonly string[], word: string): number {
    const id = this.vocab.find(word);
    if (id === undefined) return -Infinity;
    const ids = context.map((w) => this.vocab.find(w) ?? -1);
    const cut = ids.lastIndexOf(-1);
    return this.scorer(ids.slice(cut + 1))(id);
  }

  /** The model's words (its unigrams), <s> and </s> included. */
  words(): string[] {
    return [...this.root.keys()].map((id) => this.vocab.word(id));
  }
}

/** log10 probability of a whole sentence, <s> ... </s>. */
export function sentenceLogProb(lm: BackoffLm, words: readonly string[]): number {
  const tokens = [BOS, ...words, EOS];
  let total = 0;
  for (let i = 1; i < tokens.length; i++) total += lm.logProb(tokens.slice(0, i), tokens[i] as string);
  return total;
}

const fmt = (x: number): string => (x === 0 ? '0' : x.toFixed(6));

/** The model as ARPA text (n-grams in trie order; pocketsphinx sorts them as it reads). */
export function writeArpa(lm: BackoffLm): string {
  const counts = lm.counts();
  const out: string[] = ['\\data\\', ...counts.map((c, i) => `ngram ${i + 1}=${c}`)];
  const words = lm.vocab.words;
  for (let n = 1; n <= lm.order; n++) {
    out.push('', `\\${n}-grams:`);
    lm.forEachOfOrder(n, (ids, node) => {
      let line = fmt(node.logProb);
      for (const id of ids) line += `\t${words[id] as string}`;
      out.push(n < lm.order ? `${line}\t${fmt(node.backoff)}` : line);
    });
  }
  out.push('', '\\end\\', '');
  return out.join('\n');
}

/** Reads ARPA text (as written above, or by other tools: missing back-offs are 0) into `vocab`'s numbering. */
export function parseArpa(text: string, vocab: Vocabulary = new Vocabulary()): BackoffLm {
  const lines = text.split('\n');
  const counts: number[] = [];
  let i = lines.findIndex((l) => l.trim() === '\\data\\');
  if (i < 0) throw new InvalidInputError('not an ARPA language model (no \\data\\ line)');
  for (i++; i < lines.length; i++) {
    const m = /^ngram (\d+)=(\d+)$/.exec((lines[i] ?? '').trim());
    if (!m) break;
    counts[Number(m[1]) - 1] = Number(m[2]);
  }
  const lm = new BackoffLm(counts.length, vocab);
  let n = 0;
  const ids: number[] = [];
  for (; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    if (line.startsWith('\\')) {
      if (line === '\\end\\') break;
      const section = /^\\(\d+)-grams:$/.exec(line);
      if (!section) throw new InvalidInputError('unknown ARPA section', { line });
      n = Number(section[1]);
      continue;
    }
    if (n < 1 || n > lm.order) throw new InvalidInputError('ARPA n-gram outside a section', { line });
    const parts = line.includes('\t') ? line.split('\t') : line.split(/\s+/);
    if (parts.length < n + 1) throw new InvalidInputError('ARPA line with too few words', { line });
    ids.length = n;
    for (let k = 0; k < n; k++) ids[k] = vocab.id(parts[1 + k] as string);
    const backoff = parts[1 + n];
    lm.set(ids, Number(parts[0]), backoff === undefined ? 0 : Number(backoff));
  }
  const got = lm.counts();
  for (let k = 0; k < counts.length; k++) {
    if ((got[k] ?? 0) !== counts[k]) throw new InvalidInputError('ARPA counts disagree with its n-grams', { order: String(k + 1) });
  }
  return lm;
}

/** A model as compact JSON (its words, then each order's n-grams as flat number arrays): reads several times faster than ARPA text. */
export interface PackedLm {
  order: number;
  words: string[];
  /** grams[n - 1]: n word numbers (into `words`), log10 probability and back-off weight, repeated. */
  grams: number[][];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export function packLm(lm: BackoffLm): PackedLm {
  const words: string[] = [];
  const local = new Map<number, number>();
  const idOf = (id: number): number => {
    let k = local.get(id);
    if (k === undefined) {
      k = words.length;
      words.push(lm.vocab.word(id));
      local.set(id, k);
    }
    return k;
  };
  const grams: number[][] = [];
  for (let n = 1; n <= lm.order; n++) {
    const flat: number[] = [];
    lm.forEachOfOrder(n, (ids, node) => {
      for (const id of ids) flat.push(idOf(id));
      flat.push(round6(node.logProb), round6(node.backoff));
    });
    grams.push(flat);
  }
  return { order: lm.order, words, grams };
}

export function unpackLm(packed: PackedLm, vocab: Vocabulary = new Vocabulary()): BackoffLm {
  const lm = new BackoffLm(packed.order, vocab);
  const ids = packed.words.map((w) => vocab.id(w));
  const gram: number[] = [];
  packed.grams.forEach((flat, i) => {
    const n = i + 1;
    const stride = n + 2;
    for (let at = 0; at + stride <= flat.length; at += stride) {
      gram.length = n;
      for (let k = 0; k < n; k++) gram[k] = ids[flat[at + k] as number] as number;
      lm.set(gram, flat[at + n] as number, flat[at + n + 1]);
    }
  });
  return lm;
}
