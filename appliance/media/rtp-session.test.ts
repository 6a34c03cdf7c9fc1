// Two RtpSessions on 127.0.0.1, one playing the far end (the caller's phone), negotiated through
// createOffer/answerOffer/readAnswer as a real call would be. Both run on one FakeClock: each
// 20 ms step ticks both sessions, then the packets those ticks sent are awaited on the loopback
// sockets, so nothing here waits on real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { untilDelivered } from '../../test/helpers/until.js';
import type { CodecName } from './codecs.js';
import { PortAllocator } from './port-allocator.js';
import { RtpSession } from './rtp-session.js';
import { answerOffer, createOffer, readAnswer } from './sdp-negotiate.js';
import { dominantFrequency, sineWave, toneShare } from './tone.js';
import type { RtcpPacket } from './rtcp.js';
import type { ReceivedDigit } from './telephone-event.js';

const log = createLogger({ level: 'silent' });
const ports = new PortAllocator({ min: 42000, max: 42099 });

/** RTP datagrams that reached `s`, whatever became of them. */
const arrived = (s: RtpSession): number => {
  const c = s.counters;
  return c.rtpReceived + c.rtpEarly + c.rtpForeign + c.rtpUnknownPayloadType + c.rtpInvalid;
};

interface Call {
  box: RtpSession;
  far: RtpSession;
  clock: FakeClock;
  /**
   * Steps the clock 20 ms at a time, each step's RTP awaited on both sides, until `cond` holds;
   * fails naming `what` after `maxMs` of clock time.
   */
  run: (cond: () => boolean, what: string, maxMs?: number) => Promise<void>;
  hangUp: () => Promise<void>;
}

async function call(codecs: CodecName[], rtcpIntervalMs = 5000): Promise<Call> {
  const clock = new FakeClock();
  const box = new RtpSession({ ports, log, clock, config: { bindAddress: '127.0.0.1', rtcpIntervalMs } });
  const far = new RtpSession({ ports, log, clock, config: { bindAddress: '127.0.0.1', rtcpIntervalMs } });
  await box.start();
  await far.start();
  const farCaps = { address: '127.0.0.1', rtpPort: far.localPort, codecs };
  const answer = answerOffer(createOffer(farCaps, { sessionId: '1', sessionVersion: 1 }), { address: '127.0.0.1', rtpPort: box.localPort }, { sessionId: '2' });
  box.configure(answer.media);
  far.configure(readAnswer(answer.sdp, farCaps));
  const run = async (cond: () => boolean, what: string, maxMs = 5000): Promise<void> => {
    for (let elapsed = 0; !cond(); elapsed += 20) {
      if (elapsed >= maxMs) throw new Error(`${what}: not within ${maxMs} ms of clock time`);
      clock.advance(20);
      await untilDelivered(() => arrived(box) >= far.stats().sender.packets && arrived(far) >= box.stats().sender.packets, 'RTP on loopback');
    }
  };
  return { box, far, clock, run, hangUp: async () => void (await Promise.all([box.stop(), far.stop()])) };
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
    const { box, far, run, hangUp } = await call([codec]);
    try {
      assert.equal(box.negotiated?.codec, codec);
      let frames: Int16Array | undefined;
      void collectAudio(box, 25).then((f) => (frames = f));
      const playback = far.play(sineWave(1000, 16000, 16000, 8000));
      await run(() => frames !== undefined, 'tone frames');
      const audio = (frames ?? new Int16Array(0)).subarray(640); // skip the talkspurt start
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
  const { box, far, run, hangUp } = await call(['PCMU']);
  try {
    const digits: ReceivedDigit[] = [];
    box.on('dtmf', (d) => digits.push(d));
    let sent = false;
    void far.sendDtmf('1#9', { durationMs: 100 }).then(() => (sent = true));
    await run(() => sent, 'sendDtmf');
    await run(() => digits.length >= 3, 'three digits', 3000);
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
  const { box, far, run, hangUp } = await call(['PCMU'], 50);
  try {
    let farGot: RtcpPacket[] | undefined;
    let boxGot: RtcpPacket[] | undefined;
    far.once('rtcp', (packets) => (farGot = packets));
    box.once('rtcp', (packets) => (boxGot = packets));
    await run(() => farGot !== undefined && boxGot !== undefined, 'sender reports', 3000);
    assert.equal(farGot?.[0]?.type, 'sr');
    assert.equal(boxGot?.[0]?.type, 'sr');
    assert.equal(far.counters.rtcpInvalid, 0);
    let info: { ssrcs: number[] } | undefined;
    far.once('rtcpBye', (i) => (info = i));
    await box.stop();
    await untilDelivered(() => info !== undefined, 'the RTCP BYE');
    assert.deepEqual(info?.ssrcs, [box.ssrc]);
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
