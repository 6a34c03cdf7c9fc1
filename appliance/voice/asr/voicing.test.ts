import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synthesizeFlite } from '../flite.js';
import { hasVoicedSpeech } from './voicing.js';
import { whiteNoise } from './test-audio.js';

test('flite speech counts as voiced speech', async () => {
  const speech = await synthesizeFlite('No thanks', { voice: 'kal16' });
  assert.equal(hasVoicedSpeech(speech.samples, 16000), true);
});

test('silence and white noise do not count as voiced speech', () => {
  assert.equal(hasVoicedSpeech(new Int16Array(32000), 16000), false);
  assert.equal(hasVoicedSpeech(whiteNoise(32000, 1000, 7), 16000), false);
  assert.equal(hasVoicedSpeech(whiteNoise(32000, 6000, 8), 16000), false);
});

test('a steady 150 Hz buzz is voiced (the gate looks for pitch, not for words)', () => {
  const buzz = new Int16Array(16000).map((_v, i) => Math.round(4000 * Math.sin((2 * Math.PI * 150 * i) / 16000)));
  assert.equal(hasVoicedSpeech(buzz, 16000), true);
});
