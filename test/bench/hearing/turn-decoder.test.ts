import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeKey, type SpokenLine } from './turn-decoder.js';

const line: SpokenLine = { text: 'can i book botox on friday', voice: 'flite:slt', perturbation: { tempo: 1, pitch: 0, snrDb: null, g711: false }, seed: 7, band: 'wideband', lossPct: 1, law: 'ulaw' };
const open = { phrases: [], free: true };

test('a decode is cached under its settings: the appliance defaults keep one key, each tuning setting its own', () => {
  const plain = decodeKey(line, open, 'lm1');
  assert.equal(decodeKey(line, open, 'lm1', {}), plain, 'no settings over the defaults: the key decodes were cached under before');
  assert.notEqual(decodeKey(line, open, 'lm1', { lmWeight: 9 }), plain);
  assert.notEqual(decodeKey(line, open, 'lm1', { lmWeight: 9 }), decodeKey(line, open, 'lm1', { lmWeight: 10 }));
  assert.notEqual(decodeKey(line, open, 'lm1', { extraArgs: ['-bestpath', 'no'] }), plain);
  assert.equal(decodeKey(line, open, 'lm1', { lmWeight: 9 }), decodeKey(line, open, 'lm1', { lmWeight: 9 }));
  assert.notEqual(decodeKey(line, open, 'lm2'), plain, 'another language model decodes anew');
  assert.notEqual(decodeKey({ ...line, band: 'narrowband' }, open, 'lm1'), plain);
});
