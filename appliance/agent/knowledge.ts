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

/**
 * Words with one meaning, written many ways: each maps to the word the knowledge base is indexed
 * under, so "the gym" finds "strenuous exercise" and "nursing" finds "breastfeeding". General
 * English about a spa visit, not one spa's wording; matched after the light stemmer.
 */
const SYNONYMS: Record<string, string> = Object.fromEntries(
  (
    [
      ['exercise', 'gym workout exercis sweat sweaty run jog yoga pilate lift weight spin cardio hiit crossfit train'],
      ['pregnan', 'pregnant pregnancy expecting preggo conceive baby nurse nursing breastfeed breastfeeding'],
      ['minor', 'teen teenager teenage kid child daughter son minor underage 16 17 young'],
      ['age', 'old age year'],
      ['pay', 'pay payment paying card credit debit cash visa mastercard amex venmo zelle check'],
      ['insurance', 'insurance insur hsa fsa medicaid medicare covered cover'],
      ['financ', 'financ finance financing installment plan monthly afford carecredit cherry afterpay klarna'],
      ['gift', 'gift present voucher certificate giftcard'],
      ['member', 'member membership subscription subscribe vip club'],
      ['late', 'late tardy delay delayed traffic behind'],
      ['cancel', 'cancel cancell cancellation reschedul noshow miss'],
      ['deposit', 'deposit downpayment prepay upfront hold'],
      ['park', 'park parking garage lot valet car'],
      ['address', 'address located location where street direction directions find'],
      ['accessible', 'accessible wheelchair elevator stair stairs walker disabled handicap'],
      ['pain', 'pain painful hurt hurts sting sore ouch numbing numb anesthetic lidocaine'],
      ['downtime', 'downtime recovery recover heal healing'],
      ['makeup', 'makeup foundation concealer cosmetic'],
      ['alcohol', 'alcohol drink drinking wine beer booze cocktail'],
      ['thinner', 'thinner ibuprofen advil motrin aspirin aleve fish vitamin supplement'],
      ['shave', 'shave shaving razor'],
      ['wax', 'wax waxing pluck plucking tweez tweezing epilat'],
      ['sun', 'sun sunny tan tanning tanned beach vacation sunburn sunscreen spf'],
      ['bruis', 'bruis bruise bruising bruised'],
      ['swell', 'swell swelling swollen puffy puffiness'],
      ['lump', 'lump lumpy bump bumpy'],
      ['first', 'first new'],
      ['bring', 'bring need'],
      ['form', 'form forms paperwork intake consent'],
      ['open', 'open opening hour hours close closing closed weekend saturday sunday holiday christmas thanksgiving'],
      ['team', 'team staff provider injector nurse practitioner aesthetician esthetician technician doctor who'],
      ['result', 'result results kick effect work last lasting longevity'],
      ['touch', 'touch touchup'],
      ['lie', 'lie lay laying bend nap sleep'],
      ['peel', 'peel peeling flake flaking flaky shed shedding'],
      ['red', 'red redness pink flush'],
    ] as const
  ).flatMap(([lemma, words]) => words.split(' ').map((w) => [w, lemma])),
);

/** Phrases that mean one thing, joined before the words are split. */
const PHRASES: [RegExp, string][] = [
  [/\bwork(?:ing)? ?out\b/g, 'exercise'],
  [/\bhit the gym\b/g, 'exercise'],
  [/\bdown ?payment\b/g, 'deposit'],
  [/\bno[ -]?shows?\b/g, 'noshow'],
  [/\bblood ?thinn\w*/g, 'thinner'],
  [/\bfish oil\b/g, 'thinner'],
  [/\bgift ?cards?\b/g, 'gift'],
  [/\bpayment plans?\b/g, 'financ'],
  [/\bcare ?credit\b/g, 'financ'],
  [/\bapple ?pay|google ?pay\b/g, 'pay'],
  [/\btouch[ -]?ups?\b/g, 'touchup'],
  [/\bgood[ -]faith\b/g, 'goodfaith'],
  [/\bkick in\b/g, 'result'],
];

export function tokens(text: string): string[] {
  let t = text.toLowerCase().replace(/[\u2019']/g, '');
  for (const [re, to] of PHRASES) t = t.replace(re, ` ${to} `);
  return t
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => {
      const s = stem(w);
      return SYNONYMS[w] ?? SYNONYMS[s] ?? s;
    });
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
  /** Each example question's words. */
  examples: Set<string>[];
}

/** How the example questions weigh against the entry's text: a close example is strong evidence. */
const EXAMPLE_WEIGHT = 4;

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
      for (const e of entry.examples ?? []) add(e, 1);
      let len = 0;
      for (const v of tf.values()) len += v;
      this.docs.push({ entry, tf, len, examples: (entry.examples ?? []).map((e) => new Set(tokens(e))).filter((e) => e.size > 0) });
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.avgLen = this.docs.reduce((s, d) => s + d.len, 0) / Math.max(1, this.docs.length);
  }

  private idf(t: string): number {
    const n = this.docs.length;
    const df = this.df.get(t) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
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

  /** Closeness of the query to the entry's nearest example question (idf-weighted cosine, 0..1). */
  private exampleSimilarity(d: Doc, q: readonly string[]): number {
    if (d.examples.length === 0 || q.length === 0) return 0;
    const qNorm = Math.sqrt(q.reduce((s, t) => s + this.idf(t) ** 2, 0));
    let best = 0;
    for (const ex of d.examples) {
      let dot = 0;
      let eNorm = 0;
      for (const t of ex) {
        const w = this.idf(t) ** 2;
        eNorm += w;
        if (q.includes(t)) dot += w;
      }
      const sim = dot / Math.max(1e-9, qNorm * Math.sqrt(eNorm));
      if (sim > best) best = sim;
    }
    return best;
  }

  search(query: string, limit = 3): KnowledgeHit[] {
    const q = [...new Set(tokens(query))];
    const hits: KnowledgeHit[] = [];
    for (const d of this.docs) {
      let score = 0;
      for (const t of q) {
        const f = d.tf.get(t);
        if (!f) continue;
        score += (this.idf(t) * f * 2.2) / (f + 1.2 * (0.25 + 0.75 * (d.len / this.avgLen)));
      }
      score += EXAMPLE_WEIGHT * this.exampleSimilarity(d, q);
      if (score > 0) hits.push({ entry: d.entry, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /**
   * The entry that answers the question, or null when none does well enough: the best hit must
   * score `minScore` and the words the knowledge base has never seen ("tattoo") must not outweigh
   * the ones the entry covers. `topic` restricts the search (hours, location, payment).
   */
  answer(query: string, opts: { topic?: string; topics?: readonly string[]; minScore?: number } = {}): KnowledgeHit | null {
    const allowed = opts.topics ?? (opts.topic ? [opts.topic] : null);
    const hit = this.search(query, 30).find((h) => !allowed || allowed.includes(h.entry.topic));
    if (!hit || hit.score < (opts.minScore ?? ANSWER_MIN_SCORE)) return null;
    if (this.unknownTerms(query).length >= Math.max(1, this.covered(hit.entry, query))) return null;
    return hit;
  }
}

/** Below this a knowledge hit is not an answer (set on the corpus's dev split). */
export const ANSWER_MIN_SCORE = 2.2;

/** A service as a knowledge entry, so "what is microneedling" finds its description. */
function serviceEntry(s: Service): KnowledgeEntry {
  return {
    id: `service:${s.id}`,
    topic: 'service',
    title: s.name,
    body: s.description,
    tags: [s.name, ...s.aliases, s.category],
    examples: [`what is ${s.name}`, `what does ${s.name} do`, `how does ${s.name} work`, `tell me about ${s.name}`],
  };
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
