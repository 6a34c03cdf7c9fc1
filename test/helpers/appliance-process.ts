// A whole appliance (startAppliance) in a child process of its own, for tests that place several
// spoken calls at once. Each appliance then has its own event loop: one appliance's start (it
// parses pocketsphinx's 130,000-word dictionary in one go, a few hundred ms) or a turn's work
// cannot hold up another call's 20 ms audio ticks. With every appliance in the test's process,
// four calls at once lost frames (the pacer skips ticks after a 100 ms stall) and were misheard.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ownerApi } from './owner-api.js';

const CHILD = fileURLToPath(new URL('./appliance-child.js', import.meta.url));

export interface ApplianceProcessOptions {
  /** SPA_* settings, as for startAppliance. */
  env?: Record<string, string>;
  /** config.json contents, as for startAppliance. */
  config?: Record<string, unknown>;
  /** Run the appliance's clock from Monday 2026-11-30 10:00 in New York (openingHoursClock). */
  openingHours?: boolean;
}

export type ParentMessage = { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; url: string; sipTarget: string; dataDir: string }
  | { type: 'failed'; error: string }
  | { type: 'stopped' };

export interface ApplianceProcess {
  child: ChildProcess;
  url: string;
  sipTarget: string;
  dataDir: string;
  api<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  /** The appliance's log lines so far (JSON, one per line; none unless SPA_LOG_LEVEL asks for them). */
  logLines(): string[];
  /** Stops the appliance, waits for the process to exit and for its last log line. */
  stop(): Promise<void>;
}

export async function startApplianceProcess(opts: ApplianceProcessOptions = {}): Promise<ApplianceProcess> {
  const child = fork(CHILD, [JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const outputDone = Promise.all([child.stdout ? once(child.stdout, 'close') : null, child.stderr ? once(child.stderr, 'close') : null]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
    const onMessage = (msg: ChildMessage): void => {
      if (msg.type === 'ready') resolve(msg);
      else if (msg.type === 'failed') reject(new Error(`the appliance did not start: ${msg.error}`));
    };
    child.on('message', onMessage);
    void exited.then(() => reject(new Error(`the appliance process exited before it was ready: ${err}`)));
  });

  return {
    child,
    url: ready.url,
    sipTarget: ready.sipTarget,
    dataDir: ready.dataDir,
    api: ownerApi(ready.url),
    logLines: () => out.split('\n').filter((l) => l !== ''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(killer);
      }
      await outputDone;
      if (child.exitCode !== 0) throw new Error(`the appliance process exited with ${child.exitCode ?? child.signalCode}: ${err.slice(-2000)}`);
    },
  };
}
