// Names matched by how they sound (Double Metaphone), for what a recogniser makes of a catalogue
// name it does not know well: "boat ox" and "bow tox" sound as Botox does (PTKS), "die sport" as
// Dysport (TSPRT), "micro kneeling" nearly as Microneedling. Short codes say little ("peel" and
// "pill" are both PL), so equal codes count from four sounds on, and a sound or two off only in long
// ones. Pure (the codes are memoised).
import { doubleMetaphone } from 'double-metaphone';
import { editDistance } from './services.js';

/** A compact name's two Double Metaphone codes (equal when the name has one reading). Memoised. */
export function soundCodes(compact: string): readonly [string, string] {
  let codes = memo.get(compact);
  if (!codes) {
    codes = doubleMetaphone(compact);
    // Catalogue names and the words callers use repeat; a bound keeps odd input from growing it.
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(compact, codes);
  }
  return codes;
}

const memo = new Map<string, readonly [string, string]>();
const MEMO_MAX = 20_000;

/** Codes equal from this many sounds on. */
const MIN_EQUAL = 4;

/** Sounds that may differ between two codes of the given length ("cancellation" is not "consultation", one sound off at six). */
function allowedFor(length: number): number {
  return length >= 10 ? 2 : length >= 7 ? 1 : 0;
}

/**
 * How many sounds apart two compact names are, or null when they do not sound alike: their main
 * codes equal (four sounds or more), or near for long ones (one sound off from seven, two from
 * ten) and starting with the same sound, and the names' letters of a similar length. The
 * alternative codes are left aside: they make "bye thx" sound like "botox".
 */
export function soundDistance(said: string, name: string): number | null {
  if (said.length === 0 || name.length === 0) return null;
  if (Math.abs(said.length - name.length) > Math.max(3, Math.round(name.length * 0.4))) return null;
  const [x] = soundCodes(said);
  const [y] = soundCodes(name);
  const shorter = Math.min(x.length, y.length);
  if (x === y) return shorter >= MIN_EQUAL ? 0 : null;
  const allowed = allowedFor(shorter);
  if (allowed === 0 || x[0] !== y[0]) return null;
  const d = editDistance(x, y, allowed);
  return d <= allowed ? d : null;
}
