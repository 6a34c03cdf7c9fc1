// Takeover timing: from the ring timer's expiry to the 200 OK, and from the ACK to the first
// audible packet of the greeting, measured by the caller simulator over 20 calls against an
// appliance in its own process (ring timeout 1 s, PCMU).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../appliance/log.js';
import { freeUdpPort } from '../helpers/sipp.js';
import { tempDir } from '../helpers/spa.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';
import { emit, percentile } from './report.js';

const BENCH = 'takeover';
const MAIN = fileURLToPath(new URL('../../appliance/main.js', import.meta.url));
const CALLS = Number(process.env.TAKEOVER_CALLS ?? 20);
const RING_S = 1;

export async function run(): Promise<void> {
  const dir = tempDir('spa-bench-takeover-');
  const sipPort = await freeUdpPort();
  const httpPort = 19000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      SPA_DATA_DIR: join(dir.path, 'data'),
      SPA_BIND: '127.0.0.1',
      SPA_SIP_PORT: String(sipPort),
      SPA_HTTP_PORT: String(httpPort),
      SPA_RTP_PORTS: '42000-42999',
      SPA_RING_TIMEOUT_S: String(RING_S),
      SPA_ADMIN_PASSWORD: 'bench-password',
      SPA_LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const log = createLogger({ level: 'silent' });
  try {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await fetch(`http://127.0.0.1:${httpPort}/api/health`).then((r) => r.ok, () => false))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const takeover: number[] = [];
    const greeting: number[] = [];
    let failed = 0;
    for (let i = 0; i < CALLS; i++) {
      const r = await placeCall({
        target: `127.0.0.1:${sipPort}`,
        codec: 'PCMU',
        log,
        script: scriptSchema.parse({ turns: [{ wait_ms: 1200 }, { hangup: true }] }),
      });
      if (!r.connected || r.answered_after_ms === null || r.first_audio_ms === null) {
        failed++;
        continue;
      }
      takeover.push(r.answered_after_ms - RING_S * 1000);
      greeting.push(r.first_audio_ms);
    }
    takeover.sort((a, b) => a - b);
    greeting.sort((a, b) => a - b);
    const extra = { calls: CALLS, failed, ring_timeout_s: RING_S, codec: 'PCMU' };
    emit(BENCH, 'ring_expiry_to_200ok_p50', percentile(takeover, 50), 'ms', extra);
    emit(BENCH, 'ring_expiry_to_200ok_p95', percentile(takeover, 95), 'ms', extra);
    emit(BENCH, 'ack_to_first_greeting_packet_p50', percentile(greeting, 50), 'ms', extra);
    emit(BENCH, 'ack_to_first_greeting_packet_p95', percentile(greeting, 95), 'ms', extra);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    dir.remove();
  }
}
