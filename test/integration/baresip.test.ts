// Real calls from baresip (Debian's 1.0.0, a full SIP phone) to a whole appliance on loopback:
// each side sends a different tone and the test checks, by frequency, that each side received
// exactly what the other sent, in narrowband PCMU and in wideband L16/16000.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sineWave, toneShare } from '../../appliance/media/index.js';
import type { CallHandler } from '../../appliance/telephony/call-manager.js';
import type { PlaybackResult } from '../../appliance/telephony/call-media.js';
import { startAppliance } from '../helpers/appliance.js';
import { CODEC_RATE, callWithBaresip, concatFrames, toneSpan, type BaresipCodec, type ToneSpan } from '../helpers/baresip.js';

const BOX_RATE = 16000;
const BOX_TONE_MS = 3000;
/** The tone must fill this much of the call on each side (the box plays 3 s, then hangs up). */
const MIN_TONE_MS = 2500;
/** "Most of the energy": the share of the span's energy at the expected frequency. */
const MIN_SHARE = 0.9;

interface CallView {
  codec: string | null;
  outcome: string | null;
  endReason: string;
}

interface Case {
  codec: BaresipCodec;
  /** What the box plays to baresip. */
  boxTone: number;
  /** What baresip sends to the box. */
  phoneTone: number;
  /**
   * baresip's tone source. ausine only runs at 48 kHz stereo, and baresip 1.0.0 mis-sizes its
   * resampled frames for codecs that declare a ptime (L16): it sends 3.3 ms frames, drops a sample
   * in 160 and a 6000 Hz tone arrives as ~6038 Hz with a third of its energy spread (measured in
   * baresip's own encode dump, before the box). A WAV at the codec's rate via aufile needs no
   * resampler, so L16 uses that; PCMU (no codec ptime) is fine with ausine.
   */
  via: 'ausine' | 'aufile';
}

function assertTone(span: ToneSpan, sampleRate: number, expected: number, who: string, context: string): void {
  const tolerance = Math.max(2, expected * 0.002);
  const share = toneShare(span.samples, sampleRate, expected);
  const seen = `${who} heard ${span.frequency} Hz for ${Math.round(span.ms)} ms (rms ${Math.round(span.rms)}, ${(share * 100).toFixed(1)}% of the energy at ${expected} Hz)`;
  assert.ok(span.ms >= MIN_TONE_MS, `${seen}: expected at least ${MIN_TONE_MS} ms of tone${context}`);
  assert.ok(Math.abs(span.frequency - expected) <= tolerance, `${seen}: expected ${expected} ± ${tolerance} Hz${context}`);
  assert.ok(share >= MIN_SHARE, `${seen}: expected at least ${MIN_SHARE * 100}% at ${expected} Hz${context}`);
}

async function toneBothWays(t: TestContext, c: Case): Promise<void> {
  const rate = CODEC_RATE[c.codec];
  const heard: Int16Array[] = [];
  let played: PlaybackResult | undefined;
  const handler: CallHandler = {
    async handle(call) {
      call.media.on('audio', (frame) => heard.push(frame));
      played = await call.media.play(sineWave(c.boxTone, BOX_RATE, (BOX_RATE * BOX_TONE_MS) / 1000));
      call.hangup('test tone played');
    },
  };
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, undefined, handler);
  try {
    const phone = await callWithBaresip({ target: box.sipTarget, codec: c.codec, tone: { freq: c.phoneTone, via: c.via }, timeoutMs: 20_000 });
    const log = `\n--- baresip output ---\n${phone.log}`;
    assert.ok(phone.established, `baresip did not establish the call${log}`);
    assert.ok(phone.terminated && !phone.timedOut, `the call did not end by itself within 20 s${log}`);
    assert.equal(phone.code, 0, `baresip exited with ${phone.code ?? phone.signal}${log}`);
    assert.equal(played?.interrupted, false, 'the box played its whole tone before hanging up');

    // What baresip itself encoded: tells a baresip-side fault from a box-side one in the messages.
    const sent = phone.sent ? toneSpan(phone.sent.samples, phone.sent.sampleRate) : null;
    const sentNote = sent ? `; baresip's own encode dump: ${sent.frequency} Hz for ${Math.round(sent.ms)} ms` : '; baresip wrote no encode dump';

    const boxHeard = toneSpan(concatFrames(heard), BOX_RATE);
    assertTone(boxHeard, BOX_RATE, c.phoneTone, 'the box', `${sentNote}${log}`);

    assert.ok(phone.received, `baresip recorded nothing it received${log}`);
    assert.equal(phone.received.sampleRate, rate, `baresip decoded at ${phone.received.sampleRate} Hz, not the codec's ${rate} Hz${log}`);
    assert.equal(phone.received.channels, 1);
    const phoneHeard = toneSpan(phone.received.samples, rate);
    assertTone(phoneHeard, rate, c.boxTone, 'baresip', log);

    const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
    assert.equal(calls.length, 1, JSON.stringify(calls));
    assert.equal(calls[0]?.codec, c.codec, 'the codec the box logged for the call');
    assert.equal(calls[0]?.outcome, 'ai-handled');

    t.diagnostic(
      `${c.codec}: box heard ${boxHeard.frequency} Hz (sent ${c.phoneTone}) for ${Math.round(boxHeard.ms)} ms, ` +
        `${(toneShare(boxHeard.samples, BOX_RATE, c.phoneTone) * 100).toFixed(2)}% at tone; ` +
        `baresip heard ${phoneHeard.frequency} Hz (sent ${c.boxTone}) for ${Math.round(phoneHeard.ms)} ms, ` +
        `${(toneShare(phoneHeard.samples, rate, c.boxTone) * 100).toFixed(2)}% at tone`,
    );
  } finally {
    await box.stop();
  }
}

test('a baresip call in PCMU: the box hears baresip\'s 600 Hz tone and baresip hears the box\'s 1000 Hz tone, each undistorted', { timeout: 60_000 }, async (t) => {
  await toneBothWays(t, { codec: 'PCMU/8000', boxTone: 1000, phoneTone: 600, via: 'ausine' });
});

test('a baresip call in L16/16000 is wideband both ways: the box hears 6000 Hz and baresip hears 5000 Hz, which narrowband could not carry', { timeout: 60_000 }, async (t) => {
  await toneBothWays(t, { codec: 'L16/16000', boxTone: 5000, phoneTone: 6000, via: 'aufile' });
});
