// Barge-in: how soon the box stops talking when the caller talks over it, from the start of the
// caller's speech to the box's last audible packet, as the caller simulator hears it (L16, flite
// caller voice, the box in its audio-check mode). The box needs 200 ms of speech to decide
// (bargeInMs); the rest is VAD onset, the recogniser's first look, and the packets in flight.
// Runs the appliance in its own process with the engines installed on this machine and, with
// BARGE_IN_ENGINES=fallback, with no models (energy VAD, as the e2e tests run it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../appliance/log.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';
import { emit, percentile } from './report.js';

const BENCH = 'barge-in';
const CALLS = Number(process.env.BARGE_IN_CALLS ?? 10);

export async function run(): Promise<void> {
  const fallback = process.env.BARGE_IN_ENGINES === 'fallback';
  const noModels = fallback ? mkdtempSync(join(tmpdir(), 'spa-no-models-')) : null;
  const box = await startDaemonProcess(
    { SPA_RING_TIMEOUT_S: '0', ...(noModels ? { SPA_MODELS_DIR: noModels } : {}) },
    { rtpPorts: '44000-44999', config: { agent: { mode: 'echo' } } },
  );
  const log = createLogger({ level: 'silent' });
  try {
    const health = await box.get<{ engines: Record<string, string> }>('/api/health');
    const stopped: number[] = [];
    let missed = 0;
    for (let c = 0; c < CALLS; c++) {
      const r = await placeCall({
        target: box.sipTarget,
        codec: 'L16',
        log,
        script: scriptSchema.parse({ turns: [{ say: 'Can I speak to a person', barge_in_after_ms: 1000 }, { wait_ms: 1500 }, { hangup: true }] }),
      });
      const ms = r.turns[0]?.box_stopped_after_ms ?? null;
      if (ms === null) missed++;
      else stopped.push(ms);
    }
    stopped.sort((a, b) => a - b);
    const extra = { calls: CALLS, missed, codec: 'L16/16000', vad: health.engines.vad, asr: health.engines.asr };
    emit(BENCH, 'caller_speech_to_box_stopped_p50', percentile(stopped, 50), 'ms', extra);
    emit(BENCH, 'caller_speech_to_box_stopped_p95', percentile(stopped, 95), 'ms', extra);
    emit(BENCH, 'caller_speech_to_box_stopped_max', stopped.at(-1) ?? Number.NaN, 'ms', { ...extra, all: stopped });
  } finally {
    await box.stop();
    if (noModels) rmSync(noModels, { recursive: true, force: true });
  }
}
