// A tiny llama-architecture GGUF with deterministic pseudo-random F32 weights, for tests and the
// bench: it loads and runs through the real llama.cpp runtime in milliseconds, and a JSON-schema
// grammar still forces schema-valid output from it (the weights only pick among what the grammar
// allows). It knows nothing; never install it as a model.
//
// The tokenizer is GPT-2 style byte-level BPE ("gpt2" model, "default" pre-tokenizer): one token
// per byte (so any text tokenizes, including every character JSON needs) plus a few merges of
// JSON punctuation and common letter pairs, so that grammar sampling also meets multi-character
// tokens. Keys and tensor shapes follow llama.cpp's src/llama-vocab.cpp (impl::load) and
// src/models/llama.cpp (load_arch_tensors).
import { writeFile } from 'node:fs/promises';
import { encodeGguf, type GgufTensor, type GgufValue } from './gguf-writer.js';
import { seededRandom } from '../../shared/random.js';

export interface TinyGgufOptions {
  layers?: number;
  embedding?: number;
  heads?: number;
  headsKv?: number;
  feedForward?: number;
  contextLength?: number;
  /** Seed of the weights; the same options always give the same bytes. */
  seed?: number;
}

export interface TinyGgufInfo {
  bytes: number;
  vocabSize: number;
  tensors: number;
  bosId: number;
  eosId: number;
}

/** GPT-2's byte <-> printable character table (bytes_to_unicode in OpenAI's encoder.py). */
function byteToChar(): string[] {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) table.push(String.fromCodePoint(printable(b) ? b : 256 + extra++));
  return table;
}

/** Merges in rank order, written in byte-level characters (Ġ is a space, Ċ a newline). */
const MERGES: readonly (readonly [string, string])[] = [
  ['"', ':'],
  ['{', '"'],
  ['"', ','],
  ['"', '}'],
  ['Ġ', '"'],
  ['Ġ', 'Ġ'],
  ['Ċ', 'Ċ'],
  ['ĊĊ', 'ĊĊ'],
  ['e', 'r'],
  ['i', 'n'],
  ['t', 'h'],
  ['o', 'n'],
  ['a', 'n'],
  ['r', 'e'],
  ['Ġ', 't'],
  ['Ġ', 'a'],
];

/** llama.cpp's llama_token_type values. */
const TOKEN_NORMAL = 1;
const TOKEN_CONTROL = 3;


function vocabulary(): { tokens: string[]; types: number[]; merges: string[]; bosId: number; eosId: number } {
  const tokens = byteToChar();
  const merges: string[] = [];
  for (const [a, b] of MERGES) {
    merges.push(`${a} ${b}`);
    if (!tokens.includes(a + b)) tokens.push(a + b);
  }
  const types = tokens.map(() => TOKEN_NORMAL);
  const bosId = tokens.push('<s>') - 1;
  const eosId = tokens.push('</s>') - 1;
  types.push(TOKEN_CONTROL, TOKEN_CONTROL);
  return { tokens, types, merges, bosId, eosId };
}

/** Builds the file in memory. */
export function buildTinyGguf(opts: TinyGgufOptions = {}): { data: Buffer; info: TinyGgufInfo } {
  const layers = opts.layers ?? 2;
  const embd = opts.embedding ?? 64;
  const heads = opts.heads ?? 4;
  const headsKv = opts.headsKv ?? 2;
  const ff = opts.feedForward ?? 128;
  const ctx = opts.contextLength ?? 2048;
  if (embd % heads !== 0 || heads % headsKv !== 0) throw new Error('embedding must divide by heads, heads by headsKv');
  const headDim = embd / heads;
  const kvDim = headDim * headsKv;
  const vocab = vocabulary();
  const nVocab = vocab.tokens.length;
  const random = seededRandom(opts.seed ?? 42);

  const uniform = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (random() * 2 - 1) * scale;
    return a;
  };
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const linear = (name: string, inDim: number, outDim: number): GgufTensor => ({
    name,
    dims: [inDim, outDim],
    data: uniform(inDim * outDim, 1 / Math.sqrt(inDim)),
  });

  const tensors: GgufTensor[] = [{ name: 'token_embd.weight', dims: [embd, nVocab], data: uniform(embd * nVocab, 0.5) }];
  for (let i = 0; i < layers; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [embd], data: ones(embd) },
      linear(`blk.${i}.attn_q.weight`, embd, embd),
      linear(`blk.${i}.attn_k.weight`, embd, kvDim),
      linear(`blk.${i}.attn_v.weight`, embd, kvDim),
      linear(`blk.${i}.attn_output.weight`, embd, embd),
      { name: `blk.${i}.ffn_norm.weight`, dims: [embd], data: ones(embd) },
      linear(`blk.${i}.ffn_gate.weight`, embd, ff),
      linear(`blk.${i}.ffn_up.weight`, embd, ff),
      linear(`blk.${i}.ffn_down.weight`, ff, embd),
    );
  }
  tensors.push({ name: 'output_norm.weight', dims: [embd], data: ones(embd) }, linear('output.weight', embd, nVocab));

  const u32 = (value: number): GgufValue => ({ type: 'uint32', value });
  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'tiny-random-llama' }],
    ['general.file_type', u32(0)], // all F32
    ['general.alignment', u32(32)],
    ['llama.vocab_size', u32(nVocab)],
    ['llama.context_length', u32(ctx)],
    ['llama.embedding_length', u32(embd)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(ff)],
    ['llama.attention.head_count', u32(heads)],
    ['llama.attention.head_count_kv', u32(headsKv)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', { type: 'float32', value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-5 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'default' }],
    ['tokenizer.ggml.tokens', { type: 'array', of: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', of: 'int32', values: vocab.types }],
    ['tokenizer.ggml.merges', { type: 'array', of: 'string', values: vocab.merges }],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
  ]);

  const data = encodeGguf(metadata, tensors);
  return {
    data,
    info: { bytes: data.length, vocabSize: nVocab, tensors: tensors.length, bosId: vocab.bosId, eosId: vocab.eosId },
  };
}

/** Writes the tiny model to `path` (overwriting). */
export async function writeTinyGguf(path: string, opts: TinyGgufOptions = {}): Promise<TinyGgufInfo> {
  const { data, info } = buildTinyGguf(opts);
  await writeFile(path, data);
  return info;
}
