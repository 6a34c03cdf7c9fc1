import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test/helpers/spa.js';
import { corpusWorld, fittedOnHash, readTraining } from './lab.js';
import { MODEL_PATH, NluModel, NluModelError } from './model.js';
import { trainNlu } from './train.js';

test('the committed model is the one `npm run nlu -- train` fits on the committed train split, the train-only extra lines and the dev split', () => {
  const committed = NluModel.load();
  assert.equal(committed.trainedOn, fittedOnHash(), 'the split changed since the model was trained: run npm run nlu -- train');
  const world = corpusWorld();
  const { model } = trainNlu(readTraining(world), world.lexicon, fittedOnHash());
  assert.deepEqual(model.toJSON(), JSON.parse(readFileSync(MODEL_PATH, 'utf8')));
});

test('a missing, garbled or foreign model file is refused with SPA_ERR_NLU_MODEL', () => {
  const dir = tempDir();
  try {
    const path = join(dir.path, 'model.json');
    assert.throws(() => NluModel.load(path), (e: unknown) => e instanceof NluModelError && e.code === 'SPA_ERR_NLU_MODEL' && /not found/.test(e.message));
    writeFileSync(path, '{"format": "spa-nlu-1", "intent": ');
    assert.throws(() => NluModel.load(path), (e: unknown) => e instanceof NluModelError && /not valid/.test(e.message));
    const good = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as { intent: { classes: string[] } };
    good.intent.classes[0] = 'order-pizza';
    writeFileSync(path, JSON.stringify(good));
    assert.throws(() => NluModel.load(path), /unknown intents: order-pizza/);
  } finally {
    dir.remove();
  }
});
