// Understanding with the trained model: the rules still read what they read exactly (services from
// the catalogue, days and times, names, phone numbers, a clear yes or no), and the learned scores
// decide what the caller wants. Urgent symptoms are checked first and by two detectors, the model's
// own and the symptom lexicon (urgent.ts): either one is enough.
import type { Intent, Understanding } from '../types.js';
import type { Understander } from '../understand/index.js';
import { RulesUnderstander } from '../understand/index.js';
import { understandRules, type RulesContext } from '../understand/rules.js';
import type { CorpusIntent } from './corpus.js';
import { featuresOf } from './features.js';
import { NluModel } from './model.js';
import { urgentByLexicon, withoutColourSurname } from './urgent.js';

/**
 * Other businesses and errands: said with no treatment named, the request is for someone else
 * ("car insurance" is not the spa's insurance question; "sushi near you" is not directions).
 * "Do you stock ..." is the spa's own shelf, not the stock market.
 */
const ELSEWHERE =
  /\b(?:car|auto|home|house|life|pet|renters?|travel) insurance\b|\binsurance (?:claim|quote)\b|\b(?:restaurants?|pizza|sushi|burgers?|takeout|take out|lunch spot|coffee shop|bar|bars|pub)\b|\b(?:weather|forecast)\b|\b(?:bitcoin|crypto|stocks|stock (?:market|price|prices|tips?))\b|\b(?:dentist|chiropractor|plumber|mechanic|vet|veterinarian|pharmacy|hairdresser|barber|hair salon)\b|\b(?:score|game|movie|movies|lottery)\b/;

/** A ride: an errand elsewhere ("order me an uber"), unless the model reads the way here ("what do I tell the cab driver"). */
const RIDE = /\b(?:uber|lyft|taxi|cab)\b/;

/** Corpus intents the dialog acts on as intents; the rest are answers (yes, no, a day ...). */
const ACTS: readonly CorpusIntent[] = ['yes', 'no', 'maybe', 'correction', 'inform'];

/** Intents that ask something; a request may be joined to them. */
const ASKS: readonly CorpusIntent[] = ['question', 'hours', 'location', 'payment', 'price', 'duration'];
/** Requests the rules read exactly. */
const REQUESTS: readonly Intent[] = ['reschedule', 'cancel', 'my-appointment', 'book'];
/** Where a second request starts: a sentence end, or "and also", "also", "plus", "oh and", "btw". */
const JOIN = /[.?!;]+\s+|,?\s+(?:and also|also|plus|oh and|btw|and then|and)\s+(?=(?:can|could|would|i|i'd|i'm|im|please|pls|i need|i want|id like)\b)/;
/** Where a second question starts: a question mark, a sentence end, or "and" / "also" / "plus" before a question word. */
const ASK_JOIN =
  /\?+\s*|[.;!]+\s+|(?:,|,?\s+(?:and also|also|plus|oh and|btw|and))\s+(?=(?:how|what|what's|whats|when|where|where's|which|who|do|does|did|is|are|am|can|could|will|would|should|any|anything)\b)/;
/** A hypothetical: the request is part of the question ("if I move it"). */
const HYPOTHETICAL = /^(?:if|when|in case|before|after|should i|do i|would i|will i)\b/;

function joinedRequest(raw: string, ctx: RulesContext): Intent | undefined {
  const parts = raw.toLowerCase().split(JOIN).map((p) => p.trim()).filter(Boolean);
  // Split where a question starts too, the request may come first ("can I move my appointment?
  // also what are your hours"): every part is looked at then, the question's own too.
  const asked = raw.toLowerCase().split(ASK_JOIN).map((p) => p.trim()).filter((p) => /[a-z]/.test(p));
  for (const part of [...parts.slice(1), ...(asked.length > 1 ? asked : [])]) {
    if (HYPOTHETICAL.test(part)) continue;
    const found = understandRules(part, ctx).intents.find((i) => REQUESTS.includes(i));
    if (found) return found;
  }
  return undefined;
}

/**
 * The questions of a turn that asks several ("how much is a lip flip, and how long does it last"):
 * each part read by the model alone, and kept when the model is sure it asks something. Empty for
 * a turn of one part.
 */
function joinedAsks(raw: string, ctx: RulesContext, model: NluModel): { intent: CorpusIntent; text: string }[] {
  const parts = raw.split(ASK_JOIN).map((p) => p.trim()).filter((p) => /[a-z]/i.test(p));
  if (parts.length < 2) return [];
  const asks: { intent: CorpusIntent; text: string }[] = [];
  for (const part of parts) {
    const pred = model.predict(featuresOf(part, ctx.after ?? 'open', { services: ctx.services, providers: ctx.providers }));
    const top = pred.intents[0];
    if (top && ASKS.includes(top) && !pred.unsure) asks.push({ intent: top, text: part });
  }
  return asks;
}

export function understandLearned(raw: string, ctx: RulesContext, model: NluModel): Understanding {
  const u = understandRules(raw, ctx);
  const after = ctx.after ?? 'open';
  // "It's Sarah White" names the caller: the colour in a surname is read as no sign by either detector.
  const said = withoutColourSurname(raw, u.name) ?? raw;
  const pred = model.predict(featuresOf(said, after, { services: ctx.services, providers: ctx.providers }));
  const urgent = pred.urgent || pred.intents[0] === 'urgent' || u.intents.includes('urgent') || urgentByLexicon(withoutColourSurname(u.text, u.name) ?? u.text);
  let learned: CorpusIntent[] = urgent ? ['urgent', ...pred.intents.filter((i) => i !== 'urgent')] : pred.intents.filter((i) => i !== 'urgent');
  const elsewhere = ELSEWHERE.test(u.text) || (RIDE.test(u.text) && learned[0] !== 'location');
  if (!urgent && u.services.length === 0 && elsewhere && !['human', 'book', 'reschedule', 'cancel', 'my-appointment', 'complaint'].includes(learned[0] ?? '')) {
    learned = ['off-topic'];
  }
  // Unsure between two readings, the rules' exact pattern breaks the tie (on the dev split the two
  // are right equally often there; the rules' pick keeps the wording they were written for).
  const ruled = u.intents.find((i) => i !== 'urgent') as CorpusIntent | undefined;
  if (pred.unsure && !urgent && ruled && ruled !== learned[0] && pred.ranked.slice(0, 2).some((r) => r.intent === ruled)) {
    const p = (i: CorpusIntent): number => pred.ranked.find((r) => r.intent === i)?.p ?? 0;
    learned = [ruled, ...learned.filter((i) => i !== ruled && p(i) >= model.secondaryThreshold)];
  }
  const intents: Intent[] = [];
  for (const i of learned) if (!ACTS.includes(i)) intents.push(i as Intent);
  // A treatment and a day asked about together ("how much is Botox, and can I come Friday?") is
  // a booking too, whichever question came first.
  if ((intents.includes('price') || intents.includes('duration')) && !intents.includes('book') && u.services.length > 0 && (u.when?.day || u.when?.targetMin !== undefined) && pred.ranked.some((r) => r.intent === 'book')) intents.push('book');
  // A question, then a request joined to it ("what's your cancellation policy, and also can I move
  // my appt"): the request the rules read exactly in the joined part rides along, as the model
  // ranks it too. Not a request inside the question ("do I lose my deposit if I move it").
  const joined = !urgent && ASKS.includes(learned[0] ?? 'inform') ? joinedRequest(raw, ctx) : undefined;
  if (joined && !intents.includes(joined) && pred.ranked.some((r) => r.intent === joined)) intents.push(joined);
  // Several questions in one turn: each part's own question rides along ("how much is botox, and
  // where are you located": the price and the address), and each is looked up in its own words.
  // A request with a question joined to it ("I need to cancel, do I lose my deposit?"): the question too.
  const first = learned[0] ?? 'inform';
  if (!urgent && (ASKS.includes(first) || REQUESTS.includes(first as Intent))) {
    const asks = joinedAsks(raw, ctx, model);
    // Kept when some part asks what the first reading did not.
    if (asks.some((a) => a.intent !== first)) {
      for (const a of asks) if (!intents.includes(a.intent as Intent)) intents.push(a.intent as Intent);
      u.asks = asks.map((a) => ({ intent: a.intent as Intent, text: a.text }));
    }
  }
  // Greetings and thanks ride along with whatever else was said ("hi, how much is botox").
  for (const i of ['greeting', 'thanks'] as const) if (u.intents.includes(i) && !intents.includes(i)) intents.push(i);
  u.intents = intents;
  // Unsure, but the rules' exact pattern settled it: not unsure any more.
  const settled = ruled !== undefined && learned[0] === ruled;
  u.nlu = { intents: learned, confidence: pred.confidence, unsure: pred.unsure && !urgent && !settled, ranked: pred.ranked.map((r) => r.intent) };
  const top = learned[0];
  if (top === 'correction') u.correction = true;
  if (!u.yes && !u.no && (top === 'yes' || top === 'no')) u.leaning = top;
  return u;
}

export class LearnedUnderstander implements Understander {
  readonly name = 'learned';
  constructor(private readonly model: NluModel) {}
  understand(text: string, ctx: RulesContext): Promise<Understanding> {
    return Promise.resolve(understandLearned(text, ctx, this.model));
  }
}

let loaded: NluModel | Error | null = null;

/**
 * The committed model, loaded once per process; the rules alone when it cannot be read (the error
 * is returned for the caller to log: a box that cannot load its model still answers).
 */
export function defaultUnderstander(): { understander: Understander; error: Error | null } {
  if (loaded === null) {
    try {
      loaded = NluModel.load();
    } catch (e) {
      loaded = e as Error;
    }
  }
  return loaded instanceof Error ? { understander: new RulesUnderstander(), error: loaded } : { understander: new LearnedUnderstander(loaded), error: null };
}
