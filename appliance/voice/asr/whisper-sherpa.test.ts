import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import type { TimerHandle, TimerOptions } from '../../shared/clock.js';
import { FakeClock } from '../../shared/fake-clock.js';
import { synthesizeFlite } from '../flite.js';
import { tinyWhisperDir, tinyZipformerDir, TINY_WHISPER_NAME } from './tiny-models.fixture.js';
import { AsrEngineMissingError, AsrModelLoadError } from './types.js';
import { whisperText, WhisperSherpaAsr } from './whisper-sherpa.js';
import type { Asr } from './types.js';

const log = pino({ level: 'silent' });
let modelDir = '';
let scratch = '';
let speech: Int16Array = new Int16Array(0);

before(async () => {
  modelDir = await tinyWhisperDir();
  scratch = await mkdtemp(join(tmpdir(), 'spa-whisper-test-'));
  speech = (await synthesizeFlite("I'd like to book Botox next Tuesday afternoon", { voice: 'kal16' })).samples;
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A copy of the tiny model with one file replaced by `content` (or by a copy of `from`). */
async function brokenCopy(file: string, replacement: { content?: string; from?: string }): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'broken-'));
  for (const f of ['encoder.onnx', 'decoder.onnx', 'tokens.txt']) await copyFile(join(modelDir, `${TINY_WHISPER_NAME}-${f}`), join(dir, `${TINY_WHISPER_NAME}-${f}`));
  const target = join(dir, `${TINY_WHISPER_NAME}-${file}`);
  if (replacement.from !== undefined) await copyFile(replacement.from, target);
  else await writeFile(target, replacement.content ?? '');
  return dir;
}

test('whisperText lowercases, drops punctuation and non-speech annotations, and spells numbers as the grammar does', () => {
  assert.equal(whisperText(' Yes, please.'), 'yes please');
  assert.equal(whisperText('[BLANK_AUDIO]'), '');
  assert.equal(whisperText(' (music) Can I come at 2:30?'), 'can i come at two thirty');
  assert.equal(whisperText("*coughs* I'd like Botox"), "i'd like botox");
});

test('whisper-sherpa loads a sherpa-onnx Whisper export and recognize() decodes speech into normalised text with elapsedMs', async () => {
  const asr = new WhisperSherpaAsr({ log, config: { modelDir } });
  assert.deepEqual(asr.capabilities, { streaming: false, grammar: false, sampleRate: 16000 });
  assert.ok(!('stream' in asr) || (asr as Asr).stream === undefined, 'Whisper takes whole utterances only');
  await asr.start();
  const result = await asr.recognize(speech);
  await asr.stop();
  // Random weights: the words are nonsense, but the decoder ran and sherpa's tokens came back as text.
  assert.ok(result.text.length > 0, 'the tiny model emits words for voiced audio');
  assert.match(result.text, /^[a-z']+( [a-z']+)*$/);
  assert.equal(result.confidence, null);
  assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs > 0);
});

test('whisper-sherpa finds the files by prefix, and prefers an int8 export when both exist', async () => {
  const dir = await mkdtemp(join(scratch, 'int8-'));
  for (const f of ['encoder.onnx', 'decoder.onnx', 'tokens.txt']) await copyFile(join(modelDir, `${TINY_WHISPER_NAME}-${f}`), join(dir, `tiny.en-${f}`));
  // An "int8" encoder that is not a model: choosing it must fail, proving it is the one chosen.
  await writeFile(join(dir, 'tiny.en-encoder.int8.onnx'), 'not a model');
  await assert.rejects(new WhisperSherpaAsr({ log, config: { modelDir: dir, name: 'tiny.en' } }).start(), { code: 'SPA_ERR_ASR_MODEL_LOAD' });
  const float = new WhisperSherpaAsr({ log, config: { modelDir: dir, name: 'tiny.en', int8: false } });
  await float.start();
  assert.equal(typeof (await float.recognize(speech)).text, 'string');
  await float.stop();
});

test('whisper-sherpa decodes off the event loop: timers keep firing during a 25 s utterance', async () => {
  const asr = new WhisperSherpaAsr({ log, config: { modelDir, voicingGate: false } });
  await asr.start();
  const long = new Int16Array(16000 * 25);
  for (let i = 0; i < long.length; i++) long[i] = Math.round(6000 * Math.sin((2 * Math.PI * 140 * i) / 16000) * (1 + Math.sin(i / 900)));
  let last = performance.now();
  let worstGap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worstGap = Math.max(worstGap, t - last);
    last = t;
  }, 2);
  const result = await asr.recognize(long);
  clearInterval(timer);
  await asr.stop();
  assert.ok(result.elapsedMs > 40, `decode took ${result.elapsedMs} ms: too short to tell`);
  assert.ok(worstGap < result.elapsedMs / 2, `event loop stalled ${worstGap.toFixed(1)} ms during a ${result.elapsedMs.toFixed(1)} ms decode`);
});

test('whisper-sherpa answers a clip without voiced speech with empty text without decoding it', async () => {
  const asr = new WhisperSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const result = await asr.recognize(new Int16Array(16000));
  await asr.stop();
  assert.deepEqual({ text: result.text, confidence: result.confidence }, { text: '', confidence: null });
});

test('whisper-sherpa decodes overlapping utterances one after another, each with its own result', async () => {
  const asr = new WhisperSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const alone = await asr.recognize(speech);
  const [a, b] = await Promise.all([asr.recognize(speech), asr.recognize(speech)]);
  await asr.stop();
  assert.equal(a.text, alone.text, 'same audio, same (deterministic) text');
  assert.equal(b.text, alone.text);
});

test('whisper-sherpa rejects with the abort reason when the caller hangs up, and the next utterance still decodes', async () => {
  const asr = new WhisperSherpaAsr({ log, config: { modelDir } });
  await asr.start();
  const controller = new AbortController();
  const reason = new Error('hung up');
  const pending = asr.recognize(speech, { signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(pending, (err) => err === reason);
  assert.ok((await asr.recognize(speech)).text.length > 0);
  await asr.stop();
});

test('whisper-sherpa start() rejects with SPA_ERR_ASR_ENGINE_MISSING for a missing folder or a missing file', async () => {
  await assert.rejects(new WhisperSherpaAsr({ log, config: { modelDir: join(scratch, 'not-installed') } }).start(), (err: unknown) => {
    assert.ok(err instanceof AsrEngineMissingError);
    assert.equal(err.code, 'SPA_ERR_ASR_ENGINE_MISSING');
    return true;
  });
  const dir = join(scratch, 'no-tokens');
  await mkdir(dir);
  for (const f of ['encoder.onnx', 'decoder.onnx']) await copyFile(join(modelDir, `${TINY_WHISPER_NAME}-${f}`), join(dir, `${TINY_WHISPER_NAME}-${f}`));
  await assert.rejects(new WhisperSherpaAsr({ log, config: { modelDir: dir } }).recognize(speech), (err: unknown) => {
    assert.ok(err instanceof AsrEngineMissingError);
    assert.match(err.message, /tokens\.txt/);
    return true;
  });
});

test('whisper-sherpa start() rejects with SPA_ERR_ASR_MODEL_LOAD for a corrupt encoder (sherpa-onnx would abort), and this process survives', async () => {
  const dir = await brokenCopy('encoder.onnx', { content: 'this is not an onnx model\n' });
  await assert.rejects(new WhisperSherpaAsr({ log, config: { modelDir: dir } }).start(), (err: unknown) => {
    assert.ok(err instanceof AsrModelLoadError);
    assert.equal(err.code, 'SPA_ERR_ASR_MODEL_LOAD');
    assert.equal(err.retryable, false);
    assert.match(String(err.details.detail), /Protobuf parsing failed/);
    return true;
  });
});

test('whisper-sherpa start() rejects with SPA_ERR_ASR_MODEL_LOAD for a valid ONNX file of another model (sherpa-onnx would exit)', async () => {
  const zipformer = await tinyZipformerDir();
  const dir = await brokenCopy('encoder.onnx', { from: join(zipformer, 'decoder.onnx') });
  await assert.rejects(new WhisperSherpaAsr({ log, config: { modelDir: dir } }).start(), (err: unknown) => {
    assert.ok(err instanceof AsrModelLoadError);
    assert.match(String(err.details.detail), /n_mels/);
    return true;
  });
});

/** A FakeClock that records the delay of every timeout set on it. */
class RecordingClock extends FakeClock {
  readonly delays: number[] = [];
  #onSet: () => void = () => undefined;
  /** Resolves when the next timeout is set. */
  nextTimeout(): Promise<void> {
    return new Promise((resolve) => (this.#onSet = resolve));
  }
  override setTimeout(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle {
    this.delays.push(ms);
    const handle = super.setTimeout(fn, ms, opts);
    this.#onSet();
    return handle;
  }
}

test('whisper-sherpa kills a decode past its time limit with SPA_ERR_ASR_TIMEOUT, and the next utterance gets a fresh worker', async () => {
  // The time limit runs on a FakeClock, moved past it while the first decode runs.
  const clock = new RecordingClock();
  const asr = new WhisperSherpaAsr({ log, config: { modelDir, timeoutMs: 1234 }, clock });
  await asr.start();
  const armed = clock.nextTimeout();
  const first = assert.rejects(asr.recognize(speech), { code: 'SPA_ERR_ASR_TIMEOUT', retryable: true });
  await armed;
  assert.deepEqual(clock.delays, [1234]);
  clock.advance(1234);
  await first;
  assert.ok((await asr.recognize(speech)).text.length > 0, 'a new worker decodes the next utterance');
  assert.deepEqual(clock.delays, [1234, 1234], 'the next decode had its own limit');
  assert.equal(clock.pendingTimers, 0, 'cleared once the decode answered');
  await asr.stop();
});
