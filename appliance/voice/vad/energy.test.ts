import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbfsToProbability, EnergyVadAdapter } from './energy.js';
import { framesOf, runFrames } from './signals.fixture.js';

test('energy adapter: a -18 dBFS tone is speech with probability near 1, digital silence is not speech with probability 0', async () => {
  const vad = new EnergyVadAdapter();
  await vad.start();
  const tone = runFrames(vad, framesOf([{ kind: 'tone', ms: 400, amplitude: 8000 }]));
  assert.deepEqual(tone.segments, [{ startMs: 60, endMs: 400 }]); // 60 ms onset
  assert.ok(tone.probabilities.every((p) => p > 0.99));
  vad.reset();
  const silence = runFrames(vad, framesOf([{ kind: 'quiet', ms: 400, noiseAmplitude: 0 }]));
  assert.deepEqual(silence.segments, []);
  assert.ok(silence.probabilities.every((p) => p === 0));
  await vad.stop();
});

test('energy probability is 0.5 at the threshold and rises with the level', () => {
  assert.equal(dbfsToProbability(-40, -40, 3), 0.5);
  assert.ok(dbfsToProbability(-50, -40, 3) < 0.05);
  assert.ok(dbfsToProbability(-30, -40, 3) > 0.95);
  assert.equal(dbfsToProbability(Number.NEGATIVE_INFINITY, -40, 3), 0);
});

test('energy adapter passes its threshold, onset and hangover to EnergyVad', async () => {
  const vad = new EnergyVadAdapter({ config: { thresholdDb: -20, minSpeechMs: 100, hangoverMs: 200 } });
  await vad.start();
  // -27 dBFS is below a -20 dB threshold: not speech, probability under 0.5.
  const soft = runFrames(vad, framesOf([{ kind: 'tone', ms: 400, amplitude: 3000 }]));
  assert.deepEqual(soft.segments, []);
  assert.ok(soft.probabilities.every((p) => p < 0.5));
  const loud = runFrames(
    vad,
    framesOf([
      { kind: 'tone', ms: 400, amplitude: 8000 },
      { kind: 'quiet', ms: 400, noiseAmplitude: 0 },
    ]),
  );
  assert.deepEqual(loud.segments, [{ startMs: 100, endMs: 600 }]); // 100 ms onset, 200 ms hangover
  await vad.stop();
});
