// What the sherpa-onnx adapters share before a model is used in this process: finding the model
// files (absent -> AsrEngineMissingError) and loading them once in a child process (a model that
// would abort or exit() sherpa-onnx -> AsrModelLoadError, and this process lives on).
import { execFile, fork, type ChildProcess, type Serializable } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SherpaAsrProbeRequest } from './sherpa-asr-binding.js';
import { AsrEngineMissingError, AsrModelLoadError } from './types.js';

const PROBE = fileURLToPath(new URL('./sherpa-asr-probe.js', import.meta.url));

/** The last three lines a sherpa-onnx process wrote, on one line: what a load error carries. */
function lastStderrLines(stderr: string): string {
  return stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
}

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
      const lastLines = lastStderrLines(stderr);
      const how = err?.killed ? `killed after ${timeoutMs} ms` : err?.signal ? `signal ${err.signal}` : `exit ${String(err?.code ?? 0)}`;
      reject(new AsrModelLoadError(engine, files, `${lastLines || 'no output'} (${how})`, err ?? undefined));
    });
  });
  probed.set(key, stamps);
}

/**
 * A recogniser running in its own child process, spoken to by messages. A child process rather
 * than a worker thread: terminating a worker while sherpa-onnx is inside a native call can take
 * the whole process down (seen as a rare crash in CI when a decode past its time limit was
 * killed), and sherpa-onnx exit()s or aborts on some bad inputs; SIGKILL to a child is always safe.
 * Emits 'message' for each reply and 'error' once if the child dies unasked.
 */
export class EngineProcess<Request, Reply> extends EventEmitter<{ message: [Reply]; error: [Error] }> {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #stderr = '';
  #stopping = false;

  constructor(script: URL, data: unknown) {
    super();
    this.#child = fork(fileURLToPath(script), [JSON.stringify(data)], {
      serialization: 'advanced', // typed arrays cross as typed arrays
      // Not the parent's debugger or test-runner flags: a second --inspect would fight for its port.
      execArgv: process.execArgv.filter((a) => !/^--(inspect|test)/.test(a)),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2000);
    });
    this.#child.on('message', (msg) => this.emit('message', msg as Reply));
    this.#exited = new Promise<void>((resolve) => {
      this.#child.once('exit', (code, signal) => {
        resolve();
        if (this.#stopping) return;
        const last = lastStderrLines(this.#stderr);
        this.emit('error', new Error(`engine process ended (${signal ? `signal ${signal}` : `exit ${String(code)}`})${last ? `: ${last}` : ''}`));
      });
    });
    // fork() failures (EAGAIN, ENOMEM) arrive as 'error'; 'exit' may not follow.
    this.#child.once('error', (err) => {
      if (!this.#stopping) this.emit('error', err);
    });
  }

  postMessage(msg: Request): void {
    if (!this.#child.connected) return; // ended: its 'error' already told the owner
    this.#child.send(msg as Serializable);
  }

  /** Kills the child (SIGKILL) and resolves once it is gone. Safe to call more than once. */
  async terminate(): Promise<void> {
    this.#stopping = true;
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited;
  }
}

/**
 * Starts a recogniser process and waits for its first message: { op: 'ready' }, or
 * { op: 'load-failed', message } (sherpa-onnx threw while loading), which becomes `loadError`.
 */
export async function startEngineProcess<Request, Reply extends { op: string }>(
  script: URL,
  data: unknown,
  loadError: (detail: string, cause?: unknown) => Error,
): Promise<EngineProcess<Request, Reply>> {
  const engine = new EngineProcess<Request, Reply>(script, data);
  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(loadError(err.message, err));
      engine.once('error', onError);
      engine.once('message', (msg: Reply) => {
        engine.off('error', onError);
        if (msg.op === 'ready') resolve();
        else reject(loadError('message' in msg ? String(msg.message) : `unexpected ${msg.op}`));
      });
    });
  } catch (err) {
    await engine.terminate();
    throw err;
  }
  return engine;
}

/**
 * The child's side of an EngineProcess: the data it was started with, a way to reply, and its
 * requests. The child exits when its parent goes away (the IPC channel closes).
 */
export function engineParent<Request, Reply>(): { data: unknown; post: (reply: Reply) => void; onRequest: (fn: (msg: Request) => void) => void } {
  const send = process.send?.bind(process);
  if (!send) throw new Error('this script runs as an engine child process (fork with an IPC channel)');
  process.on('disconnect', () => process.exit(0));
  return {
    data: JSON.parse(process.argv[2] ?? 'null') as unknown,
    post: (reply) => void send(reply),
    onRequest: (fn) => void process.on('message', (msg) => fn(msg as Request)),
  };
}
