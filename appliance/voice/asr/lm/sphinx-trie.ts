// Reads the binary "Trie Language Model" files of sphinxbase 5prealpha (Debian's
// /usr/share/pocketsphinx/model/en-us/en-us.lm.bin), so the generic English model can be mixed with
// the spa's own. Debian's `sphinx_lm_convert` cannot turn this file into ARPA: the file's header
// counts 2,051,547 bigrams, its trie holds 2,051,541 reachable ones, and the writer asserts they
// are equal and aborts (reported as cmusphinx/sphinxbase#89; Debian 12's build has no fix).
//
// Layout (sphinxbase lm_trie.c, ngram_model_trie.c), little-endian:
//   "Trie Language Model", order (u8), counts (u32 x order),
//   quantiser: u32, then per middle order two tables of 65536 f32 (prob, backoff), then 65536 f32
//   for the longest order; unigrams: (counts[0] + 1) x {prob f32, backoff f32, next u32};
//   middle arrays (orders 2..n-1) then the longest array, bit-packed records keyed newest word
//   first (the path to "a b c" is c, b, a; the record at c, b holds p(c | b) and the back-off
//   weight of "b c"): {word, backoff (16 bits) then prob (16 bits) as quantiser bins, next} for
//   the middle orders, {word, prob bin} for the longest;
//   the vocabulary: u32 byte count, then NUL-terminated words.
// Probabilities are logs in sphinx's base 1.0001; they are returned as log10.
import { InvalidInputError } from '../../../errors.js';

const MAGIC = 'Trie Language Model';
const LOG10_OF_BASE = Math.log10(1.0001);
const QUANT_BITS = 16;

function requiredBits(max: number): number {
  let bits = 0;
  for (let v = max; v > 0; v = Math.floor(v / 2)) bits++;
  return bits;
}

interface Packed {
  /** Byte offset of the array in the file. */
  start: number;
  wordBits: number;
  totalBits: number;
  /** Bits of the "next" pointer (middle arrays only). */
  nextBits: number;
}

/** One n-gram as the walk gives it: word ids (oldest first), log10 probability and back-off. */
export interface TrieNgram {
  words: readonly number[];
  logProb: number;
  /** Absent for the highest order. */
  backoff?: number;
}

/** A sphinx trie LM held in memory (one Buffer), read on demand. */
export class SphinxTrieLm {
  readonly order: number;
  /** The header's n-gram counts (may exceed what the trie reaches, see above). */
  readonly counts: readonly number[];
  readonly words: readonly string[];
  readonly #buf: Buffer;
  readonly #tables: Float32Array[];
  readonly #unigrams: number;
  readonly #arrays: Packed[];
  #ids: Map<string, number> | null = null;

  constructor(buf: Buffer) {
    this.#buf = buf;
    if (buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
      throw new InvalidInputError("not a sphinx trie language model");
    }
    let at = MAGIC.length;
    const order = buf.readUInt8(at);
    at += 1;
    const counts: number[] = [];
    for (let i = 0; i < order; i++, at += 4) counts.push(buf.readUInt32LE(at));
    this.order = order;
    this.counts = counts;
    this.#tables = [];
    if (order > 1) {
      at += 4; // unused
      const tables = 2 * (order - 2) + 1;
      for (let t = 0; t < tables; t++) {
        this.#tables.push(new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + 4 * 65536)));
        at += 4 * 65536;
      }
    }
    this.#unigrams = at;
    const n1 = counts[0] ?? 0;
    at += 12 * (n1 + 1);
    this.#arrays = [];
    const wordBits = requiredBits(n1);
    for (let o = 2; o <= order; o++) {
      const entries = counts[o - 1] ?? 0;
      const nextBits = o < order ? requiredBits(counts[o] ?? 0) : 0;
      const totalBits = wordBits + (o < order ? 2 * QUANT_BITS + nextBits : QUANT_BITS);
      this.#arrays.push({ start: at, wordBits, totalBits, nextBits });
      at += Math.floor(((1 + entries) * totalBits + 7) / 8) + 8;
    }
    const size = buf.readUInt32LE(at);
    at += 4;
    const words = buf.subarray(at, at + size).toString('latin1').split('\0');
    if (words[words.length - 1] === '') words.pop();
    if (words.length !== n1 || at + size !== buf.length) {
      throw new InvalidInputError('sphinx trie language model with an unexpected layout', { words: String(words.length), unigrams: String(n1) });
    }
    this.words = words;
  }

  /** The id of a word, or undefined. */
  id(word: string): number | undefined {
    if (!this.#ids) this.#ids = new Map(this.words.map((w, i) => [w, i]));
    return this.#ids.get(word);
  }

  /** log10 probability and back-off weight of a unigram. */
  unigram(id: number): { logProb: number; backoff: number } {
    const at = this.#unigrams + 12 * id;
    return { logProb: this.#buf.readFloatLE(at) * LOG10_OF_BASE, backoff: this.#buf.readFloatLE(at + 4) * LOG10_OF_BASE };
  }

  #unigramNext(id: number): number {
    return this.#buf.readUInt32LE(this.#unigrams + 12 * id + 8);
  }

  /** Reads `bits` (<= 25) bits at bit offset `bit` of the array starting at byte `start`. */
  #bits(start: number, bit: number, bits: number): number {
    const byte = start + Math.floor(bit / 8);
    const shift = bit % 8;
    const b = this.#buf;
    // Four bytes cover 25 bits at any shift; the arrays carry 8 bytes of padding at their end.
    const v = (b[byte] ?? 0) + (b[byte + 1] ?? 0) * 256 + (b[byte + 2] ?? 0) * 65536 + (b[byte + 3] ?? 0) * 16777216;
    return Math.floor(v / 2 ** shift) % 2 ** bits;
  }

  /** Fields of record `index` of the array for `order` (2..n). */
  #record(order: number, index: number): { word: number; logProb: number; backoff?: number; next?: number } {
    const a = this.#arrays[order - 2] as Packed;
    const base = index * a.totalBits;
    const word = this.#bits(a.start, base, a.wordBits);
    if (order === this.order) {
      const table = this.#tables[this.#tables.length - 1] as Float32Array;
      return { word, logProb: (table[this.#bits(a.start, base + a.wordBits, QUANT_BITS)] ?? 0) * LOG10_OF_BASE };
    }
    const probs = this.#tables[2 * (order - 2)] as Float32Array;
    const backoffs = this.#tables[2 * (order - 2) + 1] as Float32Array;
    const bo = this.#bits(a.start, base + a.wordBits, QUANT_BITS);
    const p = this.#bits(a.start, base + a.wordBits + QUANT_BITS, QUANT_BITS);
    const next = this.#bits(a.start, base + a.wordBits + 2 * QUANT_BITS, a.nextBits);
    return { word, logProb: (probs[p] ?? 0) * LOG10_OF_BASE, backoff: (backoffs[bo] ?? 0) * LOG10_OF_BASE, next };
  }

  /** The range of records of `order` that extend the record `index` of `order - 1` (or a unigram). */
  #children(order: number, index: number): [number, number] {
    if (order === 2) return [this.#unigramNext(index), this.#unigramNext(index + 1)];
    const begin = this.#record(order - 1, index).next ?? 0;
    const end = this.#record(order - 1, index + 1).next ?? 0;
    return [begin, end];
  }

  /**
   * Every n-gram of orders 2..n whose words all pass `keep` (word ids, oldest first). The trie is
   * keyed newest word first (KenLM's layout), so n-grams come grouped by their last word.
   * Unigrams are read with unigram(). Records the trie added only to reach longer n-grams (their
   * probability is the back-off estimate, back-off 0) are included: they change no probability.
   */
  forEachNgram(keep: (id: number) => boolean, visit: (n: TrieNgram) => void): void {
    const n1 = this.counts[0] ?? 0;
    const walk = (order: number, parentIndex: number, history: number[]): void => {
      const [begin, end] = this.#children(order, parentIndex);
      for (let i = begin; i < end; i++) {
        const r = this.#record(order, i);
        if (!keep(r.word)) continue;
        const path = [...history, r.word];
        const words = [...path].reverse();
        visit(r.backoff === undefined ? { words, logProb: r.logProb } : { words, logProb: r.logProb, backoff: r.backoff });
        if (order < this.order) walk(order + 1, i, path);
      }
    };
    for (let w = 0; w < n1; w++) if (keep(w) && this.order > 1) walk(2, w, [w]);
  }
}
