// A caller's own name, said, typed or spelled: "my name is Jane Smith", "it's jane", "j a n e
// smith", "m-a-r-i-s-o-l ruiz", "This is Mrs. Patricia O'Neill", "first name Ingrid, surname
// Halvorsen". What follows "I'm" is often no name at all ("I'm off that day", "I'm rather keen"):
// there the word must look like one, and where the writer uses capitals, be written with one. Pure.

export interface NameOptions {
  /** The caller's text as written, for its capitals. */
  raw?: string;
}

const NOT_A_NAME = new Set(['calling', 'looking', 'interested', 'wondering', 'trying', 'just', 'not', 'a', 'an', 'the', 'new', 'here', 'good', 'fine',
  'okay', 'ok', 'sure', 'sorry', 'still', 'about', 'going', 'gonna', 'hoping', 'asking', 'thinking', 'free', 'available', 'busy', 'ready',
  'yes', 'no', 'yeah', 'book', 'booking', 'want', 'wanted', 'need', 'like', 'hi', 'hello', 'hey', 'um', 'uh', 'so', 'well', 'and', 'i', 'my',
  'please', 'thanks', 'thank', 'you', 'it', 'is', 'name', 'this', 'that', 'for', 'with', 'to', 'at', 'on', 'in', 'calling', 'regarding',
  'after', 'due', 'supposed', 'scheduled', 'booked', 'coming', 'running', 'late', 'having', 'getting', 'feeling', 'worried', 'pregnant',
  'breastfeeding', 'allergic', 'curious', 'afraid', 'glad', 'happy', 'really', 'very', 'also', 'your', 'her', 'his', 'their', 'our',
  'today', 'tomorrow', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'morning', 'afternoon', 'evening',
  'next', 'week', 'wait', 'actually', 'maybe', 'probably', 'definitely', 'one', 'two', 'first', 'second', 'last', 'over', 'back',
  // Words that end a name or show there was none.
  "i'm", 'im', "i'd", "i'll", "i've", 'from', 'though', 'but', 'or', 'cancel', 'reschedule', 'move', 'change', 'confirm', 'check', 'speaking',
  'there', 'again', 'off', 'rather', 'quite', 'keen', 'all', 'right', 'stuck', 'prone', 'retired', 'married', 'engaged', 'tired', 'exhausted',
  'concerned', 'excited', 'nervous', 'scared', 'frightened', 'confused', 'currently', 'terribly', 'truly', 'honestly', 'only', 'too', 'now',
  'out', 'away', 'home', 'around', 'nearby', 'close', 'open', 'old', 'down', 'up', 'w', 'with', 'who', 'and', 'not', 'its', "it's", 'as', 'if',
  'because', 'since', 'when', 'what', 'was', 'will', 'would', 'can', 'could', 'do', 'did', 'have', 'had', 'be', 'been', 'the', 'of', 'by',
  'kinda', 'sorta', 'kind', 'sort', 'pretty', 'super', 'bit', 'little', 'literally', 'already', 'always', 'never', 'usually', 'finally',
  // What a request is about, said again in answer to "your name?" ("yes cancel my appt").
  'appt', 'appts', 'appointment', 'appointments', 'visit', 'session', 'consult', 'consultation']);

/** Words of when, not who. */
const WHEN_WORDS = new Set(['today', 'tomorrow', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'morning', 'afternoon', 'evening', 'next', 'week']);
const FILLERS = new Set(['um', 'uh', 'so', 'well', 'hi', 'hello', 'hey', 'yes', 'yeah', 'okay', 'ok', 'sure', 'and', 'sorry', 'oh', 'no']);
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'doctor']);
/** Small words inside a surname: "Fatima al Sayed", "Maria de la Cruz". */
const PARTICLES = new Set(['al', 'el', 'de', 'del', 'della', 'da', 'di', 'van', 'von', 'der', 'den', 'la', 'le', 'bin', 'ibn', 'abu', 'st', 'du', 'dos', 'das']);

/** After "I'm", a word that reads as an activity ("I'm hosting a dinner"), not a name ("Aisling"). */
function looksLikeState(w: string, next: string | undefined): boolean {
  return w.length >= 6 && w.endsWith('ing') && next !== undefined && /^(?:a|an|the|to|my|me|it|with|for|on|in|at|over|from|up|out|this|that|some|little|forward|around|about|into)$/.test(next);
}

function titleCase(s: string): string {
  return s.replace(/\b([a-z])([a-z'-]*)/g, (_m, a: string, b: string) => a.toUpperCase() + b);
}

/** Whether the writer uses capitals and wrote `word` without one ("I'm rather keen"). */
function writtenLowercase(word: string, raw: string | undefined): boolean {
  if (!raw || !/^[^a-z]*[A-Z]/.test(raw.trim())) return false;
  const m = new RegExp(String.raw`(?<![A-Za-z])${word.replace(/[^a-z'-]/g, '')}(?![A-Za-z])`, 'i').exec(raw);
  return m !== null && /^[a-z]/.test(m[0]);
}

/** Whether `word` is written with a capital by a writer who uses them. */
function writtenCapitalized(word: string, raw: string | undefined): boolean {
  if (!raw || !/^[^a-z]*[A-Z]/.test(raw.trim())) return false;
  return !writtenLowercase(word, raw) && new RegExp(String.raw`(?<![A-Za-z])${word.replace(/[^a-z'-]/g, '')}(?![A-Za-z])`, 'i').test(raw);
}

/** The name words at the start of `candidate`, or none. */
function nameWords(candidate: string, max: number, leadSkips: boolean): string[] {
  const words: string[] = [];
  const all = candidate.split(/\s+/).filter(Boolean);
  for (let i = 0; i < all.length; i++) {
    const w = all[i] ?? '';
    if (words.length === 0 && TITLES.has(w)) continue;
    if (NOT_A_NAME.has(w)) {
      // A piece that starts by saying when ("friday is better") names no one in what follows.
      if (words.length === 0 && leadSkips && WHEN_WORDS.has(w)) return [];
      // Fillers before a name are skipped ("um, jane"); "marcus uh okafor" keeps going.
      if (words.length === 0 && (leadSkips || FILLERS.has(w))) continue;
      if (words.length > 0 && (w === 'um' || w === 'uh') && all[i + 1] && !NOT_A_NAME.has(all[i + 1] ?? '')) continue;
      break;
    }
    if (!/^[a-z][a-z'-]*$/.test(w)) break;
    if (words.includes(w)) continue; // spelled out again: "aisling, a i s l i n g"
    words.push(w);
    if (words.length === max) break;
  }
  return words;
}

const STRONG = String.raw`my name is|my name's|name is|the name is|call me`;
const WEAK = String.raw`this is|i am|i'm|im`;

/** A name said or spelled: "my name is Jane Smith", "it's jane", "j a n e smith". */
export function extractName(text: string, bare: boolean, opts: NameOptions = {}): string | undefined {
  // Spelled letters ("j a n e", "m-a-r-i-s-o-l") are joined into one word; a title loses its period.
  const t = text
    .replace(/\b(?:[a-z] ){2,}[a-z]\b/g, (m) => m.replace(/ /g, ''))
    .replace(/\b(?:[a-z]-){2,}[a-z]\b/g, (m) => m.replace(/-/g, ''))
    .replace(/\b(mr|mrs|ms|miss|mx|dr)\.(?=\s)/g, '$1')
    .replace(/\s+/g, ' ');

  // "first name is Ingrid ... surname is Halvorsen"
  const first = /\bfirst name(?: is|'s)?\s+([a-z][a-z'-]+)/.exec(t);
  const last = /\b(?:last name|surname|family name)(?: is|'s)?\s+([a-z][a-z'-]+)/.exec(t);
  if (first?.[1] && last?.[1] && !NOT_A_NAME.has(first[1]) && !NOT_A_NAME.has(last[1])) return titleCase(`${first[1]} ${last[1]}`);

  // "people just call me Tom" is a nickname after the name, not the name.
  const nickname = /\b(?:people|everyone|everybody|they|friends|most people)(?: just)? call me\b/.test(t);
  // "it's Jane": said bare anywhere; otherwise at the start ("hi, it's maria lopez") or, mid-text,
  // only when written with a capital ("Forgive me, it's Ruth Mitchell", not "it's lumpy").
  const its = bare ? String.raw`\b(?:it's|it is|its|under)` : String.raw`(?:^|[.,!?] )(?:(?:hi|hey|hello|oh|um|uh|yeah|yes|yep|so|sorry|no|ok|okay|well)[, ]+)*(?:it's|its)`;
  // "Olivia Grant here, ...": a first and last name opening the call, as people answer phones.
  const here = /^(?:(?:hi|hey|hello|oh|um|uh|yeah|yes|so|ok|okay|well)[, ]+)*([a-z][a-z'-]+ [a-z][a-z'-]+) here\b(?! (?:for|to|at|in|on)\b)/.exec(t);
  const hereName = here?.[1] ? nameWords(here[1], 2, false) : [];
  if (hereName.length === 2) return titleCase(hereName.join(' '));
  const trigger = new RegExp(String.raw`(?:\b(${STRONG})|\b(${WEAK})|(${its}))\s+(?=([^.;!?]+))`, 'g');
  let triggered = false;
  for (let m = trigger.exec(t); m; m = trigger.exec(t)) {
    if (nickname && m[1] === 'call me') continue;
    triggered = true;
    // The name runs on past a comma only into a piece that is all name: "it is j o y, k e n t".
    const [head = '', ...rest] = (m[4] ?? '').split(',');
    const words = nameWords(head, 3, false);
    for (const piece of rest) {
      const more = nameWords(piece.trim(), 3, false);
      if (more.length === 0 || more.length < piece.trim().split(/\s+/).length) break;
      for (const w of more) if (!words.includes(w) && words.length < 3) words.push(w);
    }
    if (words.length === 0 || words.join('').length < 2) continue;
    const lead = words[0] ?? '';
    const next = head.split(/\s+/)[head.split(/\s+/).indexOf(lead) + 1];
    if ((m[2] || m[3]) && (looksLikeState(lead, next) || writtenLowercase(lead, opts.raw))) continue;
    if (m[3] && !bare && m.index > 0 && !writtenCapitalized(lead, opts.raw)) continue;
    return titleCase(words.join(' '));
  }
  // After "I'm" a word that is no name means there was none: "i'm calling about botox".
  if (triggered) return undefined;
  if (!bare) return undefined;

  // Said bare: the name words of the first pieces, "jane, d o e" -> Jane Doe.
  const words: string[] = [];
  for (const raw of t.split(/[.,;!?]+/)) {
    const piece = raw.replace(/[^a-z' -]/g, ' ').trim();
    const more = nameWords(piece, 5, true);
    // After the first piece with a name, only pieces that are all name add to it ("jane, botox" is Jane).
    if (words.length > 0 && more.length < piece.split(/\s+/).length) break;
    for (const w of more) if (!words.includes(w)) words.push(w);
    if (words.length >= 2) break;
  }
  if (words.length === 0 || words.join('').length < 2) return undefined;
  // A name is first and last: words in front are more likely a misheard lead-in ("my name is"
  // heard as "evans" or "martin evans") than middle names; a surname particle keeps its three.
  const keep = words.length === 3 && PARTICLES.has(words[1] ?? '') ? 3 : 2;
  if (words.length > keep) words.splice(0, words.length - keep);
  return titleCase(words.join(' '));
}
