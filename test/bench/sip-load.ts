// SIP load: sipp places 100 concurrent calls (ring timeout 0, the stand-in greeting playing,
// sipp sending G.711 audio from a pcap) at the appliance running as its own process.
// Figures: failed calls (goal 0), CPU seconds per call, peak RSS.
import { readFileSync } from 'node:fs';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { runSipp } from '../helpers/sipp.js';
import { emit } from './report.js';

const BENCH = 'sip-load';
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
  // sipp plays the PBX forwarding every caller: a trunk, held only to maxCalls.
  const box = await startDaemonProcess(
    { SPA_RING_TIMEOUT_S: '0', SPA_MAX_CALLS: String(CALLS + 10) },
    { rtpPorts: '40000-40999', capture: true, config: { telephony: { trunkNetworks: ['127.0.0.1/32'] } } },
  );
  try {
    const pid = box.pid;
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    const r = await runSipp({
      scenario: 'uac-answered.xml',
      target: box.sipTarget,
      calls: CALLS,
      args: ['-l', String(CALLS), '-r', '50', '-d', '4000', '-trace_stat', '-fd', '1'],
      timeoutMs: 180_000,
    });
    const wallS = (Date.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const { calls } = await box.get<{ calls: { outcome: string }[] }>('/api/calls?limit=500');
    const handled = calls.filter((c) => c.outcome === 'ai-handled').length;
    const sippFailed = /Failed call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(r.stdout)?.[1];
    const extra = { calls: CALLS, concurrent: CALLS, rate_cps: 50, hold_s: 4, sipp_exit: r.code, wall_s: Math.round(wallS) };
    emit(BENCH, 'failed_calls', CALLS - handled, 'calls', { ...extra, sipp_failed: sippFailed === undefined ? null : Number(sippFailed) });
    emit(BENCH, 'cpu_per_call', cpu / CALLS, 's', extra);
    emit(BENCH, 'peak_rss', peakRssMb(pid), 'MB', extra);
  } finally {
    if (process.env.BENCH_DEBUG) console.error(box.output().slice(-3000));
    await box.stop();
  }
}
