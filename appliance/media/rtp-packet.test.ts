import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeRtcp, parseRtp, serializeRtp } from './rtp-packet.js';
import { buildBye, buildReport, parseRtcp } from './rtcp.js';

test('RTP header fields survive serialize -> parse, including CSRCs, an extension and padding', () => {
  const wire = serializeRtp({
    payloadType: 96,
    sequenceNumber: 65535,
    timestamp: 0xfffffff0,
    ssrc: 0xdeadbeef,
    marker: true,
    csrcs: [1, 0xffffffff],
    extension: { profile: 0xbede, data: Buffer.from([1, 2, 3, 4, 5]) },
    paddingLength: 3,
    payload: Buffer.from('hello'),
  });
  assert.equal(wire[0], 0x80 | 0x20 | 0x10 | 2);
  const p = parseRtp(wire);
  assert.ok(p);
  assert.equal(p.marker, true);
  assert.equal(p.payloadType, 96);
  assert.equal(p.sequenceNumber, 65535);
  assert.equal(p.timestamp, 0xfffffff0);
  assert.equal(p.ssrc, 0xdeadbeef);
  assert.deepEqual(p.csrcs, [1, 0xffffffff]);
  assert.equal(p.extension?.profile, 0xbede);
  assert.deepEqual([...(p.extension?.data ?? [])], [1, 2, 3, 4, 5, 0, 0, 0]);
  assert.equal(p.paddingLength, 3);
  assert.equal(p.payload.toString(), 'hello');
});

test('a minimal PCMU packet has the 12-byte header of RFC 3550', () => {
  const wire = serializeRtp({ payloadType: 0, sequenceNumber: 0x1234, timestamp: 160, ssrc: 1, payload: Buffer.alloc(160, 0xff) });
  assert.deepEqual([...wire.subarray(0, 12)], [0x80, 0x00, 0x12, 0x34, 0, 0, 0, 160, 0, 0, 0, 1]);
  assert.equal(wire.length, 172);
});

test('malformed RTP gives null: short, wrong version, truncated CSRC list or extension, bad padding, RTCP types', () => {
  const good = serializeRtp({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: Buffer.alloc(4) });
  assert.equal(parseRtp(good.subarray(0, 11)), null);
  const v1 = Buffer.from(good);
  v1[0] = 0x40;
  assert.equal(parseRtp(v1), null);
  const csrc = Buffer.from(good.subarray(0, 14));
  csrc[0] = 0x80 | 3;
  assert.equal(parseRtp(csrc), null);
  const ext = Buffer.from(good);
  ext[0] = 0x90;
  ext.writeUInt16BE(10, 14);
  assert.equal(parseRtp(ext), null);
  const pad0 = Buffer.from(good);
  pad0[0] = 0xa0;
  pad0[pad0.length - 1] = 0;
  assert.equal(parseRtp(pad0), null);
  const padLong = Buffer.from(good);
  padLong[0] = 0xa0;
  padLong[padLong.length - 1] = 200;
  assert.equal(parseRtp(padLong), null);
  const sr = buildReport({ ssrc: 5, cname: 'x', sender: { wallClockMs: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0 }, reports: [] });
  assert.equal(parseRtp(sr), null);
  assert.equal(looksLikeRtcp(sr), true);
  assert.equal(looksLikeRtcp(good), false);
});

test('thousands of random buffers never make the RTP or RTCP parser throw', () => {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const template = serializeRtp({ payloadType: 8, sequenceNumber: 7, timestamp: 9, ssrc: 11, csrcs: [1], extension: { profile: 1, data: Buffer.alloc(4) }, payload: Buffer.alloc(20) });
  let parsedRtp = 0;
  for (let i = 0; i < 20000; i++) {
    const len = Math.floor(rand() * 80);
    const buf = Buffer.alloc(len);
    for (let j = 0; j < len; j++) buf[j] = Math.floor(rand() * 256);
    if (i % 2 === 0 && len > 0) buf[0] = 0x80 | ((buf[0] ?? 0) & 0x3f); // half of them start like version 2
    if (i % 5 === 0) {
      // mutate a real packet instead
      template.copy(buf, 0, 0, Math.min(len, template.length));
      buf[Math.floor(rand() * Math.max(1, len))] = Math.floor(rand() * 256);
    }
    const p = parseRtp(buf);
    if (p) {
      parsedRtp++;
      assert.ok(p.payload.length >= 0 && p.payload.length <= buf.length);
    }
    parseRtcp(buf);
  }
  assert.ok(parsedRtp > 0, 'some random buffers are valid RTP');
});

test('RTCP sender report with a report block and SDES CNAME round-trips; BYE carries its reason', () => {
  const block = { ssrc: 99, fractionLost: 25, cumulativeLost: -3, extendedHighestSeq: 70000, jitter: 12, lastSr: 0x12345678, delaySinceLastSr: 65536 };
  const sr = buildReport({ ssrc: 7, cname: 'box@spa', sender: { wallClockMs: 1_700_000_000_500, rtpTimestamp: 1234, packetCount: 10, octetCount: 1600 }, reports: [block] });
  assert.equal(sr.length % 4, 0);
  const parsed = parseRtcp(sr);
  assert.ok(parsed);
  const [first, sdes] = parsed;
  assert.equal(first?.type, 'sr');
  if (first?.type === 'sr') {
    assert.equal(first.ssrc, 7);
    assert.equal(first.ntpSeconds, 1_700_000_000 + 2208988800);
    assert.ok(Math.abs(first.ntpFraction / 2 ** 32 - 0.5) < 1e-6);
    assert.deepEqual([first.rtpTimestamp, first.packetCount, first.octetCount], [1234, 10, 1600]);
    assert.deepEqual(first.reports, [block]);
  }
  assert.deepEqual(sdes, { type: 'sdes', chunks: [{ ssrc: 7, cname: 'box@spa' }] });
  const bye = parseRtcp(buildBye({ ssrc: 7, cname: 'c', reason: 'call ended' }));
  assert.deepEqual(bye?.at(-1), { type: 'bye', ssrcs: [7], reason: 'call ended' });
  assert.deepEqual(parseRtcp(buildReport({ ssrc: 1, cname: 'c', sender: undefined, reports: [] }))?.[0], { type: 'rr', ssrc: 1, reports: [] });
});

test('malformed RTCP gives null: truncated length, wrong version, non-RTCP packet type', () => {
  const rr = buildReport({ ssrc: 1, cname: 'abc', sender: undefined, reports: [] });
  assert.equal(parseRtcp(rr.subarray(0, rr.length - 2)), null);
  const v = Buffer.from(rr);
  v[0] = 0x00;
  assert.equal(parseRtcp(v), null);
  const pt = Buffer.from(rr);
  pt[1] = 100;
  assert.equal(parseRtcp(pt), null);
  assert.equal(parseRtcp(Buffer.alloc(0)), null);
});
