// The conformance suite every Vad adapter passes: the same deterministic signal (tone bursts in
// low noise), the same timing tolerances. Engines differ in onset/hangover and window size, so the
// bounds are what the turn-taking code relies on, not any one engine's exact numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplianceError } from '../../errors.js';
import { framesOf, runFrames, type Part } from './signals.fixture.js';
import type { Vad } from './types.js';

/** Truth of the signal below: tone bursts at 1000-2000 ms and 3500-4100 ms. */
const SCRIPT: Part[] = [
  { kind: 'quiet', ms: 1000, noiseAmplitude: 30 }, // about -65 dBFS line noise
  { kind: 'tone', ms: 1000, amplitude: 8000 }, // about -18 dBFS
  { kind: 'quiet', ms: 1500, noiseAmplitude: 30 },
  { kind: 'tone', ms: 600, amplitude: 3000 }, // about -27 dBFS
  { kind: 'quiet', ms: 1500, noiseAmplitude: 30 },
];
const TRUTH = [
  { startMs: 1000, endMs: 2000 },
  { startMs: 3500, endMs: 4100 },
];
/** Speech must be reported no earlier than it starts and at most this late (onset + one window). */
const MAX_START_LAG_MS = 350;
/** Speech must end no earlier than it ends and at most this late (hangover + one window). */
const MAX_END_LAG_MS = 900;

export function vadConformance(name: string, make: () => Vad): void {
  const started = async (): Promise<Vad> => {
    const vad = make();
    await vad.start();
    return vad;
  };

  describe(`Vad conformance: ${name}`, () => {
    test('declares 16 kHz input and a frame length of 10-30 ms', () => {
      const { capabilities } = make();
      assert.equal(capabilities.sampleRate, 16000);
      assert.ok(capabilities.frameMs >= 10 && capabilities.frameMs <= 30);
      assert.ok(capabilities.decisionMs >= capabilities.frameMs);
    });

    test('process() before start() throws SPA_ERR_VAD_NOT_STARTED', () => {
      const vad = make();
      assert.throws(
        () => vad.process(new Int16Array(320)),
        (err: unknown) => err instanceof ApplianceError && err.code === 'SPA_ERR_VAD_NOT_STARTED',
      );
    });

    test('reports each tone burst as one segment, no earlier than it starts and within the lag bounds', async () => {
      const vad = await started();
      const { segments } = runFrames(vad, framesOf(SCRIPT));
      await vad.stop();
      assert.equal(segments.length, TRUTH.length, `segments: ${JSON.stringify(segments)}`);
      segments.forEach((seg, i) => {
        const truth = TRUTH[i]!;
        const startLag = seg.startMs - truth.startMs;
        const endLag = seg.endMs - truth.endMs;
        assert.ok(startLag >= 0 && startLag <= MAX_START_LAG_MS, `segment ${i} start lag ${startLag} ms`);
        assert.ok(endLag >= 0 && endLag <= MAX_END_LAG_MS, `segment ${i} end lag ${endLag} ms`);
      });
    });

    test('reports no speech and probability below 0.5 for line noise alone', async () => {
      const vad = await started();
      const { segments, probabilities } = runFrames(vad, framesOf([{ kind: 'quiet', ms: 3000, noiseAmplitude: 30 }]));
      await vad.stop();
      assert.deepEqual(segments, []);
      assert.ok(probabilities.every((p) => p < 0.5));
    });

    test('gives loud frames a higher probability than quiet ones', async () => {
      const vad = await started();
      const { probabilities } = runFrames(vad, framesOf(SCRIPT));
      await vad.stop();
      const mean = (from: number, to: number): number => {
        const slice = probabilities.slice(from / 20, to / 20);
        return slice.reduce((a, b) => a + b, 0) / slice.length;
      };
      // Inside the first burst after the worst allowed onset, against the leading noise.
      assert.ok(mean(1000 + MAX_START_LAG_MS, 2000) > 0.9);
      assert.ok(mean(0, 1000) < 0.1);
    });

    test('reset() during speech drops the speech state and the audio heard so far', async () => {
      const vad = await started();
      const loud = framesOf([{ kind: 'tone', ms: 600, amplitude: 8000 }]);
      const { segments } = runFrames(vad, loud);
      assert.equal(segments.length, 1, 'speech before reset');
      vad.reset();
      const quiet = framesOf([{ kind: 'quiet', ms: 20, noiseAmplitude: 30 }]);
      assert.equal(vad.process(quiet[0]!).speech, false);
      // The same audio after reset gives the same decisions as on a new detector.
      const again = runFrames(vad, loud).segments;
      const fresh = make();
      await fresh.start();
      fresh.process(quiet[0]!);
      const reference = runFrames(fresh, loud).segments;
      await Promise.all([vad.stop(), fresh.stop()]);
      assert.deepEqual(again, reference);
    });

    test('stop() then start() gives a working detector again', async () => {
      const vad = await started();
      await vad.stop();
      assert.throws(() => vad.process(new Int16Array(320)));
      await vad.start();
      const { segments } = runFrames(vad, framesOf(SCRIPT));
      await vad.stop();
      assert.equal(segments.length, TRUTH.length);
    });
  });
}
