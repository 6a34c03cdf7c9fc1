// What the sherpa-onnx adapters share before a model is used in this process: finding the model
// files (absent -> AsrEngineMissingError) and loading them once in a child process (a model that
// would abort or exit() sherpa-onnx -> AsrModelLoadError, and this process lives on).
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { SherpaAsrProbeRequest } from './sherpa-asr-binding.js';
import { AsrEngineMissingError, AsrModelLoadError } from './types.js';

const PROBE = fileURLToPath(new URL('./sherpa-asr-probe.js', import.meta.url));

/** Model files that passed the probe in this process, keyed by the request, with their size:mtime then. */
const probed = new Map<string, string>();

/** The readable file at `path`, or AsrEngineMissingError naming it. */
export async function requireFile(engine: string, path: string): Promise<string> {
  try {
    await access(path, constants.R_OK);
    return path;
  } catch (cause) {
    throw new AsrEngineMissingError(engine, `model file ${path}`, { cause });
  }
}

/**
 * The file in `dir` whose name matches `pattern`, preferring an int8 export when `int8` (else a
 * float one) and falling back to the other. AsrEngineMissingError when the folder or file is absent.
 */
export async function findModelFile(engine: string, dir: string, pattern: RegExp, int8: boolean): Promise<string> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new AsrEngineMissingError(engine, `model folder ${dir}`, { cause });
  }
  const matches = names.filter((n) => pattern.test(n)).sort();
  const isInt8 = (n: string): boolean => /\.int8\.onnx$/.test(n);
  const pick = matches.find((n) => isInt8(n) === int8) ?? matches[0];
  if (pick === undefined) throw new AsrEngineMissingError(engine, `no file matching ${String(pattern)} in ${dir}`);
  return requireFile(engine, join(dir, pick));
}

/**
 * Loads and runs the model once in a child process (once per set of files with the same sizes
 * and mtimes, per process). Rejects with AsrModelLoadError carrying the last lines sherpa-onnx
 * wrote when the child fails, exits or aborts.
 */
export async function probeSherpaAsr(engine: string, request: SherpaAsrProbeRequest, files: readonly string[], timeoutMs: number): Promise<void> {
  const key = JSON.stringify(request);
  const stamps = (await Promise.all(files.map(async (f) => stat(f)))).map((s) => `${s.size}:${s.mtimeMs}`).join(',');
  if (probed.get(key) === stamps) return;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [PROBE, key], { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err && stdout.trim() === 'ok') {
        resolve();
        return;
      }
      const lastLines = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
      const how = err?.killed ? `killed after ${timeoutMs} ms` : err?.signal ? `signal ${err.signal}` : `exit ${String(err?.code ?? 0)}`;
      reject(new AsrModelLoadError(engine, files, `${lastLines || 'no output'} (${how})`, err ?? undefined));
    });
  });
  probed.set(key, stamps);
}

/**
 * Starts a recogniser worker and waits for its first message: { op: 'ready' }, or
 * { op: 'load-failed', message } (sherpa-onnx threw while loading), which becomes `loadError`.
 */
export async function startWorker<Reply extends { op: string }>(
  script: URL,
  workerData: unknown,
  loadError: (detail: string, cause?: unknown) => Error,
): Promise<Worker> {
  const worker = new Worker(script, { workerData });
  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(loadError(err.message, err));
      const onExit = (code: number): void => reject(loadError(`worker exited with ${code} while loading`));
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.once('message', (msg: Reply) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (msg.op === 'ready') resolve();
        else reject(loadError('message' in msg ? String(msg.message) : `unexpected ${msg.op}`));
      });
    });
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return worker;
}
