import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test/helpers/spa.js';
import { CORPUS_INTENTS, CorpusError, parseCorpus, splitCorpus, type CorpusUtterance } from './corpus.js';
import { corpusWorld, fittedOnHash, readCorpus, readSplit, readTraining } from './lab.js';

const world = corpusWorld();

test('a corpus line that is not JSON, names an unknown intent, slot or id, or gives a bad day is refused with file and line', () => {
  const lines = [
    '{"text": "how much is botox", "intents": ["price"], "slots": {"service": ["botox"]}}',
    'not json',
    '{"text": "x", "intents": ["buy"]}',
    '{"text": "y", "intents": ["book"], "slots": {"colour": "red"}}',
    '{"text": "z", "intents": ["book"], "slots": {"service": ["tattoo"]}}',
    '{"text": "w", "intents": ["book"], "slots": {"day": "12/14"}}',
    '{"text": "v", "intents": ["question"]}',
  ].join('\n');
  assert.throws(
    () => parseCorpus(lines, 'writer', world.ids),
    (e: unknown) => e instanceof CorpusError && /writer:2: not JSON/.test(e.message) && /writer:3: intents/.test(e.message) && /writer:4: unknown slot colour/.test(e.message) && /writer:5: service/.test(e.message) && /writer:6: day/.test(e.message) && /writer:7: topics/.test(e.message),
  );
  const ok = parseCorpus(lines.split('\n')[0] ?? '', 'writer', world.ids);
  assert.deepEqual(ok[0]?.slots, { service: ['botox'] });
  assert.equal(ok[0]?.after, 'open');
});

test('the split is stratified 60/20/20 by first intent, deterministic, and puts each line in one part only', () => {
  const lines: CorpusUtterance[] = [];
  for (const intent of ['book', 'price', 'thanks'] as const) for (let i = 0; i < 20; i++) lines.push({ text: `${intent} ${i}`, intents: [intent], after: 'open', slots: {}, topics: [], source: `x:${i}` });
  const a = splitCorpus(lines);
  assert.deepEqual(splitCorpus(lines), a);
  for (const intent of ['book', 'price', 'thanks']) {
    const count = (part: CorpusUtterance[]): number => part.filter((u) => u.intents[0] === intent).length;
    assert.deepEqual([count(a.train), count(a.dev), count(a.test)], [12, 4, 4]);
  }
  const all = [...a.train, ...a.dev, ...a.test].map((u) => u.text);
  assert.equal(new Set(all).size, lines.length);
});

test('the committed split holds every corpus text exactly once (a text two writers both wrote is kept once), at least 1,500 of them, and tests every intent', () => {
  const corpus = readCorpus(world);
  const split = readSplit(world);
  const key = (u: CorpusUtterance): string => u.text.trim().toLowerCase();
  const parts = [...split.train, ...split.dev, ...split.test].map(key);
  assert.equal(parts.length, new Set(parts).size, 'a line is in two parts');
  assert.deepEqual(new Set(parts), new Set(corpus.map(key)));
  assert.ok(parts.length >= 1500, `${parts.length} distinct lines`);
  for (const intent of CORPUS_INTENTS) assert.ok(split.test.some((u) => u.intents[0] === intent), `no ${intent} line in the test split`);
});

test('train-only extra lines join training, but never one whose text is already in dev or test (or twice)', () => {
  const dir = tempDir();
  try {
    const split = join(dir.path, 'split');
    const extra = join(dir.path, 'extra');
    mkdirSync(split);
    mkdirSync(extra);
    const line = (text: string, intent: string): string => JSON.stringify({ text, intents: [intent] });
    writeFileSync(join(split, 'train.jsonl'), `${line('hello there', 'greeting')}\n`);
    writeFileSync(join(split, 'dev.jsonl'), `${line('bye now', 'goodbye')}\n`);
    writeFileSync(join(split, 'test.jsonl'), `${line('yes please', 'yes')}\n`);
    writeFileSync(join(extra, 'b.jsonl'), [line('Yes  please', 'yes'), line('no thanks', 'no'), line('BYE NOW', 'goodbye'), line('thank you so much', 'thanks')].join('\n'));
    writeFileSync(join(extra, 'a.jsonl'), `${line('No thanks', 'no')}\n`);
    const t = readTraining(world, { split, extra });
    assert.deepEqual(t.train.map((u) => u.text), ['hello there', 'No thanks', 'thank you so much']);
    assert.deepEqual(t.train.map((u) => u.source.split(':')[0]), ['split/train', 'extra/a', 'extra/b']);
    assert.deepEqual(t.dev.map((u) => u.text), ['bye now']);
    const before = fittedOnHash({ split, extra });
    writeFileSync(join(extra, 'c.jsonl'), `${line('see you', 'goodbye')}\n`);
    assert.notEqual(fittedOnHash({ split, extra }), before, 'a new extra file changes what the model is fitted on');
  } finally {
    dir.remove();
  }
});
