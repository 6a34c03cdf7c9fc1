import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asrForCall, isNarrowband } from './call-band.js';
import { BandFiller, featParams8k, narrowbandFrontEnd, To8k } from './narrowband.js';
import type { Asr, AsrRecognizeOptions } from './types.js';

/** Power of `x` (16 kHz) at frequency `hz`, by a plain DFT bin. */
function powerAt(x: Int16Array, hz: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < x.length; n++) {
    re += (x[n] ?? 0) * Math.cos((2 * Math.PI * hz * n) / 16000);
    im -= (x[n] ?? 0) * Math.sin((2 * Math.PI * hz * n) / 16000);
  }
  return (re * re + im * im) / x.length;
}

function meanPower(x: Int16Array, from: number, to: number): number {
  const bins: number[] = [];
  for (let hz = from; hz <= to; hz += 125) bins.push(powerAt(x, hz));
  return bins.reduce((a, b) => a + b, 0) / bins.length;
}

test('BandFiller adds noise above 4 kHz only, at the level asked, and leaves the phone band as it was', () => {
  const silence = new Int16Array(16000);
  const filled = new BandFiller({ rms: 200, seed: 3 }).process(silence);
  const high = meanPower(filled, 4500, 7500);
  const low = meanPower(filled, 250, 3500);
  assert.ok(high > 1000 * low, `4.5-7.5 kHz ${high.toFixed(0)} vs 0.25-3.5 kHz ${low.toFixed(1)}`);
  const rms = Math.sqrt(filled.reduce((s, v) => s + v * v, 0) / filled.length);
  assert.ok(rms > 100 && rms < 400, `rms ${rms.toFixed(0)}`);
  const speech = Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 16000)));
  const shaped = new BandFiller({ rms: 200, seed: 3 }).process(speech);
  assert.ok(Math.abs(powerAt(shaped, 1000) / powerAt(speech, 1000) - 1) < 0.02, 'the 1 kHz tone keeps its power');
});

test('BandFiller works chunk by chunk: frames of any length come back at their length', () => {
  const f = new BandFiller();
  for (const n of [320, 7, 0, 2048]) assert.equal(f.process(new Int16Array(n)).length, n);
});

test('To8k halves the sample rate; the 8 kHz front end needs the model with its own feat.params', () => {
  assert.equal(new To8k().process(new Int16Array(320)).length, 160);
  assert.deepEqual(narrowbandFrontEnd('samprate-8k').args, ['-samprate', '8000', '-nfft', '256']);
  assert.equal(narrowbandFrontEnd('samprate-8k').eightKhzModel, true);
  assert.equal(narrowbandFrontEnd('band-fill').eightKhzModel, false);
});

test('featParams8k replaces the model\'s upper filter frequency and keeps every other setting', () => {
  const model = '-lowerf 130\n-upperf 6800\n-nfilt 25\n-transform dct\n';
  const out = featParams8k(model);
  assert.match(out, /^-upperf 3500$/m);
  assert.doesNotMatch(out, /6800/);
  for (const line of ['-lowerf 130', '-nfilt 25', '-transform dct']) assert.ok(out.includes(line), line);
});

test('asrForCall marks every recognition on a G.711 call narrowband, streams too, and leaves wideband calls alone', async () => {
  const seen: (AsrRecognizeOptions | undefined)[] = [];
  const asr: Asr = {
    name: 'spy',
    capabilities: { streaming: true, grammar: true, sampleRate: 16000 },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    recognize: (_a, opts) => {
      seen.push(opts);
      return Promise.resolve({ text: '', confidence: null, elapsedMs: 0 });
    },
    stream: (opts) => {
      seen.push(opts);
      return { write: () => undefined, partial: () => '', finish: () => Promise.resolve({ text: '', confidence: null, elapsedMs: 0 }), cancel: () => undefined };
    },
  };
  assert.equal(isNarrowband('PCMU'), true);
  assert.equal(isNarrowband('PCMA'), true);
  assert.equal(isNarrowband('L16/16000'), false);
  assert.equal(asrForCall(asr, 'L16/16000'), asr);
  const narrow = asrForCall(asr, 'PCMU');
  await narrow.recognize(new Int16Array(0), { grammar: { phrases: ['yes'] } });
  narrow.stream?.({});
  assert.deepEqual(seen, [{ grammar: { phrases: ['yes'] }, narrowband: true }, { narrowband: true }]);
});
