// Takeover timing: from the ring timer's expiry to the 200 OK, and from the ACK to the first
// audible packet of the greeting, measured by the caller simulator over 20 calls against an
// appliance in its own process (ring timeout 1 s, PCMU).
import { createLogger } from '../../appliance/log.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';
import { emit, percentile } from './report.js';

const BENCH = 'takeover';
const CALLS = Number(process.env.TAKEOVER_CALLS ?? 20);
const RING_S = 1;

export async function run(): Promise<void> {
  // The simulator plays the PBX forwarding every caller: a trunk, not held to one host's rate of new calls.
  const box = await startDaemonProcess({ SPA_RING_TIMEOUT_S: String(RING_S) }, { rtpPorts: '42000-42999', config: { telephony: { trunkNetworks: ['127.0.0.1/32'] } } });
  const log = createLogger({ level: 'silent' });
  try {
    const takeover: number[] = [];
    const greeting: number[] = [];
    let failed = 0;
    for (let i = 0; i < CALLS; i++) {
      const r = await placeCall({
        target: box.sipTarget,
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
    await box.stop();
  }
}
