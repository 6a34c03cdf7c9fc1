import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ApplianceError } from '../../errors.js';
import { frameDbfs } from '../energy-vad.js';
import { PiperSherpaTts, type PiperSherpaTtsConfig } from './piper-sherpa.js';
import { findPiperVoice } from './piper-voice.js';
import { tinyPiperVoice } from './tiny-piper.fixture.js';
import { TtsFailedError, TtsModelLoadError, TtsUnavailableError } from './types.js';

let low: PiperSherpaTtsConfig; // 16 kHz, one speaker (like en_US-amy-low)
let medium: PiperSherpaTtsConfig; // 22.05 kHz, four speakers (like en_US-libritts_r-medium)
let scratch = '';
before(async () => {
  low = await tinyPiperVoice({ sampleRate: 16000 });
  medium = await tinyPiperVoice({ sampleRate: 22050, speakers: 4 });
  scratch = await mkdtemp(join(tmpdir(), 'tts-piper-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const SHORT = 'Hello.';
const LONG = 'Hello. Thank you for calling Lumière Med Spa, this is the front desk. How can I help you today?';

async function speak(config: PiperSherpaTtsConfig, text: string): Promise<Int16Array> {
  const tts = new PiperSherpaTts({ config });
  await tts.start();
  try {
    return await tts.synthesize(text);
  } finally {
    await tts.stop();
  }
}

/** Sign changes per second of 16 kHz audio: follows the pitch of the tiny voice's tones. */
function crossingsPerSecond(pcm: Int16Array): number {
  let n = 0;
  for (let i = 1; i < pcm.length; i++) if (((pcm[i - 1] as number) < 0) !== ((pcm[i] as number) < 0)) n++;
  return n / (pcm.length / 16000);
}

test('piper-sherpa turns a sentence into non-empty 16 kHz audio from a 16 kHz voice, the silent lead-in trimmed', async () => {
  const tts = new PiperSherpaTts({ config: low });
  await tts.start();
  const pcm = await tts.synthesize('Thank you for calling Lumière Med Spa.');
  await tts.stop();
  assert.equal(tts.capabilities.sampleRate, 16000);
  assert.equal(tts.voiceSampleRate, 16000);
  assert.ok(pcm instanceof Int16Array);
  assert.ok(pcm.length > 16000 * 0.8, `${pcm.length} samples`);
  // The tiny voice starts with 128 ms of silence (the bos token): trimmed to the 10 ms kept before sound.
  assert.ok(frameDbfs(pcm.subarray(0, 480)) > -45, 'audible within the first 30 ms');
  assert.ok(frameDbfs(pcm) > -30, `overall level ${frameDbfs(pcm).toFixed(1)} dBFS`);
});

test('piper-sherpa: longer text gives longer audio', async () => {
  const short = await speak(low, SHORT);
  const long = await speak(low, LONG);
  assert.ok(short.length > 0);
  assert.ok(long.length > 4 * short.length, `${short.length} vs ${long.length} samples`);
});

test('piper-sherpa resamples a 22.05 kHz voice to 16 kHz: same duration and pitch as the 16 kHz build of the same voice', async () => {
  // Both tiny builds make the same number of samples per text (same tables, 256-sample frames), so the
  // 22.05 kHz one lasts 16000/22050 as long, at the same pitches in Hz.
  const tts = new PiperSherpaTts({ config: medium });
  await tts.start();
  const resampled = await tts.synthesize(LONG);
  await tts.stop();
  assert.equal(tts.voiceSampleRate, 22050);
  const native = await speak(low, LONG);
  const expected = native.length * (16000 / 22050);
  assert.ok(Math.abs(resampled.length - expected) < 0.02 * expected, `${resampled.length} samples, expected about ${Math.round(expected)}`);
  const ratio = crossingsPerSecond(resampled) / crossingsPerSecond(native);
  assert.ok(ratio > 0.95 && ratio < 1.05, `pitch ratio ${ratio.toFixed(3)}`);
});

test('piper-sherpa passes the speaker id to a multi-speaker voice and rejects one the voice does not have', async () => {
  const base = await speak(medium, LONG);
  const other = await speak({ ...medium, speakerId: 3 }, LONG);
  assert.equal(other.length, base.length); // the tiny voice's speakers differ in pitch only
  const ratio = crossingsPerSecond(other) / crossingsPerSecond(base);
  assert.ok(Math.abs(ratio - 1) > 0.05, `speaker 3 / speaker 0 pitch ratio ${ratio.toFixed(3)}`);

  await assert.rejects(new PiperSherpaTts({ config: { ...medium, speakerId: 4 } }).start(), (err: unknown) => {
    assert.ok(err instanceof TtsUnavailableError);
    assert.match(err.message, /speaker id 4 is out of range: the voice has 4 speaker/);
    return true;
  });
  await assert.rejects(new PiperSherpaTts({ config: { ...low, speakerId: 1 } }).start(), /out of range: the voice has 1 speaker/);
});

test('piper-sherpa: speed 2 speaks in about half the time', async () => {
  const normal = await speak(low, LONG);
  const fast = await speak({ ...low, speed: 2 }, LONG);
  const ratio = fast.length / normal.length;
  assert.ok(ratio > 0.45 && ratio < 0.7, `ratio ${ratio.toFixed(2)}`); // per-token frame counts round up
});

test('piper-sherpa synthesis runs off the event loop: a 1 ms timer keeps ticking while a long text is synthesised', async () => {
  const tts = new PiperSherpaTts({ config: low });
  await tts.start();
  const text = Array.from({ length: 60 }, (_, i) => `Sentence ${i + 1} of the long reply is here.`).join(' ');
  let ticks = 0;
  let last = performance.now();
  let longestGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    ticks++;
  }, 1);
  const t0 = performance.now();
  const pcm = await tts.synthesize(text);
  const elapsed = performance.now() - t0;
  clearInterval(timer);
  await tts.stop();
  assert.ok(pcm.length > 16000 * 30, `${pcm.length} samples`);
  assert.ok(elapsed > 40, `synthesis took ${elapsed.toFixed(0)} ms: too short to show anything`);
  // Synchronous synthesis would let no tick through before it returned.
  assert.ok(ticks >= 10, `${ticks} ticks in ${elapsed.toFixed(0)} ms`);
  assert.ok(longestGap < elapsed / 2, `longest gap between ticks ${longestGap.toFixed(0)} ms of ${elapsed.toFixed(0)} ms`);
});

test('piper-sherpa synthesises one text at a time, in the order asked, and an abort rejects at once', async () => {
  const tts = new PiperSherpaTts({ config: low });
  await tts.start();
  const order: string[] = [];
  const long = Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} is here.`).join(' ');
  const first = tts.synthesize(long).then((pcm) => order.push(`long ${pcm.length > 0}`));
  const second = tts.synthesize(SHORT).then((pcm) => order.push(`short ${pcm.length > 0}`));
  await Promise.all([first, second]);
  assert.deepEqual(order, ['long true', 'short true']);

  const controller = new AbortController();
  const aborted = tts.synthesize(long, { signal: controller.signal });
  controller.abort();
  await assert.rejects(aborted, (err: unknown) => err instanceof TtsFailedError && /aborted/.test(err.message));
  await assert.rejects(tts.synthesize(SHORT, { signal: controller.signal }), TtsFailedError);
  assert.ok((await tts.synthesize(SHORT)).length > 0, 'speaks again after an abort');
  await tts.stop();
  await assert.rejects(tts.synthesize(SHORT), (err: unknown) => err instanceof TtsUnavailableError && /not started/.test(err.message));
});

test('piper-sherpa start() rejects with SPA_ERR_TTS_UNAVAILABLE naming the missing file when the voice is not installed', async () => {
  const path = join(scratch, 'not-installed.onnx');
  await assert.rejects(new PiperSherpaTts({ config: { ...low, modelPath: path } }).start(), (err: unknown) => {
    assert.ok(err instanceof TtsUnavailableError);
    assert.ok(err instanceof ApplianceError);
    assert.equal(err.code, 'SPA_ERR_TTS_UNAVAILABLE');
    assert.equal(err.details.path, path);
    return true;
  });
  const noData = join(scratch, 'no-espeak-ng-data');
  await assert.rejects(new PiperSherpaTts({ config: { ...low, dataDir: noData } }).start(), { code: 'SPA_ERR_TTS_UNAVAILABLE' });
});

async function brokenVoice(name: string, files: { model?: string; tokens?: string }): Promise<PiperSherpaTtsConfig> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  const config = { ...low, modelPath: join(dir, 'voice.onnx'), tokensPath: join(dir, 'tokens.txt') };
  if (files.model === undefined) await copyFile(low.modelPath, config.modelPath);
  else await writeFile(config.modelPath, files.model);
  if (files.tokens === undefined) await copyFile(low.tokensPath, config.tokensPath);
  else await writeFile(config.tokensPath, files.tokens);
  return config;
}

test('piper-sherpa start() rejects with SPA_ERR_TTS_MODEL_LOAD for a corrupt model file, and this process survives', async () => {
  const config = await brokenVoice('corrupt', { model: 'this is not an onnx model\n' });
  await assert.rejects(new PiperSherpaTts({ config }).start(), (err: unknown) => {
    assert.ok(err instanceof TtsModelLoadError);
    assert.equal(err.code, 'SPA_ERR_TTS_MODEL_LOAD');
    assert.equal(err.details.stage, 'probe');
    assert.equal(err.details.path, config.modelPath);
    assert.match(String(err.details.detail), /Protobuf parsing failed/);
    return true;
  });
});

test('piper-sherpa start() rejects with SPA_ERR_TTS_MODEL_LOAD for a model without sample_rate metadata (sherpa-onnx would exit the process)', async () => {
  const config = await tinyPiperVoice({ dropMetadata: 'sample_rate' });
  await assert.rejects(new PiperSherpaTts({ config }).start(), (err: unknown) => {
    assert.ok(err instanceof TtsModelLoadError);
    assert.match(String(err.details.detail), /'sample_rate' does not exist in the metadata/);
    return true;
  });
});

test('piper-sherpa start() rejects with SPA_ERR_TTS_MODEL_LOAD for a malformed tokens.txt (sherpa-onnx would exit the process)', async () => {
  const config = await brokenVoice('bad-tokens', { tokens: '_ 0\nab 1\n' });
  await assert.rejects(new PiperSherpaTts({ config }).start(), (err: unknown) => {
    assert.ok(err instanceof TtsModelLoadError);
    assert.match(String(err.details.detail), /Error when reading tokens/);
    return true;
  });
});

test('findPiperVoice finds the files of an unpacked sherpa-onnx voice package, with the system espeak-ng-data when it has none', async () => {
  const root = join(scratch, 'models', 'piper-en_US-test-low');
  const pkg = join(root, 'vits-piper-en_US-test-low');
  await mkdir(pkg, { recursive: true });
  await writeFile(join(root, 'vits-piper-en_US-test-low.tar.bz2'), '');
  await copyFile(low.modelPath, join(pkg, 'en_US-test-low.onnx'));
  await copyFile(low.tokensPath, join(pkg, 'tokens.txt'));
  const system = findPiperVoice(root, [low.dataDir]);
  assert.deepEqual(system, {
    dir: pkg,
    modelPath: join(pkg, 'en_US-test-low.onnx'),
    tokensPath: join(pkg, 'tokens.txt'),
    dataDir: low.dataDir,
    systemData: true,
  });
  const own = join(pkg, 'espeak-ng-data');
  await mkdir(own);
  for (const f of ['phontab', 'phonindex', 'phondata', 'intonations']) await writeFile(join(own, f), '');
  assert.equal(findPiperVoice(root, [low.dataDir])?.dataDir, own);
  assert.equal(findPiperVoice(root, [])?.systemData, false);
  assert.equal(findPiperVoice(join(scratch, 'models', 'absent'), [low.dataDir]), null);
  await rm(own, { recursive: true });
  assert.equal(findPiperVoice(root, [])?.dataDir, null);
});
