// Rule-based understanding: deterministic, tested, and enough on its own to complete every
// scenario — the optional LLM only adds to it. Reads the canonical text (normalize.ts) and returns
// intents and slots. Pure: the catalogue and clock arrive as arguments.
import type { Provider } from '../../booking/types.js';
import { toE164 } from '../../shared/phone.js';
import type { Intent, Understanding } from '../types.js';
import type { UtteranceContext } from '../nlu/corpus.js';
import { aheadOfTreatment, withoutOtherEmergencies } from '../nlu/urgent.js';
import { extractName } from './names.js';
import { normalizeUtterance } from './normalize.js';
import { findProvider, namesAProvider } from './providers.js';
import type { ServiceMatcher } from './services.js';
import { parseWhen } from './when.js';

export { extractName } from './names.js';

export interface RulesContext {
  now: number;
  zone: string;
  services: ServiceMatcher;
  providers: readonly Provider[];
  /** The dialog is waiting for a name: a bare "Jane Smith" is one. */
  expectingName?: boolean;
  /** What the receptionist had just asked (the learned model reads answers in its light). */
  after?: UtteranceContext;
}

const YES = /^(?:yes|yeah|yea|yep|yup|ya|yah|yas|yass|yess+|yeahh+|yepp+|mhm+|mm hmm|uh huh|kk|okie|okey|oki|sure|correct|right|that's right|that is right|ok|okay|sounds good|perfect|great|please do|go ahead|absolutely|definitely|that works|works for me|book it|confirm|of course|exactly|affirmative|that's correct|that one)\b|\b(?:yes|yeah|yep|sounds good|that works|please book|book it|go ahead)\b/;
const NO = /^(?:no|nope|nah|not really|wrong|that's wrong|incorrect|negative|neither|never mind|nevermind|forget it)\b|\b(?:that's not right|doesn't work|does not work|won't work|can't make|cannot make|no thanks|no thank you)\b/;

const PATTERNS: [Intent, RegExp][] = [
  ['reschedule', /\b(?:reschedule|re schedule|move (?:my|it|the|that)|change (?:my|the) (?:appointment|booking|time|day)|push (?:it|my appointment) back|different (?:day|time) for my|switch my appointment)\b/],
  ['cancel', /\bcancel(?:l?ed)?\b(?! ?(?:ation|lation)?(?: policy| fee))(?!lation)/],
  ['my-appointment', /\b(?:when is my|what time is my|when's my|do i have an? (?:appointment|booking)|confirm my (?:appointment|booking)|check (?:on )?my (?:appointment|booking)|what day is my|is my appointment|when (?:am|was) i (?:supposed|scheduled|booked|due|meant) to (?:come|be)|what (?:time|day) (?:am|was) i (?:supposed|scheduled|booked|due|coming)|(?:forgot|blanked(?: on)?|(?:do ?n[o']?t|can ?n?[o']?t) remember) (?:when|what time|what day) (?:i am|i'm|im|i was|my))\b/],
  ['human', /\b(?:(?:speak|talk|chat) (?:to|with) (?:a |an |the |someone|somebody|anyone|real|live|human|person|staff|receptionist)|real person|live person|human being|a human|a person|someone real|front desk|receptionist|operator|representative|transfer me|connect me|put me through|speak to someone|talk to someone|a manager|call me back)\b/],
  ['price', /\b(?:how much|price|prices|pricing|cost|costs|charge|rates?|expensive|fee for|what do you charge|per unit|per syringe)\b/],
  ['hours', /\b(?:hours|what time do you (?:open|close)|when do you (?:open|close)|are you open|open on|open (?:today|tomorrow|now|late|sunday|saturday)|closing time|opening time|when are you open|still open)\b/],
  ['location', /\b(?:where are you|address|located|location|parking|park\b|directions|find you|how do i get)\b/],
  ['book', /\b(?:book|booking|schedule|appointment|make an? appointment|come in|get in|availability|available|openings?|slots?|reserve|sign me up|set me up|fit me in|do you have (?:anything|any time|time|an opening|something)|can i come|could i come|i'd like (?:a|an|to get|to do|to try)|i want (?:a|an|to get)|i need (?:a|an)|interested in (?:getting|booking))\b/],
  ['goodbye', /\b(?:bye|goodbye|good bye|that's all|that is all|that's it|that's everything|nothing else|no that's it|i'm all set|all set|have a (?:good|great|nice) (?:one|day|night)|i'm good|we're good|i'm done)\b/],
  ['thanks', /\b(?:thanks|thank you|thank u|thx|appreciate it)\b/],
  ['greeting', /^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b/],
];

const SYMPTOM = /\b(?:swell(?:ing)?|swollen|puffy|vision|blurry|blurred|can't see|cannot see|blind|severe pain|lot of pain|really painful|very painful|excruciating|throbbing|(?:skin|lips?|area|it)(?: is| are|'s)? (?:turning |turned |going |gone )?(?:white|pale|blue|gray|grey|purple|dusky|blotchy)|blanch(?:ing)?|trouble breathing|can't breathe|hard to breathe|short of breath|allergic reaction|hives|fever|pus|oozing|infected|infection|numb(?:ness)?|weakness|drooping|droopy eyelid|blister(?:s|ing)?|bleeding)\b/;
const ALARMING = /\b(?:vision|blurry|blurred|can't see|cannot see|blind|trouble breathing|can't breathe|hard to breathe|short of breath|white|pale|blue|gray|grey|dusky|blotchy|blanch|emergency|911)\b/;
const FIRST_PERSON_NOW = /\b(?:my|i have|i've got|i got|i am|i'm|i had|since|yesterday|this morning|last night|today|right now|getting worse|won't stop|keeps|help)\b/;
/**
 * Numbing as something the spa does ("do you numb my lips first", "will they numb me", "numbing
 * cream"): a question about a treatment ahead, not numbness being reported.
 */
const NUMBING_DONE = /\b(?:do|does|will|would|can|could|did) (?:you|u|they|y'all|the (?:nurse|injector|provider|doctor))(?: guys)? (?:numb|use numbing)\b|\bnumbing (?:cream|gel|agent|spray)\b/g;
const HYPOTHETICAL = /\b(?:will i|would i|is it normal to|should i expect|what if|can you get|do people get|typical|usually|how long does (?:the )?swelling)\b/;

/** A phone number in the text (10+ digits, spaces and dashes allowed; commas when read out in groups), as E.164. */
export function extractPhone(text: string): string | undefined {
  const m = /\+?\d[\d\s().-]{8,}\d/.exec(text) ?? /\+?\d[\d\s().,-]{8,}\d/.exec(text);
  if (!m) return undefined;
  const digits = m[0].replace(/[^\d+]/g, '');
  if (digits.replace('+', '').length < 10) return undefined;
  return toE164(digits) ?? undefined;
}

/** A pick from an offered list: "the second one", "later is better", "whatever's earliest", "option 2", "the 3". */
const PICK =
  /(?:^|\b(?:the|that|take|with|prefer|do|want|um|uh|yeah|ok|okay|so|whatever's|whatever is|whatever|whichever's|whichever is|whichever|just|your)\s+)(?:very\s+)?(first|1st|second|2nd|third|3rd|last|later|latter|latest|former|earlier|earliest|middle)\b(?!\s+(?:time|visit|available|thing|opening|appointment|appt|session|name|week|month|minute|min)\b)|\b(?:option|number|#)\s?([123])\b|\bthe ([123])\s*(?:one|pls|please)?[.!]?$/;
const PICK_INDEX: Record<string, number> = { first: 0, '1st': 0, former: 0, earlier: 0, earliest: 0, second: 1, '2nd': 1, middle: 1, third: 2, '3rd': 2, '1': 0, '2': 1, '3': 2 };

/** Which offered item the words pick: 0 first, 1 second, 2 third, -1 the last or later one. */
export function pickFromList(text: string): number | undefined {
  const m = PICK.exec(text);
  const w = m?.[1] ?? m?.[2] ?? m?.[3];
  return w === undefined ? undefined : PICK_INDEX[w] ?? -1;
}

/** Which of the rules' intent patterns the canonical text matches (hints for the learned model). */
export function rulePatternHits(text: string): string[] {
  const hits: string[] = [];
  for (const [intent, re] of PATTERNS) if (re.test(text)) hits.push(intent);
  if (SYMPTOM.test(text)) hits.push('symptom');
  if (ALARMING.test(text)) hits.push('alarming');
  if (HYPOTHETICAL.test(text)) hits.push('hypothetical');
  if (YES.test(text)) hits.push('yes');
  if (NO.test(text)) hits.push('no');
  return hits;
}

export function understandRules(raw: string, ctx: RulesContext): Understanding {
  const text = normalizeUtterance(raw);
  const medical = withoutOtherEmergencies(text).replace(NUMBING_DONE, 'numbing asked');
  const intents: Intent[] = [];
  for (const [intent, re] of PATTERNS) if (re.test(text)) intents.push(intent);

  const symptom = SYMPTOM.test(medical);
  if (symptom && (ALARMING.test(medical) || (FIRST_PERSON_NOW.test(medical) && !HYPOTHETICAL.test(medical) && !aheadOfTreatment(medical)))) intents.unshift('urgent');
  if (/\b(?:emergency|911)\b/.test(medical) && !intents.includes('urgent')) intents.unshift('urgent');

  // "cancellation policy" is a question, not a cancel.
  if (/\bcancell?ation (?:policy|fee)\b/.test(text)) {
    const i = intents.indexOf('cancel');
    if (i >= 0) intents.splice(i, 1);
  }
  // Moving or cancelling an appointment mentions "appointment" too: that is not a new booking.
  if (intents.some((i) => i === 'reschedule' || i === 'cancel' || i === 'my-appointment')) {
    const i = intents.indexOf('book');
    if (i >= 0) intents.splice(i, 1);
  }

  const named = ctx.services.match(text);
  // Nothing named, but what it is measured in: "how much for 20 units".
  const svc = named.ids.length > 0 ? named : { ...named, ...ctx.services.byMeasure(text) };
  const when = parseWhen(text, ctx.now, ctx.zone, { listOffered: ctx.after === 'choose' || ctx.after === 'service' }) ?? undefined;
  const question = /\?/.test(raw) || /^(?:what|how|when|where|why|who|which|do you|does|is|are|can|could|will|would|should)\b/.test(text);

  const u: Understanding = {
    intents,
    yes: YES.test(text) && !/^(?:no|nope)\b/.test(text),
    no: NO.test(text),
    services: svc.ids,
    correction: /^(?:no|nope|actually|sorry|wait|oh)\b|\b(?:actually|instead|rather|change (?:it|that) to|make it|make that|i meant|i mean|switch (?:it|that) to)\b/.test(text),
    question,
    text,
  };
  if (svc.ids.length > 0) u.serviceWords = svc.words;
  if (svc.others.length > 0) u.otherServices = svc.others;
  if (when) u.when = when;

  // A provider named, never while the caller is giving their own name (a client may share a
  // provider's surname).
  const providerId = ctx.expectingName ? undefined : findProvider(text, ctx.providers);
  if (providerId) u.providerId = providerId;
  if (/\b(?:anyone|anybody|whoever|no preference|doesn't matter|does not matter|don't care|any provider|either|whoever's free)\b/.test(text)) u.anyProvider = true;

  const phone = extractPhone(text);
  if (phone) u.phone = phone;
  const name = extractName(text, ctx.expectingName === true && !phone, { raw });
  // "with Jordan Ellis" names the provider, not the caller.
  if (name && !(ctx.expectingName !== true && u.providerId && namesAProvider(name, ctx.providers))) u.name = name;

  // An ordinal picks from a list only when one was offered (times, or treatments to choose from):
  // "the earliest" asked for a day is as-soon-as-possible, "my first time" is no pick.
  const offered = ctx.after === undefined || ctx.after === 'choose' || ctx.after === 'service';
  const choice = offered ? pickFromList(text) : undefined;
  if (choice !== undefined) u.choice = choice;
  // A plain "yes" names no service even if "yes" were an alias; a bare service word is not a name.
  if (u.name && svc.ids.length > 0 && svc.words.includes(u.name.toLowerCase())) delete u.name;
  return u;
}
