// Whether a name someone gives is the name a client has on file. Tolerant of how people say and
// how recognisers write names (case, spacing, punctuation, accents, "Grant, Olivia", a middle name
// said or left out) but never of a different first or last name: "Emma Grant" is not "Olivia
// Grant", even on the same phone. Pure.

/** The words of a name, lower case, accents and apostrophes removed ("O'Brien" -> "obrien"). */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`.]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * True when `said` names the person whose name on file is `onFile`: the file's first and last
 * words are both said (in either order), and nothing else said contradicts the file. One extra
 * word is a middle name the file lacks; when the file has a middle name, a different one said
 * instead is another person. A single word never matches a two-word name on file.
 */
export function sameName(said: string, onFile: string): boolean {
  return nameMatcher(said)(onFile);
}

/** sameName with the said name read once, for checking it against many names on file. */
export function nameMatcher(said: string): (onFile: string) => boolean {
  const s = nameWords(said);
  const words = new Set(s);
  return (onFile) => {
    const f = nameWords(onFile);
    const first = f[0];
    const last = f[f.length - 1];
    if (first === undefined || last === undefined || s.length === 0) return false;
    if (!words.has(first) || !words.has(last)) return false;
    const extra = s.filter((w) => !f.includes(w));
    return extra.length <= (f.length <= 2 ? 1 : 0);
  };
}
