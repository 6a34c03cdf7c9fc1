// The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1), and septet
// packing. Pure: the PDU codec (pdu.ts) builds on it.

/** The default alphabet: septet value -> character (0x1B is the escape to the extension table). */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: character -> septet value after the escape. */
const EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

export const ESCAPE = 0x1b;

const BASIC_INDEX: ReadonlyMap<string, number> = new Map([...BASIC].map((ch, i) => [ch, i] as const).filter(([ch]) => ch !== '\x1b'));
const EXTENSION_CHAR: ReadonlyMap<number, string> = new Map([...EXTENSION].map(([ch, v]) => [v, ch] as const));

/** The septets of one character (one, or two with the escape), or null when GSM-7 cannot write it. */
export function charSeptets(ch: string): number[] | null {
  const basic = BASIC_INDEX.get(ch);
  if (basic !== undefined) return [basic];
  const ext = EXTENSION.get(ch);
  if (ext !== undefined) return [ESCAPE, ext];
  return null;
}

/** Whether every character of `text` is in the default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (charSeptets(ch) === null) return false;
  return true;
}

/** Septets back to text; an escape followed by an unknown value reads as a space (23.038's advice). */
export function septetsToText(septets: readonly number[]): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i] ?? 0;
    if (s === ESCAPE) {
      const next = septets[++i];
      out += next === undefined ? '' : (EXTENSION_CHAR.get(next) ?? ' ');
    } else {
      out += BASIC[s] ?? ' ';
    }
  }
  return out;
}

/**
 * Packs septets into octets, LSB first, after `fillBits` zero bits (the padding that puts the
 * first septet on a septet boundary after a user data header).
 */
export function packSeptets(septets: readonly number[], fillBits = 0): Buffer {
  const totalBits = fillBits + septets.length * 7;
  const out = Buffer.alloc(Math.ceil(totalBits / 8));
  let bit = fillBits;
  for (const s of septets) {
    for (let b = 0; b < 7; b++, bit++) {
      if ((s >> b) & 1) out[bit >> 3] = (out[bit >> 3] ?? 0) | (1 << (bit & 7));
    }
  }
  return out;
}

/** Reads `count` septets from packed octets, skipping `fillBits` first. Missing bits read as zero. */
export function unpackSeptets(octets: Buffer, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  let bit = fillBits;
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let b = 0; b < 7; b++, bit++) {
      if (((octets[bit >> 3] ?? 0) >> (bit & 7)) & 1) s |= 1 << b;
    }
    out.push(s);
  }
  return out;
}
