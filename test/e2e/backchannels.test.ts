// End to end: a caller who says "okay" while the box talks (a backchannel) does not stop it and
// makes no turn of it; the simulator talks over the box's reply over L16 to the whole appliance
// (pocketsphinx + flite + energy VAD, stand-in agent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../appliance/log.js';
import { startAppliance } from '../helpers/appliance.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';

const log = createLogger({ level: 'silent' });

interface CallDetail {
  call: { turns: { input: string; caller: string; reply: string; interrupted: boolean }[] };
}

// Known gap (todo): with the fallback pocketsphinx, flite's "okay" over the box is heard as "hair a"
// by the turn's open grammar, so the box stops; the unit tests prove the policy with a scripted ASR.
test('"okay" said over the box\'s reply does not stop it and is not taken as a turn', { todo: 'pocketsphinx mishears short backchannels over the box (flite "okay" -> "hair a")' }, async (t) => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' });
  try {
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log,
      script: scriptSchema.parse({
        turns: [{ say: 'Do you have anything on Friday morning' }, { say: 'okay', barge_in_after_ms: 500 }, { wait_ms: 4000 }, { hangup: true }],
      }),
    });
    assert.equal(result.connected, true);
    const { calls } = await box.api<{ calls: { id: number }[] }>('/api/calls');
    const detail = await box.api<CallDetail>(`/api/calls/${calls[0]?.id}`);
    const speech = detail.call.turns.filter((x) => x.input === 'speech');
    t.diagnostic(`turns: ${JSON.stringify(detail.call.turns.map((x) => [x.input, x.caller, x.interrupted]))}`);
    assert.equal(speech.length, 1, 'the backchannel made no turn');
    assert.match(speech[0]?.reply ?? '', /^I heard: /);
    assert.equal(speech[0]?.interrupted, false, 'the reply played to its end');
  } finally {
    await box.stop();
  }
});
