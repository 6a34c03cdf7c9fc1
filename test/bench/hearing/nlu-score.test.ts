import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusWorld } from '../../../appliance/agent/nlu/lab.js';
import type { CorpusUtterance } from '../../../appliance/agent/nlu/corpus.js';
import { NluModel } from '../../../appliance/agent/nlu/model.js';
import { understandLearned } from '../../../appliance/agent/nlu/understander.js';
import { scoreHeard } from './nlu-score.js';

const world = corpusWorld();
const model = NluModel.load();
const u = (text: string, intents: CorpusUtterance['intents'], slots: CorpusUtterance['slots']): CorpusUtterance => ({ text, intents, after: 'open', slots, topics: [], source: 'x:1' });

test('hearing-nlu scores a tiny set: intent accuracy, and key slots right, missed, wrong or extra, on what was heard', () => {
  const items = [
    // heard as said: intent and both key slots right
    { u: u('can i book botox on friday', ['book'], { service: ['botox'], day: '2026-12-04' }), heard: 'can i book botox on friday' },
    // the day lost: the service still right, the day missed
    { u: u('can i book dysport on friday', ['book'], { service: ['dysport'], day: '2026-12-04' }), heard: 'can i book dysport on' },
    // a service heard that was not said: an extra key slot
    { u: u('what are your hours', ['hours'], {}), heard: 'what are your hours for botox' },
  ];
  const s = scoreHeard(items, (line, heard) => understandLearned(heard, world.context(line), model));
  assert.equal(s.lines, 3);
  assert.equal(s.keySlots, 4);
  assert.deepEqual(s.perKey.service, [2, 2, 1]);
  assert.deepEqual(s.perKey.day, [1, 2, 0]);
  assert.equal(s.keySlotAccuracy, 3 / 4);
  assert.equal(s.extraKeySlots, 1);
  assert.ok(s.misses.some((m) => m.startsWith('day=2026-12-04->-')));
  assert.ok(s.misses.some((m) => m.includes('+service=botox')));
  // Understood from the written line instead, nothing is missed.
  const written = scoreHeard(items, (line) => understandLearned(line.text, world.context(line), model));
  assert.equal(written.keySlotAccuracy, 1);
  assert.equal(written.extraKeySlots, 0);
});
