import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Downsampler2x, Upsampler2x } from './resampler.js';
import { dominantFrequency, rms, sineWave, toneShare } from './tone.js';

function inFrames(process: (f: Int16Array) => Int16Array, input: Int16Array, frame: number): Int16Array {
  const parts: Int16Array[] = [];
  for (let i = 0; i < input.length; i += frame) parts.push(process(input.subarray(i, i + frame)));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const db = (ratio: number): number => 20 * Math.log10(ratio);
/** Drops the filter's start-up transient. */
const settled = (x: Int16Array, skip = 200): Int16Array => x.subarray(skip);

test('a 1 kHz tone survives 8k -> 16k -> 8k with its frequency and level', () => {
  const up16 = new Upsampler2x();
  const down8 = new Downsampler2x();
  const tone = sineWave(1000, 8000, 8000, 10000); // 1 s
  const up = inFrames((f) => up16.process(f), tone, 160);
  const up16Out = settled(up, 400);
  assert.equal(dominantFrequency(up16Out, 16000), 1000);
  assert.ok(toneShare(up16Out.subarray(0, 15200), 16000, 1000) > 0.995, 'upsampled energy is at 1 kHz');
  const back = settled(inFrames((f) => down8.process(f), up, 320));
  assert.equal(dominantFrequency(back, 8000), 1000);
  assert.ok(toneShare(back.subarray(0, 7600), 8000, 1000) > 0.995, 'round-trip energy is at 1 kHz');
  assert.ok(Math.abs(db(rms(back) / rms(settled(tone)))) < 0.2, 'level within 0.2 dB');
});

test('downsampling 16k -> 8k strongly attenuates a 6 kHz tone (anti-aliasing) and passes 3 kHz flat', () => {
  const d1 = new Downsampler2x();
  const d2 = new Downsampler2x();
  const alias = inFrames((f) => d1.process(f), sineWave(6000, 16000, 16000, 16000), 320);
  const attenuation = db(rms(settled(alias)) / (16000 / Math.SQRT2));
  assert.ok(attenuation < -60, `6 kHz attenuated by ${attenuation.toFixed(1)} dB`);
  const pass = inFrames((f) => d2.process(f), sineWave(3000, 16000, 16000, 16000), 320);
  const gain = db(rms(settled(pass)) / (16000 / Math.SQRT2));
  assert.ok(Math.abs(gain) < 0.5, `3 kHz gain ${gain.toFixed(2)} dB`);
});

test('upsampling images above 4 kHz are suppressed (a 1 kHz tone leaves nothing at 7 kHz)', () => {
  const up = settled(new Upsampler2x().process(sineWave(1000, 8000, 8000, 16000)), 400);
  assert.ok(toneShare(up, 16000, 7000) < 1e-7, 'image at 7 kHz below -70 dB');
});

test('resamplers are stateful: 20 ms frames (and odd-sized chunks) give exactly the same output as one block', () => {
  const signal = sineWave(440, 16000, 4801, 12000);
  const whole = new Downsampler2x().process(signal);
  const d = new Downsampler2x();
  const chunked = inFrames((f) => d.process(f), signal, 333);
  assert.deepEqual([...chunked], [...whole]);
  const narrow = sineWave(700, 8000, 2000, 12000);
  const u = new Upsampler2x();
  assert.deepEqual([...inFrames((f) => u.process(f), narrow, 160)], [...new Upsampler2x().process(narrow)]);
});

test('frame joins have no clicks: the upsampled tone has no sample-to-sample jump larger than the sine’s own slope', () => {
  const u = new Upsampler2x();
  const out = settled(inFrames((f) => u.process(f), sineWave(1000, 8000, 1600, 10000), 160), 100);
  const maxStep = 10000 * ((2 * Math.PI * 1000) / 16000) * 1.05;
  for (let i = 1; i < out.length; i++) assert.ok(Math.abs((out[i] ?? 0) - (out[i - 1] ?? 0)) <= maxStep, `jump at ${i}`);
});
