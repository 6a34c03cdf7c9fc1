import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { synthesizeFlite } from '../flite.js';
import { tinyWhisperDir, tinyZipformerDir, TINY_WHISPER_NAME } from './tiny-models.fixture.js';
import { AsrModelLoadError } from './types.js';
import { utteranceConfidence, wordsFromTokens, ZipformerSherpaAsr } from './zipformer-sherpa.js';

const log = pino({ level: 'silent' });
let modelDir = '';
let scratch = '';
let speech: Int16Array = new Int16Array(0);

before(async () => {
  modelDir = await tinyZipformerDir();
  scratch = await mkdtemp(join(tmpdir(), 'spa-zipformer-test-'));
  speech = (await synthesizeFlite("I'd like to book Botox next Tuesday afternoon", { voice: 'kal16' })).samples;
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function frames(audio: Int16Array, size = 320): Int16Array[] {
  const out: Int16Array[] = [];
  for (let o = 0; o < audio.length; o += size) out.push(audio.subarray(o, o + size));
  return out;
}

async function brokenCopy(file: string, replacement: { content?: string; from?: string }): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'broken-'));
  for (const f of ['encoder.onnx', 'decoder.onnx', 'joiner.onnx', 'tokens.txt']) await copyFile(join(modelDir, f), join(dir, f));
  if (replacement.from !== undefined) await copyFile(replacement.from, join(dir, file));
  else await writeFile(join(dir, file), replacement.content ?? '');
  return dir;
}

test('wordsFromTokens joins BPE pieces into lowercase words timed from their first piece to one frame past their last', () => {
  assert.deepEqual(wordsFromTokens([' BO', 'TOX', ' ON', ' FRI', 'DAY'], [0.4, 0.48, 0.8, 1.0, 1.12]), [
    { word: 'botox', startMs: 400, endMs: 520, confidence: null },
    { word: 'on', startMs: 800, endMs: 840, confidence: null },
    { word: 'friday', startMs: 1000, endMs: 1160, confidence: null },
  ]);
  assert.deepEqual(wordsFromTokens([], []), []);
});

test('utteranceConfidence is the geometric mean of the token probabilities, null without tokens', () => {
  assert.equal(utteranceConfidence([]), null);
  assert.ok(Math.abs((utteranceConfidence([Math.log(0.5), Math.log(0.125)]) ?? 0) - 0.25) < 1e-12);
});

test('zipformer-sherpa recognize() decodes a whole utterance through the streaming transducer: text, words, confidence, elapsedMs', async () => {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  assert.deepEqual(asr.capabilities, { streaming: true, grammar: false, sampleRate: 16000 });
  await asr.start();
  const result = await asr.recognize(speech);
  await asr.stop();
  // Random weights: nonsense, but the encoder, decoder and joiner ran and pieces became words.
  assert.match(result.text, /^[a-z']+( [a-z']+)*$/);
  assert.equal(result.words?.map((w) => w.word).join(' '), result.text);
  for (const w of result.words ?? []) assert.ok(w.startMs >= 0 && w.endMs > w.startMs && w.endMs <= (speech.length / 16) + 600, JSON.stringify(w));
  assert.ok(result.confidence !== null && result.confidence > 0 && result.confidence <= 1);
  assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs > 0);
});

test('zipformer-sherpa stream(): partial text grows while audio is written, and finish() gives the final text it is a prefix of', async () => {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const stream = asr.stream({});
  assert.equal(stream.partial(), '');
  for (const f of frames(speech)) stream.write(f);
  // The worker handles messages in order: once a later stream's result is back, every chunk
  // written above has been decoded and its partial posted, while `stream` is still open.
  const barrier = asr.stream({});
  await barrier.finish();
  const partial = stream.partial();
  assert.ok(partial.length > 0, 'partials arrive before the turn ends');
  const final = await stream.finish();
  await asr.stop();
  assert.ok(final.text.startsWith(partial), `"${final.text}" does not extend "${partial}"`);
  assert.equal(final.text, (await recognizeOnce(speech)).text, 'fed live or whole, the same audio gives the same text');
});

async function recognizeOnce(audio: Int16Array): Promise<{ text: string }> {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  try {
    return await asr.recognize(audio);
  } finally {
    await asr.stop();
  }
}

test('zipformer-sherpa decodes in its engine process: write() returns at once and timers keep firing while 20 s of audio is decoded', async () => {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const stream = asr.stream();
  const long = new Int16Array(16000 * 20);
  for (let i = 0; i < long.length; i++) long[i] = Math.round(6000 * Math.sin((2 * Math.PI * 140 * i) / 16000));
  let last = performance.now();
  let worstGap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worstGap = Math.max(worstGap, t - last);
    last = t;
  }, 2);
  const t0 = performance.now();
  for (const f of frames(long)) stream.write(f);
  const writeMs = performance.now() - t0;
  await stream.finish();
  const totalMs = performance.now() - t0;
  clearInterval(timer);
  await asr.stop();
  assert.ok(totalMs > 40, `decoding took ${totalMs.toFixed(1)} ms: too short to tell`);
  assert.ok(writeMs < totalMs / 2, `writing took ${writeMs.toFixed(1)} ms of ${totalMs.toFixed(1)} ms`);
  assert.ok(worstGap < totalMs / 2, `event loop stalled ${worstGap.toFixed(1)} ms during ${totalMs.toFixed(1)} ms of decoding`);
});

test('zipformer-sherpa cancel() abandons an utterance: finish() rejects, and other streams carry on', async () => {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const dropped = asr.stream();
  const kept = asr.stream();
  for (const f of frames(speech)) {
    dropped.write(f);
    kept.write(f);
  }
  dropped.cancel();
  dropped.write(speech); // ignored after cancel
  await assert.rejects(dropped.finish(), { code: 'SPA_ERR_ASR_ENGINE_FAILED' });
  const result = await kept.finish();
  await asr.stop();
  assert.equal(typeof result.text, 'string');
});

test('zipformer-sherpa rejects with the abort reason when the caller hangs up, for recognize() and for a stream', async () => {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const reason = new Error('hung up');
  const c1 = new AbortController();
  const pending = asr.recognize(speech, { signal: c1.signal });
  c1.abort(reason);
  await assert.rejects(pending, (err) => err === reason);
  const c2 = new AbortController();
  const stream = asr.stream({ signal: c2.signal });
  stream.write(speech);
  c2.abort(reason);
  await assert.rejects(stream.finish(), (err) => err === reason);
  await asr.stop();
});

test('zipformer-sherpa stop() rejects open streams; stream() before start() throws', async () => {
  const asr = new ZipformerSherpaAsr({ log, config: { modelDir } });
  assert.throws(() => asr.stream(), { code: 'SPA_ERR_ASR_ENGINE_FAILED' });
  await asr.start();
  const stream = asr.stream();
  stream.write(speech);
  const finishing = assert.rejects(stream.finish(), { code: 'SPA_ERR_ASR_ENGINE_FAILED' });
  await asr.stop();
  await finishing;
});

test('zipformer-sherpa start() rejects with SPA_ERR_ASR_ENGINE_MISSING when a model file is missing', async () => {
  await assert.rejects(new ZipformerSherpaAsr({ log, config: { modelDir: join(scratch, 'not-installed') } }).start(), { code: 'SPA_ERR_ASR_ENGINE_MISSING' });
  const dir = await mkdtemp(join(scratch, 'no-joiner-'));
  for (const f of ['encoder.onnx', 'decoder.onnx', 'tokens.txt']) await copyFile(join(modelDir, f), join(dir, f));
  await assert.rejects(new ZipformerSherpaAsr({ log, config: { modelDir: dir } }).recognize(speech), { code: 'SPA_ERR_ASR_ENGINE_MISSING', message: /joiner/ });
});

test('zipformer-sherpa start() rejects with SPA_ERR_ASR_MODEL_LOAD for a corrupt encoder, and this process survives', async () => {
  const dir = await brokenCopy('encoder.onnx', { content: 'this is not an onnx model\n' });
  await assert.rejects(new ZipformerSherpaAsr({ log, config: { modelDir: dir } }).start(), (err: unknown) => {
    assert.ok(err instanceof AsrModelLoadError);
    assert.match(String(err.details.detail), /Protobuf parsing failed/);
    return true;
  });
});

test('zipformer-sherpa start() rejects with SPA_ERR_ASR_MODEL_LOAD for a Whisper encoder given as the transducer encoder', async () => {
  const whisper = await tinyWhisperDir();
  const dir = await brokenCopy('encoder.onnx', { from: join(whisper, `${TINY_WHISPER_NAME}-encoder.onnx`) });
  await assert.rejects(new ZipformerSherpaAsr({ log, config: { modelDir: dir } }).start(), { code: 'SPA_ERR_ASR_MODEL_LOAD' });
});
