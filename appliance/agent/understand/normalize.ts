// Caller text as recognisers and thumbs write it, turned into one canonical form the rules read:
// lowercase, plain apostrophes, spoken numbers as digits ("two thirty" -> "2:30", "the fourteenth"
// -> "the 14th", "five five five one two" -> "5 5 5 1 2"). Pure.

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50 };
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

function suffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/** Lowercase, typographic quotes made plain, punctuation that carries nothing dropped, spaces collapsed. */
export function cleanText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[^\p{L}\p{N}'?:.,$@+\-/ ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Spoken numbers to digits, for times, dates and phone numbers. Only number words are touched;
 * "first" stays a word unless it follows "the" and precedes nothing that makes it an ordinal
 * choice ("the first one" keeps "first"; "the twenty first" becomes "the 21st").
 */
export function digitsFromWords(text: string): string {
  // Punctuation after a word is its own token while numbers are read ("at ten, please"), so a
  // number word before a comma is still one, and no number runs on across the comma.
  const words = text.split(' ').flatMap((w) => {
    const m = /^(.*[^.,?!;:])([.,?!;:]+)$/.exec(w);
    return m ? [m[1] ?? '', m[2] ?? ''] : [w];
  });
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const next = words[i + 1] ?? '';
    // "twenty first" / "thirty first" -> 21st / 31st
    if (TENS[w] !== undefined && ORDINALS[next] !== undefined && ORDINALS[next] < 10) {
      const n = TENS[w] + ORDINALS[next];
      out.push(`${n}${suffix(n)}`);
      i++;
      continue;
    }
    if (ORDINALS[w] !== undefined && ORDINALS[w] >= 4 && (words[i - 1] === 'the' || /^(of|on)$/.test(next) || monthWord(words[i - 1]))) {
      const n = ORDINALS[w];
      out.push(`${n}${suffix(n)}`);
      continue;
    }
    if ((w === 'first' || w === 'second' || w === 'third') && monthWord(words[i - 1])) {
      const n = ORDINALS[w] ?? 1;
      out.push(`${n}${suffix(n)}`);
      continue;
    }
    // "twenty five" -> 25
    if (TENS[w] !== undefined) {
      const unit = UNITS[next];
      if (unit !== undefined && unit > 0 && unit < 10) {
        out.push(String(TENS[w] + unit));
        i++;
      } else out.push(String(TENS[w]));
      continue;
    }
    if (UNITS[w] !== undefined && !(w === 'oh' && !isNumberWord(words[i - 1]) && !(/^[.,;:]+$/.test(words[i - 1] ?? '') && isNumberWord(words[i - 2])))) {
      // hour + minutes: "two thirty" -> 2:30, "ten fifteen" -> 10:15, "two oh five" -> 2:05
      const h = UNITS[w];
      if (h >= 1 && h <= 12 && !isPhoneRun(words, i)) {
        if (next === "o'clock") {
          out.push(`${h}:00`);
          i++;
          continue;
        }
        if (TENS[next] !== undefined) {
          const unit = UNITS[words[i + 2] ?? ''];
          const min = TENS[next] + (unit !== undefined && unit > 0 && unit < 10 ? unit : 0);
          out.push(`${h}:${String(min).padStart(2, '0')}`);
          i += unit !== undefined && unit > 0 && unit < 10 ? 2 : 1;
          continue;
        }
        if (next === 'oh' && UNITS[words[i + 2] ?? ''] !== undefined && (UNITS[words[i + 2] ?? ''] ?? 10) < 10) {
          out.push(`${h}:0${UNITS[words[i + 2] ?? ''] ?? 0}`);
          i += 2;
          continue;
        }
        if (UNITS[next] !== undefined && UNITS[next] >= 10 && UNITS[next] <= 19 && next !== 'ten' && next !== 'eleven' && next !== 'twelve') {
          out.push(`${h}:${UNITS[next]}`);
          i++;
          continue;
        }
      }
      out.push(String(h));
      continue;
    }
    out.push(w);
  }
  return out
    .join(' ')
    .replace(/ ([.,?!;:]+)(?= |$)/g, '$1')
    .replace(/\b(\d{1,2}(?::\d\d)?) ?(a|p) ?\.? ?m\b\.?/g, '$1$2m')
    .replace(/\bhalf past (\d{1,2})\b/g, '$1:30')
    .replace(/\bquarter past (\d{1,2})\b/g, '$1:15')
    .replace(/\bquarter (?:to|til|till) (\d{1,2})\b/g, (_m, h: string) => `${Number(h) - 1 || 12}:45`);
}

function isNumberWord(w: string | undefined): boolean {
  return w !== undefined && (UNITS[w] !== undefined || TENS[w] !== undefined);
}

/** Four or more single digits in a row (commas between them allowed): a phone number being read, not a time. */
function isPhoneRun(words: string[], i: number): boolean {
  const digit = (w: string | undefined): boolean => w !== undefined && UNITS[w] !== undefined && (UNITS[w] ?? 10) < 10;
  const pause = (w: string | undefined): boolean => w !== undefined && /^[.,;:]+$/.test(w);
  let n = 0;
  for (let j = i; j < words.length && (digit(words[j]) || pause(words[j])); j++) if (digit(words[j])) n++;
  for (let j = i - 1; j >= 0 && (digit(words[j]) || pause(words[j])); j--) if (digit(words[j])) n++;
  return n >= 4;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'];

function monthWord(w: string | undefined): boolean {
  return w !== undefined && MONTHS.includes(w);
}

/** The canonical form the rules read: cleaned, then spoken numbers as digits. */
export function normalizeUtterance(text: string): string {
  return digitsFromWords(cleanText(text));
}

/** Words without punctuation, for matching. */
export function wordsOf(text: string): string[] {
  return text.replace(/[?.,!:;"]/g, ' ').split(/\s+/).filter(Boolean);
}
