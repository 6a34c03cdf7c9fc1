import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readGgufFileInfo } from 'node-llama-cpp';
import { buildTinyGguf, writeTinyGguf } from './tiny-gguf.js';

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'llm-tiny-gguf-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

test('tiny GGUF: the same seed gives the same bytes, another seed other weights of the same size', () => {
  const a = buildTinyGguf({ seed: 7 }).data;
  const b = buildTinyGguf({ seed: 7 }).data;
  const c = buildTinyGguf({ seed: 8 }).data;
  assert.ok(a.equals(b));
  assert.equal(c.length, a.length);
  assert.ok(!a.equals(c));
});

test("tiny GGUF: node-llama-cpp's own GGUF reader sees a v3 llama model with a gpt2 tokenizer that has every JSON character", async () => {
  const path = join(scratch, 'tiny.gguf');
  const info = await writeTinyGguf(path, { layers: 2, embedding: 64 });
  const file = await readGgufFileInfo(path);
  assert.equal(file.version, 3);
  assert.equal(file.metadata.general.architecture, 'llama');
  assert.equal(file.tensorInfo?.length, info.tensors);
  assert.equal(info.tensors, 1 + 2 * 9 + 2);
  const llama = file.architectureMetadata as { block_count?: number; embedding_length?: number };
  assert.equal(llama.block_count, 2);
  assert.equal(llama.embedding_length, 64);
  const tokenizer = file.metadata.tokenizer?.ggml;
  assert.equal(tokenizer?.model, 'gpt2');
  const tokens = tokenizer?.tokens ?? [];
  assert.equal(tokens.length, info.vocabSize);
  // Byte-level BPE: printable ASCII stands for itself, a space is "Ġ", a newline "Ċ".
  for (const ch of ['{', '}', '"', ':', ',', '[', ']', '0', '9', 'a', 'z', 'A', 'Ġ', 'Ċ']) assert.ok(tokens.includes(ch), `token ${ch}`);
  assert.equal(tokens[info.eosId], '</s>');
});
