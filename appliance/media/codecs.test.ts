import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createCodec, L16Codec, PcmaCodec, PcmuCodec } from './codecs.js';
import { alawToLinear, decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function allSamples(): Int16Array {
  const pcm = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) pcm[i] = i - 32768;
  return pcm;
}

test('G.711 known vectors: µ-law of 0 is 0xFF, A-law of 0 is 0xD5, full scale maps to the end codes', () => {
  assert.equal(linearToUlaw(0), 0xff);
  assert.equal(linearToUlaw(-1), 0x7f);
  assert.equal(linearToUlaw(32767), 0x80);
  assert.equal(linearToUlaw(-32768), 0x00);
  assert.equal(ulawToLinear(0xff), 0);
  assert.equal(ulawToLinear(0x80), 32124);
  assert.equal(ulawToLinear(0x00), -32124);
  assert.equal(linearToAlaw(0), 0xd5);
  assert.equal(linearToAlaw(-1), 0x55);
  assert.equal(linearToAlaw(32767), 0xaa);
  assert.equal(linearToAlaw(-32768), 0x2a);
  assert.equal(alawToLinear(0xd5), 8);
  assert.equal(alawToLinear(0x55), -8);
  assert.equal(alawToLinear(0xaa), 32256);
  assert.equal(alawToLinear(0x2a), -32256);
});

test('G.711 µ-law treats negative samples by one’s complement as ITU G.191 does (decision boundaries)', () => {
  // G.191 ulaw_compress: absno = (~x >> 2) + 33 for x < 0. Implementations that negate instead
  // (Sun's g711.c, CPython audioop) put these negative decision boundaries one step off.
  assert.equal(linearToUlaw(-31612), 0x01);
  assert.equal(linearToUlaw(-31613), 0x00);
  assert.equal(linearToUlaw(-30588), 0x02);
  assert.equal(linearToUlaw(31611), 0x81);
  assert.equal(linearToUlaw(31612), 0x80);
});

test('G.711 tables for all 65536 samples and 256 codes are bit-exact with the ITU G.191 reference', () => {
  // Golden digests, cross-checked against CPython's audioop (an independent implementation): A-law
  // encoding and both decoding tables are identical; audioop's µ-law negates negative samples where
  // G.191 takes the one's complement, and with that accounted for (G.191(x) = audioop(x + 4) for
  // x < -4, 0x7F for -4..-1) the µ-law table is identical too.
  const pcm = allSamples();
  assert.equal(sha256(encodeUlaw(pcm)), '90c29de505fb68e766118303bd552a16005dcf810873698bee1d8f3b247ce28c');
  assert.equal(sha256(encodeAlaw(pcm)), '38488f6fd710f4686360edc4d38639f96c491595ef93f8eb8d62d5e07ca6ce7b');
  const codes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const le = (a: Int16Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  assert.equal(sha256(le(decodeUlaw(codes))), '3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827');
  assert.equal(sha256(le(decodeAlaw(codes))), 'e04788d110e58ff8c70c93b8480190d973e3b67876b6119abbaec766cc75c174');
});

test('G.711 round trip: every code decodes and re-encodes to itself (except µ-law negative zero) and the error stays within half a step', () => {
  for (let c = 0; c < 256; c++) {
    assert.equal(linearToAlaw(alawToLinear(c)), c, `A-law code ${c}`);
    if (c !== 0x7f) assert.equal(linearToUlaw(ulawToLinear(c)), c, `µ-law code ${c}`);
  }
  const pcm = allSamples();
  const u = decodeUlaw(encodeUlaw(pcm));
  const a = decodeAlaw(encodeAlaw(pcm));
  for (let i = 0; i < pcm.length; i += 7) {
    const x = pcm[i] ?? 0;
    const mag = Math.abs(x);
    // Step sizes double per segment: at most 1/16 of the magnitude plus the smallest step.
    assert.ok(Math.abs((u[i] ?? 0) - x) <= Math.max(mag / 16, 8) + 4 || mag > 32124, `µ-law ${x} -> ${u[i]}`);
    assert.ok(Math.abs((a[i] ?? 0) - x) <= Math.max(mag / 32, 16) + 8 || mag > 32256, `A-law ${x} -> ${a[i]}`);
  }
});

test('PCMU and PCMA codecs carry static payload types, 8 kHz and 160 samples per 20 ms', () => {
  const u = new PcmuCodec();
  const a = new PcmaCodec();
  assert.deepEqual([u.name, u.payloadType, u.clockRate, u.samplesPerFrame(20)], ['PCMU', 0, 8000, 160]);
  assert.deepEqual([a.name, a.payloadType, a.clockRate, a.samplesPerFrame(20)], ['PCMA', 8, 8000, 160]);
  const pcm = Int16Array.from([0, 1000, -1000, 32767]);
  assert.deepEqual([...u.encode(pcm)], [...encodeUlaw(pcm)]);
  assert.deepEqual([...a.decode(a.encode(pcm))], [...decodeAlaw(encodeAlaw(pcm))]);
});

test('L16 encodes big-endian (network byte order) and decodes back exactly; a stray odd byte is ignored', () => {
  const l16 = createCodec('L16/16000', 97);
  assert.ok(l16 instanceof L16Codec);
  assert.equal(l16.payloadType, 97);
  assert.equal(l16.clockRate, 16000);
  assert.equal(l16.samplesPerFrame(20), 320);
  const pcm = Int16Array.from([0x0102, -2, 32767, -32768]);
  const wire = l16.encode(pcm);
  assert.deepEqual([...wire], [0x01, 0x02, 0xff, 0xfe, 0x7f, 0xff, 0x80, 0x00]);
  assert.deepEqual([...l16.decode(wire)], [...pcm]);
  assert.deepEqual([...l16.decode(Buffer.concat([wire, Buffer.from([0x55])]))], [...pcm]);
});
