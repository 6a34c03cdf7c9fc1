// The caller simulator in a process of its own (`npm run call`, test/sim/call.ts), for tests that
// place several spoken calls at once: each caller paces its 20 ms audio on its own event loop, as
// a phone would, so another call's work cannot make it skip frames (its pacer drops ticks after a
// 100 ms stall, and the gap is then heard by the box as a cut in the caller's words).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallerScript, CallResult } from '../sim/script.js';
import type { SimCodec } from '../sim/caller.js';
import { tempDir } from './spa.js';

const CALL_CLI = fileURLToPath(new URL('../sim/call.js', import.meta.url));

export interface CallerProcessOptions {
  /** host:port of the appliance. */
  target: string;
  script: CallerScript;
  codec?: SimCodec;
}

/** Places the call with `npm run call` and returns its result (connected or not). */
export async function placeCallInProcess(opts: CallerProcessOptions): Promise<CallResult> {
  const dir = tempDir('spa-caller-');
  try {
    const script = join(dir.path, 'script.json');
    const out = join(dir.path, 'result.json');
    writeFileSync(script, JSON.stringify(opts.script));
    const child = spawn(process.execPath, [CALL_CLI, '--target', opts.target, '--script', script, '--codec', opts.codec ?? 'PCMU', '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    // Its warnings (a caller held up by a busy machine) belong with the test's output.
    if (stderr) process.stderr.write(stderr);
    let text: string;
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      throw new Error(`the caller simulator exited with ${code} and no result: ${stderr.slice(-2000)}`);
    }
    return JSON.parse(text) as CallResult;
  } finally {
    dir.remove();
  }
}
