import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { demoSpa } from '../../booking/demo-spa.js';
import { createLogger } from '../../log.js';
import { LlamaCppLlm } from '../llm/llama-cpp.js';
import { writeTinyGguf } from '../llm/tiny-gguf.js';
import { LlmTimeoutError } from '../llm/types.js';
import { FakeLlm } from '../../../test/helpers/fake-llm.js';
import { LlmUnderstander, readAnswer, understandingSchema } from './llm.js';
import { understandRules, type RulesContext } from './rules.js';
import { ServiceMatcher } from './services.js';

const log = createLogger({ level: 'silent' });
const spa = demoSpa();
const ctx: RulesContext = { now: Date.parse('2026-11-30T15:00:00Z'), zone: 'America/New_York', services: new ServiceMatcher(spa.services), providers: spa.providers };

const blank = { intent: null, service: null, day: null, part_of_day: null, hour: null, yes: false, no: false, name: null };

describe('LLM understanding on top of the rules', () => {
  test('a budget given as a function is read on every turn, so a changed setting applies to the next turn', async () => {
    const llm = new FakeLlm({ ...blank, intent: 'book' });
    let budget = 1200;
    const u = new LlmUnderstander({ llm, log, budgetMs: () => budget });
    await u.understand('something nice', ctx);
    budget = 700;
    await u.understand('something else', ctx);
    assert.deepEqual(llm.requests.map((r) => r.timeoutMs), [1200, 700]);
  });

  test('fills a service and a day the rules could not read, from the catalogue enums', async () => {
    const llm = new FakeLlm({ ...blank, intent: 'book', service: 'botox', day: 'friday', part_of_day: 'morning' });
    const u = await new LlmUnderstander({ llm, log, budgetMs: 500 }).understand('something for my wrinkles, early if you can', ctx);
    assert.deepEqual(u.services, ['botox']);
    assert.deepEqual(u.intents, ['book']);
    assert.equal(u.when?.day, '2026-12-04');
    assert.equal(u.when?.toMin, 720);
    assert.equal(llm.requests[0]?.timeoutMs, 500, 'the budget reaches the engine');
  });

  test('never overrides what the rules understood', async () => {
    const llm = new FakeLlm({ ...blank, intent: 'cancel', service: 'dysport', day: 'monday', yes: false, no: true });
    const text = 'yes, book a chemical peel on saturday';
    const u = await new LlmUnderstander({ llm, log, budgetMs: 500 }).understand(text, ctx);
    const rules = understandRules(text, ctx);
    assert.deepEqual(u, rules);
  });

  test("the model's yes or no is only a leaning: the rules' yes and no, which confirmations read, stay false", async () => {
    const text = 'hmm my dog is barking';
    for (const [yes, no, leaning] of [[true, false, 'yes'], [false, true, 'no']] as const) {
      const u = await new LlmUnderstander({ llm: new FakeLlm({ ...blank, yes, no }), log, budgetMs: 500 }).understand(text, ctx);
      assert.equal(u.yes, false);
      assert.equal(u.no, false);
      assert.equal(u.leaning, leaning);
    }
    const rulesYes = await new LlmUnderstander({ llm: new FakeLlm({ ...blank, yes: false, no: true }), log, budgetMs: 500 }).understand('yes', ctx);
    assert.equal(rulesYes.yes, true);
    assert.equal(rulesYes.leaning, undefined, 'no leaning against what the rules heard');
  });

  test('a day the model filled in is marked as the model\'s, so it never identifies a caller', async () => {
    const u = await new LlmUnderstander({ llm: new FakeLlm({ ...blank, day: 'wednesday' }), log, budgetMs: 500 }).understand('the usual one', ctx);
    assert.equal(u.when?.day, '2026-12-02');
    assert.equal(u.whenFromLlm, true);
    const rules = await new LlmUnderstander({ llm: new FakeLlm({ ...blank, day: 'friday' }), log, budgetMs: 500 }).understand('wednesday', ctx);
    assert.equal(rules.when?.day, '2026-12-02');
    assert.equal(rules.whenFromLlm, undefined);
  });

  test('a name the caller did not say is not taken', async () => {
    const llm = new FakeLlm({ ...blank, name: 'Invented Person' });
    const u = await new LlmUnderstander({ llm, log, budgetMs: 500 }).understand('uh it is', { ...ctx, expectingName: true });
    assert.equal(u.name, undefined);
  });

  test('a timeout or an answer outside the schema leaves the rules result', async () => {
    const text = 'hmm what about the thing';
    const rules = understandRules(text, ctx);
    for (const answer of [new LlmTimeoutError('fake', 500), { ...blank, service: 'made-up-service' }, { intent: 'book' }, 'not json']) {
      const u = await new LlmUnderstander({ llm: new FakeLlm(answer), log, budgetMs: 500 }).understand(text, ctx);
      assert.deepEqual(u, rules);
    }
  });

  test('readAnswer checks every field against the schema', () => {
    const ids = ['botox'];
    assert.ok(readAnswer({ ...blank, hour: 14 }, ids));
    assert.equal(readAnswer({ ...blank, hour: 3 }, ids), null);
    assert.equal(readAnswer({ ...blank, intent: 'dance' }, ids), null);
    assert.equal(readAnswer({ ...blank, yes: 'yes' }, ids), null);
  });
});

describe('LLM understanding with the real node-llama-cpp adapter on a tiny generated GGUF', () => {
  let dir: string;
  let llm: LlamaCppLlm;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spa-llm-und-'));
    const modelPath = join(dir, 'tiny.gguf');
    await writeTinyGguf(modelPath);
    llm = new LlamaCppLlm({ log, config: { modelPath, threads: 1, contextSize: 2048 } });
    await llm.start();
  });
  after(async () => {
    await llm.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the schema-constrained answer fits the schema and merges without losing the rules', async () => {
    const ids = ctx.services.ids();
    const r = await llm.generateJson({ system: 'fill the JSON', prompt: 'Caller: botox friday', schema: understandingSchema(ids), maxTokens: 400, timeoutMs: 30_000 });
    assert.ok(readAnswer(r.value, ids), `the model's value fits: ${JSON.stringify(r.value)}`);
    const text = 'book a chemical peel on saturday at 10';
    const u = await new LlmUnderstander({ llm, log, budgetMs: 30_000 }).understand(text, ctx);
    const rules = understandRules(text, ctx);
    assert.deepEqual(u.services, rules.services);
    assert.deepEqual(u.when, rules.when);
    assert.ok(u.intents.includes('book'));
  });

  test('a budget too small for the model falls back to the rules at once', async () => {
    const text = 'how much is botox';
    const started = Date.now();
    const u = await new LlmUnderstander({ llm, log, budgetMs: 1 }).understand(text, ctx);
    assert.deepEqual(u, understandRules(text, ctx));
    assert.ok(Date.now() - started < 5_000);
  });
});
