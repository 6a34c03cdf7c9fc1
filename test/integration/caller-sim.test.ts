// The caller simulator (npm run call) against a whole appliance: it is the instrument later tests
// and benchmarks rely on, so its own figures are checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../appliance/log.js';
import { sineWave } from '../../appliance/media/index.js';
import type { ActiveCall, CallHandler } from '../../appliance/telephony/call-manager.js';
import { EnergyVad } from '../../appliance/voice/energy-vad.js';
import { readWav } from '../../appliance/shared/wav.js';
import { startAppliance } from '../helpers/appliance.js';
import { tempDir } from '../helpers/spa.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';

const log = createLogger({ level: 'silent' });

/** Answers each end of caller speech with a 300 ms tone, and hangs up after the second reply. */
class ToneReplier implements CallHandler {
  replies = 0;
  async handle(call: ActiveCall): Promise<void> {
    const vad = new EnergyVad({ hangoverMs: 300 });
    call.media.on('audio', (frame) => {
      if (vad.push(frame)?.type === 'speech-end') {
        this.replies++;
        const n = this.replies;
        void call.media.play(sineWave(880, 16000, 4800, 9000)).then(() => {
          if (n === 2) call.hangup('test done');
        });
      }
    });
    await call.ended;
  }
}

test('the simulator dials, sends DTMF the box hears, hears the greeting, records both sides and hangs up', async () => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '1' });
  const dir = tempDir();
  try {
    const digits: string[] = [];
    box.appliance.on('dtmf', (e) => digits.push(e.digit));
    const recordPath = join(dir.path, 'call.wav');
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'PCMU',
      log,
      recordPath,
      script: scriptSchema.parse({ from: '+12035550123', turns: [{ wait_ms: 1500 }, { dtmf: '7' }, { wait_ms: 1500 }, { hangup: true }] }),
    });
    assert.equal(result.connected, true);
    assert.ok((result.answered_after_ms ?? 0) >= 1000, `answered after ${result.answered_after_ms} ms`);
    assert.equal(result.dtmf_sent, '7');
    assert.deepEqual(digits, ['7']);
    assert.equal(result.hangup_by, 'caller');
    assert.ok(result.box_speech.length >= 1 && (result.box_speech[0]?.start_ms ?? 9999) < 1500, JSON.stringify(result.box_speech));
    assert.ok(existsSync(recordPath));
    const wav = readWav(readFileSync(recordPath));
    assert.equal(wav.channels, 2);
    const { calls } = await box.api<{ calls: { caller: { phone: string }; codec: string }[] }>('/api/calls');
    assert.equal(calls[0]?.caller.phone, '+12035550123');
    assert.equal(calls[0]?.codec, 'PCMU/8000');
  } finally {
    dir.remove();
    await box.stop();
  }
});

test('the simulator speaks with flite over L16, measures reply latency per turn, and sees the box hang up', async () => {
  const replier = new ToneReplier();
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, undefined, replier);
  try {
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log,
      script: scriptSchema.parse({ turns: [{ say: 'I would like to book a facial.' }, { say: 'Tuesday afternoon please.' }, { wait_ms: 5000 }] }),
    });
    assert.equal(result.connected, true);
    assert.equal(result.turns.length, 2);
    for (const t of result.turns) {
      assert.ok(t.latency_ms !== null, `a reply was heard for "${t.say}"`);
      // The replier waits 300 ms of silence, then plays: the reply comes after that, not before.
      assert.ok(t.latency_ms >= 250 && t.latency_ms < 2000, `latency ${t.latency_ms} ms`);
    }
    assert.equal(result.hangup_by, 'box');
    assert.equal(replier.replies, 2);
    const { calls } = await box.api<{ calls: { codec: string; endReason: string }[] }>('/api/calls');
    assert.equal(calls[0]?.codec, 'L16/16000');
    assert.equal(calls[0]?.endReason, 'test done');
  } finally {
    await box.stop();
  }
});
