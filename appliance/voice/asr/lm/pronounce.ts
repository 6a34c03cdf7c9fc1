// Pronunciations for words the CMU dictionary lacks (Dysport, HydraFacial, Lumière, a provider's
// surname), in the dictionary's phone set so pocketsphinx can decode them:
//   1. compounds of dictionary words: their pronunciations joined ("hydrafacial" = hydra + facial);
//   2. letters said one by one for vowel-less words ("prp" = P IY AA R P IY);
//   3. espeak-ng's phonemes (--ipa) mapped to CMU phones.
// A word may get several (the compound and espeak's); words none of these cover get none.
import { execFile } from 'node:child_process';
import { splitCompound } from '../jsgf.js';

/** CMU phones (without stress) for espeak-ng's IPA phonemes, longest first when matched. */
const IPA: Record<string, string> = {
  // vowels and diphthongs (r-coloured ones first)
  'ɑːɹ': 'AA R', 'ɑɹ': 'AA R', 'ɔːɹ': 'AO R', 'ɔɹ': 'AO R', 'oːɹ': 'AO R', 'oɹ': 'AO R', 'ɛɹ': 'EH R', 'eɹ': 'EH R', 'ɪɹ': 'IH R', 'iɹ': 'IY R',
  'ʊɹ': 'UH R', 'ɜːɹ': 'ER', 'ɜː': 'ER', 'ɜ': 'ER', 'ɚ': 'ER', 'ɝ': 'ER', 'aɪɚ': 'AY ER', 'aɪə': 'AY ER', 'aʊɚ': 'AW ER', 'aʊə': 'AW ER',
  'aɪ': 'AY', 'aʊ': 'AW', 'eɪ': 'EY', 'oʊ': 'OW', 'əʊ': 'OW', 'ɔɪ': 'OY', 'iː': 'IY', 'i': 'IY', 'ɪ': 'IH', 'ᵻ': 'IH', 'e': 'EH', 'ɛ': 'EH',
  'æ': 'AE', 'a': 'AE', 'ɐ': 'AH', 'ə': 'AH', 'ʌ': 'AH', 'ɑː': 'AA', 'ɑ': 'AA', 'ɒ': 'AA', 'ɔː': 'AO', 'ɔ': 'AO', 'oː': 'AO', 'o': 'OW',
  'ʊ': 'UH', 'uː': 'UW', 'u': 'UW',
  // consonants
  'tʃ': 'CH', 'dʒ': 'JH', 'p': 'P', 'b': 'B', 't': 'T', 'd': 'D', 'k': 'K', 'ɡ': 'G', 'g': 'G', 'f': 'F', 'v': 'V', 'θ': 'TH', 'ð': 'DH',
  's': 'S', 'z': 'Z', 'ʃ': 'SH', 'ʒ': 'ZH', 'h': 'HH', 'm': 'M', 'n': 'N', 'ŋ': 'NG', 'l': 'L', 'ɫ': 'L', 'ɹ': 'R', 'r': 'R', 'j': 'Y',
  'w': 'W', 'ɾ': 'T', 'ʔ': 'T', 'x': 'K',
};
const KEYS = Object.keys(IPA).sort((a, b) => b.length - a.length);

/** CMU phones for one word's espeak-ng IPA ("dˈɪspoːɹt" -> D IH S P AO R T), or null when a symbol is unknown. Pure. */
export function ipaToCmu(ipa: string): string | null {
  const text = ipa.normalize('NFC').replace(/[ˈˌ_.'\u0329\u030d\u0361\u035c-]/g, '').trim();
  const phones: string[] = [];
  let at = 0;
  while (at < text.length) {
    const key = KEYS.find((k) => text.startsWith(k, at));
    if (!key) {
      if (/\s/.test(text[at] as string)) {
        at++;
        continue;
      }
      return null;
    }
    phones.push(IPA[key] as string);
    at += key.length;
  }
  return phones.length > 0 ? phones.join(' ') : null;
}

/** Phones of a dictionary line's pronunciation ("word(2) HH AY" -> "HH AY"). */
const phonesOf = (line: string): string => line.slice(line.search(/\s/) + 1).trim();

/** Pronunciations from the dictionary alone (compounds, spelled letters), or [] . Pure. */
export function dictionaryPronunciations(word: string, pronunciations: ReadonlyMap<string, readonly string[]>): string[] {
  const own = pronunciations.get(word);
  if (own) return own.map(phonesOf);
  const out: string[] = [];
  const parts = splitCompound(word, pronunciations);
  if (parts) out.push(parts.map((p) => phonesOf((pronunciations.get(p) as readonly string[])[0] as string)).join(' '));
  if (!/[aeiouy]/.test(word) && word.length <= 5 && [...word].every((c) => pronunciations.has(c))) {
    out.push([...word].map((c) => phonesOf((pronunciations.get(c) as readonly string[])[0] as string)).join(' '));
  }
  return out;
}

/** espeak-ng's IPA for each word (one process for all), or an empty map when espeak-ng is missing or fails. */
export function espeakIpa(words: readonly string[], opts: { binary?: string; voice?: string } = {}): Promise<Map<string, string>> {
  if (words.length === 0) return Promise.resolve(new Map<string, string>());
  return new Promise((resolve) => {
    const child = execFile(opts.binary ?? 'espeak-ng', ['-q', '--ipa', '-v', opts.voice ?? 'en-us'], { timeout: 20_000 }, (err, stdout) => {
      if (err) return resolve(new Map());
      const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      resolve(lines.length === words.length ? new Map(words.map((w, i) => [w, lines[i] as string])) : new Map());
    });
    child.stdin?.on('error', () => undefined); // EPIPE when espeak-ng is gone: the callback above reports it
    child.stdin?.end(`${words.join('\n')}\n`);
  });
}

/**
 * Dictionary lines ("word PH ONES", "word(2) ...") for words missing from the dictionary, by the
 * three ways above; the words that got none are listed apart.
 */
export async function pronounceMissing(
  words: readonly string[],
  pronunciations: ReadonlyMap<string, readonly string[]>,
  espeak: (words: readonly string[]) => Promise<Map<string, string>> = espeakIpa,
): Promise<{ lines: Map<string, string[]>; unpronounceable: string[] }> {
  const missing = words.filter((w) => !pronunciations.has(w));
  const ipa = await espeak(missing.filter((w) => /^[a-z']+$/.test(w)));
  const lines = new Map<string, string[]>();
  const unpronounceable: string[] = [];
  for (const w of missing) {
    const spoken = ipa.get(w);
    const fromEspeak = spoken ? ipaToCmu(spoken) : null;
    const all = [...new Set([...dictionaryPronunciations(w, pronunciations), ...(fromEspeak ? [fromEspeak] : [])])];
    if (all.length === 0) unpronounceable.push(w);
    else lines.set(w, all.map((p, i) => `${i === 0 ? w : `${w}(${i + 1})`} ${p}`));
  }
  return { lines, unpronounceable };
}
