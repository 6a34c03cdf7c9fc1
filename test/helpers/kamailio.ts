// Runs Debian's kamailio (5.6) as a real registrar and record-routing proxy on loopback, from
// test/fixtures/kamailio/kamailio.cfg, in the foreground in a temporary directory (no root paths).
// The cfg's xlog lines start with "KTEST"; tests read them to see what the proxy did.
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freeUdpPort } from './sipp.js';
import { tempDir } from './spa.js';

export const KAMAILIO_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kamailio/', import.meta.url));
export const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

export interface KamailioOptions {
  /** The one extension the registrar knows (default 250). */
  user?: string;
  /** Its digest password (default "secret"). */
  password?: string;
  /** Bound on start-up (config check, then the port answering OPTIONS). */
  startTimeoutMs?: number;
}

export interface RunningKamailio {
  port: number;
  /** "127.0.0.1:PORT": the box's registrar setting and sipp's target. */
  address: string;
  /** Everything kamailio wrote so far (stdout and stderr). */
  log(): string;
  /** The cfg's KTEST lines so far, without the process prefix. */
  events(): string[];
  /**
   * Resolves with the KTEST lines matching `pattern` once there are `count` of them (already
   * logged or logged within `timeoutMs`); rejects with the whole KTEST log when the bound passes.
   */
  waitFor(pattern: RegExp, opts?: { count?: number; timeoutMs?: number }): Promise<string[]>;
  /** SIGTERM (kamailio's main process stops its children), SIGKILL to the group after 5 s. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

function fillConfig(port: number, user: string, password: string): string {
  if (!/^[\w.-]+$/.test(user) || /["\\\n]/.test(password)) throw new RangeError('user/password not safe to put in kamailio.cfg');
  return readFileSync(join(KAMAILIO_FIXTURES, 'kamailio.cfg'), 'utf8')
    .replaceAll('{{PORT}}', String(port))
    .replaceAll('{{USER}}', user)
    .replaceAll('{{PASSWORD}}', password);
}

/** One OPTIONS to the proxy itself; resolves with the status line of the answer, or null after `waitMs`. */
function probe(port: number, waitMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    let done = false;
    const finish = (v: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(null), waitMs);
    s.on('error', () => finish(null));
    s.on('message', (m) => finish(m.toString('utf8').split('\r\n')[0] ?? ''));
    s.bind(0, '127.0.0.1', () => {
      const local = s.address().port;
      const branch = `z9hG4bK-probe-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const msg = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch};rport`,
        `From: <sip:probe@127.0.0.1:${local}>;tag=${branch.slice(-8)}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: ${branch}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      s.send(msg, port, '127.0.0.1', (err) => {
        if (err) finish(null);
      });
    });
  });
}

export async function startKamailio(opts: KamailioOptions = {}): Promise<RunningKamailio> {
  const dir = tempDir('spa-kamailio-');
  const port = await freeUdpPort();
  const cfg = join(dir.path, 'kamailio.cfg');
  writeFileSync(cfg, fillConfig(port, opts.user ?? '250', opts.password ?? 'secret'));
  const startBy = Date.now() + (opts.startTimeoutMs ?? 10_000);

  try {
    await run('kamailio', ['-c', '-f', cfg, '-L', KAMAILIO_MODULES, '-Y', dir.path], { cwd: dir.path, timeout: 10_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    dir.remove();
    throw new Error(`kamailio -c rejected the generated config: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }

  const child = spawn(
    'kamailio',
    ['-DD', '-E', '-f', cfg, '-L', KAMAILIO_MODULES, '-Y', dir.path, '-P', join(dir.path, 'kamailio.pid'), '-w', dir.path, '-m', '32', '-M', '4'],
    // Own process group, so a last-resort kill reaches the worker processes too.
    { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    output += d.toString('utf8');
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  let spawnError: Error | null = null;
  const exit = new Promise<void>((resolve) => {
    const ended = (): void => {
      exited = true;
      for (const w of [...waiters]) w();
      resolve();
    };
    child.on('exit', ended);
    // Could not start at all (no kamailio binary): no 'exit' follows.
    child.on('error', (err) => {
      spawnError = err;
      ended();
    });
  });
  const killGroup = (): void => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  // If the test process dies without stop(), do not leave a proxy behind.
  process.once('exit', killGroup);

  const events = (): string[] =>
    output
      .split('\n')
      .map((l) => /KTEST (.*)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killGroup);
    if (!exited) {
      child.kill('SIGTERM');
      const bound = new Promise<'late'>((resolve) => {
        const t = setTimeout(() => resolve('late'), 5_000);
        void exit.then(() => clearTimeout(t));
      });
      if ((await Promise.race([exit, bound])) === 'late') {
        killGroup();
        await exit;
      }
    }
    dir.remove();
  };

  // Ready when the UDP port answers an OPTIONS (a bounded poll: kamailio says nothing awaitable).
  try {
    for (;;) {
      if (exited) throw new Error(`kamailio exited during start-up: ${spawnError ? String(spawnError) : ''}\n${output}`);
      const status = await probe(port, 200);
      if (status !== null) {
        if (!status.startsWith('SIP/2.0 200')) throw new Error(`kamailio answered the readiness OPTIONS with "${status}"`);
        break;
      }
      if (Date.now() > startBy) throw new Error(`kamailio did not answer OPTIONS on 127.0.0.1:${port} in time:\n${output}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    port,
    address: `127.0.0.1:${port}`,
    log: () => output,
    events,
    waitFor(pattern, { count = 1, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hits = events().filter((l) => pattern.test(l));
          if (hits.length >= count) {
            done();
            resolve(hits);
          } else if (exited) {
            done();
            reject(new Error(`kamailio exited before ${count} × ${String(pattern)}; its KTEST log:\n${events().join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${count} × ${String(pattern)} from kamailio within ${timeoutMs} ms; its KTEST log:\n${events().join('\n')}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop,
  };
}
