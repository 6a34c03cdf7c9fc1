// End-to-end spoken calls: the caller simulator speaks with flite over L16/16000 to a whole
// appliance running pocketsphinx + flite + the energy VAD in its audio-check mode (agent.mode
// 'echo'), which says back what it heard. What the box recognised is read back from the call log.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../appliance/log.js';
import { wavFile } from '../../appliance/shared/wav.js';
import { scoringWords } from '../../appliance/voice/asr/conformance.js';
import { wordErrorRate } from '../../appliance/voice/asr/wer.js';
import { startAppliance } from '../helpers/appliance.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';
import { cough, mmHm } from '../sim/sounds.js';

const log = createLogger({ level: 'silent' });
/** The installer's audio check mode: the box says back what it heard, so recognition can be scored. */
const ECHO = { agent: { mode: 'echo' } };

interface CallDetail {
  call: { outcome: string; codec: string; turns: { input: string; caller: string; reply: string; interrupted: boolean; latencyMs: { total: number | null; asr: number | null } }[] };
}

const SENTENCES = [
  "I'd like to book an appointment",
  'Do you have anything on Friday morning',
  'How much is Botox',
  'Can I speak to a person',
  'What are your hours',
];

test('spoken turns over L16 are recognised (WER <= 15%), answered, and logged with latency marks after the greeting', async (t) => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, ECHO);
  try {
    const health = await box.api<{ engines: { asr: string; tts: string; vad: string } }>('/api/health');
    assert.match(health.engines.asr, /^pocketsphinx/);
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log,
      script: scriptSchema.parse({ turns: [...SENTENCES.map((say) => ({ say })), { hangup: true }] }),
    });
    assert.equal(result.connected, true);
    // The greeting plays as soon as the call is up. How soon (the 150 ms goal) is a speed goal, checked
    // by `npm run bench -- takeover` (ACK to first greeting packet, p50/p95 over 20 calls), not by
    // one wall-clock sample here: under a loaded CI the same build measured 73-81 ms alone and 188 ms
    // beside another e2e file.
    assert.ok(result.first_audio_ms !== null, 'the greeting was heard');
    assert.equal(result.turns.length, SENTENCES.length);
    assert.ok(result.turns.every((t) => t.latency_ms !== null), JSON.stringify(result.turns));

    const { calls } = await box.api<{ calls: { id: number }[] }>('/api/calls');
    const detail = await box.api<CallDetail>(`/api/calls/${calls[0]?.id}`);
    assert.equal(detail.call.codec, 'L16/16000');
    const heard = detail.call.turns.filter((t) => t.input === 'speech');
    assert.equal(heard.length, SENTENCES.length, JSON.stringify(detail.call.turns.map((t) => t.caller)));
    const wer = wordErrorRate(SENTENCES.map((s, i) => ({ reference: scoringWords(s), hypothesis: scoringWords(heard[i]?.caller ?? '') })));
    assert.ok(wer <= 0.15, `WER ${(wer * 100).toFixed(1)}%: ${heard.map((h) => h.caller).join(' | ')}`);
    t.diagnostic(`WER ${(wer * 100).toFixed(1)}%; greeting after ${result.first_audio_ms} ms; turn latency (simulator) ${result.turns.map((x) => x.latency_ms).join(', ')} ms`);
    for (const t of heard) {
      assert.match(t.reply, /^I heard: /);
      assert.ok(t.latencyMs.total !== null && t.latencyMs.asr !== null, 'each turn has its latency split');
    }
  } finally {
    await box.stop();
  }
});

test('keys pressed on a spoken call are read back, and 0 asks for the front desk', async () => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, ECHO);
  try {
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log,
      script: scriptSchema.parse({ turns: [{ wait_ms: 4000 }, { dtmf: '7' }, { wait_ms: 2500 }, { hangup: true }] }),
    });
    assert.equal(result.connected, true);
    const { calls } = await box.api<{ calls: { id: number }[] }>('/api/calls');
    const detail = await box.api<CallDetail>(`/api/calls/${calls[0]?.id}`);
    const dtmf = detail.call.turns.find((t) => t.input === 'dtmf');
    assert.equal(dtmf?.caller, '7');
    assert.equal(dtmf?.reply, 'You pressed 7.');
  } finally {
    await box.stop();
  }
});

test('barge-in: the caller talking over the greeting stops it at once, and the agent knows it was cut off', async (t) => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, ECHO);
  try {
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log,
      script: scriptSchema.parse({ turns: [{ say: 'Can I speak to a person', barge_in_after_ms: 1000 }, { wait_ms: 3000 }, { hangup: true }] }),
    });
    const stopped = result.turns[0]?.box_stopped_after_ms ?? null;
    t.diagnostic(`box stopped ${stopped} ms after the caller began (200 ms of speech to decide, the rest is detection and the last packet in flight)`);
    // End-to-end timing is the point here (RTP in, VAD, the recogniser's first look, RTP out); the
    // rules themselves (stop at 200 ms of words, hold for unrecognised voice, 1000 ms cap) are
    // proven to the frame on fake time in voice/barge-in.test.ts. The bound comes from the bench,
    // `BARGE_IN_ENGINES=fallback npm run bench -- barge-in` (this test's engines: energy VAD,
    // pocketsphinx): p50 203-206 ms, p95 219-259 ms over 10 calls on the 2-core dev machine. 400 ms
    // = that p95 plus 140 ms for a loaded CI runner, and still "at once" to a caller.
    assert.ok(stopped !== null && stopped <= 400, `box stopped after ${stopped} ms`);
    const { calls } = await box.api<{ calls: { id: number }[] }>('/api/calls');
    const detail = await box.api<CallDetail>(`/api/calls/${calls[0]?.id}`);
    const greeting = detail.call.turns.find((x) => x.input === 'greeting');
    assert.equal(greeting?.interrupted, true);
    const answer = detail.call.turns.find((x) => x.input === 'speech');
    assert.match(answer?.reply ?? '', /^Sorry, go ahead\. I heard: /);
  } finally {
    await box.stop();
  }
});

const SOUNDS_OVER_THE_GREETING = [
  { what: 'a backchannel ("okay", flite)', turn: (): { say: string } => ({ say: 'okay' }) },
  { what: 'a cough (synthetic)', turn: (dir: string): { play: string } => ({ play: writeSound(dir, 'cough.wav', cough()) }) },
  { what: 'a hummed "mm-hm" (synthetic)', turn: (dir: string): { play: string } => ({ play: writeSound(dir, 'mm-hm.wav', mmHm()) }) },
];

function writeSound(dir: string, name: string, samples: Int16Array): string {
  const path = join(dir, name);
  writeFileSync(path, wavFile(samples, { sampleRate: 16000, channels: 1 }));
  return path;
}

for (const sound of SOUNDS_OVER_THE_GREETING) {
  test(`${sound.what} over the greeting does not stop it: it plays to its end and no turn is made of it`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'spa-sounds-'));
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' });
    try {
      const result = await placeCall({
        target: box.sipTarget,
        codec: 'L16',
        log,
        script: scriptSchema.parse({ turns: [{ ...sound.turn(dir), barge_in_after_ms: 1500 }, { wait_ms: 7000 }, { hangup: true }] }),
      });
      const { calls } = await box.api<{ calls: { id: number }[] }>('/api/calls');
      const detail = await box.api<CallDetail>(`/api/calls/${calls[0]?.id}`);
      const greeting = detail.call.turns.find((x) => x.input === 'greeting');
      t.diagnostic(`box speech (ms since answer): ${result.box_speech.map((s) => `${s.start_ms}-${s.end_ms}`).join(', ')}; turns: ${detail.call.turns.map((x) => `${x.input}${x.interrupted ? ' (interrupted)' : ''}`).join(', ')}`);
      assert.equal(greeting?.interrupted, false, 'the greeting was not cut off');
      assert.deepEqual(detail.call.turns.filter((x) => x.input === 'speech').map((x) => x.caller), [], 'no turn was made of it');
      const spokeUntil = Math.max(...result.box_speech.map((s) => s.end_ms));
      assert.ok(spokeUntil > 1500 + 2000, `the greeting went on after it (box spoke until ${spokeUntil} ms)`);
    } finally {
      await box.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
