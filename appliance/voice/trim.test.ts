import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimLeadingSilence } from './trim.js';

test('leading silence is cut to a short lead-in; speech and what follows are kept', () => {
  const pcm = new Int16Array(16000);
  for (let i = 4800; i < 12000; i++) pcm[i] = Math.round(6000 * Math.sin(i / 3));
  const out = trimLeadingSilence(pcm, { keepMs: 10 });
  assert.equal(out.length, 16000 - 4800 + 160);
  assert.equal(out[160 + 10], pcm[4800 + 10]);
});

test('all-quiet audio is returned unchanged', () => {
  const pcm = new Int16Array(3200);
  assert.equal(trimLeadingSilence(pcm), pcm);
});
