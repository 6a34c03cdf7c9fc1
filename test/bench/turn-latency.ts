// Turn latency: end of the caller's speech -> first audio of the reply, over 20+ spoken turns
// (caller simulator, L16, flite voice) against the appliance in its own process with the engines
// installed on this machine (fallbacks: pocketsphinx + flite). Prints p50/p95 as the caller hears
// it (at packet arrival, from the real end of its speech), and the box's split: endpoint wait, ASR
// (from the endpoint: with a live-fed engine only the tail), agent, TTS to first audio, and the
// rest per turn (transport, jitter buffer, pacing, end-of-speech estimate).
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
    /** Per turn: what the caller waited beyond the box's endpoint wait and engine compute. */
    const rest: number[] = [];
    for (let c = 0; c < CALLS; c++) {
      const r = await placeCall({ target: box.sipTarget, codec: 'L16', log, script: scriptSchema.parse({ turns: [...LINES.map((say) => ({ say })), { hangup: true }] }) });
      for (const t of r.turns) if (t.latency_ms !== null) heard.push(t.latency_ms);
      const { calls } = await get<{ calls: { id: number }[] }>('/api/calls?limit=1');
      const detail = await get<{ call: { turns: { input: string; latencyMs: Split }[] } }>(`/api/calls/${calls[0]?.id}`);
      const boxTurns = detail.call.turns.filter((t) => t.input === 'speech');
      for (const t of boxTurns) splits.push(t.latencyMs);
      // The simulator's turns and the box's speech turns pair up in order when every line was heard.
      if (boxTurns.length === r.turns.length) {
        r.turns.forEach((t, i) => {
          const b = boxTurns[i]?.latencyMs;
          if (t.latency_ms === null || !b || b.endpoint === null || b.asr === null || b.agent === null || b.tts === null) return;
          rest.push(t.latency_ms - b.endpoint - b.asr - b.agent - b.tts);
        });
      }
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
    rest.sort((a, b) => a - b);
    emit(BENCH, 'split_other_p50', percentile(rest, 50), 'ms', {
      turns: rest.length,
      p95: percentile(rest, 95),
      note: 'per turn: heard latency - endpoint wait - ASR - agent - TTS; the send-side pacer phase (0-20 ms; caller frames reach the VAD as they arrive), transport, how far the end-of-speech estimate is from the real end',
    });
  } finally {
    await box.stop();
  }
}
