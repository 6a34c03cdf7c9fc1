// The ASR choice of selectEngines (../engines.ts) against a models folder laid out as the installer
// leaves it (models/<name>/<files of the manifest>), with tiny random-weight models in the files.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../log.js';
import { TEST_SPEECH_CACHE } from '../../../test/helpers/appliance.js';
import { demoSpa } from '../../booking/demo-spa.js';
import { selectEngines, type CallerLmWiring, type VoiceEngines } from '../engines.js';
import { callerDomainOf } from './lm/caller-lm.js';
import { tinyWhisperDir, tinyZipformerDir, TINY_WHISPER_NAME } from './tiny-models.fixture.js';

let whisper = '';
let zipformer = '';
let scratch = '';
before(async () => {
  [whisper, zipformer] = await Promise.all([tinyWhisperDir(), tinyZipformerDir()]);
  scratch = await mkdtemp(join(tmpdir(), 'asr-engines-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** models/whisper-<size>/<size>-{encoder,decoder}.int8.onnx + <size>-tokens.txt, as the manifest names them. */
async function installWhisper(modelsDir: string, size: 'base.en' | 'tiny.en', model: 'tiny' | 'corrupt'): Promise<void> {
  const dir = join(modelsDir, `whisper-${size}`);
  await mkdir(dir, { recursive: true });
  for (const part of ['encoder', 'decoder']) {
    const target = join(dir, `${size}-${part}.int8.onnx`);
    if (model === 'tiny' || part === 'decoder') await copyFile(join(whisper, `${TINY_WHISPER_NAME}-${part}.onnx`), target);
    else await writeFile(target, 'not an onnx model');
  }
  await copyFile(join(whisper, `${TINY_WHISPER_NAME}-tokens.txt`), join(dir, `${size}-tokens.txt`));
}

async function installZipformer(modelsDir: string): Promise<void> {
  const dir = join(modelsDir, 'zipformer-en-streaming');
  await mkdir(dir, { recursive: true });
  for (const part of ['encoder', 'decoder', 'joiner']) await copyFile(join(zipformer, `${part}.onnx`), join(dir, `${part}-epoch-99-avg-1-chunk-16-left-128.int8.onnx`));
  await copyFile(join(zipformer, 'tokens.txt'), join(dir, 'tokens.txt'));
}

async function select(modelsDir: string, callers?: CallerLmWiring): Promise<VoiceEngines> {
  const engines = await selectEngines({ log: createLogger({ level: 'silent' }), modelsDir, ...(callers ? { callers } : {}) });
  await engines.tts?.stop();
  return engines;
}

test('selectEngines hears with Whisper base.en when both Whisper models are installed, on every codec', async () => {
  const models = join(scratch, 'both-whisper');
  await installWhisper(models, 'tiny.en', 'tiny');
  await installWhisper(models, 'base.en', 'tiny');
  await installZipformer(models);
  const engines = await select(models);
  assert.equal(engines.asr?.name, 'whisper-sherpa');
  assert.equal(engines.notes.asr, 'whisper-sherpa (whisper-base.en; most accurate installed model); all codecs');
  assert.ok(engines.asrHears('PCMU/8000') && engines.asrHears('PCMA/8000') && engines.asrHears('L16/16000'));
  assert.equal(typeof (await engines.asr?.recognize(new Int16Array(1600)))?.text, 'string');
  await engines.asr?.stop();
});

test('selectEngines falls back to tiny.en, naming the failure, when base.en does not load', async () => {
  const models = join(scratch, 'broken-base');
  await installWhisper(models, 'base.en', 'corrupt');
  await installWhisper(models, 'tiny.en', 'tiny');
  const engines = await select(models);
  assert.equal(engines.notes.asr, 'whisper-sherpa (whisper-tiny.en; most accurate installed model; whisper-base.en failed to load); all codecs');
  await engines.asr?.stop();
});

test('selectEngines uses the streaming zipformer when it is the only model installed', async () => {
  const models = join(scratch, 'zipformer-only');
  await installZipformer(models);
  const engines = await select(models);
  assert.equal(engines.asr?.name, 'zipformer-sherpa');
  assert.equal(engines.asr?.capabilities.streaming, true);
  assert.equal(engines.notes.asr, 'zipformer-sherpa (zipformer-en-streaming; streaming: decodes while the caller talks); all codecs');
  assert.ok(engines.asrHears('PCMU/8000'));
  await engines.asr?.stop();
});

test('selectEngines falls back to pocketsphinx (which tries narrowband calls too) with no sherpa-onnx model, or none that loads', async () => {
  const empty = join(scratch, 'empty');
  await mkdir(empty, { recursive: true });
  const none = await select(empty);
  assert.equal(none.asr?.name, 'pocketsphinx');
  assert.equal(none.notes.asr, 'pocketsphinx (no Whisper or zipformer model installed); open turns by phrase grammar; 8 kHz calls by speech too, with the keypad offered when speech fails');
  assert.ok(none.asrHears('PCMU/8000') && none.asrHears('L16/16000'), 'pocketsphinx tries narrowband calls too');
  await none.asr?.stop();
  const broken = join(scratch, 'broken-only');
  await installWhisper(broken, 'tiny.en', 'corrupt');
  const fallback = await select(broken);
  assert.equal(fallback.notes.asr, 'pocketsphinx (whisper-tiny.en failed to load); open turns by phrase grammar; 8 kHz calls by speech too, with the keypad offered when speech fails');
  await fallback.asr?.stop();
});

test('with the catalogue given, pocketsphinx decodes open turns with the caller language model, which stops with the engines', async () => {
  const empty = join(scratch, 'empty-with-callers');
  await mkdir(empty, { recursive: true });
  const spa = demoSpa();
  const engines = await select(empty, { source: { domain: () => callerDomainOf(spa), revision: () => 1 }, cacheDir: TEST_SPEECH_CACHE });
  assert.equal(engines.notes.asr, 'pocketsphinx (no Whisper or zipformer model installed); open turns by the caller language model; 8 kHz calls by speech too, with the keypad offered when speech fails');
  assert.ok(engines.languageModel);
  await engines.asr?.stop();
  await engines.languageModel.stop();
});

test('with a sherpa-onnx model installed no caller language model is built', async () => {
  const models = join(scratch, 'zipformer-with-callers');
  await installZipformer(models);
  let asked = false;
  const engines = await select(models, { source: { domain: () => ((asked = true), callerDomainOf(demoSpa())), revision: () => 1 }, cacheDir: join(scratch, 'unused-cache') });
  assert.equal(engines.asr?.name, 'zipformer-sherpa');
  assert.equal(engines.languageModel, null);
  assert.equal(asked, false);
  await engines.asr?.stop();
});
