// Which service a caller means, from the catalogue's names, aliases and categories, tolerant of
// what recognisers and thumbs do to them: "hydro facial", "bo talks", "botx", "lazer hair".
// Matching compares space-free forms of word windows with a small edit-distance allowance, and
// failing that, how they sound (phonetic.ts: "boat ox", "die sport", "micro kneeling"). Pure.
import type { Service } from '../../booking/types.js';
import { soundDistance } from './phonetic.js';

interface Term {
  serviceId: string;
  compact: string;
  words: number;
  /** Exact name or alias: a strong match. */
  weight: number;
  /** Only an exact match counts (single words of the names). */
  exact?: boolean;
  /** The word is the category of the services it names ("laser"). */
  category?: boolean;
  /** Each word of it, as it sounds. */
  parts: string[];
  /** Its words as they sound, joined (what a window's sound is compared with). */
  heard: string;
}

export interface ServiceMatch {
  /** The best match; several when the words fit more than one equally ("filler"). */
  ids: string[];
  words: string;
  /** Other services clearly named in the same sentence ("dysport and the chemical peel"). */
  others: string[];
}

const compact = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A compact form as it sounds, so spellings of one sound meet: "peal" and "peel", "die sport" and
 * "dysport", "filer" and "filler", "feeler" one letter from "filler".
 */
function sounded(c: string): string {
  return c
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/ie|y/g, 'i')
    .replace(/ea/g, 'e')
    .replace(/([a-z])\1+/g, '$1');
}

/** A said word without the ending that makes it plural or past: "lasered", "facials", "fillers". */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Ordinary words a letter away from a service word, which must be said exactly to count. */
const EXACT_ONLY = new Set(['later', 'latest', 'lately', 'layer', 'taser', 'loser', 'lesser', 'fuller', 'filled', 'pill', 'still', 'boots', 'tax', 'toxic', 'report', 'support', 'sport', 'sports', 'passport', 'peeling', 'feeling', 'fillet', 'photo', 'feel', 'feels', 'felt', 'reel', 'heel', 'peer', 'pool', 'sorted', 'file', 'files', 'filed', 'filing', 'film', 'fiber', 'filter']);

/** Words of the dialog that sound near a service name and never stand for one ("cancel late" is no "consult"). */
const NEVER_BY_SOUND = /^(?:cancel|resched|appoint|book|call)/;

/** One said word near one word of a name: same first letter, few edits for its length. */
function nearWord(said: string, word: string): boolean {
  if (said === word) return true;
  const len = Math.max(said.length, word.length);
  const allowed = len >= 9 ? 2 : len >= 4 ? 1 : 0;
  return said[0] === word[0] && editDistance(said, word, allowed) <= allowed;
}

/** Letters as a recogniser writes them when spelled aloud: "eye pee el" is IPL, "pee are pee" PRP. */
const LETTER_NAMES: Record<string, string> = { eye: 'i', pee: 'p', el: 'l', are: 'r', ar: 'r', see: 'c', bee: 'b', dee: 'd', eff: 'f', gee: 'g', aitch: 'h', jay: 'j', kay: 'k', em: 'm', en: 'n', cue: 'q', ess: 's', tee: 't', vee: 'v', ex: 'x', zee: 'z' };
/** Letter names that are also everyday words: a run of only these is no spelling. */
const WORDLIKE_LETTERS = new Set(['eye', 'are', 'see', 'bee', 'tee', 'i', 'a']);

/**
 * The words of the text, with a run of spelled letters ("i p l", "eye pee el") made one word
 * ("ipl"); `said` keeps each word's own text, so the words reported are the caller's.
 */
function tokens(text: string): { words: string[]; said: string[] } {
  const raw = text.toLowerCase().replace(/[^a-z0-9' ]/g, ' ').split(/\s+/).filter(Boolean);
  const letter = (w: string): string | undefined => LETTER_NAMES[w] ?? (/^[a-z]$/.test(w) ? w : undefined);
  const words: string[] = [];
  const said: string[] = [];
  for (let i = 0; i < raw.length; ) {
    let j = i;
    while (j < raw.length && letter(raw[j] ?? '') !== undefined) j++;
    const run = raw.slice(i, j);
    if (run.length >= 2 && run.some((w) => !WORDLIKE_LETTERS.has(w))) {
      words.push(run.map((w) => letter(w) ?? '').join(''));
      said.push(run.join(' '));
      i = j;
    } else {
      words.push(raw[i] ?? '');
      said.push(raw[i] ?? '');
      i++;
    }
  }
  return { words, said };
}

/** Said before a service, words that rule it out: "Dysport, not Botox", "instead of the peel". */
function negatedAt(words: string[], i: number): boolean {
  let k = i - 1;
  if (/^(?:the|my|a|an|that)$/.test(words[k] ?? '')) k--;
  const w = words[k] ?? '';
  return w === 'not' || w === "don't" || (w === 'of' && words[k - 1] === 'instead') || (w === 'than' && words[k - 1] === 'rather');
}

/** Body areas as callers name them, in the catalogue's words. */
const AREAS: Record<string, string> = {
  lip: 'lip', lips: 'lip', chin: 'chin', underarm: 'underarm', underarms: 'underarm', armpit: 'underarm', armpits: 'underarm', pits: 'underarm',
  bikini: 'bikini', leg: 'leg', legs: 'leg', chest: 'chest', cheek: 'cheek', cheeks: 'cheek', forehead: 'forehead',
};

/** Words of aliases too ordinary to tell two services apart. */
const PLAIN_ALIAS_WORDS = new Set(['back', 'line', 'lines', 'full', 'upper', 'lower', 'area', 'with', 'the', 'and', 'hair', 'face', 'high', 'free']);

/** Body parts a service may be named for. */
const BODY_PARTS = new Set(['lip', 'cheek', 'chin', 'jaw', 'jawline', 'forehead', 'neck', 'eye', 'nose']);
/** Around a body part (at "_"), words that make it a treatment: "get my lips done", "do lips", "lips filled". */
const TREATED = /\b(?:do|doing|get|getting|have|having|had|want)\s+(?:my\s+|her\s+|the\s+)?_|_\s+(?:done|filled|fillered|plumped|injected|bigger|fuller|filler)\b/;

/** Name words too plain to name a service alone ("small", "area", "cheek"). */
const PLAIN_NAME_WORDS = new Set(['small', 'large', 'area', 'removal', 'hair', 'with', 'lip', 'cheek', 'face', 'good', 'faith', 'the', 'and']);

/** Levenshtein distance with an early exit above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Two rows, reused across calls (this runs for every word window against every name).
  if (rows.length < 2 * (b.length + 1)) rows = new Int32Array(4 * (b.length + 1));
  const w = b.length + 1;
  let prev = 0;
  let cur = w;
  for (let j = 0; j < w; j++) rows[j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j < w; j++) {
      const v = Math.min((rows[prev + j] ?? 0) + 1, (rows[cur + j - 1] ?? 0) + 1, (rows[prev + j - 1] ?? 0) + (ai === b.charCodeAt(j - 1) ? 0 : 1));
      rows[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return rows[prev + b.length] ?? max + 1;
}

let rows = new Int32Array(64);

/** How many words may stand between a service's name and a category word said of it ("IPL, is it a laser"). */
const CATEGORY_SAID_OF_WITHIN = 4;
/** Words that join two things named: "IPL and laser" are two. */
/** A count of what a treatment is priced in: "20 units", "a syringe", "per unit", "unit price". */
const MEASURE = /(?:^|\s)(\d+|a|an|one|two|three|per|each|the|many|few|of|half a)\s+(units?|syringes?|vials?)\b|\b(unit|syringe|vial)\s+(?:price|cost)\b/;
/** Saying a visit is a consultation. */
const CONSULT_WORD = /^consult(?:ation)?s?$/;
/** Words between a consultation and the service it is about: "a consult about getting the laser". */
const CONSULT_LINK = new Set(['for', 'about', 'on', 'regarding', 're', 'to', 'discuss', 'talk', 'see', 'the', 'my', 'a', 'an', 'some', 'maybe', 'possibly', 'getting', 'get', 'doing', 'starting', 'of']);
/** A consultation had already ("I had a consult for botox, now ..."). */
const CONSULT_HAD = new Set(['had', 'did', 'after', 'since', 'got', 'from', 'last']);
const JOINING = new Set(['and', 'or', 'plus', 'also', 'then', 'with', 'vs', 'versus', 'than', 'not']);

/** Words that are never part of a service name even when they look close to one. */
const STOP = new Set(['the', 'a', 'an', 'and', 'or', 'to', 'for', 'with', 'my', 'me', 'i', 'is', 'it', 'of', 'on', 'in', 'at', 'can', 'get', 'book', 'some', 'do', 'you']);

export interface ServiceMatcherOptions {
  /** Names also matched by how they sound (Double Metaphone). Default true. */
  phonetic?: boolean;
}

export class ServiceMatcher {
  private readonly terms: Term[] = [];
  private readonly phonetic: boolean;
  private readonly serviceIds: string[] = [];
  /** Each service's name and alias words (singular), for tie-breaks. */
  private readonly aliasWords = new Map<string, string[]>();
  /** Each service's name, lowercase. */
  private readonly nameOf = new Map<string, string>();
  /** A body part only one service is named for ("lip" -> Lip Filler), said as a treatment. */
  private readonly partOf = new Map<string, string>();
  /** Each service's category, compact ("laser" for IPL too, though its name has no "laser"). */
  private readonly categoryOf = new Map<string, string>();
  /** What each service is priced per ("unit", "syringe"), from its price text. */
  private readonly measureOf = new Map<string, string[]>();
  /** The consultation a service's new clients have first (Botox: the good-faith exam). */
  private readonly consultOf = new Map<string, string>();

  constructor(services: readonly Service[], options: ServiceMatcherOptions = {}) {
    this.phonetic = options.phonetic ?? true;
    for (const s of services) {
      if (!s.active) continue;
      this.serviceIds.push(s.id);
      this.nameOf.set(s.id, s.name.toLowerCase());
      this.categoryOf.set(s.id, compact(s.category));
      if (s.consultServiceId) this.consultOf.set(s.id, s.consultServiceId);
      const per = [...(s.priceText ?? '').toLowerCase().matchAll(/\bper (unit|syringe|vial)\b/g)].map((m) => m[1] ?? '');
      if (per.length > 0) this.measureOf.set(s.id, per);
      this.aliasWords.set(
        s.id,
        [s.name, ...s.aliases].flatMap((a) => a.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length > 2).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w)),
      );
      const names = new Set([s.name, ...s.aliases]);
      for (const n of names) {
        const c = compact(n);
        const parts = n.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((w) => sounded(w));
        if (c.length >= 2) this.terms.push({ serviceId: s.id, compact: c, words: n.trim().split(/\s+/).length, weight: 2, parts, heard: parts.join('') });
      }
    }
    // A word of the names counts alone when it is the category of the services named with it
    // ("laser" for both hair-removal services, not for IPL; "consultation" for both consultations),
    // or when only one service's name has it ("deluxe", "signature", "exam").
    const nameWords = new Map<string, Set<string>>();
    for (const s of services) {
      if (!s.active) continue;
      for (const w of s.name.toLowerCase().split(/[^a-z0-9]+/)) if (w.length >= 3 && !PLAIN_NAME_WORDS.has(w)) (nameWords.get(w) ?? nameWords.set(w, new Set()).get(w))?.add(s.id);
    }
    const named = (w: string): Service[] => services.filter((s) => s.active && s.name.toLowerCase().split(/[^a-z0-9]+/).includes(w));
    for (const part of BODY_PARTS) {
      const only = named(part);
      if (only.length === 1 && only[0]) this.partOf.set(part, only[0].id);
    }
    for (const s of services) {
      if (!s.active) continue;
      for (const [w, ids] of nameWords) {
        if (!ids.has(s.id)) continue;
        const isCategory = compact(s.category) === w;
        if (isCategory || ids.size === 1) this.terms.push({ serviceId: s.id, compact: w, words: 1, weight: 2, exact: true, category: isCategory, parts: [w], heard: w });
      }
    }
  }

  #signature: string | null = null;

  /** A text that differs whenever this matcher would match differently (its terms and names). */
  signature(): string {
    this.#signature ??= JSON.stringify([this.phonetic, this.terms, [...this.nameOf], [...this.aliasWords], [...this.partOf], [...this.categoryOf]]);
    return this.#signature;
  }

  /**
   * Breaks a tie between services with the words only one of them uses in its names and aliases
   * ("legs" -> large-area laser, "underarm" -> small-area). Keeps the tie when that settles nothing.
   */
  private byDistinctWords<T extends [string, unknown]>(tied: T[], words: string[]): T[] {
    const stem = (w: string): string => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w);
    // Body areas ("underarms", "legs") and the words of the names and aliases settle it; not
    // ordinary words that happen to be in them ("back" in "call me back", "line" in "fine lines").
    const said = new Set<string>();
    words.forEach((w, i) => {
      const prev = words[i - 1] ?? '';
      if (AREAS[w]) said.add(AREAS[w]);
      if (AREAS[`${prev}${w}`]) said.add(AREAS[`${prev}${w}`] ?? '');
      if (w === 'back' && (/^(?:my|her|his|the|full|upper|lower|whole)$/.test(prev) || /^(?:laser|hair)$/.test(words[i + 1] ?? ''))) said.add('back');
      else if (!PLAIN_ALIAS_WORDS.has(w)) said.add(stem(w));
    });
    const vocab = new Map(tied.map(([id]) => [id, new Set(this.aliasWords.get(id) ?? [])]));
    const scores = tied.map(([id]) => {
      const own = vocab.get(id) ?? new Set<string>();
      let n = 0;
      for (const w of own) if (said.has(w) && tied.every(([other]) => other === id || !vocab.get(other)?.has(w))) n++;
      return n;
    });
    const best = Math.max(...scores);
    if (best === 0) return tied;
    const winners = tied.filter((_, i) => scores[i] === best);
    return winners.length === 1 ? winners : tied;
  }

  /**
   * Of services tied on the words that named them, the one whose names are for another service
   * said with them ("a consult for Botox" is the injectables consultation, whose aliases say
   * "botox consult"); the tie stands when none or several are.
   */
  private forNamed(tied: string[], named: string[]): string[] {
    if (tied.length < 2 || named.length === 0) return tied;
    const words = named.flatMap((id) => (this.nameOf.get(id) ?? '').split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !PLAIN_NAME_WORDS.has(w)));
    const fits = tied.filter((id) => words.some((w) => this.aliasWords.get(id)?.includes(w)));
    if (fits.length === 1) return fits;
    // Consultations tied: the one the named services' new clients have ("a consultation for
    // dysport" is the good-faith exam), or, for services with none, the one that is no service's.
    const exams = new Set(this.consultOf.values());
    if (!tied.some((id) => exams.has(id))) return tied;
    const theirs = new Set(named.map((id) => this.consultOf.get(id)).filter((id): id is string => !!id && tied.includes(id)));
    if (theirs.size === 1) return [...theirs];
    const general = tied.filter((id) => !exams.has(id));
    return theirs.size === 0 && named.every((id) => !this.consultOf.has(id)) && general.length === 1 ? general : tied;
  }

  /**
   * "A consultation about laser hair removal", "a consult for the hydrafacial", "a microneedling
   * consultation": the visit is the consultation, and the service said with it is what it is about,
   * though its longer name outscores the one word. Not "I had a consult for botox, now I want it".
   * The consultations named, best first (tied ones together), or null.
   */
  private consultationAbout<V extends { score: number; at: [number, number] }>(ranked: [string, V][], best: [string, V][], words: readonly string[]): [string, V][] | null {
    const sayConsult = ([, v]: [string, V]): boolean => words.slice(v.at[0], v.at[1]).some((w) => CONSULT_WORD.test(w));
    if (best.every(sayConsult)) return null;
    const consults = ranked.filter(sayConsult);
    const first = consults[0]?.[1];
    const about = best.find((e) => !sayConsult(e))?.[1];
    if (!first || !about) return null;
    if (words.slice(Math.max(0, first.at[0] - 2), first.at[0]).some((w) => CONSULT_HAD.has(w))) return null;
    const between = first.at[1] <= about.at[0] ? words.slice(first.at[1], about.at[0]) : about.at[1] === first.at[0] ? [] : null;
    if (!between || between.length > 3 || !between.every((w) => CONSULT_LINK.has(w))) return null;
    return consults.filter(([, v]) => v.score === first.score);
  }

  /**
   * Services named by what they are measured in, when no name is said: "how much for 20 units" is
   * about the services priced per unit, "a syringe" those priced per syringe (read from each
   * service's price text, so a spa's own catalogue says which).
   */
  byMeasure(text: string): { ids: string[]; words: string } {
    const m = MEASURE.exec(text.toLowerCase());
    const said = (m?.[2] ?? m?.[3])?.replace(/s$/, '');
    if (!m || !said) return { ids: [], words: '' };
    return { ids: [...this.measureOf].filter(([, per]) => per.includes(said)).map(([id]) => id), words: m[0].trim() };
  }

  /** The active services' ids. */
  ids(): string[] {
    return [...this.serviceIds];
  }

  /**
   * Services the text names, best first. Longer matches win over shorter ones inside them
   * ("deluxe hydrafacial" beats "hydrafacial"); when the best words fit several services equally
   * ("filler" fits lip and cheek filler), all of them are returned for the dialog to ask.
   */
  match(text: string): ServiceMatch {
    const { words, said: saidWords } = tokens(text);
    // Every service a word window names, with its score and the category word it was named by, if so.
    const found: { id: string; score: number; i: number; n: number; category?: string }[] = [];
    // Each word as it sounds, once (every window of up to five words reuses it).
    const heardWords = words.map((w) => sounded(compact(stem(w))));
    const nearForms = words.map((w) => sounded(stem(w)));
    // The windows that can name a service, longest first, with what every match of them reads.
    const windows: { i: number; n: number; window: string[]; c: string; said: string; stemmed: string; exactOnly: boolean; soundable: boolean }[] = [];
    for (let n = Math.min(5, words.length); n >= 1; n--) {
      for (let i = 0; i + n <= words.length; i++) {
        const window = words.slice(i, i + n);
        if (STOP.has(window[0] ?? '') || STOP.has(window[n - 1] ?? '')) continue;
        if (negatedAt(words, i)) continue;
        const c = compact(window.join(''));
        if (c.length < 2) continue;
        const exactOnly = n === 1 && EXACT_ONLY.has(window[0] ?? '');
        const soundable = !exactOnly && !window.some((w) => EXACT_ONLY.has(w) || STOP.has(w) || NEVER_BY_SOUND.test(w));
        windows.push({ i, n, window, c, said: heardWords.slice(i, i + n).join(''), stemmed: stem(c), exactOnly, soundable });
      }
    }
    // By letters first; by sound only when the letters named nothing, so a sound-alike never
    // outranks or ties a name said. The sound pass takes the names the letters missed that a
    // window may sound like ("boat ox", "die sport"): said in at most two words more than the
    // name, no word of it one that must be said exactly; scored below any match by letters.
    const missed: [number, Term][] = [];
    windows.forEach(({ i, n, window, c, said, stemmed, exactOnly, soundable }, k) => {
      for (const t of this.terms) {
        // Edits allowed grow with length; a dropped letter ("botx") counts by the longer form,
        // but two different 4-letter words ("feel" / "peel") never match.
        const heard = t.heard;
        const len = Math.max(said.length, heard.length);
        const allowed = t.exact || exactOnly ? 0 : len >= 9 ? 2 : len >= 5 ? 1 : 0;
        // A name word may be cut short as callers do ("consult" for "consultation").
        const short = t.exact && c.length >= 7 && t.compact.startsWith(c);
        const same = c === t.compact || said === heard || short;
        // A near miss starts as the name does ("botx", "hi draw facial"; not "does a consult"),
        // and none is allowed in a short word: then no edit distance is worth computing.
        const d = same ? 0 : t.exact ? (stemmed === t.compact ? 0 : 1) : allowed === 0 || said[0] !== heard[0] ? allowed + 1 : editDistance(said, heard, allowed);
        if (d > allowed) {
          if (soundable && !t.exact && n <= t.words + 2) missed.push([k, t]);
          continue;
        }
        // Said in as many words as the name, each word must be near its own ("face feel" is no
        // "face peel", "this sorted" no "this port").
        if (d > 0 && n > 1 && n === t.parts.length && !window.every((_, m) => nearWord(nearForms[i + m] ?? '', t.parts[m] ?? ''))) continue;
        if (d > 0 && window.some((w) => EXACT_ONLY.has(w))) continue;
        // Score: length of what matched, exact beats fuzzy.
        found.push({ id: t.serviceId, score: c.length * t.weight - d * 3 + (d === 0 ? 1 : 0), i, n, ...(t.category ? { category: t.compact } : {}) });
      }
      // "get my lips done", "cheeks filled": a body part a service is named for, said as a treatment.
      const part = stem(window[0] ?? '');
      if (n === 1 && this.partOf.has(part) && TREATED.test(`${words.slice(Math.max(0, i - 2), i).join(' ')} _ ${words.slice(i + 1, i + 3).join(' ')}`)) {
        found.push({ id: this.partOf.get(part) ?? '', score: c.length * 2 + 1, i, n });
      }
    });
    if (found.length === 0 && this.phonetic) {
      for (const [k, t] of missed) {
        const w = windows[k];
        const d = w ? soundDistance(w.c, t.compact) : null;
        if (w && d !== null) found.push({ id: t.serviceId, score: w.c.length * t.weight - 3 * (d + 1), i: w.i, n: w.n });
      }
    }
    // A category word said of a service named by its own name just before or after is about that
    // service ("what is IPL, is it a laser?": IPL is in the laser category), not the others the word
    // names alone; not when the two are joined as two ("IPL and laser").
    const byName = found.filter((f) => !f.category);
    const saysOf = (f: (typeof found)[number]): boolean =>
      byName.some((g) => {
        if (this.categoryOf.get(g.id) !== f.category || (g.i < f.i + f.n && f.i < g.i + g.n)) return false;
        const between = g.i < f.i ? words.slice(g.i + g.n, f.i) : words.slice(f.i + f.n, g.i);
        return between.length <= CATEGORY_SAID_OF_WITHIN && !between.some((w) => JOINING.has(w));
      });
    // Best score per service, the word windows each matched (with their scores), and where its best one is.
    const per = new Map<string, { score: number; windows: Map<string, number>; words: string; at: [number, number] }>();
    for (const f of found) {
      const { id, score, i, n } = f;
      if (f.category && saysOf(f)) continue;
      const cur = per.get(id) ?? { score: 0, windows: new Map<string, number>(), words: '', at: [i, i + n] as [number, number] };
      const key = `${i}:${n}`;
      cur.windows.set(key, Math.max(cur.windows.get(key) ?? 0, score));
      if (score > cur.score) {
        cur.score = score;
        cur.words = saidWords.slice(i, i + n).join(' ');
        cur.at = [i, i + n];
      }
      per.set(id, cur);
    }
    if (per.size === 0) return { ids: [], words: '', others: [] };
    const spanOf = (key: string): [number, number] => {
      const [i = 0, n = 0] = key.split(':').map(Number);
      return [i, i + n];
    };
    const overlaps = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
    // How many separate places named a service: windows that overlap are one place.
    const places = (v: { windows: Map<string, number> }): number => {
      const spans = [...v.windows.keys()].map(spanOf).sort((a, b) => a[0] - b[0]);
      let n = 0;
      let end = -1;
      for (const [a, b] of spans) {
        if (a >= end) n++;
        end = Math.max(end, b);
      }
      return n;
    };
    // Rank by best score, then by how many places named it ("laser hair removal on my underarms").
    const ranked = [...per.entries()].sort((a, b) => b[1].score - a[1].score || places(b[1]) - places(a[1]));
    const top = ranked[0]?.[1];
    if (!top) return { ids: [], words: '', others: [] };
    let tied = ranked.filter(([, v]) => v.score === top.score && places(v) === places(top));
    // "microneedling ... with the prp": of a service and one whose name holds its name, both
    // named, the fuller one is meant.
    if (tied.length === 1) {
      const [id, v] = tied[0] ?? ['', top];
      const name = this.nameOf.get(id) ?? '';
      const fuller = ranked.find(([other, o]) => other !== id && (this.nameOf.get(other) ?? '').includes(name) && !overlaps(o.at, v.at));
      if (name && fuller) {
        tied = [fuller];
        ranked.splice(ranked.findIndex(([other]) => other === id), 1);
      }
    }
    // A tie is broken by the body areas and name words said, not by words another service was
    // named by ("botox, and the consultation").
    const breakTie = (group: typeof tied): typeof tied => {
      if (group.length < 2) return group;
      // Nor by the words that tied them: "consult" is one service's alias, yet fits both.
      const others = new Set<number>();
      for (const [, v] of ranked) for (let k = v.at[0]; k < v.at[1]; k++) others.add(k);
      return this.byDistinctWords(group, words.filter((_, k) => !others.has(k)));
    };
    tied = breakTie(tied);
    const consultation = this.consultationAbout(ranked, tied, words);
    if (consultation) tied = breakTie(consultation);
    const tiedIds = tied.map(([id]) => id);
    const best = tied[0]?.[1] ?? top;
    // Other services named elsewhere in the sentence, on words the best match did not use; a
    // family among them ("laser" for both areas) settled the same way.
    const usedAt = tied.flatMap(([, v]) => [...v.windows.keys()].map(spanOf));
    const elsewhere = ranked
      .filter(([id]) => !tiedIds.includes(id))
      .map(([id, v]): [string, typeof v] => {
        const free = [...v.windows.entries()].filter(([k]) => !usedAt.some((u) => overlaps(u, spanOf(k))));
        const score = Math.max(0, ...free.map(([, sc]) => sc));
        const at = spanOf(free.find(([, sc]) => sc === score)?.[0] ?? '0:0');
        return [id, { ...v, score, at }];
      })
      .filter(([, v]) => v.score >= 8);
    const others: string[] = [];
    for (const [id, v] of elsewhere) {
      if (others.includes(id)) continue;
      const group = elsewhere.filter(([, o]) => o.at[0] === v.at[0] && o.at[1] === v.at[1] && o.score === v.score);
      for (const [g] of breakTie(group)) if (!others.includes(g)) others.push(g);
      for (const [g] of group) if (!others.includes(g)) others.push(`-${g}`);
    }
    const named = others.filter((id) => !id.startsWith('-'));
    return { ids: this.forNamed(tiedIds, named), words: best.words, others: named };
  }
}
