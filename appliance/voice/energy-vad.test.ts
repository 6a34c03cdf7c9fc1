import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnergyVad, frameDbfs, type VadEvent } from './energy-vad.js';

const tone = (amp: number, n = 320): Int16Array => Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * 440 * i) / 16000)));
const silence = (n = 320): Int16Array => new Int16Array(n);

test('frame level: a full-scale sine is about -3 dBFS, silence is -Infinity', () => {
  assert.ok(Math.abs(frameDbfs(tone(32767)) + 3.01) < 0.1);
  assert.equal(frameDbfs(silence()), Number.NEGATIVE_INFINITY);
});

test('speech starts after the onset time and ends after the hangover, with times', () => {
  const vad = new EnergyVad({ thresholdDb: -40, minSpeechMs: 60, hangoverMs: 200 });
  const events: VadEvent[] = [];
  const feed = (f: Int16Array, n: number) => {
    for (let i = 0; i < n; i++) {
      const e = vad.push(f);
      if (e) events.push(e);
    }
  };
  feed(silence(), 10); // 0-200 ms
  feed(tone(3000), 25); // 200-700 ms speech
  feed(silence(), 5); // 100 ms pause: not the end
  feed(tone(3000), 10); // 800-1000 ms
  feed(silence(), 15); // end after 200 ms of quiet
  assert.deepEqual(events, [
    { type: 'speech-start', atMs: 200 },
    { type: 'speech-end', atMs: 1000, speechMs: 800 },
  ]);
});

test('a click shorter than the onset is not speech', () => {
  const vad = new EnergyVad({ minSpeechMs: 60 });
  const got = [tone(8000), tone(8000), silence(), silence()].map((f) => vad.push(f));
  assert.deepEqual(got, [null, null, null, null]);
  assert.equal(vad.isSpeaking, false);
});
