// Which knowledge entry answers a question, learned from the knowledge base itself: a small softmax
// classifier fitted, when the knowledge base is built, on each entry's example questions (the ones
// written with it and the ones staff add), its title with its tags, and each sentence of its text.
// All service descriptions are one class ("what is <a service>?", "how does <it> work"), the service
// then read from the words, so what is learned about asking what a treatment is holds for every
// treatment, and a question that names a treatment but asks about deposits is not pulled to that
// treatment's description. Features: the retrieval words (synonyms and lemmas), their pairs, letter
// trigrams (misspellings, recogniser slips) and the words with the spa's names replaced by their
// kind. Fitting is memoised by the content it is fitted on, so every receptionist over one
// knowledge base shares one model. Pure apart from that memo.
import { createHash } from 'node:crypto';
import type { KnowledgeEntry, Provider } from '../booking/types.js';
import { delexicalize } from './nlu/features.js';
import { LinearModel } from './nlu/linear.js';
import { tokens } from './knowledge-words.js';
import type { ServiceMatcher } from './understand/services.js';

/** The class every service description shares. */
export const SERVICE_CLASS = 'service';

export interface KnowledgeLexicon {
  services: ServiceMatcher;
  providers: readonly Provider[];
}

export interface RankedEntry {
  /** A knowledge entry's id, or SERVICE_CLASS. */
  id: string;
  p: number;
}

/** The features of a question or an example. */
export function questionFeatures(text: string, lex: KnowledgeLexicon): string[] {
  const t = tokens(text);
  const f = t.map((w) => `w:${w}`);
  for (let i = 0; i + 1 < t.length; i++) f.push(`b:${t[i] ?? ''}_${t[i + 1] ?? ''}`);
  const d = delexicalize(text, lex)
    .split(/[^a-z0-9']+/)
    .filter(Boolean);
  for (let i = 0; i < d.length; i++) {
    const w = d[i] ?? '';
    f.push(`d:${w}`, `db:${i === 0 ? '<s>' : (d[i - 1] ?? '')}_${w}`);
    // Letter trigrams of the other words only: a treatment's name is one word here, not a dozen
    // trigrams that would outvote what is asked about it.
    if (w.length < 4 || NAME_KINDS.has(w)) continue;
    const padded = `<${w}>`;
    for (let j = 0; j + 3 <= padded.length; j++) f.push(`c:${padded.slice(j, j + 3)}`);
  }
  return f;
}

/** What delexicalize() puts for the spa's names, numbers and days. */
const NAME_KINDS = new Set(['svc', 'prov', 'wday', 'month', 'clock', 'num', 'ordnum', 'phonenum']);

function sentences(body: string): string[] {
  return (body.match(/[^.!?]+[.!?]+/g) ?? [body]).map((s) => s.trim()).filter(Boolean);
}

/**
 * What each class is fitted on: the example questions, the title with the tags, each tag alone, and
 * each sentence of the text. A class with few of these (an entry staff just added, with no example
 * questions yet) has them repeated up to MIN_TEXTS, so it is not drowned by entries with a hundred
 * examples.
 */
function trainingTexts(entries: readonly KnowledgeEntry[]): [string, string[]][] {
  const by = new Map<string, string[]>();
  for (const e of entries) {
    const id = e.id.startsWith('service:') ? SERVICE_CLASS : e.id;
    by.set(id, [...(by.get(id) ?? []), ...(e.examples ?? []), `${e.title} ${e.tags.join(' ')}`, ...e.tags, ...sentences(e.body)]);
  }
  return [...by.entries()].map(([id, texts]) => [id, texts.length >= MIN_TEXTS ? texts : Array.from({ length: MIN_TEXTS }, (_, i) => texts[i % texts.length] ?? '')]);
}

const MIN_TEXTS = 12;

const memo = new Map<string, LinearModel>();
const MEMO_MAX = 8;

/**
 * The features of every training text, for the last lexicon fitted with: extracting them costs far
 * more than fitting (delexicalising matches every service name by sound), and when staff add or
 * edit one entry every other text's features are unchanged. A changed service or provider name
 * changes the lexicon, and the features are extracted afresh.
 */
let featureMemo: { lexicon: string; features: Map<string, string[]> } | null = null;

function trainingFeatures(text: string, lex: KnowledgeLexicon, lexicon: string): string[] {
  if (featureMemo?.lexicon !== lexicon) featureMemo = { lexicon, features: new Map() };
  let f = featureMemo.features.get(text);
  if (!f) {
    f = questionFeatures(text, lex);
    featureMemo.features.set(text, f);
  }
  return f;
}

export class KnowledgeClassifier {
  private constructor(
    private readonly model: LinearModel,
    private readonly lex: KnowledgeLexicon,
  ) {}

  /** Fitted on `entries` (services as `service:<id>` entries). Deterministic. */
  static fit(entries: readonly KnowledgeEntry[], lex: KnowledgeLexicon): KnowledgeClassifier {
    const texts = trainingTexts(entries);
    const providerNames = lex.providers.map((p) => p.name);
    const key = createHash('sha256')
      .update(JSON.stringify([texts, lex.services.ids(), providerNames]))
      .digest('hex');
    let model = memo.get(key);
    if (!model) {
      const lexicon = createHash('sha256').update(JSON.stringify([lex.services.signature(), providerNames])).digest('hex');
      const examples = texts.flatMap(([id, list]) => list.map((t) => ({ features: trainingFeatures(t, lex, lexicon), targets: [id] })));
      model = LinearModel.train(examples, { epochs: 30, l2: 1e-3, learningRate: 0.5, seed: 3 });
      if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value ?? '');
      memo.set(key, model);
    }
    return new KnowledgeClassifier(model, lex);
  }

  /** Every class by probability, most likely first. */
  rank(question: string): RankedEntry[] {
    return [...this.model.probabilities(questionFeatures(question, this.lex)).entries()].map(([id, p]) => ({ id, p })).sort((a, b) => b.p - a.p);
  }
}
