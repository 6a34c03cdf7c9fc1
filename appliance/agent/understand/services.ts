// Which service a caller means, from the catalogue's names, aliases and categories, tolerant of
// what recognisers and thumbs do to them: "hydro facial", "bo talks", "botx", "lazer hair".
// Matching compares space-free forms of word windows with a small edit-distance allowance. Pure.
import type { Service } from '../../booking/types.js';

interface Term {
  serviceId: string;
  compact: string;
  words: number;
  /** Exact name or alias: a strong match. Category words are weak. */
  weight: number;
}

export interface ServiceMatch {
  /** The best match; several when the words fit more than one equally ("filler"). */
  ids: string[];
  words: string;
  /** Other services clearly named in the same sentence ("dysport and the chemical peel"). */
  others: string[];
}

const compact = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Levenshtein distance with an early exit above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/** Words that are never part of a service name even when they look close to one. */
const STOP = new Set(['the', 'a', 'an', 'and', 'or', 'to', 'for', 'with', 'my', 'me', 'i', 'is', 'it', 'of', 'on', 'in', 'at', 'can', 'get', 'book', 'some', 'do', 'you']);

export class ServiceMatcher {
  private readonly terms: Term[] = [];
  private readonly serviceIds: string[] = [];
  /** Each service's name and alias words (singular), for tie-breaks. */
  private readonly aliasWords = new Map<string, string[]>();

  constructor(services: readonly Service[]) {
    for (const s of services) {
      if (!s.active) continue;
      this.serviceIds.push(s.id);
      this.aliasWords.set(
        s.id,
        [s.name, ...s.aliases].flatMap((a) => a.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length > 2).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w)),
      );
      const names = new Set([s.name, ...s.aliases]);
      for (const n of names) {
        const c = compact(n);
        if (c.length >= 2) this.terms.push({ serviceId: s.id, compact: c, words: n.trim().split(/\s+/).length, weight: 2 });
      }
      const cat = compact(s.category);
      if (cat.length >= 4) this.terms.push({ serviceId: s.id, compact: cat, words: 1, weight: 1 });
    }
  }

  /**
   * Breaks a tie between services with the words only one of them uses in its names and aliases
   * ("legs" -> large-area laser, "underarm" -> small-area). Keeps the tie when that settles nothing.
   */
  private byDistinctWords<T extends [string, unknown]>(tied: T[], words: string[]): T[] {
    const stem = (w: string): string => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w);
    const said = new Set(words.map(stem));
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
    const words = text.toLowerCase().replace(/[^a-z0-9' ]/g, ' ').split(/\s+/).filter(Boolean);
    // Best score per service, and the word windows each matched.
    const per = new Map<string, { score: number; windows: Set<string>; words: string }>();
    for (let n = Math.min(5, words.length); n >= 1; n--) {
      for (let i = 0; i + n <= words.length; i++) {
        const window = words.slice(i, i + n);
        if (STOP.has(window[0] ?? '') || STOP.has(window[n - 1] ?? '')) continue;
        const c = compact(window.join(''));
        if (c.length < 2) continue;
        for (const t of this.terms) {
          // Edits allowed grow with length; a dropped letter ("botx") counts by the longer form,
          // but two different 4-letter words ("feel" / "peel") never match.
          const len = Math.max(c.length, t.compact.length);
          const allowed = len >= 9 ? 2 : len >= 5 ? 1 : 0;
          const d = c === t.compact ? 0 : editDistance(c, t.compact, allowed);
          if (d > allowed) continue;
          // Score: length of what matched, exact beats fuzzy, names beat categories.
          const score = c.length * t.weight - d * 3 + (d === 0 ? 1 : 0);
          const cur = per.get(t.serviceId) ?? { score: 0, windows: new Set<string>(), words: '' };
          cur.windows.add(`${i}:${n}`);
          if (score > cur.score) {
            cur.score = score;
            cur.words = window.join(' ');
          }
          per.set(t.serviceId, cur);
        }
      }
    }
    if (per.size === 0) return { ids: [], words: '', others: [] };
    // Rank by best score, then by how many places named it ("laser hair removal on my underarms").
    const ranked = [...per.entries()].sort((a, b) => b[1].score - a[1].score || b[1].windows.size - a[1].windows.size);
    const top = ranked[0]?.[1];
    if (!top) return { ids: [], words: '', others: [] };
    let tied = ranked.filter(([, v]) => v.score === top.score && v.windows.size === top.windows.size);
    if (tied.length > 1) tied = this.byDistinctWords(tied, words);
    const tiedIds = tied.map(([id]) => id);
    // Other services named elsewhere in the sentence, on words the best match did not use.
    const used = new Set(tied.map(([, v]) => v.words));
    const others = ranked
      .filter(([id, v]) => !tiedIds.includes(id) && v.score >= 8 && ![...used].some((u) => u.includes(v.words) || v.words.includes(u)))
      .map(([id]) => id);
    return { ids: tiedIds, words: top.words, others };
  }
}
