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

test("flite's breath noise before a sentence is cut; a soft fricative onset is kept", async () => {
  const { synthesizeFlite } = await import('./flite.js');
  const { frameDbfs } = await import('./energy-vad.js');
  const which = (await synthesizeFlite('Which treatment would you like to book?', { voice: 'kal16' })).samples;
  assert.ok(frameDbfs(which.subarray(0, 320)) > -50, 'the fixture starts with noise above the old -50 dBFS cut');
  const trimmed = trimLeadingSilence(which);
  const cut = which.length - trimmed.length;
  assert.ok(cut >= 150 * 16, `at least 150 ms of breath cut, was ${cut / 16} ms`);
  assert.ok(frameDbfs(trimmed.subarray(0, 320 * 3)) > -40, 'speech within 60 ms of the start');

  // Synthetic: 300 ms of -55 dBFS noise, a 60 ms "s" at -40 dBFS, then a vowel at -12 dBFS.
  const pcm = new Int16Array(16000);
  let seed = 7;
  const noise = (amp: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.round((seed / 2147483648 - 0.5) * 2 * amp);
  };
  for (let i = 0; i < 4800; i++) pcm[i] = noise(80);
  for (let i = 4800; i < 5760; i++) pcm[i] = noise(580);
  for (let i = 5760; i < 16000; i++) pcm[i] = Math.round(8000 * Math.sin(i / 4));
  const out = trimLeadingSilence(pcm, { keepMs: 0 });
  assert.equal(pcm.length - out.length, 4800, 'cut exactly at the start of the "s"');
});
