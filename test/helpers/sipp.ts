// Runs Debian's sipp (package sip-tester) as a real SIP peer against the appliance on loopback.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SIPP_SCENARIOS = fileURLToPath(new URL('../../../test/fixtures/sipp/', import.meta.url));

export interface SippResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Contents of sipp's -trace_err file, when it wrote one. */
  errors: string;
  /** Contents of sipp's -trace_msg file (every message sent and received). */
  messages: string;
  /** sipp's -trace_counts totals at the end of the run, by column ("1_INVITE_Retrans": 3, ...). */
  counts: Record<string, number>;
}

export interface SippOptions {
  scenario: string;
  target: string;
  /** Extra sipp arguments. */
  args?: string[];
  /** {{NAME}} in the scenario file replaced before sipp reads it (where sipp takes no keyword). */
  fill?: Record<string, string>;
  /** -key NAME VALUE pairs for [NAME] in the scenario. */
  keys?: Record<string, string>;
  calls?: number;
  mediaPort?: number;
  /** sipp's own address (-i): any of 127.0.0.0/8 on Linux; default 127.0.0.1. */
  localIp?: string;
  /** Kill sipp after this long (a bound on the test, not a wait). */
  timeoutMs?: number;
}

export function runSipp(opts: SippOptions): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'spa-sipp-'));
  let scenario = opts.scenario.includes('/') ? opts.scenario : join(SIPP_SCENARIOS, opts.scenario);
  if (opts.fill) {
    let text = readFileSync(scenario, 'utf8');
    for (const [k, v] of Object.entries(opts.fill)) text = text.replaceAll(`{{${k}}}`, v);
    scenario = join(dir, 'scenario.xml');
    writeFileSync(scenario, text);
  }
  const args = [
    ...(opts.target ? [opts.target] : []),
    '-sf', scenario,
    '-i', opts.localIp ?? '127.0.0.1',
    // sipp's media port: spread tests that run in parallel (default 6000 for all).
    '-mp', String(opts.mediaPort ?? 20000 + 2 * Math.floor(Math.random() * 4000)),
    '-m', String(opts.calls ?? 1),
    '-nostdin',
    '-trace_err', '-error_file', join(dir, 'err.log'),
    '-trace_msg', '-message_file', join(dir, 'msg.log'),
    '-trace_counts',
    '-timeout', `${Math.ceil((opts.timeoutMs ?? 60_000) / 1000)}s`,
    '-timeout_error',
    ...Object.entries(opts.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
    ...(opts.args ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), (opts.timeoutMs ?? 60_000) + 5_000);
    child.on('error', (err) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(killer);
      const read = (f: string): string => {
        try {
          return readFileSync(join(dir, f), 'utf8');
        } catch {
          return '';
        }
      };
      const files = readdirSync(dir);
      const countsFile = files.find((f) => f.endsWith('_counts.csv'));
      const result = { code, stdout, stderr, errors: read('err.log'), messages: read('msg.log'), counts: countsFile ? lastCounts(read(countsFile)) : {} };
      if (files.length === 0 && code !== 0) result.errors ||= stderr;
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
}

/** The last row of sipp's -trace_counts CSV (";"-separated, header first) as numbers by column. */
export function lastCounts(csv: string): Record<string, number> {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.length > 1 ? (lines[lines.length - 1] ?? '').split(';') : [];
  const out: Record<string, number> = {};
  header.forEach((name, i) => {
    const n = Number(last[i]);
    if (name !== '' && Number.isFinite(n)) out[name] = n;
  });
  return out;
}

/** A free UDP port on 127.0.0.1 (bound, read, released). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be bound right now for `kind` (bound and released at once). */
function bindable(kind: 'udp' | 'tcp', port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (kind === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    } else {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    }
  });
}

/**
 * A port for an appliance's SIP, free on 127.0.0.1 for UDP and TCP alike (it listens on both), from
 * 10000-17999: below the kernel's ephemeral range (32768-60999), where the port an outgoing TCP
 * connection happened to take (a fetch, another test's client) made the box's TCP listen fail with
 * EADDRINUSE in the seconds between choosing the port and binding it.
 */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = randomInt(10000, 18000);
    if ((await bindable('udp', port)) && (await bindable('tcp', port))) return port;
  }
  throw new Error('no free SIP port in 10000-17999');
}
