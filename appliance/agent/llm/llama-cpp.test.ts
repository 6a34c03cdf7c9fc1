// The real adapter over the real llama.cpp runtime, on the tiny random-weight model: the weights
// are noise, so every schema-valid answer here is the grammar's doing.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { LlamaCppLlm } from './llama-cpp.js';
import { measureLlm } from './measure.js';
import { validateJson } from './schema.js';
import { buildTinyGguf, writeTinyGguf } from './tiny-gguf.js';
import { LlmFailedError, LlmSchemaError, LlmTimeoutError, LlmUnavailableError, type JsonSchema, type LlmJsonRequest } from './types.js';

const log = pino({ level: 'silent' });
let scratch = '';
let modelPath = '';
let llm: LlamaCppLlm;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'llm-llama-cpp-'));
  modelPath = join(scratch, 'tiny.gguf');
  await writeTinyGguf(modelPath);
  llm = new LlamaCppLlm({ log, config: { modelPath, threads: 1, contextSize: 2048 } });
  await llm.start();
});
after(async () => {
  await llm.stop();
  await rm(scratch, { recursive: true, force: true });
});

const intentSchema: JsonSchema = {
  type: 'object',
  properties: {
    intent: { enum: ['book', 'reschedule', 'cancel', 'question'] },
    service: { enum: ['botox', 'hydrafacial', 'laser', null] },
    partySize: { type: 'integer', minimum: 1, maximum: 4 },
  },
};

function request(over: Partial<LlmJsonRequest> = {}): LlmJsonRequest {
  return {
    system: 'Answer with the caller intent as JSON.',
    prompt: 'I want to book botox for two on Friday.',
    schema: intentSchema,
    maxTokens: 200,
    timeoutMs: 30_000,
    ...over,
  };
}

/** Forces a long answer: two lists of at least 60 words each, several hundred tokens. */
const words: JsonSchema = { type: 'array', items: { enum: ['alpha', 'beta', 'gamma'] }, minItems: 60, maxItems: 64 };
const longSchema: JsonSchema = { type: 'object', properties: { first: words, second: words } };
const LONG_MAX_TOKENS = 1800;

test('llama-cpp: an enum-bounded schema gets a schema-valid JSON value from random weights, with its timings', async () => {
  const r = await llm.generateJson(request());
  assert.deepEqual(validateJson(intentSchema, r.value), [], JSON.stringify(r.value));
  assert.ok(r.tokens > 0);
  assert.ok(r.firstTokenMs > 0 && r.firstTokenMs <= r.elapsedMs, `first ${r.firstTokenMs} elapsed ${r.elapsedMs}`);
});

test('llama-cpp: greedy decoding gives the same answer to the same request after other requests in between', async () => {
  const first = await llm.generateJson(request());
  await llm.generateJson(request({ system: 'Another system text entirely.', prompt: 'Cancel my appointment please.' }));
  const again = await llm.generateJson(request());
  assert.deepEqual(again.value, first.value);
});

test('llama-cpp: nested objects, arrays, integer ranges, booleans and oneOf all come back valid', async () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      slots: { type: 'array', items: { type: 'object', properties: { day: { enum: ['mon', 'tue'] }, hour: { type: 'integer', minimum: 9, maximum: 17 } } }, minItems: 1, maxItems: 3 },
      confirmed: { type: 'boolean' },
      note: { oneOf: [{ type: 'null' }, { const: 'callback' }] },
    },
  };
  const r = await llm.generateJson(request({ schema, maxTokens: 300 }));
  assert.deepEqual(validateJson(schema, r.value), [], JSON.stringify(r.value));
});

test('llama-cpp: a free string never resolves outside the schema: random weights can spell invalid UTF-8, which is LlmFailedError (invalid)', async (t) => {
  const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string', maxLength: 12 } } };
  let valid = 0;
  for (const prompt of ['My name is Ana.', 'This is Bob calling.', 'Hi, Carla here.', 'Dmitri speaking.']) {
    let value: unknown;
    try {
      value = (await llm.generateJson(request({ schema, prompt, maxTokens: 100 }))).value;
    } catch (err) {
      assert.ok(err instanceof LlmFailedError && err.details.why === 'invalid', String(err));
      continue;
    }
    assert.deepEqual(validateJson(schema, value), []);
    valid++;
  }
  t.diagnostic(`${valid} of 4 free-string answers were valid UTF-8 within maxLength`);
});

test('llama-cpp: concurrent requests queue and all come back valid', async () => {
  const results = await Promise.all([1, 2, 3].map((i) => llm.generateJson(request({ prompt: `Request number ${i}.` }))));
  for (const r of results) assert.deepEqual(validateJson(intentSchema, r.value), []);
});

test('llama-cpp: past its time budget a request rejects with LlmTimeoutError, generation stops, and the next request runs', async (t) => {
  // How long the long answer takes when left to finish.
  const full = await llm.generateJson(request({ schema: longSchema, maxTokens: LONG_MAX_TOKENS, timeoutMs: 120_000 }));
  assert.ok(full.tokens > 300, `long answer had only ${full.tokens} tokens`);

  const t0 = performance.now();
  await assert.rejects(
    llm.generateJson(request({ schema: longSchema, maxTokens: LONG_MAX_TOKENS, timeoutMs: 50 })),
    (err: unknown) => err instanceof LlmTimeoutError && err.code === 'SPA_ERR_LLM_TIMEOUT',
  );
  const rejectedAfter = performance.now() - t0;
  assert.ok(rejectedAfter < full.elapsedMs / 2, `rejected after ${rejectedAfter} ms; the full answer takes ${full.elapsedMs} ms`);

  // The next request waits for the stopped one to leave the engine: it would wait for the whole
  // long answer if the timeout had only been reported, not acted on.
  const next = await llm.generateJson(request());
  assert.deepEqual(validateJson(intentSchema, next.value), []);
  t.diagnostic(`long answer ${full.tokens} tokens in ${full.elapsedMs.toFixed(0)} ms; 50 ms budget rejected after ${rejectedAfter.toFixed(0)} ms; next answer ${(performance.now() - t0).toFixed(0)} ms after the call`);
  assert.ok(performance.now() - t0 < full.elapsedMs * 0.5, `next answered ${performance.now() - t0} ms after the timed-out call; the full long answer takes ${full.elapsedMs} ms`);
});

test('llama-cpp: the event loop keeps turning while a long answer is generated (native evaluation is asynchronous)', async (t) => {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const r = await llm.generateJson(request({ schema: longSchema, maxTokens: LONG_MAX_TOKENS }));
  delay.disable();
  const maxMs = delay.max / 1e6;
  t.diagnostic(`${r.tokens} tokens in ${r.elapsedMs.toFixed(0)} ms; longest event-loop delay ${maxMs.toFixed(1)} ms`);
  // Generating synchronously would hold the loop for the whole answer (over a second here).
  assert.ok(maxMs < Math.min(150, r.elapsedMs / 4), `event loop held for ${maxMs} ms`);
});

test("llama-cpp: the caller's abort signal stops the request with the signal's reason", async () => {
  const controller = new AbortController();
  const pending = llm.generateJson(request({ schema: longSchema, maxTokens: LONG_MAX_TOKENS, signal: controller.signal }));
  const reason = new Error('caller hung up');
  controller.abort(reason);
  await assert.rejects(pending, (err: unknown) => err === reason);
  assert.deepEqual(validateJson(intentSchema, (await llm.generateJson(request())).value), []);
});

test('llama-cpp: output cut off by maxTokens is LlmFailedError (truncated), not a half value', async () => {
  await assert.rejects(
    llm.generateJson(request({ maxTokens: 3 })),
    (err: unknown) => err instanceof LlmFailedError && err.code === 'SPA_ERR_LLM_FAILED' && err.details.why === 'truncated',
  );
});

test('llama-cpp: an unbounded schema is refused before anything runs', async () => {
  await assert.rejects(llm.generateJson(request({ schema: { type: 'string' } as unknown as JsonSchema })), LlmSchemaError);
});

test('llama-cpp: measureLlm reports decode speed and time to a valid JSON value on the tiny model', async (t) => {
  const m = await measureLlm(llm, { runs: 3 });
  assert.ok(m.tokensPerSecond > 0 && Number.isFinite(m.tokensPerSecond));
  assert.ok(m.firstValidJsonMs > 0 && m.firstTokenMs <= m.firstValidJsonMs);
  assert.ok(m.tokens > 0);
  t.diagnostic(`tiny model, 1 thread: ${m.tokensPerSecond.toFixed(0)} tokens/s, first valid JSON ${m.firstValidJsonMs.toFixed(0)} ms, first token ${m.firstTokenMs.toFixed(0)} ms, ${m.tokens} tokens`);
});

test('llama-cpp: a request before start() or after stop() is LlmUnavailableError; stop() rejects the one in flight', async () => {
  const other = new LlamaCppLlm({ log, config: { modelPath, threads: 1, contextSize: 512 } });
  await assert.rejects(other.generateJson(request()), LlmUnavailableError);
  await other.start();
  const inFlight = assert.rejects(
    other.generateJson(request({ schema: longSchema, maxTokens: LONG_MAX_TOKENS })),
    (err: unknown) => err instanceof LlmUnavailableError && /stopped/.test(err.message),
  );
  await other.stop();
  await inFlight;
  await assert.rejects(other.generateJson(request()), (err: unknown) => err instanceof LlmUnavailableError && err.code === 'SPA_ERR_LLM_UNAVAILABLE');
});

test('llama-cpp: a load probe that outlives its time limit is killed and start() rejects with LlmUnavailableError', async () => {
  const copy = join(scratch, 'slow-probe.gguf');
  await writeTinyGguf(copy);
  const slow = new LlamaCppLlm({ log, config: { modelPath: copy, threads: 1, probeTimeoutMs: 1 } });
  await assert.rejects(slow.start(), (err: unknown) => err instanceof LlmUnavailableError && /load probe killed after 1 ms/.test(err.message));
});

test('llama-cpp: a missing model file is LlmUnavailableError from start()', async () => {
  const missing = new LlamaCppLlm({ log, config: { modelPath: join(scratch, 'nope.gguf'), threads: 1 } });
  await assert.rejects(missing.start(), (err: unknown) => err instanceof LlmUnavailableError && /no model file/.test(err.message));
});

test('llama-cpp: truncated, garbage, damaged-header and flipped-metadata GGUF files are LlmUnavailableError without harming this process', async () => {
  const good = buildTinyGguf().data;
  const truncated = join(scratch, 'truncated.gguf');
  await writeFile(truncated, good.subarray(0, Math.floor(good.length / 2)));
  const garbage = join(scratch, 'garbage.gguf');
  await writeFile(garbage, Buffer.from('this is not a model file at all'.repeat(40)));
  // A header claiming a million tensors: node-llama-cpp's GGUF reader would read on for minutes.
  const hugeCount = join(scratch, 'huge-count.gguf');
  const header = Buffer.from(good);
  header.writeBigUInt64LE(1_000_000n, 8);
  await writeFile(hugeCount, header);
  // Bytes inverted inside the metadata: a value type no reader knows.
  const flipped = join(scratch, 'flipped.gguf');
  const meta = Buffer.from(good);
  for (let i = 300; i < 340; i++) meta[i] = (meta[i] as number) ^ 0xff;
  await writeFile(flipped, meta);

  for (const path of [truncated, garbage, hugeCount, flipped]) {
    const bad = new LlamaCppLlm({ log, config: { modelPath: path, threads: 1 } });
    await assert.rejects(bad.start(), (err: unknown) => err instanceof LlmUnavailableError && /failed to load/.test(err.message), path);
    await assert.rejects(bad.generateJson(request()), LlmUnavailableError);
    await bad.stop();
  }
  // The process and the loaded model are unharmed.
  assert.deepEqual(validateJson(intentSchema, (await llm.generateJson(request())).value), []);
});
