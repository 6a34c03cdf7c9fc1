// Test fixture: a tiny random-weight stand-in for silero_vad.onnx (v5 inputs and outputs, output =
// sigmoid of the frame's log RMS), built by models/tools/make-tiny-silero.py with Debian's python3
// (python3-onnx + numpy). The file is cached under the OS temp dir by the script's hash, written
// to a temp name and renamed so concurrent test files never read a half-written model.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/appliance/voice/vad/ -> repository root
const SCRIPT = fileURLToPath(new URL('../../../../models/tools/make-tiny-silero.py', import.meta.url));

/**
 * Returns the path of the tiny model, building it on first use. `inputName` other than 'input'
 * gives a valid ONNX file that sherpa-onnx rejects (for load-failure tests).
 */
export async function tinySileroModelPath(opts: { python?: string; dir?: string; inputName?: string } = {}): Promise<string> {
  const inputName = opts.inputName ?? 'input';
  const python = opts.python ?? '/usr/bin/python3';
  const script = await readFile(SCRIPT);
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const dir = opts.dir ?? join(tmpdir(), 'spa-receptionist-test-models');
  const path = join(dir, `tiny-silero-v5-${hash}${inputName === 'input' ? '' : `-${inputName}`}.onnx`);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await new Promise<void>((resolve, reject) => {
    execFile(python, [SCRIPT, '--input-name', inputName, tmp], { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${python} ${SCRIPT} failed (needs python3-onnx and numpy): ${stderr}`, { cause: err }));
      else resolve();
    });
  });
  await rename(tmp, path);
  return path;
}
