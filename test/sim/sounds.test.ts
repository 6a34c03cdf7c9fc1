import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasVoicedSpeech } from '../../appliance/voice/asr/voicing.js';
import { frameDbfs } from '../../appliance/voice/energy-vad.js';
import { dominantFrequency } from '../../appliance/media/tone.js';
import { cough, mmHm } from './sounds.js';

/** Loudest 20 ms frame, in dBFS. */
function peakDb(pcm: Int16Array): number {
  let peak = Number.NEGATIVE_INFINITY;
  for (let o = 0; o + 320 <= pcm.length; o += 320) peak = Math.max(peak, frameDbfs(pcm.subarray(o, o + 320)));
  return peak;
}

test('the synthetic cough is loud speech-level noise with no pitch', () => {
  const c = cough();
  assert.ok(peakDb(c) > -20, `peak ${peakDb(c).toFixed(1)} dBFS`);
  assert.equal(hasVoicedSpeech(c, 16000, { minVoicedFrames: 3 }), false);
  assert.deepEqual(cough(), c, 'deterministic');
});

test('the synthetic "mm-hm" is voiced, at a speaking level, with its energy low (a hum, not a vowel)', () => {
  const h = mmHm();
  assert.ok(peakDb(h) > -30, `peak ${peakDb(h).toFixed(1)} dBFS`);
  assert.equal(hasVoicedSpeech(h, 16000, { minVoicedFrames: 3 }), true);
  const f = dominantFrequency(h.subarray(1600, 1600 + 4096), 16000);
  assert.ok(f >= 150 && f <= 500, `dominant ${f} Hz`);
});
