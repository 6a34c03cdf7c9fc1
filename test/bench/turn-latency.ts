// Turn latency: end of the caller's speech -> first audio of the reply, over 20+ spoken turns
// (caller simulator, L16, flite voice) against the appliance in its own process with the engines
// installed on this machine (fallbacks: pocketsphinx + flite). Prints p50/p95 as the caller hears
// it, and the box's split: endpoint wait, ASR, agent, TTS to first audio, and the rest (transport,
// jitter buffers, pacing).
import { createLogger } from '../../appliance/log.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';
import { emit, percentile } from './report.js';

const BENCH = 'turn-latency';
const LINES = [
  "I'd like to book an appointment",
  'Do you have anything on Friday morning',
  'How much is Botox',
  'What are your hours',
  'Can I speak to a person',
];
const CALLS = Number(process.env.TURN_LATENCY_CALLS ?? 5);

interface Split {
  endpoint: number | null;
  asr: number | null;
  agent: number | null;
  tts: number | null;
  total: number | null;
}

export async function run(): Promise<void> {
  const box = await startDaemonProcess({ SPA_RING_TIMEOUT_S: '0' }, { rtpPorts: '43000-43999' });
  const log = createLogger({ level: 'silent' });
  const get = <T>(path: string): Promise<T> => box.get<T>(path);
  try {
    const health = await get<{ engines: Record<string, string> }>('/api/health');

    const heard: number[] = [];
    const splits: Split[] = [];
    for (let c = 0; c < CALLS; c++) {
      const r = await placeCall({ target: box.sipTarget, codec: 'L16', log, script: scriptSchema.parse({ turns: [...LINES.map((say) => ({ say })), { hangup: true }] }) });
      for (const t of r.turns) if (t.latency_ms !== null) heard.push(t.latency_ms);
      const { calls } = await get<{ calls: { id: number }[] }>('/api/calls?limit=1');
      const detail = await get<{ call: { turns: { input: string; latencyMs: Split }[] } }>(`/api/calls/${calls[0]?.id}`);
      for (const t of detail.call.turns) if (t.input === 'speech') splits.push(t.latencyMs);
    }
    heard.sort((a, b) => a - b);
    const med = (k: keyof Split): number => percentile(splits.map((s) => s[k]).filter((v): v is number => v !== null).sort((a, b) => a - b), 50);
    const extra = { turns: heard.length, codec: 'L16/16000', vad: health.engines.vad, asr: health.engines.asr, tts: health.engines.tts };
    emit(BENCH, 'end_of_speech_to_first_audio_p50', percentile(heard, 50), 'ms', extra);
    emit(BENCH, 'end_of_speech_to_first_audio_p95', percentile(heard, 95), 'ms', extra);
    const endpoint = med('endpoint');
    const asr = med('asr');
    const agent = med('agent');
    const tts = med('tts');
    emit(BENCH, 'split_endpoint_wait_p50', endpoint, 'ms');
    emit(BENCH, 'split_asr_p50', asr, 'ms');
    emit(BENCH, 'split_agent_p50', agent, 'ms');
    emit(BENCH, 'split_tts_first_audio_p50', tts, 'ms');
    emit(BENCH, 'split_other_p50', percentile(heard, 50) - endpoint - asr - agent - tts, 'ms', { note: 'transport, jitter buffers, pacing, VAD frame delay' });
  } finally {
    await box.stop();
  }
}
