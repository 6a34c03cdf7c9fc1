// Answers from the spa's own knowledge base, found by retrieval (BM25 over titles, tags and text,
// with tags weighted up) — the agent says only what the spa wrote, never something made up. Pure
// once built; rebuilt when the catalogue changes.
import type { KnowledgeEntry, Service } from '../booking/types.js';

export interface KnowledgeHit {
  entry: KnowledgeEntry;
  score: number;
}

const STOP = new Set(
  ('a an and are as at be can could do does for from have how i i\'d i\'m if in is it its me my of on or please ' +
    'so that the there this to was we what when where which who will with would you your about any tell know want need ' +
    'like get just much there\'s what\'s hi hello um uh yes no ok okay go going come take make day time lot good bad really feel ' +
    'should long still ever also than then them they those these one some other out up off right now ' +
    'work does did done offer sell accept take use'
  ).split(' '),
);

export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2019']/g, '')
    .replace(/\bwork(?:ing)? out\b/g, 'workout')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
}

/** A light stemmer: plural and -ing/-ed endings, enough for "parked" ~ "parking" ~ "park". */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

interface Doc {
  entry: KnowledgeEntry;
  tf: Map<string, number>;
  len: number;
}

export class KnowledgeIndex {
  private readonly docs: Doc[] = [];
  private readonly df = new Map<string, number>();
  private readonly avgLen: number;

  constructor(entries: readonly KnowledgeEntry[], services: readonly Service[] = []) {
    const all = [...entries, ...services.filter((s) => s.active).map(serviceEntry)];
    for (const entry of all) {
      const tf = new Map<string, number>();
      const add = (text: string, w: number): void => {
        for (const t of tokens(text)) tf.set(t, (tf.get(t) ?? 0) + w);
      };
      add(entry.title, 2);
      add(entry.topic, 1);
      add(entry.tags.join(' '), 3);
      add(entry.body, 1);
      let len = 0;
      for (const v of tf.values()) len += v;
      this.docs.push({ entry, tf, len });
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.avgLen = this.docs.reduce((s, d) => s + d.len, 0) / Math.max(1, this.docs.length);
  }

  /** Query words the knowledge base never mentions ("tattoo"): a sign it cannot answer. */
  unknownTerms(query: string): string[] {
    return [...new Set(tokens(query))].filter((t) => !this.df.has(t));
  }

  /** Query words an entry mentions. */
  covered(entry: KnowledgeEntry, query: string): number {
    const d = this.docs.find((x) => x.entry === entry);
    return d ? [...new Set(tokens(query))].filter((t) => d.tf.has(t)).length : 0;
  }

  search(query: string, limit = 3): KnowledgeHit[] {
    const q = [...new Set(tokens(query))];
    const n = this.docs.length;
    const hits: KnowledgeHit[] = [];
    for (const d of this.docs) {
      let score = 0;
      for (const t of q) {
        const f = d.tf.get(t);
        if (!f) continue;
        const df = this.df.get(t) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * 2.2) / (f + 1.2 * (0.25 + 0.75 * (d.len / this.avgLen)));
      }
      if (score > 0) hits.push({ entry: d.entry, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

/** A service as a knowledge entry, so "what is microneedling" finds its description. */
function serviceEntry(s: Service): KnowledgeEntry {
  return { id: `service:${s.id}`, topic: 'service', title: s.name, body: s.description, tags: [s.name, ...s.aliases, s.category] };
}

/**
 * The sentences of an entry that best answer the question, in their order: on the phone one or
 * two, by text up to three. Pure.
 */
export function bestSentences(body: string, query: string, max: number): string {
  const sentences = body.match(/[^.!?]+[.!?]+/g)?.map((s) => s.trim()) ?? [body.trim()];
  if (sentences.length <= max) return sentences.join(' ');
  const q = new Set(tokens(query));
  const scored = sentences.map((s, i) => ({ i, s, score: tokens(s).filter((t) => q.has(t)).length + (i === 0 ? 0.5 : 0) }));
  const keep = scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i);
  return keep.map((k) => k.s).join(' ');
}
