// Turn latency: end of the caller's speech -> first audio of the reply, over 20+ spoken turns
// (caller simulator, L16, flite voice) against the appliance in its own process with the engines
// installed on this machine (fallbacks: pocketsphinx + flite). Prints p50/p95 as the caller hears
// it (at packet arrival, from the real end of its speech), and the box's split: endpoint wait, ASR
// (from the endpoint: with a live-fed engine only the tail), agent, TTS to first audio, and the
// rest per turn (transport, jitter buffer, pacing, end-of-speech estimate). Each caller line is
// paired with the box's speech turn whose end of speech is nearest to its own (within 1.5 s), so a
// line the box missed or split leaves the others paired; every turn is printed on stderr: what was
// said, what the box heard and answered, the heard latency and its split. Then calls whose lines
// answer "anything else?" with a question (rejected by the yes/no grammar, heard again by the open
// model): every rejected turn's latency is reported apart (rejected_closed_turn_p50/p95).
import { createLogger } from '../../appliance/log.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { placeCall, type TurnResult } from '../sim/caller.js';
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
/**
 * Calls where every line after the first answers "Is there anything else I can help with?" (a
 * yes/no turn) with a question: the yes/no grammar rejects it and the open model hears it again
 * (Expectation.retry). Their figures, and every rejected turn of the calls above, are reported apart.
 */
const RETRY_LINES = ['What are your hours', 'Where are you located', 'Is there parking', 'How much is a chemical peel', 'What are your hours on Saturday'];
const RETRY_CALLS = Number(process.env.TURN_LATENCY_RETRY_CALLS ?? 3);
/** The call log's caller text of a turn the recogniser rejected (voice-module.ts). */
const REJECTED = /^\(not understood\)/;

interface BoxTurn {
  input: string;
  caller: string;
  reply: string;
  endOfSpeechAt: number | null;
  latencyMs: Split;
}

/** The box's end of speech may differ from the caller's by its 20 ms frames and the transport. */
const PAIR_WITHIN_MS = 1500;

/**
 * Pairs each caller line with the box's speech turn that ended nearest in time to it (both ends of
 * speech are on this machine's clock), one to one and within PAIR_WITHIN_MS: a line the box did not
 * hear, or heard as two turns, leaves the others paired. null: no box turn for that line.
 */
function pairTurns(said: readonly TurnResult[], box: readonly BoxTurn[]): (BoxTurn | null)[] {
  const used = new Set<BoxTurn>();
  return said.map((t) => {
    let best: BoxTurn | null = null;
    let bestGap = PAIR_WITHIN_MS;
    for (const b of box) {
      if (used.has(b) || t.end_of_speech_at === undefined || b.endOfSpeechAt === null) continue;
      const gap = Math.abs(b.endOfSpeechAt - t.end_of_speech_at);
      if (gap <= bestGap) {
        best = b;
        bestGap = gap;
      }
    }
    if (best) used.add(best);
    return best;
  });
}

const gapOf = (t: TurnResult, b: BoxTurn | null): number | null => (t.end_of_speech_at === undefined || !b || b.endOfSpeechAt === null ? null : b.endOfSpeechAt - t.end_of_speech_at);
const nearest = (said: readonly TurnResult[], b: BoxTurn): number | null =>
  said.map((t) => gapOf(t, b)).reduce<number | null>((best, g) => (g !== null && (best === null || Math.abs(g) < Math.abs(best)) ? g : best), null);

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
    /** Heard latency and ASR split of the turns the recogniser rejected (decoded again by the retry grammar). */
    const rejected: { heard: number; asr: number | null }[] = [];
    let unpaired = 0;
    const scripts = [...Array.from({ length: CALLS }, () => ({ lines: LINES, retry: false })), ...Array.from({ length: RETRY_CALLS }, () => ({ lines: RETRY_LINES, retry: true }))];
    for (const [c, script] of scripts.entries()) {
      const r = await placeCall({ target: box.sipTarget, codec: 'L16', log, script: scriptSchema.parse({ turns: [...script.lines.map((say) => ({ say })), { hangup: true }] }) });
      const { calls } = await get<{ calls: { id: number }[] }>('/api/calls?limit=1');
      const detail = await get<{ call: { turns: BoxTurn[] } }>(`/api/calls/${calls[0]?.id}`);
      const boxTurns = detail.call.turns.filter((t) => t.input === 'speech');
      // The overall figures stay those of the first calls' lines (comparable with earlier runs).
      if (!script.retry) {
        for (const t of r.turns) if (t.latency_ms !== null) heard.push(t.latency_ms);
        for (const t of boxTurns) splits.push(t.latencyMs);
      }
      const pairs = pairTurns(r.turns, boxTurns);
      r.turns.forEach((t, i) => {
        const b = pairs[i];
        if (!b) unpaired++;
        const l = b?.latencyMs;
        if (b && REJECTED.test(b.caller) && t.latency_ms !== null) rejected.push({ heard: t.latency_ms, asr: l?.asr ?? null });
        // Per turn on stderr (the figures stay one JSON line each on stdout): what the caller said,
        // what the box heard and answered, the heard latency and the box's split.
        console.error(
          `call ${c + 1}${script.retry ? ' (rejected yes/no)' : ''} turn ${i + 1}: heard ${t.latency_ms ?? 'no reply'} ms` +
            (l ? ` (box end of speech ${gapOf(t, b)} ms after the caller's) = endpoint ${l.endpoint} + asr ${l.asr} + agent ${l.agent} + tts ${l.tts} + other ${t.latency_ms === null || l.total === null ? '?' : t.latency_ms - l.total}` : ' (no box turn at that time)') +
            ` | said "${t.say}" | box heard "${b?.caller ?? ''}" | replied "${(b?.reply ?? '').slice(0, 70)}"`,
        );
        if (script.retry || t.latency_ms === null || !l || l.endpoint === null || l.asr === null || l.agent === null || l.tts === null) return;
        rest.push(t.latency_ms - l.endpoint - l.asr - l.agent - l.tts);
      });
      for (const b of boxTurns) if (!pairs.includes(b)) console.error(`call ${c + 1}: box turn with no caller line within ${PAIR_WITHIN_MS} ms of its end of speech (nearest ${nearest(r.turns, b)} ms): heard "${b.caller}", replied "${b.reply.slice(0, 70)}"`);
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
    // Turns the closed grammar rejected and the retry grammar heard again: the goal is the same.
    const again = rejected.map((x) => x.heard).sort((a, b) => a - b);
    const againAsr = rejected.flatMap((x) => (x.asr === null ? [] : [x.asr])).sort((a, b) => a - b);
    const rejectedExtra = { turns: again.length, note: 'turns the closed grammar rejected (yes/no, choice), decoded again with the open model', asr_p50: percentile(againAsr, 50), asr_p95: percentile(againAsr, 95) };
    emit(BENCH, 'rejected_closed_turn_p50', percentile(again, 50), 'ms', rejectedExtra);
    emit(BENCH, 'rejected_closed_turn_p95', percentile(again, 95), 'ms', rejectedExtra);
    rest.sort((a, b) => a - b);
    emit(BENCH, 'split_other_p50', percentile(rest, 50), 'ms', {
      turns: rest.length,
      unpaired_lines: unpaired,
      p95: percentile(rest, 95),
      note: 'per turn: heard latency - endpoint wait - ASR - agent - TTS; the send-side pacer phase (0-20 ms; caller frames reach the VAD as they arrive), transport, how far the end-of-speech estimate is from the real end',
    });
  } finally {
    await box.stop();
  }
}
