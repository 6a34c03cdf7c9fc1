// The appliance as its own OS process on loopback (for benchmarks that measure it from outside):
// started with `node dist/appliance/main.js`, ready when /api/health answers, logged in for the API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from './sipp.js';
import { tempDir } from './spa.js';
import { TEST_SPEECH_CACHE } from './appliance.js';

const MAIN = fileURLToPath(new URL('../../appliance/main.js', import.meta.url));
const PASSWORD = 'bench-password';

export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  sipTarget: string;
  /** GET a JSON API route with the owner's session. */
  get<T>(path: string): Promise<T>;
  /** Everything the daemon printed (when `capture` was asked for). */
  output(): string;
  /** Resolves when the daemon has printed something matching `pattern` (needs `capture`). */
  waitFor(pattern: RegExp): Promise<void>;
  /** The daemon's data dir (removed by stop()). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startDaemonProcess(
  env: Record<string, string>,
  opts: {
    rtpPorts: string;
    capture?: boolean;
    /** Runs on the data dir's path before the daemon starts. */
    beforeStart?: (dataDir: string) => void;
    /** Written as the data dir's config.json (version 1). */
    config?: Record<string, unknown>;
  },
): Promise<DaemonProcess> {
  const dir = tempDir('spa-daemon-');
  if (opts.config) {
    mkdirSync(join(dir.path, 'data'), { recursive: true });
    writeFileSync(join(dir.path, 'data', 'config.json'), JSON.stringify({ version: 1, ...opts.config }));
  }
  opts.beforeStart?.(join(dir.path, 'data'));
  const sipPort = await freeSipPort();
  const httpPort = 18000 + Math.floor(Math.random() * 4000);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      SPA_DATA_DIR: join(dir.path, 'data'),
      SPA_BIND: '127.0.0.1',
      SPA_SIP_PORT: String(sipPort),
      SPA_HTTP_PORT: String(httpPort),
      SPA_HTTPS_PORT: '0',
      SPA_RTP_PORTS: opts.rtpPorts,
      SPA_ADMIN_PASSWORD: PASSWORD,
      SPA_LOG_LEVEL: 'warn',
      ...(process.env.SPA_MODELS_DIR ? { SPA_MODELS_DIR: process.env.SPA_MODELS_DIR } : {}),
      SPA_SPEECH_CACHE_DIR: TEST_SPEECH_CACHE,
      ...env,
    },
    stdio: ['ignore', opts.capture ? 'pipe' : 'ignore', opts.capture ? 'pipe' : 'ignore'],
  });
  let out = '';
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const onOutput = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiting.filter((x) => x.pattern.test(out))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const base = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 30_000;
  // Ready when SIP is listening (the engines are chosen just before).
  const listening = (): Promise<boolean> =>
    fetch(`${base}/api/health`).then(
      async (r) => r.ok && ((await r.json()) as { sip: { listening: boolean } }).sip.listening,
      () => false,
    );
  while (!(await listening())) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      dir.remove();
      throw new Error(`the daemon did not start: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    child,
    pid: child.pid as number,
    sipTarget: `127.0.0.1:${sipPort}`,
    get: async <T>(path: string): Promise<T> => (await (await fetch(`${base}${path}`, { headers: { cookie } })).json()) as T,
    output: () => out,
    waitFor: (pattern) => (pattern.test(out) ? Promise.resolve() : new Promise((resolve) => waiting.push({ pattern, resolve }))),
    dataDir: join(dir.path, 'data'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      dir.remove();
    },
  };
}
