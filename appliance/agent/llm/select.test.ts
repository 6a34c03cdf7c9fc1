import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { selectLlm } from './select.js';
import { validateJson } from './schema.js';
import { writeTinyGguf } from './tiny-gguf.js';

const log = pino({ level: 'silent' });
let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'llm-select-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function llmEntry(name: string, file: string): object {
  return {
    name,
    role: 'llm',
    licence: 'test',
    description: 'test entry',
    files: [{ path: file, url: `https://example.invalid/${file}`, size: null, sha256: null, verified: false }],
  };
}

async function manifestWith(dir: string, models: object[]): Promise<string> {
  const path = join(dir, 'manifest.json');
  await writeFile(path, JSON.stringify({ version: 1, models }));
  return path;
}

test("selectLlm: with the repo's manifest and an empty models folder there is no LLM, and the note says why", async () => {
  const empty = join(scratch, 'empty');
  await mkdir(empty);
  const { llm, note } = await selectLlm({ log, modelsDir: empty });
  assert.equal(llm, null);
  assert.equal(note, 'none: rule-based understanding (no GGUF model installed)');
});

test('selectLlm: a corrupt first model is passed over for the next one that loads, named in the note', async () => {
  const dir = join(scratch, 'two');
  await mkdir(join(dir, 'broken-llm'), { recursive: true });
  await mkdir(join(dir, 'tiny-llm'), { recursive: true });
  await writeFile(join(dir, 'broken-llm', 'broken.gguf'), Buffer.from('GGUF but not really'));
  await writeTinyGguf(join(dir, 'tiny-llm', 'tiny.gguf'));
  const manifestPath = await manifestWith(dir, [llmEntry('broken-llm', 'broken.gguf'), llmEntry('not-installed-llm', 'absent.gguf'), llmEntry('tiny-llm', 'tiny.gguf')]);

  const { llm, note } = await selectLlm({ log, modelsDir: dir, manifestPath, config: { threads: 1, contextSize: 512 } });
  try {
    assert.ok(llm);
    assert.equal(note, 'tiny-llm (node-llama-cpp, CPU, 1 thread)');
    const schema = { type: 'object', properties: { yes: { type: 'boolean' } } } as const;
    const r = await llm.generateJson({ system: 's', prompt: 'p', schema, maxTokens: 50, timeoutMs: 30_000 });
    assert.deepEqual(validateJson(schema, r.value), []);
  } finally {
    await llm?.stop();
  }
});

test('selectLlm: when every installed model fails to load there is no LLM and the note names them', async () => {
  const dir = join(scratch, 'broken');
  await mkdir(join(dir, 'broken-llm'), { recursive: true });
  await writeFile(join(dir, 'broken-llm', 'broken.gguf'), Buffer.alloc(64));
  const manifestPath = await manifestWith(dir, [llmEntry('broken-llm', 'broken.gguf')]);
  const { llm, note } = await selectLlm({ log, modelsDir: dir, manifestPath, config: { threads: 1 } });
  assert.equal(llm, null);
  assert.equal(note, 'none: rule-based understanding (broken-llm failed to load)');
});
