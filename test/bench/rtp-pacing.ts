// RTP pacing: how evenly the appliance's RtpSession sends its 20 ms packets, with 1 and with 8
// concurrent calls, while another process keeps one core busy. A separate process receives and
// timestamps the packets. Figures: |interval - 20 ms| p50 and p99 (goal p99 <= 5 ms at 8 calls).
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../appliance/log.js';
import { answerOffer, createOffer, PortAllocator, RtpSession, sineWave } from '../../appliance/media/index.js';
import { emit, percentile } from './report.js';

const BENCH = 'rtp-pacing';
const CHILD = fileURLToPath(new URL('./rtp-receiver-child.js', import.meta.url));
const SECONDS = Number(process.env.RTP_PACING_SECONDS ?? 10);

async function measure(calls: number): Promise<void> {
  const load = spawn(process.execPath, ['-e', 'const end = Date.now() + 600000; while (Date.now() < end) {}'], { stdio: 'ignore' });
  const receiver = fork(CHILD, [String(calls)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const log = createLogger({ level: 'silent' });
  const sessions: RtpSession[] = [];
  try {
    const ports = await new Promise<number[]>((resolve) => receiver.once('message', (m) => resolve((m as { ports: number[] }).ports)));
    const allocator = new PortAllocator({ min: 41000, max: 41999 });
    const tone = sineWave(440, 16000, 16000 * (SECONDS + 2), 8000);
    for (const port of ports) {
      const s = new RtpSession({ ports: allocator, log, config: { bindAddress: '127.0.0.1', timeoutMs: 600_000 } });
      await s.start();
      const offer = createOffer({ address: '127.0.0.1', rtpPort: port, codecs: ['PCMU'] }, { sessionId: '1', sessionVersion: 1 });
      s.configure(answerOffer(offer, { address: '127.0.0.1', rtpPort: s.localPort }, { sessionId: '2' }).media);
      void s.play(tone).done;
      sessions.push(s);
    }
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const result = new Promise<number[][]>((resolve) => receiver.once('message', (m) => resolve((m as { intervals: number[][] }).intervals)));
    receiver.send('stop');
    const intervals = (await result).flatMap((list) => list.slice(5)); // skip start-up
    const errors = intervals.map((d) => Math.abs(d - 20)).sort((a, b) => a - b);
    const extra = { calls, seconds: SECONDS, packets: intervals.length, background_load: '1 busy core' };
    emit(BENCH, `interval_error_p50_${calls}calls`, percentile(errors, 50), 'ms', extra);
    emit(BENCH, `interval_error_p99_${calls}calls`, percentile(errors, 99), 'ms', extra);
    emit(BENCH, `interval_error_max_${calls}calls`, errors[errors.length - 1] ?? 0, 'ms', extra);
  } finally {
    for (const s of sessions) await s.stop();
    load.kill('SIGKILL');
    if (receiver.exitCode === null) receiver.kill('SIGKILL');
  }
}

export async function run(): Promise<void> {
  await measure(1);
  await measure(8);
}
