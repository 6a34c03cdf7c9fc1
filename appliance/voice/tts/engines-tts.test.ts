// The TTS choice of selectEngines (../engines.ts) against a models folder laid out as the installer
// leaves it: models/<name>/<archive>.tar.bz2 and the unpacked vits-piper-<voice>/ folder beside it.
// The voices are tiny random-weight builds with the system's espeak-ng-data.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../log.js';
import { selectEngines, type VoiceEngines } from '../engines.js';
import type { PiperSherpaTtsConfig } from './piper-sherpa.js';
import { tinyPiperVoice } from './tiny-piper.fixture.js';

let voice: PiperSherpaTtsConfig;
let scratch = '';
before(async () => {
  voice = await tinyPiperVoice({ sampleRate: 16000 });
  scratch = await mkdtemp(join(tmpdir(), 'tts-engines-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function install(modelsDir: string, name: string, model: 'tiny' | 'corrupt'): Promise<void> {
  const pkg = join(modelsDir, name, `vits-${name}`);
  await mkdir(pkg, { recursive: true });
  await writeFile(join(modelsDir, name, `vits-${name}.tar.bz2`), 'archive, already unpacked');
  const onnx = join(pkg, `${name.replace(/^piper-/, '')}.onnx`);
  if (model === 'tiny') await copyFile(voice.modelPath, onnx);
  else await writeFile(onnx, 'not an onnx model');
  await copyFile(voice.tokensPath, join(pkg, 'tokens.txt'));
}

async function select(modelsDir: string): Promise<VoiceEngines> {
  const engines = await selectEngines({ log: createLogger({ level: 'silent' }), modelsDir });
  await engines.asr?.stop();
  return engines;
}

test('selectEngines speaks with an installed Piper voice that loads, and says which and why', async () => {
  const models = join(scratch, 'one-voice');
  await install(models, 'piper-en_US-amy-low', 'tiny');
  const engines = await select(models);
  assert.equal(engines.tts?.name, 'piper en_US-amy-low');
  assert.equal(engines.notes.tts, 'piper en_US-amy-low (sherpa-onnx, 16 kHz voice; system espeak-ng-data)');
  assert.ok(((await engines.tts?.synthesize('Hello.'))?.length ?? 0) > 0);
  await engines.tts?.stop();
});

test('selectEngines prefers libritts_r-medium, and falls back to amy-low naming the failure when libritts_r does not load', async () => {
  const both = join(scratch, 'both');
  await install(both, 'piper-en_US-libritts_r-medium', 'tiny');
  await install(both, 'piper-en_US-amy-low', 'tiny');
  const preferred = await select(both);
  assert.equal(preferred.tts?.name, 'piper en_US-libritts_r-medium');
  await preferred.tts?.stop();

  const broken = join(scratch, 'broken-libritts');
  await install(broken, 'piper-en_US-libritts_r-medium', 'corrupt');
  await install(broken, 'piper-en_US-amy-low', 'tiny');
  const fallback = await select(broken);
  assert.equal(fallback.tts?.name, 'piper en_US-amy-low');
  assert.match(fallback.notes.tts, /piper-en_US-libritts_r-medium failed to load \(SPA_ERR_TTS_MODEL_LOAD\)/);
  await fallback.tts?.stop();
});

test('selectEngines uses flite when no Piper voice loads, and the note says why', async () => {
  const none = await select(join(scratch, 'empty'));
  assert.equal(none.tts?.name, 'flite kal16');
  assert.equal(none.notes.tts, 'flite kal16 (no Piper voice installed)');

  const partial = join(scratch, 'partial');
  await mkdir(join(partial, 'piper-en_US-amy-low'), { recursive: true });
  await writeFile(join(partial, 'piper-en_US-amy-low', 'vits-piper-en_US-amy-low.tar.bz2.part'), 'half a download');
  const engines = await select(partial);
  assert.equal(engines.tts?.name, 'flite kal16');
  assert.equal(engines.notes.tts, 'flite kal16 (piper-en_US-amy-low has no unpacked voice (.onnx + tokens.txt) in its folder)');
});
