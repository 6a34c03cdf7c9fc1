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
  [/\b(?:money|cash|something|anything) (?:down|up ?front)\b|\b(?:pay|paying) (?:up ?front|in advance|ahead)\b|\bup ?front\b/g, 'deposit'],
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
  /** The example questions (and the title with the tags), as unit vectors. */
  examples: Map<string, number>[];
  /** Every word of the entry: its text and its examples. */
  words: Set<string>;
}

/** Words and, for words of four letters or more, their letter trigrams ("micro kneeling" still meets "microneedling"). */
function features(text: string): Map<string, number> {
  const f = new Map<string, number>();
  for (const t of tokens(text)) f.set(`w:${t}`, (f.get(`w:${t}`) ?? 0) + 1);
  for (const word of text.toLowerCase().replace(/[^a-z ]/g, ' ').split(/\s+/)) {
    if (word.length < 4 || STOP.has(word)) continue;
    const p = `<${word}>`;
    for (let j = 0; j + 3 <= p.length; j++) f.set(`c:${p.slice(j, j + 3)}`, (f.get(`c:${p.slice(j, j + 3)}`) ?? 0) + 0.3);
  }
  return f;
}

/** How much the entry's text (BM25) adds to the nearest example's cosine. */
const TEXT_WEIGHT = 0.015;

export class KnowledgeIndex {
  private readonly docs: Doc[] = [];
  private readonly df = new Map<string, number>();
  private readonly avgLen: number;
  /** Example features: in how many examples each occurs, and how many examples there are. */
  private readonly exampleDf = new Map<string, number>();
  private exampleCount = 0;
  /** Every word any entry or example uses. */
  private readonly vocabulary = new Set<string>();

  constructor(entries: readonly KnowledgeEntry[], services: readonly Service[] = []) {
    const all = [...entries, ...services.filter((s) => s.active).map(serviceEntry)];
    const raw: Map<string, number>[][] = [];
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
      const ex = [...(entry.examples ?? []), `${entry.title} ${entry.tags.join(' ')}`].map(features).filter((f) => f.size > 0);
      raw.push(ex);
      for (const f of ex) for (const k of f.keys()) this.exampleDf.set(k, (this.exampleDf.get(k) ?? 0) + 1);
      this.exampleCount += ex.length;
      const words = new Set([...tf.keys(), ...(entry.examples ?? []).flatMap((e) => tokens(e))]);
      for (const w of words) this.vocabulary.add(w);
      this.docs.push({ entry, tf, len, examples: [], words });
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.docs.forEach((d, i) => (d.examples = (raw[i] ?? []).map((f) => this.unit(f))));
    this.avgLen = this.docs.reduce((s, d) => s + d.len, 0) / Math.max(1, this.docs.length);
  }

  /** TF-IDF over the examples, scaled to length one; features no example has are dropped. */
  private unit(f: Map<string, number>): Map<string, number> {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [k, x] of f) {
      const df = this.exampleDf.get(k);
      if (!df) continue;
      const y = x * (Math.log((this.exampleCount + 1) / (df + 1)) + 1);
      v.set(k, y);
      norm += y * y;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [k, y] of v) v.set(k, y / norm);
    return v;
  }

  private idf(t: string): number {
    const n = this.docs.length;
    const df = this.df.get(t) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Query words the knowledge base never mentions ("tattoo"): a sign it cannot answer. */
  unknownTerms(query: string): string[] {
    return [...new Set(tokens(query))].filter((t) => !this.vocabulary.has(t));
  }

  /**
   * Entries by how well they answer the query: the cosine to the entry's nearest example question,
   * plus a little of the BM25 score of its text, so an entry with no close example can still win.
   */
  search(query: string, limit = 3): KnowledgeHit[] {
    const q = [...new Set(tokens(query))];
    const qv = this.unit(features(query));
    const hits: KnowledgeHit[] = [];
    for (const d of this.docs) {
      let bm25 = 0;
      for (const t of q) {
        const f = d.tf.get(t);
        if (!f) continue;
        bm25 += (this.idf(t) * f * 2.2) / (f + 1.2 * (0.25 + 0.75 * (d.len / this.avgLen)));
      }
      let near = 0;
      for (const ex of d.examples) {
        let dot = 0;
        for (const [k, x] of qv) dot += x * (ex.get(k) ?? 0);
        if (dot > near) near = dot;
      }
      const score = near + TEXT_WEIGHT * bm25;
      if (score > 0) hits.push({ entry: d.entry, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /**
   * The entry that answers the question, or null when none does clearly enough: the best must
   * reach `minScore` and lead the next entry by `margin` (two entries close together means the
   * question is between them, and a wrong entry read out is worse than a note for staff).
   * `topics` restricts the search (the hours, the location) and then the best in it is the answer.
   */
  answer(query: string, opts: { topics?: readonly string[] } = {}): KnowledgeHit | null {
    const hits = this.search(query, 60);
    if (opts.topics) return hits.find((h) => opts.topics?.includes(h.entry.topic)) ?? null;
    const [best, next] = hits;
    if (!best || best.score < ANSWER_MIN_SCORE) return null;
    if (next && best.score - next.score < ANSWER_MARGIN) return null;
    // A short question whose main word the knowledge base has never seen ("do you do tattoo
    // removal?") is about something the spa has not written about, however close the rest is.
    const words = [...new Set(tokens(query))];
    const doc = this.docs.find((d) => d.entry === best.entry);
    const covered = doc ? words.filter((t) => doc.words.has(t)).length : 0;
    if (words.length <= 4 && this.unknownTerms(query).length >= Math.max(1, covered)) return null;
    return best;
  }
}

/** Below this a knowledge hit is not an answer, and the best must lead the next by the margin (both set on the corpus's dev split). */
export const ANSWER_MIN_SCORE = 0.35;
export const ANSWER_MARGIN = 0.05;

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
