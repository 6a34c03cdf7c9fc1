// SIP load: sipp places 100 concurrent calls (ring timeout 0, the stand-in greeting playing,
// sipp sending G.711 audio from a pcap) at the appliance running as its own process.
// Figures: failed calls (goal 0), CPU seconds per call, peak RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort, runSipp } from '../helpers/sipp.js';
import { tempDir } from '../helpers/spa.js';
import { emit } from './report.js';

const BENCH = 'sip-load';
const MAIN = fileURLToPath(new URL('../../appliance/main.js', import.meta.url));
const CALLS = Number(process.env.SIP_LOAD_CALLS ?? 100);

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of /proc/PID/stat (index 11 and 12 after the comm field).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

export async function run(): Promise<void> {
  const dir = tempDir('spa-bench-sip-');
  const sipPort = await freeUdpPort();
  const httpPort = 18000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      SPA_DATA_DIR: join(dir.path, 'data'),
      SPA_BIND: '127.0.0.1',
      SPA_SIP_PORT: String(sipPort),
      SPA_HTTP_PORT: String(httpPort),
      SPA_RTP_PORTS: '40000-40999',
      SPA_RING_TIMEOUT_S: '0',
      SPA_MAX_CALLS: String(CALLS + 10),
      SPA_ADMIN_PASSWORD: 'bench-password',
      SPA_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${httpPort}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = child.pid as number;
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    const r = await runSipp({
      scenario: 'uac-answered.xml',
      target: `127.0.0.1:${sipPort}`,
      calls: CALLS,
      args: ['-l', String(CALLS), '-r', '50', '-d', '4000', '-trace_stat', '-fd', '1'],
      timeoutMs: 180_000,
    });
    const wallS = (Date.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const login = await fetch(`http://127.0.0.1:${httpPort}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'owner', password: 'bench-password' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { calls } = (await (await fetch(`http://127.0.0.1:${httpPort}/api/calls?limit=500`, { headers: { cookie } })).json()) as { calls: { outcome: string }[] };
    const handled = calls.filter((c) => c.outcome === 'ai-handled').length;
    const sippFailed = /Failed call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(r.stdout)?.[1];
    const extra = { calls: CALLS, concurrent: CALLS, rate_cps: 50, hold_s: 4, sipp_exit: r.code, wall_s: Math.round(wallS) };
    emit(BENCH, 'failed_calls', CALLS - handled, 'calls', { ...extra, sipp_failed: sippFailed === undefined ? null : Number(sippFailed) });
    emit(BENCH, 'cpu_per_call', cpu / CALLS, 's', extra);
    emit(BENCH, 'peak_rss', peakRssMb(pid), 'MB', extra);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    dir.remove();
    if (process.env.BENCH_DEBUG) console.error(out.slice(-3000));
  }
}
