// The words of questions and knowledge entries as retrieval reads them: lowercase, stop words out,
// a light stemmer, and synonyms and set phrases mapped to one lemma ("the gym" and "working out" ->
// exercise), so two wordings of one question share their words. General English about a spa visit,
// not one spa's wording. Pure.

export const STOP = new Set(
  ('a an and are as at be can could do does for from have how i i\'d i\'m if in is it its me my of on or please ' +
    'so that the there this to was we what when where which who will with would you your about any tell know want need ' +
    'like get just much there\'s what\'s hi hello um uh yes no ok okay go going come take make day time lot good bad really feel ' +
    'should long still ever also than then them they those these one some other out up off right now ' +
    'work does did done offer sell accept take use ' +
    // Everyday verbs and fillers that carry no topic ("where can I leave my car", "put anything down")
    'leave put keep back let give try look sure thing stuff kind sort maybe probably actually guess wonder wondering am has had been'
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
      // Not "train": a trained provider, a commuter train.
      ['exercise', 'gym workout exercis sweat sweaty run jog yoga pilate weight spin cardio hiit crossfit bike biking cycling hike hiking tennis golf pickleball'],
      ['pregnan', 'pregnant pregnancy expecting preggo conceive nursing breastfeed breastfeeding trimester newborn postpartum'],
      ['minor', 'teen teenager teenage kid child daughter son minor underage 16 17 young'],
      ['age', 'old age year'],
      ['pay', 'pay payment paying card credit debit cash visa mastercard amex venmo zelle check'],
      ['insurance', 'insurance insur hsa fsa medicaid medicare covered cover reimburse reimbursement reimbursed'],
      ['financ', 'financ finance financing installment plan monthly afford carecredit cherry afterpay klarna'],
      ['gift', 'gift present voucher certificate giftcard'],
      ['member', 'member membership subscription subscribe vip club'],
      ['late', 'late tardy delay delayed traffic behind'],
      ['cancel', 'cancel cancell cancellation cancelation reschedul resched postpone noshow miss bail'],
      ['deposit', 'deposit downpayment prepay upfront hold'],
      ['park', 'park parking garage lot valet car'],
      ['address', 'address located location where street direction directions find'],
      ['accessible', 'accessible wheelchair elevator stair stairs walker disabled handicap'],
      ['pain', 'pain painful hurt hurts sting sore ouch numbing numb anesthetic lidocaine'],
      ['downtime', 'downtime recovery recover heal healing'],
      ['makeup', 'makeup foundation concealer cosmetic'],
      ['alcohol', 'alcohol drink drinking wine beer booze cocktail champagne prosecco mimosa margarita vodka tequila whiskey liquor'],
      ['thinner', 'thinner ibuprofen advil motrin aspirin aleve fish vitamin supplement'],
      ['shave', 'shave shaving razor'],
      ['wax', 'wax waxing pluck plucking tweez tweezing epilat thread threading'],
      ['sun', 'sun sunny tan tanning tanned beach vacation sunburn sunscreen spf'],
      ['bruis', 'bruis bruise bruising bruised'],
      ['swell', 'swell swelling swollen puffy puffiness'],
      ['lump', 'lump lumpy bump bumpy'],
      ['first', 'first new'],
      ['bring', 'bring need'],
      ['form', 'form forms paperwork intake consent'],
      ['open', 'open opening hour hours close closing closed weekend saturday sunday holiday christmas thanksgiving'],
      ['aesthetician', 'aesthetician esthetician'],
      ['team', 'team staff provider background qualification qualified qualify licensed license certified certification credential experience experienced trained'],
      ['result', 'result results kick effect work last lasting longevity'],
      ['touch', 'touch touchup'],
      ['lie', 'lie lay laying bend nap sleep'],
      ['peel', 'peel peeling flake flaking flaky shed shedding'],
      ['red', 'red redness pink flush'],
      ['heat', 'heat hot sauna steam jacuzzi hottub'],
      ['retinoid', 'retinoid retinol retin tretinoin differin'],
      ['refund', 'refund refundable refunded'],
      // Skin concerns in callers' words, as the treatments' descriptions name them.
      ['spot', 'spot freckle pigment pigmentation discoloration discolouration sunspot melasma'],
      ['line', 'line wrinkle wrinkly crease crinkle'],
      ['acne', 'acne pimple zit blemish breakout'],
    ] as const
  ).flatMap(([lemma, words]) => words.split(' ').map((w) => [w, lemma])),
);

/** The words the synonyms are written as ("gym"), before they become their lemma ("exercise"). */
export const SYNONYM_WORDS: ReadonlySet<string> = new Set(Object.keys(SYNONYMS));

/** Phrases that mean one thing, joined before the words are split. */
const PHRASES: [RegExp, string][] = [
  [/\bwork(?:ing)? ?out\b/g, 'exercise'],
  [/\bhit the gym\b/g, 'exercise'],
  [/\bhot ?tubs?\b/g, 'heat'],
  [/\bdown ?payment\b/g, 'deposit'],
  [/\b(?:money|cash|something|anything) (?:down|up ?front)\b|\b(?:pay|paying) (?:up ?front|in advance|ahead)\b|\bup ?front\b/g, 'deposit'],
  [/\bno[ -]?shows?\b/g, 'noshow'],
  [/\b(?:medical|health|dental) (?:plan|coverage|benefits)\b/g, 'insurance'],
  [/\b(?:months?|weeks?) along\b/g, 'pregnan'],
  // "Last week" is when, not how long a result lasts.
  [/\blast (?:night|week|weekend|month|year|time|summer)\b/g, ' '],
  [/\bblood ?thinn\w*/g, 'thinner'],
  [/\bfish oil\b/g, 'thinner'],
  [/\bgift ?cards?\b/g, 'gift'],
  [/\bpayment plans?\b/g, 'financ'],
  [/\bcare ?credit\b/g, 'financ'],
  [/\bapple ?pay|google ?pay\b/g, 'pay'],
  [/\btouch[ -]?ups?\b/g, 'touchup'],
  [/\bgood[ -]faith\b/g, 'goodfaith'],
  [/\bkick in\b/g, 'result'],
  // A baby is a pregnancy only when it is on its way ("can I bring my baby" is not; nor "baby aspirin").
  [/\b(?:trying for|having|expecting|want) an? (?:baby|babies)\b|\bbaby on the way\b|\bbefore the baby\b/g, 'pregnan'],
  // "Lift" is a face lifted by filler, a thread lift or a lift to the second floor, and weights for the gym.
  [/\blift(?:s|ing)? weights?\b|\bweight ?lifting\b/g, 'exercise'],
  [/\bthread ?lifts?\b/g, 'threadlift'],
  // How long someone has done the work is not who they are: no knowledge entry says it unless it uses the words.
  [/\bhow (?:long|many years) (?:has|have) [a-z]+(?: [a-z]+)? (?:been )?(?:doing|injecting|working|practi[cs]ing|in)\b|\byears? of experience\b/g, 'tenure'],
];

export function tokens(text: string): string[] {
  // A pronoun's contraction is no word of its own: "I'd" is not "ID" (a photo ID), nor "I'll" "ill",
  // once the apostrophe is gone.
  let t = text.toLowerCase().replace(/\b(?:i|you|we|they|he|she|it|that|what|there)[\u2019'](?:d|m|s|ve|ll|re)\b/g, ' ');
  for (const [re, to] of PHRASES) t = t.replace(re, ` ${to} `);
  t = t.replace(/[\u2019']/g, '');
  return t
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => {
      const s = stem(w);
      return SYNONYMS[w] ?? SYNONYMS[s] ?? s;
    });
}

/**
 * The words callers use whatever they call about ("husband", "appointment", "tomorrow", "worried"):
 * the retrieval words found in caller lines of at least GENERAL_MIN_INTENTS different intents. A
 * word only ever used to ask one kind of thing ("dog", "restroom", "waitlist") is a topic, and a
 * topic the knowledge base never mentions is one it cannot answer. Built from the caller corpus by
 * `npm run nlu -- train` (general-words.json), never picked by hand. Pure.
 */
export function generalWords(lines: readonly { text: string; intents: readonly string[] }[]): string[] {
  const intents = new Map<string, Set<string>>();
  for (const u of lines) {
    for (const t of new Set(tokens(u.text))) {
      const seen = intents.get(t) ?? new Set<string>();
      for (const i of u.intents) seen.add(i);
      intents.set(t, seen);
    }
  }
  return [...intents].filter(([, s]) => s.size >= GENERAL_MIN_INTENTS).map(([w]) => w).sort();
}

/** Three kinds of line: two or four give the same knowledge cross-validation within 0.1% and one wrong entry. */
const GENERAL_MIN_INTENTS = 3;

/** A light stemmer: plural and -ing/-ed endings, enough for "parked" ~ "parking" ~ "park". */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}
