// The urgent-symptom lexicon: signs of a treatment complication in the words people use for them
// ("my lip looks kind of white", "i cant open my eye all the way", "it's hot and oozing"), reported
// as happening to the caller now. It backs up the learned detector (model.ts) and errs toward
// escalating: a question about symptoms in general ("is bruising normal after filler?") is not
// urgent, but one that says it is happening to them is, even when worded as "is it normal that...".
// Written from clinical warning signs, not from the corpus. Pure.

/** Signs that are an emergency whoever asks: breathing, vision, a blanching or darkening area. */
const ALARMING = new RegExp(
  [
    String.raw`\b(?:can't|cannot|cant|hard to|trouble|difficulty|struggling to) (?:breathe|breath|breathing|swallow|swallowing)\b`,
    String.raw`\bshort(?:ness)? of breath\b`,
    String.raw`\b(?:throat|tongue)\b.{0,30}\b(?:closing|swell|swelling|swollen|tight|thick)\b`,
    String.raw`\b(?:vision|eyesight)\b.{0,30}\b(?:blur|blurry|blurred|gone|lost|double|dark|spots|weird|off|funny|strange|changed|fuzzy|dim)\b`,
    String.raw`\b(?:blurry|blurred|double|lost|losing|loss of|no) (?:vision|eyesight)\b`,
    String.raw`\b(?:can't|cannot|cant) see\b`,
    String.raw`\b(?:went|gone|going|goes) blind\b`,
    String.raw`\b(?:lips?|skin|area|face|cheeks?|nose|chin|forehead|spot|patch|it|it's|its|looks?|looking|turned|turning|gone|going|went)\b.{0,25}\b(?:white|whitish|pale|grey|gray|greyish|grayish|blue|bluish|purple|purplish|dusky|blotchy|mottled|lacy|dark|black)\b`,
    String.raw`\bblanch(?:ed|ing)?\b`,
    String.raw`\b(?:911|emergency|ambulance|emergency room|urgent care|anaphyla\w*)\b`,
    String.raw`\b(?:chest pain|passing out|passed out|fainted|fainting)\b`,
  ].join('|'),
);

/** Other complications: pain out of the ordinary, infection, allergy, burns, a drooping lid. */
const SYMPTOM = new RegExp(
  [
    String.raw`\b(?:hurts?|hurting|pain|painful|aching|aches|sore|throbbing|stinging|burning|burns?|burnt|burned)\b`,
    String.raw`\b(?:swell|swelled|swelling|swollen|puffy|puffed|bump|lump|lumps|bumps|knot|hard spot)\b`,
    String.raw`\b(?:hives|rash|itchy|itching|welts|allergic|reaction)\b`,
    String.raw`\b(?:fever|feverish|chills|pus|oozing|ooze|leaking|draining|infected|infection|hot to the touch|warm to the touch|red streaks?|spreading)\b`,
    String.raw`\b(?:blister|blisters|blistering|blistered|scab|scabbing|raw|peeling off in sheets)\b`,
    String.raw`\b(?:droop|droopy|drooping|droops|sagging|heavy eyelid|eyelid|can't open my eye|cant open my eye|can't close my eye|crooked smile|uneven smile)\b`,
    String.raw`\b(?:bleeding|bleeds|won't stop bleeding)\b`,
    String.raw`\b(?:dizzy|dizziness|vomiting|throwing up|severe headache|worst headache|migraine)\b`,
    String.raw`\b(?:crust|dead skin|black|dark spot|turning dark)\b`,
  ].join('|'),
);

/** It is happening to the person speaking, now or since a treatment. */
const MINE_NOW = new RegExp(
  [
    String.raw`\b(?:my|mine|i'm|i am|im|i've|i have|ive|i got|i had|i feel|i can't|i cant|i cannot|me)\b`,
    String.raw`\b(?:since|yesterday|this morning|last night|today|tonight|right now|now|still|getting worse|worse|won't stop|wont stop|keeps|keep|started|starting|suddenly|just)\b`,
    String.raw`\b(?:my (?:daughter|son|wife|husband|mom|mother|friend|sister|partner))\b`,
  ].join('|'),
);

/** A question about symptoms in general, not a report of one. */
const GENERAL = /\b(?:hypothetically|what counts as|is it normal (?:to|for)|is (?:bruising|swelling|redness|some pain|pain|tenderness|a bruise|numbness|itching|peeling|flaking)\b.{0,25}\bnormal|will i (?:bruise|swell|be swollen|have)|would i|should i expect|what if|what are the (?:risks|side effects)|side effects|risks?|can you get|do people (?:get|usually)|how long does (?:the )?(?:swelling|bruising|redness|numbness|pain)|how common|typical|usually|in general|what happens if|what should i do if|what are the signs|warning signs)\b/;

/**
 * Asking whether a treatment hurts before having it ("does microneedling hurt?", "will it hurt a
 * lot?"), with nothing said of one already had: a question, not pain being reported.
 */
const WILL_IT_HURT = /\b(?:does|do|will|would) (?:it|that|this|\w+ing(?: \w+){0,3}|(?:the )?\w+(?: \w+)?) (?:hurt|be painful)\b/;
const HAD_ONE = /\b(?:after|since|yesterday|last night|this morning|days?|weeks?|still|now|today|got|had)\b/;

/** "Bump my appointment up": moving a visit, not a bump on the skin. */
const BUMP_A_VISIT = /\bbump(?:ed|ing)? (?:me|it|(?:my|the) \w+(?: \w+){0,2}) (?:up|forward|earlier|sooner)\b/g;

/**
 * The treatment is still ahead: "will my lips be swollen for the wedding", "is my lip going to
 * swell", "I have a cold sore, should I move my filler", "can I still get a facial", "thinking of
 * lip filler but I'm nervous about the pain", "I'm scared it will hurt": a question or a worry
 * before a visit, not a complication of one. A worry about a sign on the caller ("worried about
 * the swelling", "... in my lip") is not one of these.
 */
const AHEAD =
  /\b(?:(?:nervous|worried|scared|afraid|anxious|apprehensive|terrified|concerned)(?: about| of| that)? (?:(?:the |any |getting |how much )?(?:pain|needles?)|(?:any |getting |how much )?(?:bruis\w*|swell\w*)|(?:the |any )?(?:side effects|downtime)|it(?:'ll| will| would| is going to) (?:hurt|sting|be painful))(?! (?:in|on|of|around|under) my)|(?:interested in|thinking (?:about|of)|considering|looking into|planning (?:on|to)|first time (?:getting|doing|having)) (?:getting |doing |having |trying )?(?:my |some |a |an )?(?:lips?|filler|fillers|botox|dysport|tox|injections?|injectables?|laser|peel|facial|hydrafacial|microneedling|ipl|treatment|it done|them done)\b|(?:it|that|this)(?:'ll| will| would| is going to|'s going to) (?:hurt|be painful|sting)|will (?:my|the|it|i|they) (?:\w+ )?(?:be|get|look|swell|bruise|hurt|peel)|(?:is|are) (?:it|they|my \w+|the \w+) going to|how (?:swollen|bruised|red|sore|puffy|bad|long) (?:will|would)|should i (?:move|reschedule|cancel|postpone|push|wait)|can i still (?:get|do|have|come|book|go)|before my (?:appointment|treatment|visit|session|filler|botox|facial|peel|laser))\b/;
/** ...unless a treatment was had: then it is a report after all ("I had filler yesterday, will it stay this swollen?"). */
const HAD_TREATMENT =
  /\b(?:i had|i got|i did|had my|got my|did my|had (?:it|them|filler|botox|the)|since (?:my|the|then|yesterday)|yesterday|last (?:night|week)|this morning|(?:days?|weeks?) (?:ago|after)|right now|getting worse|won't stop|wont stop|still(?! (?:get|do|have|come|book|go)\b))\b/;

/** Words that say a treatment was had ("I got", "since my", "3 days ago"). */
export function saysTreatmentHad(text: string): boolean {
  return HAD_TREATMENT.test(text);
}

/** A worry about a treatment still ahead, with no treatment said to have been had. */
export function aheadOfTreatment(text: string): boolean {
  return AHEAD.test(text) && !HAD_TREATMENT.test(text);
}

/** Colour words that name no sign: "a black tie event", "Black Friday", "Blue Cross". */
const NOT_A_SIGN = /\b(?:black (?:tie|friday|dress|card|coffee|and white)|blue (?:cross|shield)|white (?:wine|dress|tee|t-shirt|sale))\b/g;

const MILD = /\b(?:a (?:little|tiny|bit|little bit)|slight|slightly|mild|mildly|minor|small|tiny|kinda|kind of|a touch)\b/;
const SEVERE = /\b(?:really|very|so|super|severe|severely|bad|badly|awful|terrible|unbearable|excruciating|worse|worst|worsening|getting worse|killing|huge|massive|a lot|won't stop|wont stop|can't|cant)\b/;

/**
 * The text without emergencies that are not medical ("sorry, family emergency, I need to cancel"):
 * a reason to move an appointment, not a complication.
 */
export function withoutOtherEmergencies(text: string): string {
  return text.replace(NOT_MEDICAL_EMERGENCY, 'matter');
}

const NOT_MEDICAL_EMERGENCY =
  /\b(?:family|work|personal|child ?care|babysitter|babysitting|home|house|plumbing|car|pet|dog|cat|vet|school|business|office|kid|kids|housing|travel) emergenc(?:y|ies)\b/gi;

/** Colours the lexicon reads as a sign that are also surnames: "it's Sarah White", "this is Jim Gray". */
const SURNAME_COLOURS = new Set(['white', 'black', 'gray', 'grey', 'blue', 'lacy']);

/**
 * Words that, read as part of the caller's name beside a colour, show the colour is a sign, not a
 * surname ("it's turning white", "lips gone blue", "pale blue"); the name reader stops at most
 * other such words itself ("really", "getting", "kinda"). The colours of SURNAME_COLOURS are not
 * listed: a name made only of them is never put aside.
 */
const SIGN_WORDS = new Set(['lip', 'lips', 'skin', 'area', 'face', 'cheek', 'cheeks', 'nose', 'chin', 'forehead', 'spot', 'patch', 'eye', 'eyes',
  'eyelid', 'mouth', 'jaw', 'tongue', 'turning', 'turned', 'turns', 'gone', 'went', 'goes', 'looks', 'looking', 'looked', 'seems', 'feels', 'became',
  'becoming', 'totally', 'completely', 'almost', 'slightly', 'mostly', 'more', 'most', 'all', 'sort', 'whiteish', 'whitish', 'pale', 'bluish',
  'purple', 'dark', 'dusky', 'blotchy', 'mottled']);

/**
 * The text with the caller's own name put aside (as "pname") when a word of that name is a colour
 * the lexicon reads as a sign ("it's Sarah White", a misheard "white ross"): a name is no symptom.
 * Only a name of two words or more (a lone "White" may be the sign itself) whose other words could
 * be no sign ("it's turning white", "pale blue" are kept as said), and only where the name stands
 * in the text as said; otherwise null, and the text is read as it is.
 */
export function withoutColourSurname(text: string, name: string | undefined): string | null {
  const words = name?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const others = words.filter((w) => !SURNAME_COLOURS.has(w));
  if (words.length < 2 || others.length === words.length || others.length === 0) return null;
  if (others.some((w) => SIGN_WORDS.has(w) || SYMPTOM.test(w))) return null;
  const said = new RegExp(String.raw`\b${words.map((w) => w.replace(/[^a-z'-]/g, '')).join(String.raw`[\s,.-]+`)}\b`, 'i');
  return said.test(text) ? text.replace(said, 'pname') : null;
}

/** Urgent by the lexicon: an alarming sign, or a complication reported as the speaker's own. */
export function urgentByLexicon(text: string): boolean {
  const t = withoutOtherEmergencies(text.toLowerCase().replace(/[\u2019]/g, "'")).replace(BUMP_A_VISIT, 'move').replace(NOT_A_SIGN, 'thing');
  const mine = MINE_NOW.test(t);
  const general = GENERAL.test(t);
  if (ALARMING.test(t)) return mine || !general;
  if (!SYMPTOM.test(t)) return false;
  if (WILL_IT_HURT.test(t) && !HAD_ONE.test(t)) return false;
  if (aheadOfTreatment(t)) return false;
  // "a little sore", "slightly swollen": expected after most treatments, not a complication.
  if (MILD.test(t) && !SEVERE.test(t)) return false;
  return mine && !general ? true : mine && /\b(?:since|yesterday|this morning|last night|right now|getting worse|won't stop|wont stop|still|started)\b/.test(t);
}
