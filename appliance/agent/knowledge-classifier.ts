// Which knowledge entry answers a question, learned from the knowledge base itself: a small softmax
// classifier fitted, when the knowledge base is built, on each entry's example questions (the ones
// written with it and the ones staff add), its title with its tags, and each sentence of its text.
// All service descriptions are one class ("what is <a service>?", "how does <it> work"), the service
// then read from the words, so what is learned about asking what a treatment is holds for every
// treatment, and a question that names a treatment but asks about deposits is not pulled to that
// treatment's description. Features: the retrieval words (synonyms and lemmas), their pairs, letter
// trigrams (misspellings, recogniser slips) and the words with the spa's names replaced by their
// kind. Fitting is memoised by the content it is fitted on, so every receptionist over one
// knowledge base shares one model. The receptionist fits in a worker thread (knowledge-fitter.ts), as
// fitting takes seconds; pure apart from that and the memo.
import { createHash } from 'node:crypto';
import type { KnowledgeEntry, Provider, Service } from '../booking/types.js';
import { fitInWorker } from './knowledge-fitter.js';
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
  // No word clusters here (nlu/clusters.ts), unlike the intent features: tried, they lost 0.36 points
  // and gave one more wrong entry in the knowledge cross-validation, for one more dev question right.
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

/** The memo key of a fit: the training texts and the names they are read with. */
function fitKey(texts: readonly [string, string[]][], lex: KnowledgeLexicon): string {
  return createHash('sha256')
    .update(JSON.stringify([texts, lex.services.ids(), lex.providers.map((p) => p.name)]))
    .digest('hex');
}

/**
 * Fits the model itself, with no memo of the model (the features are memoised): what the fitting
 * worker runs (knowledge-fit-worker.ts), and the in-thread fit. Deterministic.
 */
export function trainKnowledgeModel(entries: readonly KnowledgeEntry[], lex: KnowledgeLexicon): LinearModel {
  const texts = trainingTexts(entries);
  const lexicon = createHash('sha256')
    .update(JSON.stringify([lex.services.signature(), lex.providers.map((p) => p.name)]))
    .digest('hex');
  const examples = texts.flatMap(([id, list]) => list.map((t) => ({ features: trainingFeatures(t, lex, lexicon), targets: [id] })));
  return LinearModel.train(examples, { epochs: 30, l2: 1e-3, learningRate: 0.5, seed: 3 });
}

function remember(key: string, model: LinearModel): void {
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value ?? '');
  memo.set(key, model);
}

/** Fits under way off the main thread, by memo key, so two indexes over one knowledge base share one fit. */
const pending = new Map<string, Promise<LinearModel>>();

export class KnowledgeClassifier {
  private constructor(
    private readonly model: LinearModel,
    private readonly lex: KnowledgeLexicon,
  ) {}

  /**
   * Fitted on `entries` (services as `service:<id>` entries), here on the calling thread: it blocks
   * for seconds on a few thousand texts. For scripts, benchmarks and tests; the receptionist fits
   * with fitOffThread. Deterministic; memoised by content with fitOffThread.
   */
  static fit(entries: readonly KnowledgeEntry[], lex: KnowledgeLexicon): KnowledgeClassifier {
    const key = fitKey(trainingTexts(entries), lex);
    let model = memo.get(key);
    if (!model) {
      model = trainKnowledgeModel(entries, lex);
      remember(key, model);
    }
    return new KnowledgeClassifier(model, lex);
  }

  /**
   * The same fit as fit(), run in a worker thread so the event loop stays free: `services` and
   * `lex.providers` go to the worker as plain data, which builds its own ServiceMatcher from
   * `services` (so `lex.services` must be a matcher of these services with the default options).
   * The same content is fitted once, whether it is memoised or being fitted.
   */
  static async fitOffThread(entries: readonly KnowledgeEntry[], services: readonly Service[], lex: KnowledgeLexicon): Promise<KnowledgeClassifier> {
    const key = fitKey(trainingTexts(entries), lex);
    const done = memo.get(key);
    if (done) return new KnowledgeClassifier(done, lex);
    let fitting = pending.get(key);
    if (!fitting) {
      fitting = fitInWorker({ entries: [...entries], services: [...services], providers: [...lex.providers] })
        .then((exact) => {
          const model = LinearModel.fromExact(exact);
          remember(key, model);
          return model;
        })
        .finally(() => pending.delete(key));
      pending.set(key, fitting);
    }
    return new KnowledgeClassifier(await fitting, lex);
  }

  /** Every class by probability, most likely first. */
  rank(question: string): RankedEntry[] {
    return [...this.model.probabilities(questionFeatures(question, this.lex)).entries()].map(([id, p]) => ({ id, p })).sort((a, b) => b.p - a.p);
  }
}
