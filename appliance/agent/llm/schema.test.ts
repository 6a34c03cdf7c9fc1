import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toGbnfJsonSchema } from './llama-cpp-schema.js';
import { checkSchema, validateJson } from './schema.js';
import { LlmSchemaError, type JsonSchema } from './types.js';

const booking: JsonSchema = {
  type: 'object',
  properties: {
    intent: { enum: ['book', 'cancel'] },
    service: { type: 'string', enum: ['botox', 'hydrafacial'] },
    hour: { oneOf: [{ type: 'integer', minimum: 8, maximum: 19 }, { type: 'null' }] },
    notes: { type: 'string', maxLength: 40 },
    days: { type: 'array', items: { enum: ['mon', 'tue'] }, maxItems: 2 },
    confirmed: { type: 'boolean' },
  },
};

test('schema: a bounded schema passes the check', () => {
  assert.doesNotThrow(() => checkSchema(booking));
});

test('schema: unbounded or unknown parts are refused with their path', () => {
  const cases: [unknown, RegExp][] = [
    [{ type: 'string' }, /maxLength/],
    [{ type: 'number' }, /number is not supported/],
    [{ type: 'integer', minimum: 0, maximum: 10_000 }, /at most 512/],
    [{ type: 'integer', minimum: 5, maximum: 1 }, /minimum <= maximum/],
    [{ type: 'array', items: { type: 'boolean' } }, /maxItems/],
    [{ type: 'object', properties: { a: { type: 'string' } } }, /at \.a:/],
    [{ type: 'object', properties: {}, required: [] }, /unsupported keyword required/],
    [{ enum: [] }, /at least one/],
    [{ oneOf: [{ type: 'null' }, { type: 'string' }] }, /at \|1:/],
  ];
  for (const [schema, message] of cases) {
    assert.throws(() => checkSchema(schema as JsonSchema), (err: unknown) => err instanceof LlmSchemaError && err.code === 'SPA_ERR_LLM_SCHEMA' && message.test(err.message), JSON.stringify(schema));
  }
});

test('schema: validateJson accepts a fitting value and names each misfit by path', () => {
  const good = { intent: 'book', service: 'botox', hour: 15, notes: 'after work', days: ['tue'], confirmed: false };
  assert.deepEqual(validateJson(booking, good), []);
  assert.deepEqual(validateJson(booking, { ...good, hour: null }), []);
  const bad = { intent: 'rebook', service: 'botox', hour: 7, notes: 'x'.repeat(41), days: ['tue', 'mon', 'tue'], extra: 1 };
  assert.deepEqual(validateJson(booking, bad), [
    '.intent: "rebook" is not in the enum',
    '.hour: matches none of oneOf',
    '.notes: has length 41',
    '.days: has 3 items',
    '.confirmed: missing',
    '.extra: not in the schema',
  ]);
  assert.deepEqual(validateJson({ type: 'integer', minimum: 1, maximum: 3 }, 2.5), ['(root): is not an integer']);
});

test("schema: an integer range becomes node-llama-cpp's enum of its values; objects forbid other keys", () => {
  assert.deepEqual(toGbnfJsonSchema({ type: 'integer', minimum: 3, maximum: 6 }), { enum: [3, 4, 5, 6] });
  assert.deepEqual(toGbnfJsonSchema({ type: 'integer', minimum: 3, maximum: 3 }), { const: 3 });
  assert.deepEqual(toGbnfJsonSchema({ type: 'object', properties: { a: { type: 'boolean' } } }), {
    type: 'object',
    properties: { a: { type: 'boolean' } },
    additionalProperties: false,
  });
});
