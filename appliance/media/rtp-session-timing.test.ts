// The box's sending side observed by a plain UDP socket acting as the phone: packet cadence and
// how fast clear() silences playback. The session runs on a FakeClock: each 20 ms step ticks it
// and the packet that tick sent is awaited at the phone, so cadence is counted in clock time, not
// measured on a loaded machine (real-time pacing figures are the rtp-pacing benchmark's job).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { untilDelivered } from '../../test/helpers/until.js';
import { decodeUlaw } from './g711.js';
import { PortAllocator } from './port-allocator.js';
import { parseRtp, type RtpPacket } from './rtp-packet.js';
import { RtpSession } from './rtp-session.js';
import { answerOffer } from './sdp-negotiate.js';
import { sineWave } from './tone.js';

const log = createLogger({ level: 'silent' });
const ports = new PortAllocator({ min: 42100, max: 42199 });

/** A phone that only listens: every RTP packet that arrives, in order. */
async function phone(): Promise<{ socket: Socket; port: number; arrivals: RtpPacket[] }> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const arrivals: RtpPacket[] = [];
  socket.on('message', (msg) => {
    const packet = parseRtp(msg);
    if (packet) arrivals.push(packet);
  });
  return { socket, port: socket.address().port, arrivals };
}

interface Rig {
  box: RtpSession;
  clock: FakeClock;
  arrivals: RtpPacket[];
  /** Moves the clock `ms` (one frame by default) and waits until every packet sent so far reached the phone. */
  step: (ms?: number) => Promise<void>;
  /** Steps 20 ms at a time until `cond` holds; fails naming `what` after `maxMs` of clock time. */
  run: (cond: () => boolean, what: string, maxMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

async function boxCalling(): Promise<Rig> {
  const ph = await phone();
  const clock = new FakeClock();
  const box = new RtpSession({ ports, log, clock, config: { bindAddress: '127.0.0.1' } });
  await box.start();
  const offer = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${ph.port} RTP/AVP 0`, ''].join('\r\n');
  box.configure(answerOffer(offer, { address: '127.0.0.1', rtpPort: box.localPort }, { sessionId: '7' }).media);
  const landed = (): Promise<void> => untilDelivered(() => ph.arrivals.length >= box.stats().sender.packets, 'RTP at the phone');
  const step = async (ms = 20): Promise<void> => {
    clock.advance(ms);
    await landed();
  };
  const run = async (cond: () => boolean, what: string, maxMs = 5000): Promise<void> => {
    for (let elapsed = 0; !cond(); elapsed += 20) {
      if (elapsed >= maxMs) throw new Error(`${what}: not within ${maxMs} ms of clock time`);
      await step();
    }
  };
  const stop = async (): Promise<void> => {
    await box.stop();
    ph.socket.close();
  };
  return { box, clock, arrivals: ph.arrivals, step, run, stop };
}

/** A frame of tone (not silence, not the filter tail after it): most samples are loud. */
function isTone(p: RtpPacket): boolean {
  const pcm = decodeUlaw(p.payload);
  let loud = 0;
  for (const s of pcm) if (Math.abs(s) > 1000) loud++;
  return loud > pcm.length / 2;
}

test('one packet per 20 ms of clock time, 150 in 3 s even across a 100 ms stall, with consecutive sequence numbers and timestamps, silence included', async () => {
  const { box, clock, arrivals, step, stop } = await boxCalling();
  try {
    // The tick at start() ran before configure(): nothing to send yet. Each 20 ms sends one packet.
    for (let i = 1; i <= 50; i++) {
      await step();
      assert.equal(box.stats().sender.packets, i, `one packet per frame (frame ${i})`);
    }
    // A stalled event loop: the drift-free schedule catches the 5 frames up at once, keeping the rate.
    clock.block(100);
    await step(0);
    assert.equal(box.stats().sender.packets, 55, 'the 5 overdue frames are sent at once');
    while (clock.monotonic() < 3000) await step();
    assert.equal(box.stats().sender.packets, 150, '50 a second of clock time');
    assert.equal(arrivals.length, 150);
    arrivals.slice(1).forEach((packet, i) => {
      const prev = arrivals[i];
      assert.equal(packet.sequenceNumber, ((prev?.sequenceNumber ?? 0) + 1) & 0xffff);
      assert.equal(packet.timestamp, ((prev?.timestamp ?? 0) + 160) >>> 0);
      assert.equal(packet.ssrc, box.ssrc);
      assert.equal(packet.payloadType, 0);
      assert.equal(packet.payload.length, 160);
    });
    assert.equal(arrivals[0]?.marker, true, 'marker on the first packet');
  } finally {
    await stop();
  }
});

test('the marker bit is set on the first packet of a talkspurt', async () => {
  const { box, arrivals, run, stop } = await boxCalling();
  try {
    await run(() => arrivals.length >= 3, 'silence');
    const h = box.play(sineWave(1000, 16000, 3200));
    let done = false;
    void h.done.then(() => (done = true));
    await run(() => done, 'playback');
    const after = arrivals.length + 2;
    await run(() => arrivals.length >= after, 'packets after the tone');
    const firstTone = arrivals.findIndex((p) => isTone(p));
    assert.ok(firstTone > 0);
    assert.equal(arrivals[firstTone]?.marker, true);
    assert.equal(arrivals.filter((p) => p.marker).length, 2, 'stream start and talkspurt start only');
  } finally {
    await stop();
  }
});

test('clear() silences playback within one frame and reports exactly the audio that was sent', async () => {
  const { box, arrivals, run, stop } = await boxCalling();
  try {
    const h = box.play(sineWave(1000, 16000, 16000 * 10));
    const tones = (): number => arrivals.filter((p) => isTone(p)).length;
    await run(() => tones() >= 10, 'tone packets');
    const toneBeforeClear = tones();
    box.clear();
    const result = await h.done;
    assert.equal(result.interrupted, true);
    const after = arrivals.length + 10;
    await run(() => arrivals.length >= after, 'packets after clear()');
    const tone = tones();
    assert.ok(tone - toneBeforeClear <= 1, `${tone - toneBeforeClear} tone packets after clear()`);
    assert.equal(result.playedMs, tone * 20, 'playedMs is what went out');
    const last = arrivals.slice(-8);
    assert.ok(last.every((p) => p.payload.every((b) => b === 0xff)), 'comfort silence after clear()');
  } finally {
    await stop();
  }
});
