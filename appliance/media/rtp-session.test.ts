// Two RtpSessions on 127.0.0.1, one playing the far end (the caller's phone), negotiated through
// createOffer/answerOffer/readAnswer as a real call would be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createLogger } from '../log.js';
import type { CodecName } from './codecs.js';
import { PortAllocator } from './port-allocator.js';
import { RtpSession } from './rtp-session.js';
import { answerOffer, createOffer, readAnswer } from './sdp-negotiate.js';
import { dominantFrequency, sineWave, toneShare } from './tone.js';
import type { RtcpPacket } from './rtcp.js';
import type { ReceivedDigit } from './telephone-event.js';

const log = createLogger({ level: 'silent' });
const ports = new PortAllocator({ min: 42000, max: 42099 });

/** Fails the test instead of hanging when `p` does not settle in time. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

async function call(codecs: CodecName[], rtcpIntervalMs = 5000): Promise<{ box: RtpSession; far: RtpSession; hangUp: () => Promise<void> }> {
  const box = new RtpSession({ ports, log, config: { bindAddress: '127.0.0.1', rtcpIntervalMs } });
  const far = new RtpSession({ ports, log, config: { bindAddress: '127.0.0.1', rtcpIntervalMs } });
  await box.start();
  await far.start();
  const farCaps = { address: '127.0.0.1', rtpPort: far.localPort, codecs };
  const answer = answerOffer(createOffer(farCaps, { sessionId: '1', sessionVersion: 1 }), { address: '127.0.0.1', rtpPort: box.localPort }, { sessionId: '2' });
  box.configure(answer.media);
  far.configure(readAnswer(answer.sdp, farCaps));
  return { box, far, hangUp: async () => void (await Promise.all([box.stop(), far.stop()])) };
}

/** Collects `count` received frames of real audio (not silence or concealment). */
function collectAudio(session: RtpSession, count: number): Promise<Int16Array> {
  return new Promise((resolve) => {
    const frames: Int16Array[] = [];
    const onAudio = (frame: Int16Array, status: string): void => {
      if (status !== 'audio') return;
      frames.push(frame);
      if (frames.length < count) return;
      session.off('audio', onAudio);
      const out = new Int16Array(count * 320);
      frames.forEach((f, i) => out.set(f, i * 320));
      resolve(out);
    };
    session.on('audio', onAudio);
  });
}

for (const codec of ['PCMU', 'PCMA', 'L16/16000'] as const) {
  test(`a 1 kHz tone played by the far end over ${codec} arrives at the box as 16 kHz audio at 1 kHz`, async () => {
    const { box, far, hangUp } = await call([codec]);
    try {
      assert.equal(box.negotiated?.codec, codec);
      const received = collectAudio(box, 25);
      const playback = far.play(sineWave(1000, 16000, 16000, 8000));
      const audio = (await within(received, 5000, 'tone frames')).subarray(640); // skip the talkspurt start
      assert.equal(dominantFrequency(audio, 16000), 1000);
      assert.ok(toneShare(audio, 16000, 1000) > 0.9, 'energy concentrated at 1 kHz');
      far.clear();
      assert.equal((await playback.done).interrupted, true);
    } finally {
      await hangUp();
    }
  });
}

test('DTMF sent by one session is reported once per digit, with its duration, by the other', async () => {
  const { box, far, hangUp } = await call(['PCMU']);
  try {
    const digits: ReceivedDigit[] = [];
    const all = new Promise<void>((resolve) =>
      box.on('dtmf', (d) => {
        digits.push(d);
        if (digits.length === 3) resolve();
      }),
    );
    await within(far.sendDtmf('1#9', { durationMs: 100 }), 5000, 'sendDtmf');
    await within(all, 3000, 'three digits');
    assert.deepEqual(digits.map((d) => [d.digit, d.durationMs, d.ended]), [['1', 100, true], ['#', 100, true], ['9', 100, true]]);
    await assert.rejects(far.sendDtmf('x'), RangeError);
  } finally {
    await hangUp();
  }
});

test('sendDtmf without negotiated telephone-event is a typed error', async () => {
  const box = new RtpSession({ ports, log, config: { bindAddress: '127.0.0.1' } });
  await box.start();
  try {
    const media = answerOffer(['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0', ''].join('\r\n'), { address: '127.0.0.1', rtpPort: box.localPort }, { sessionId: '1' }).media;
    box.configure(media);
    await assert.rejects(box.sendDtmf('1'), { code: 'SPA_ERR_DTMF_UNAVAILABLE' });
  } finally {
    await box.stop();
  }
});

test('RTCP: sender reports reach the far end on port + 1, and stop() sends a BYE the far end notes', async () => {
  const { box, far, hangUp } = await call(['PCMU'], 50);
  try {
    const reports = (s: RtpSession): Promise<[RtcpPacket[]]> => once(s, 'rtcp') as Promise<[RtcpPacket[]]>;
    const [[farGot], [boxGot]] = await within(Promise.all([reports(far), reports(box)]), 3000, 'sender reports');
    assert.equal(farGot[0]?.type, 'sr');
    assert.equal(boxGot[0]?.type, 'sr');
    assert.equal(far.counters.rtcpInvalid, 0);
    const bye = once(far, 'rtcpBye');
    await box.stop();
    const [info] = (await within(bye, 2000, 'BYE')) as [{ ssrcs: number[] }];
    assert.deepEqual(info.ssrcs, [box.ssrc]);
  } finally {
    await hangUp();
  }
});

test('stop() resolves pending playbacks as interrupted and returns the port pair to the allocator', async () => {
  const { box, hangUp } = await call(['PCMU']);
  const h = box.play(sineWave(440, 16000, 160000));
  const before = ports.available;
  await hangUp();
  assert.equal((await h.done).interrupted, true);
  assert.equal(ports.available, before + 2);
  assert.throws(() => box.play(new Int16Array(320)), { code: 'SPA_ERR_MEDIA_STATE' });
  await box.stop(); // idempotent
});
