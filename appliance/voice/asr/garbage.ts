// The garbage of a constrained turn: short words, about one for each English phone, that a
// grammar-bound recogniser can use for speech that is none of the turn's answers ("um I'm not
// sure" on a yes/no question). Pocketsphinx takes them as filler words (a filler dictionary, each
// "++word++"), which may come anywhere at a tunable cost each (-fillprob), with "no answer at all"
// allowed by the grammar: speech that fits no answer well comes out as fillers only. A word that
// sounds like one of the turn's own words ("know" beside "no") is left out, or it would take the
// real answers away. Pure.

/** Short words that between them cover the phones of the en-us model, plus hesitations. */
export const GARBAGE_WORDS: readonly string[] = [
  'um', 'uh', 'hmm',
  // vowels and diphthongs
  'ah', 'at', 'up', 'all', 'out', 'i', 'egg', 'her', 'a', 'it', 'eat', 'oil', 'who',
  // consonants
  'be', 'church', 'day', 'this', 'fun', 'get', 'hat', 'job', 'kid', 'look', 'man', 'nap', 'thing',
  'pen', 'red', 'sit', 'shop', 'top', 'thin', 'van', 'way', 'you', 'zoo', 'measure',
];

/**
 * The garbage words for a turn whose grammar uses `turnWords`: those the dictionary has, minus the
 * turn's words and any word with one of their pronunciations.
 */
/** A filler dictionary: the model's own fillers (`noisedict`) plus the garbage words as `++word++`, first pronunciations only. */
export function fillerDictionary(noisedict: string, garbage: readonly string[], pronunciations: ReadonlyMap<string, readonly string[]>): string {
  const lines = garbage.flatMap((w) => {
    const first = pronunciations.get(w)?.[0];
    return first ? [`++${w}++ ${first.replace(/^\S+\s+/, '').trim()}`] : [];
  });
  return `${noisedict.trimEnd()}\n${lines.join('\n')}\n`;
}

export function garbageFor(turnWords: readonly string[], pronunciations: ReadonlyMap<string, readonly string[]>): string[] {
  const phonesOf = (word: string): string[] => (pronunciations.get(word) ?? []).map((line) => line.replace(/^\S+\s+/, '').trim());
  const taken = new Set(turnWords);
  const sounds = new Set(turnWords.flatMap(phonesOf));
  return GARBAGE_WORDS.filter((w) => pronunciations.has(w) && !taken.has(w) && !phonesOf(w).some((p) => sounds.has(p)));
}
