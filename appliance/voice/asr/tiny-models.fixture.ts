// Test fixture: tiny random-weight stand-ins for sherpa-onnx's Whisper and streaming zipformer2
// exports, built by models/tools/make-tiny-whisper.py and make-tiny-zipformer.py with Debian's
// python3 (python3-onnx + numpy). They load and run through the real sherpa-onnx code paths; their
// text is nonsense. Each folder is cached under the OS temp dir by its script's hash, built in a
// temp folder and renamed, so concurrent test files never read half-written models.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/appliance/voice/asr/ -> repository root
const TOOLS = fileURLToPath(new URL('../../../../models/tools/', import.meta.url));

/** File prefix the tiny Whisper files carry (`tiny-random-encoder.onnx`, ...). */
export const TINY_WHISPER_NAME = 'tiny-random';

async function build(script: string, label: string, opts: { python?: string; dir?: string }): Promise<string> {
  const python = opts.python ?? '/usr/bin/python3';
  const path = join(TOOLS, script);
  const hash = createHash('sha256').update(await readFile(path)).digest('hex').slice(0, 16);
  const root = opts.dir ?? join(tmpdir(), 'spa-receptionist-test-models');
  const out = join(root, `${label}-${hash}`);
  if (existsSync(out)) return out;
  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, `${label}-building-`));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(python, [path, work], { timeout: 120_000 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`${python} ${path} failed (needs python3-onnx and numpy): ${stderr}`, { cause: err }));
        else resolve();
      });
    });
    await rename(work, out).catch((err: unknown) => {
      // Another test process renamed its copy first: use that one.
      if (!existsSync(out)) throw err;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return out;
}

/** Folder with tiny-random-encoder.onnx, tiny-random-decoder.onnx, tiny-random-tokens.txt. */
export function tinyWhisperDir(opts: { python?: string; dir?: string } = {}): Promise<string> {
  return build('make-tiny-whisper.py', 'tiny-whisper', opts);
}

/** Folder with encoder.onnx, decoder.onnx, joiner.onnx, tokens.txt (streaming zipformer2 transducer). */
export function tinyZipformerDir(opts: { python?: string; dir?: string } = {}): Promise<string> {
  return build('make-tiny-zipformer.py', 'tiny-zipformer', opts);
}
