import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ApplianceError } from '../../errors.js';
import { VadModelLoadError, VadModelMissingError } from './errors.js';
import { SileroSherpaVad } from './silero-sherpa.js';
import { FRAME, framesOf, runFrames, type Part } from './signals.fixture.js';
import { tinySileroModelPath } from './tiny-silero.fixture.js';

let modelPath = '';
let scratch = '';
before(async () => {
  modelPath = await tinySileroModelPath();
  scratch = await mkdtemp(join(tmpdir(), 'vad-silero-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const burst: Part[] = [
  { kind: 'quiet', ms: 500, noiseAmplitude: 30 },
  { kind: 'tone', ms: 800, amplitude: 8000 },
  { kind: 'quiet', ms: 1200, noiseAmplitude: 30 },
];

test('silero-sherpa loads the model and reports speech for a loud tone burst, none for the silence around it', async () => {
  const vad = new SileroSherpaVad({ config: { modelPath, minSpeechMs: 100, minSilenceMs: 300 } });
  await vad.start();
  const { segments } = runFrames(vad, framesOf(burst));
  await vad.stop();
  assert.equal(segments.length, 1, JSON.stringify(segments));
  const [seg] = segments;
  assert.ok(seg!.startMs > 500 && seg!.startMs <= 500 + 100 + 3 * 32 + 20, `start ${seg!.startMs}`);
  assert.ok(seg!.endMs > 1300 && seg!.endMs <= 1300 + 300 + 3 * 32 + 20, `end ${seg!.endMs}`);
});

test('silero-sherpa: a tone below the model\'s -40 dBFS midpoint (about -50 dBFS) is not speech', async () => {
  const vad = new SileroSherpaVad({ config: { modelPath } });
  await vad.start();
  const { segments } = runFrames(vad, framesOf([{ kind: 'tone', ms: 1000, amplitude: 200 }]));
  await vad.stop();
  assert.deepEqual(segments, []);
});

test('silero-sherpa decides per 512-sample window: the state changes only on frames that complete a window', async () => {
  const vad = new SileroSherpaVad({ config: { modelPath } });
  await vad.start();
  const frames = framesOf(burst);
  let previous = false;
  let samples = 0;
  for (const frame of frames) {
    const windowsBefore = Math.floor(samples / 512);
    samples += frame.length;
    const { speech, probability } = vad.process(frame);
    assert.equal(probability, speech ? 1 : 0); // sherpa-onnx exposes only its state: binary probability
    if (speech !== previous) assert.ok(Math.floor(samples / 512) > windowsBefore, `change at sample ${samples}`);
    previous = speech;
  }
  await vad.stop();
  assert.equal(vad.capabilities.decisionMs, 32);
});

test('silero-sherpa gives the same segments for 10 ms frames as for 20 ms frames (within one frame)', async () => {
  const vad = new SileroSherpaVad({ config: { modelPath } });
  await vad.start();
  const twenty = runFrames(vad, framesOf(burst)).segments;
  vad.reset();
  const halves = framesOf(burst).flatMap((f) => [f.subarray(0, FRAME / 2), f.subarray(FRAME / 2)]);
  const ten = runFrames(vad, halves).segments.map((s) => ({ startMs: s.startMs / 2, endMs: s.endMs / 2 })); // runFrames counts 20 ms per frame
  await vad.stop();
  assert.equal(ten.length, twenty.length);
  ten.forEach((s, i) => {
    assert.ok(Math.abs(s.startMs - twenty[i]!.startMs) <= 10);
    assert.ok(Math.abs(s.endMs - twenty[i]!.endMs) <= 10);
  });
});

test('silero-sherpa start() rejects with SPA_ERR_VAD_MODEL_MISSING when the model file does not exist', async () => {
  const path = join(scratch, 'not-installed.onnx');
  const vad = new SileroSherpaVad({ config: { modelPath: path } });
  await assert.rejects(vad.start(), (err: unknown) => {
    assert.ok(err instanceof VadModelMissingError);
    assert.ok(err instanceof ApplianceError);
    assert.equal(err.code, 'SPA_ERR_VAD_MODEL_MISSING');
    assert.equal(err.details.path, path);
    return true;
  });
  assert.throws(() => vad.process(new Int16Array(FRAME)), { code: 'SPA_ERR_VAD_NOT_STARTED' });
});

test('silero-sherpa start() rejects with SPA_ERR_VAD_MODEL_LOAD for a corrupt model, and this process survives', async () => {
  const path = join(scratch, 'corrupt.onnx');
  await writeFile(path, 'this is not an onnx model\n');
  const vad = new SileroSherpaVad({ config: { modelPath: path } });
  await assert.rejects(vad.start(), (err: unknown) => {
    assert.ok(err instanceof VadModelLoadError);
    assert.equal(err.code, 'SPA_ERR_VAD_MODEL_LOAD');
    assert.equal(err.details.stage, 'probe');
    assert.match(String(err.details.detail), /Protobuf parsing failed/);
    return true;
  });
});

test('silero-sherpa start() rejects with SPA_ERR_VAD_MODEL_LOAD for a valid ONNX file with the wrong inputs (sherpa-onnx would exit the process)', async () => {
  const path = await tinySileroModelPath({ inputName: 'audio' });
  const vad = new SileroSherpaVad({ config: { modelPath: path } });
  await assert.rejects(vad.start(), (err: unknown) => {
    assert.ok(err instanceof VadModelLoadError);
    assert.equal(err.code, 'SPA_ERR_VAD_MODEL_LOAD');
    assert.match(String(err.details.detail), /Expected: input/);
    return true;
  });
});
