// Writes the tiny random-weight test GGUF (see tiny-gguf.ts).
// Usage: node dist/appliance/agent/llm/tiny-gguf-cli.js <out.gguf> [--seed N] [--layers N] [--embedding N]
import { parseArgs } from 'node:util';
import { writeTinyGguf } from './tiny-gguf.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string' },
    layers: { type: 'string' },
    embedding: { type: 'string' },
  },
});

const out = positionals[0];
if (!out) {
  console.error('usage: tiny-gguf-cli <out.gguf> [--seed N] [--layers N] [--embedding N]');
  process.exit(2);
}
const int = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number.parseInt(s, 10));
const info = await writeTinyGguf(out, { seed: int(values.seed), layers: int(values.layers), embedding: int(values.embedding) });
console.log(`${out}: ${info.bytes} bytes, vocab ${info.vocabSize}, ${info.tensors} tensors`);
