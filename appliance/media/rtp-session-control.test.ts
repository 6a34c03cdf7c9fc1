// RtpSession behaviour that depends on time or on where packets come from, driven by a manual
// clock: the RTP timeout and its pause during hold, symmetric RTP latching, port-pair selection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { untilDelivered } from '../../test/helpers/until.js';
import { PortAllocator } from './port-allocator.js';
import { parseRtp, serializeRtp } from './rtp-packet.js';
import { RtpSession } from './rtp-session.js';
import { answerOffer, type NegotiatedMedia } from './sdp-negotiate.js';
import { encodeUlaw } from './g711.js';
import { planDtmfPackets } from './telephone-event.js';

const log = createLogger({ level: 'silent' });

async function udp(port = 0): Promise<Socket> {
  const s = createSocket('udp4');
  s.bind(port, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

function mediaFor(phonePort: number, boxPort: number): NegotiatedMedia {
  const offer = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${phonePort} RTP/AVP 0 101`, 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');
  return answerOffer(offer, { address: '127.0.0.1', rtpPort: boxPort }, { sessionId: '1' }).media;
}

function send(from: Socket, toPort: number, packet: Buffer): void {
  from.send(packet, toPort, '127.0.0.1');
}

const audioPacket = (seq: number, ssrc = 0x1111): Buffer =>
  serializeRtp({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc, payload: Buffer.alloc(160, 0xff) });

test('the RTP timeout fires after timeoutMs without packets, re-arms when RTP comes, and is paused while on hold', async () => {
  const clock = new FakeClock();
  const box = new RtpSession({ ports: new PortAllocator({ min: 42200, max: 42239 }), log, clock, config: { bindAddress: '127.0.0.1', timeoutMs: 200 } });
  const phone = await udp();
  await box.start();
  try {
    const media = mediaFor(phone.address().port, box.localPort);
    box.configure(media);
    let timeouts = 0;
    box.on('timeout', () => timeouts++);
    clock.advance(190);
    assert.equal(timeouts, 0);
    clock.advance(20);
    assert.equal(timeouts, 1);
    clock.advance(1000);
    assert.equal(timeouts, 1, 'fires once per silence');
    const latched = once(box, 'latched');
    send(phone, box.localPort, audioPacket(1));
    await latched;
    clock.advance(190);
    assert.equal(timeouts, 1, 're-armed by RTP');
    box.configure({ ...media, direction: 'recvonly', remoteDirection: 'sendonly' }); // caller put us on hold
    clock.advance(2000);
    assert.equal(timeouts, 1, 'no timeout during hold');
    box.configure(media); // resumed: the wait starts again
    clock.advance(190);
    assert.equal(timeouts, 1);
    clock.advance(20);
    assert.equal(timeouts, 2);
  } finally {
    await box.stop();
    phone.close();
  }
});

test('by default RTP and RTCP are taken only from the SDP address and port: a stranger first, or the same host on another port, is ignored and never sent to', { timeout: 10_000 }, async () => {
  const clock = new FakeClock();
  const box = new RtpSession({ ports: new PortAllocator({ min: 42440, max: 42479 }), log, clock, config: { bindAddress: '127.0.0.1' } });
  const phone = await udp(); // the address and port in the SDP
  const otherPort = await udp(); // the phone's host, another port
  const stranger = await udp();
  await box.start();
  try {
    box.configure(mediaFor(phone.address().port, box.localPort));
    const heard: string[] = [];
    box.on('dtmf', (d) => heard.push(d.digit));
    const latched: unknown[] = [];
    box.on('latched', (s) => latched.push(s));
    // Before the phone says anything, a stranger and the other port send audio and a digit.
    send(stranger, box.localPort, audioPacket(1, 0x2222));
    send(otherPort, box.localPort, audioPacket(1, 0x1111));
    for (const p of planDtmfPackets('9', { clockRate: 8000 })) {
      send(stranger, box.localPort, serializeRtp({ payloadType: 101, sequenceNumber: 2, timestamp: 320, ssrc: 0x2222, marker: p.marker, payload: p.payload }));
    }
    send(stranger, box.localPort + 1, Buffer.from([0x81, 0xcb, 0x00, 0x01, 0x00, 0x00, 0x22, 0x22])); // an RTCP BYE
    // Then the phone's digit: the only one heard.
    const digit = once(box, 'dtmf');
    for (const p of planDtmfPackets('5', { clockRate: 8000 })) {
      send(phone, box.localPort, serializeRtp({ payloadType: 101, sequenceNumber: 3, timestamp: 480, ssrc: 0x1111, marker: p.marker, payload: p.payload }));
    }
    await digit;
    assert.deepEqual(heard, ['5']);
    assert.equal(box.counters.rtpForeign, 2 + planDtmfPackets('9', { clockRate: 8000 }).length);
    await untilDelivered(() => box.counters.rtcpForeign + box.counters.rtcpReceived === 1, 'the RTCP packet'); // the RTCP socket has its own queue
    assert.equal(box.counters.rtcpForeign, 1, "the stranger's RTCP BYE was not taken");
    assert.equal(box.counters.rtcpByes, 0);
    assert.equal(latched.length, 1, 'only the phone latched');
    assert.deepEqual(box.remote, { address: '127.0.0.1', port: phone.address().port });
    // Our audio goes to the SDP's port, never to the stranger or the other port.
    const toPhone = once(phone, 'message');
    let strayed = 0;
    for (const s of [stranger, otherPort]) s.on('message', () => strayed++);
    clock.advance(20);
    await toPhone;
    clock.advance(2000); // well past any relatch delay
    const foreign = box.counters.rtpForeign;
    send(stranger, box.localPort, audioPacket(4, 0x2222));
    await untilDelivered(() => box.counters.rtpForeign === foreign + 1, 'the foreign RTP packet');
    assert.deepEqual(box.remote, { address: '127.0.0.1', port: phone.address().port }, 'a stranger cannot take over after silence');
    const last = once(phone, 'message');
    clock.advance(20);
    await last;
    assert.equal(strayed, 0);
  } finally {
    await box.stop();
    for (const s of [phone, otherPort, stranger]) s.close();
  }
});

test('NAT latching: the box latches to where packets really come from (the SDP host, another port), and ignores other sources afterwards', async () => {
  const clock = new FakeClock();
  const box = new RtpSession({ ports: new PortAllocator({ min: 42240, max: 42279 }), log, clock, config: { bindAddress: '127.0.0.1', natLatching: true } });
  const sdpPhone = await udp(); // the address in the SDP
  const natted = await udp(); // where the phone's packets really come from
  const stranger = await udp();
  await box.start();
  try {
    box.configure(mediaFor(sdpPhone.address().port, box.localPort));
    const toSdp = once(sdpPhone, 'message');
    clock.advance(20);
    const [first] = (await toSdp) as [Buffer];
    assert.ok(parseRtp(first), 'before latching, RTP goes to the SDP address');
    const latched = once(box, 'latched');
    send(natted, box.localPort, audioPacket(1));
    const [source] = (await latched) as [{ port: number }];
    assert.equal(source.port, natted.address().port);
    const toNat = once(natted, 'message');
    clock.advance(20);
    await toNat;
    assert.deepEqual(box.remote, { address: '127.0.0.1', port: natted.address().port });
    // A stranger's packet, then a digit from the latched source: only the digit counts.
    const digit = once(box, 'dtmf');
    send(stranger, box.localPort, audioPacket(2, 0x2222));
    for (const p of planDtmfPackets('5', { clockRate: 8000 })) {
      send(natted, box.localPort, serializeRtp({ payloadType: 101, sequenceNumber: 3, timestamp: 480, ssrc: 0x1111, marker: p.marker, payload: p.payload }));
    }
    const [d] = (await digit) as [{ digit: string }];
    assert.equal(d.digit, '5');
    assert.equal(box.counters.rtpForeign, 1);
    assert.equal(box.remote?.port, natted.address().port);
    // Garbage is counted, not fatal.
    const more = once(box, 'dtmf');
    send(stranger, box.localPort, Buffer.from('not rtp at all'));
    for (const p of planDtmfPackets('6', { clockRate: 8000 })) {
      send(natted, box.localPort, serializeRtp({ payloadType: 101, sequenceNumber: 4, timestamp: 1600, ssrc: 0x1111, marker: p.marker, payload: p.payload }));
    }
    await more;
    assert.equal(box.counters.rtpInvalid, 1);
  } finally {
    await box.stop();
    for (const s of [sdpPhone, natted, stranger]) s.close();
  }
});

test('a taken port makes the session bind the next even/odd pair; no free pair is a typed, retryable error', async () => {
  const blocker = await udp(42281); // the RTCP port of the first pair
  const ports = new PortAllocator({ min: 42280, max: 42289 });
  const box = new RtpSession({ ports, log, clock: new FakeClock(), config: { bindAddress: '127.0.0.1' } });
  try {
    await box.start();
    assert.ok(box.localPort > 42280 && box.localPort % 2 === 0, `bound ${box.localPort}`);
    const none = new RtpSession({ ports: new PortAllocator({ min: 42280, max: 42281 }), log, clock: new FakeClock(), config: { bindAddress: '127.0.0.1' } });
    await assert.rejects(none.start(), (e: unknown) => (e as { code?: string; retryable?: boolean; sipStatus?: number }).code === 'SPA_ERR_RTP_PORTS_EXHAUSTED' && (e as { retryable: boolean }).retryable && (e as { sipStatus: number }).sipStatus === 503);
  } finally {
    await box.stop();
    blocker.close();
  }
});

/** A PCMU packet whose 160 samples all carry `level` (so frames can be told apart). */
const levelPacket = (seq: number, level: number): Buffer =>
  serializeRtp({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 0x2222, payload: encodeUlaw(new Int16Array(160).fill(level)) });

/** Received frames as [status, the level sent that the frame's last sample is within 250 of, or -1]. */
function frames(box: RtpSession): [string, number][] {
  const out: [string, number][] = [];
  const levels = [1000, 2000, 3000, 4000, 5000, 6000];
  const heard = (sample: number): number => levels.find((l) => Math.abs(l - sample) < 250) ?? -1;
  box.on('audio', (frame, status) => out.push([status, heard(frame[frame.length - 1] ?? 0)]));
  return out;
}

async function eagerBox(range: { min: number; max: number }): Promise<{ box: RtpSession; clock: FakeClock; phone: Socket; got: [string, number][]; sendAndSettle: (...packets: Buffer[]) => Promise<void> }> {
  const clock = new FakeClock();
  const box = new RtpSession({ ports: new PortAllocator(range), log, clock, config: { bindAddress: '127.0.0.1', receive: 'eager', jitter: { prefillMs: 0 } } });
  const phone = await udp();
  await box.start();
  box.configure(mediaFor(phone.address().port, box.localPort));
  const got = frames(box);
  let received = 0;
  const sendAndSettle = async (...packets: Buffer[]): Promise<void> => {
    for (const p of packets) {
      const arrived = new Promise<void>((resolve) => box.once('packet', () => resolve()));
      send(phone, box.localPort, p);
      await arrived;
      received++;
    }
    assert.equal(box.counters.rtpReceived, received);
  };
  return { box, clock, phone, got, sendAndSettle };
}

test("eager receive: each frame is handed out as its packet arrives, without waiting for a tick; 'paced' waits for ticks", async () => {
  const { box, clock, phone, got, sendAndSettle } = await eagerBox({ min: 42400, max: 42419 });
  const paced = new RtpSession({ ports: new PortAllocator({ min: 42420, max: 42439 }), log, clock, config: { bindAddress: '127.0.0.1', jitter: { prefillMs: 0 } } });
  await paced.start();
  try {
    paced.configure(mediaFor(phone.address().port, paced.localPort));
    const pacedGot = frames(paced);
    const pacedArrived = new Promise<void>((resolve) => paced.once('packet', () => resolve()));
    send(phone, paced.localPort, levelPacket(1, 1000));
    await pacedArrived;
    await sendAndSettle(levelPacket(1, 1000), levelPacket(2, 2000), levelPacket(3, 3000));
    assert.deepEqual(got, [['audio', 1000], ['audio', 2000], ['audio', 3000]], 'no tick has run: the clock never moved');
    assert.deepEqual(pacedGot, []);
    clock.advance(20);
    assert.deepEqual(pacedGot, [['audio', 1000]]);
    assert.equal(got.length, 3, 'the tick gives nothing more: no frame is overdue');
  } finally {
    await box.stop();
    await paced.stop();
    phone.close();
  }
});

test('eager receive: reordered packets come out in order; a lost one is concealed once two later packets are in', async () => {
  const { box, phone, got, sendAndSettle } = await eagerBox({ min: 42440, max: 42459 });
  try {
    await sendAndSettle(levelPacket(1, 1000), levelPacket(3, 3000));
    assert.deepEqual(got, [['audio', 1000]], '3 waits for 2');
    await sendAndSettle(levelPacket(2, 2000));
    assert.deepEqual(got.slice(1), [['audio', 2000], ['audio', 3000]]);
    await sendAndSettle(levelPacket(5, 5000));
    assert.equal(got.length, 3, '4 may still come');
    await sendAndSettle(levelPacket(6, 6000));
    assert.deepEqual(got.slice(3).map(([s]) => s), ['concealed', 'audio', 'audio']);
    assert.deepEqual(got.slice(4), [['audio', 5000], ['audio', 6000]]);
    await sendAndSettle(levelPacket(4, 4000));
    assert.equal(got.length, 6, 'too late: dropped, not played out of order');
  } finally {
    await box.stop();
    phone.close();
  }
});

test('eager receive: ticks hand out silence while no packets come, and conceal a frame two ticks overdue', async () => {
  const { box, clock, phone, got, sendAndSettle } = await eagerBox({ min: 42460, max: 42479 });
  try {
    clock.advance(100); // ticks at 20, 40, 60, 80, 100 (the one at 0 ran in start())
    assert.deepEqual(got.map(([s]) => s), ['silence', 'silence', 'silence', 'silence', 'silence']);
    got.length = 0;
    await sendAndSettle(levelPacket(1, 1000));
    assert.deepEqual(got, [['audio', 1000]]);
    clock.advance(40);
    assert.equal(got.length, 1, 'packet 2 may be a little late');
    clock.advance(20);
    assert.deepEqual(got.slice(1).map(([s]) => s), ['concealed']);
    await sendAndSettle(levelPacket(3, 3000));
    assert.deepEqual(got.slice(2), [['audio', 3000]], 'the stream goes on from the next packet');
  } finally {
    await box.stop();
    phone.close();
  }
});
