// Test fixture: a tiny random-weight stand-in for a Piper voice in sherpa-onnx packaging (same
// inputs, output, metadata and tokens.txt; its audio is a buzz whose length follows the phonemes),
// built by models/tools/make-tiny-piper.py with Debian's python3 (python3-onnx + numpy). It has no
// espeak-ng-data of its own: it uses the system's (Debian's espeak-ng-data package). The voice is
// cached under the OS temp dir by the script's hash and the arguments, written to a temp folder and
// renamed so concurrent test files never read a half-written voice.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PiperSherpaTtsConfig } from './piper-sherpa.js';
import { systemEspeakDataDir } from './piper-voice.js';

// dist/appliance/voice/tts/ -> repository root
const SCRIPT = fileURLToPath(new URL('../../../../models/tools/make-tiny-piper.py', import.meta.url));

export interface TinyPiperOptions {
  /** 16000 like Piper "low" voices (amy-low), 22050 like "medium" ones (libritts_r-medium). */
  sampleRate?: 16000 | 22050;
  /** Above 1 the model takes a speaker id, as libritts_r does. */
  speakers?: number;
  /** Leaves one metadata key out: a valid ONNX file sherpa-onnx rejects by exiting its process. */
  dropMetadata?: string;
  python?: string;
  dir?: string;
}

/** Builds the tiny voice on first use and returns the adapter config for it (label "tiny-piper-<rate>"). */
export async function tinyPiperVoice(opts: TinyPiperOptions = {}): Promise<PiperSherpaTtsConfig> {
  const rate = opts.sampleRate ?? 16000;
  const speakers = opts.speakers ?? 1;
  const python = opts.python ?? '/usr/bin/python3';
  const dataDir = systemEspeakDataDir();
  if (!dataDir) throw new Error('no system espeak-ng-data found (apt-get install espeak-ng-data)');
  const script = await readFile(SCRIPT);
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const variant = `${rate}-${speakers}${opts.dropMetadata ? `-no-${opts.dropMetadata}` : ''}`;
  const root = opts.dir ?? join(tmpdir(), 'spa-receptionist-test-models');
  const dir = join(root, `tiny-piper-${hash}-${variant}`);
  const config: PiperSherpaTtsConfig = {
    modelPath: join(dir, 'tiny-piper.onnx'),
    tokensPath: join(dir, 'tokens.txt'),
    dataDir,
    label: `tiny-piper-${rate} (random weights)`,
  };
  if (existsSync(config.tokensPath)) return config;
  await mkdir(root, { recursive: true });
  const tmp = `${dir}.${process.pid}.tmp`;
  const args = [SCRIPT, tmp, '--sample-rate', String(rate), '--speakers', String(speakers)];
  if (opts.dropMetadata) args.push('--drop-metadata', opts.dropMetadata);
  await new Promise<void>((resolve, reject) => {
    execFile(python, args, { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${python} ${SCRIPT} failed (needs python3-onnx and numpy): ${stderr}`, { cause: err }));
      else resolve();
    });
  });
  try {
    await rename(tmp, dir);
  } catch (err) {
    // Another test file built it first: theirs is identical.
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(config.tokensPath)) throw err;
  }
  return config;
}
