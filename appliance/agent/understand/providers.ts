// Which provider a caller names: by first name however a recogniser or a thumb spelled it
// ("sofie", "so fee", "may a chen", "jordon"), by last name after "with" or a title ("Ms. Bennett",
// "nurse bennet"); of two, the one meant ("maya, not sophie"), and none for "Maya or Jordan?". Pure.
import type { Provider } from '../../booking/types.js';
import { pickMention, type Mention } from './mentions.js';
import { soundDistance } from './phonetic.js';
import { editDistance } from './services.js';

/** A name as it sounds, roughly: "sophie", "sofie" and "so fee" all read "sofi"; "bennet" is "benet". */
function sound(s: string): string {
  return s
    .replace(/[^a-z]/g, '')
    .replace(/ph/g, 'f')
    .replace(/(?:ie|ee|ey|ea|y)$/, 'i')
    .replace(/y/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

/** Same name by sound; one letter off only for longer names ("jordon"), never "may" for "maya". */
function sameName(said: string, name: string): boolean {
  const a = sound(said);
  const b = sound(name);
  if (a === b) return a.length >= 3;
  if (a.length >= 5 && b.length >= 5 && a[0] === b[0] && editDistance(a, b, 1) <= 1) return true;
  // Or by Double Metaphone, when that says enough (four sounds: "jorden", "jordyn" for Jordan).
  return a[0] === b[0] && soundDistance(a, b) === 0;
}

const BEFORE_LAST = new Set(['with', 'ms', 'miss', 'mrs', 'mr', 'dr', 'doctor', 'nurse']);
const BEFORE_SPLIT = new Set(['with', 'to', 'wanted', 'want', 'see', 'book', 'not', 'and', 'or', 'is', 'its', "it's", 'the', 'for', 'by']);

interface Token {
  word: string;
  start: number;
  end: number;
}

/** The provider the text names, or undefined. */
export function findProvider(text: string, providers: readonly Provider[]): string | undefined {
  const tokens: Token[] = [...text.matchAll(/[a-z']+/g)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  const found: Mention<string>[] = [];
  for (const p of providers) {
    if (!p.active) continue;
    const [first = '', last = ''] = p.name.toLowerCase().split(/\s+/);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t) continue;
      const prev = tokens[i - 1]?.word ?? '';
      const next = tokens[i + 1];
      if (first && sameName(t.word, first)) {
        const end = next && last && sameName(next.word, last) ? next.end : t.end;
        found.push({ start: t.start, end, value: p.id });
        continue;
      }
      // A first name heard as two words: "so fee", "may a chen", "i wanted my a".
      if (first && next && Math.min(t.word.length, next.word.length) <= 3 && sound(t.word + next.word) === sound(first)) {
        const after = tokens[i + 2];
        if (BEFORE_SPLIT.has(prev) || (after && last && sameName(after.word, last)) || !after) {
          found.push({ start: t.start, end: next.end, value: p.id });
          i++;
          continue;
        }
      }
      if (last && BEFORE_LAST.has(prev) && sameName(t.word, last)) found.push({ start: t.start, end: t.end, value: p.id });
    }
  }
  return pickMention(text, found, (a, b) => a === b)?.value;
}

/** Whether a name the caller gave shares a word with a provider's ("with Jordan Ellis"). */
export function namesAProvider(name: string, providers: readonly Provider[]): boolean {
  const words = name.toLowerCase().split(/\s+/);
  return providers.some((p) => p.name.toLowerCase().split(/\s+/).some((pw) => words.some((w) => sameName(w, pw))));
}
