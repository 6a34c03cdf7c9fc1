// Thousands of malformed SIP messages and garbage RTP at a running appliance: nothing crashes,
// and the next good call still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { once } from 'node:events';
import { startAppliance } from '../helpers/appliance.js';
import { runSipp } from '../helpers/sipp.js';
import { seededRandom } from '../../appliance/shared/random.js';

const GOOD_INVITE = [
  'INVITE sip:reception@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-fuzz-1;rport',
  'From: "Fuzz" <sip:+12035550100@127.0.0.1>;tag=f1',
  'To: <sip:reception@127.0.0.1>',
  'Call-ID: fuzz-1@127.0.0.1',
  'CSeq: 1 INVITE',
  'Contact: <sip:fuzz@127.0.0.1:5099>',
  'Max-Forwards: 70',
  'Content-Type: application/sdp',
  'Content-Length: 97',
  '',
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n',
].join('\r\n');


function mutations(count: number, rnd: () => number): Buffer[] {
  const good = Buffer.from(GOOD_INVITE);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 6;
    if (kind === 0) out.push(Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 1400) }, () => Math.floor(rnd() * 256))));
    else if (kind === 1) out.push(good.subarray(0, Math.floor(rnd() * good.length)));
    else if (kind === 2) {
      const b = Buffer.from(good);
      for (let k = 0; k < 1 + Math.floor(rnd() * 8); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      out.push(b);
    } else if (kind === 3) {
      const lines = GOOD_INVITE.split('\r\n');
      lines.splice(1 + Math.floor(rnd() * 9), 1);
      out.push(Buffer.from(lines.join('\r\n')));
    } else if (kind === 4) {
      out.push(Buffer.from(GOOD_INVITE.replace('Content-Length: 97', `Content-Length: ${Math.floor(rnd() * 100000) - 50}`).replace('fuzz-1@', `fuzz-${i}@`)));
    } else {
      const header = ['Via', 'From', 'To', 'CSeq', 'Call-ID', 'Contact'][Math.floor(rnd() * 6)] as string;
      out.push(Buffer.from(GOOD_INVITE.replace(new RegExp(`^${header}: .*$`, 'm'), `${header}: ${'<'.repeat(Math.floor(rnd() * 3))}\u0000${'x'.repeat(Math.floor(rnd() * 3000))}`)));
    }
  }
  return out;
}

test('thousands of malformed SIP datagrams, TCP garbage and random RTP: no crash, and the next call works', async () => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' });
  const udp = createSocket('udp4');
  try {
    const port = Number(box.sipTarget.split(':')[1]);
    const rnd = seededRandom(20261128);
    const packets = mutations(6000, rnd);
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    for (let i = 0; i < packets.length; i++) {
      udp.send(packets[i] as Buffer, port, '127.0.0.1');
      if (i % 200 === 0) await new Promise((r) => setImmediate(r)); // let the box breathe, as a network would
    }
    // TCP: garbage, an endless header, a lying Content-Length, then close.
    for (const payload of [Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rnd() * 256))), Buffer.from(`INVITE sip:x SIP/2.0\r\n${'X-Long: y\r\n'.repeat(10000)}`), Buffer.from(GOOD_INVITE.replace('Content-Length: 97', 'Content-Length: 99999'))]) {
      const sock = connect(port, '127.0.0.1');
      sock.on('error', () => undefined);
      await once(sock, 'connect');
      sock.end(payload);
      await once(sock, 'close');
    }
    // Garbage RTP into every port of the box's RTP range while a call is up.
    const answered = once(box.appliance, 'callAnswered');
    const call = runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '1500'] });
    await answered;
    const { rtpMin, rtpMax } = box.rtpRange;
    for (let p = rtpMin; p <= rtpMax; p += 2) {
      for (let k = 0; k < 5; k++) {
        const junk = Buffer.from(Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)));
        if (k === 0 && junk.length > 12) junk[0] = 0x80; // looks like RTP v2
        udp.send(junk, p, '127.0.0.1');
      }
    }
    const during = await call;
    assert.equal(during.code, 0, during.errors || during.stderr);

    const health = await box.api<{ db: string; sip: { listening: boolean } }>('/api/health');
    assert.deepEqual([health.db, health.sip.listening], ['ok', true]);
    const after = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '500'] });
    assert.equal(after.code, 0, after.errors || after.stderr);
    const { calls } = await box.api<{ calls: { outcome: string }[] }>('/api/calls');
    assert.ok(calls.filter((c) => c.outcome === 'ai-handled').length >= 2);
  } finally {
    udp.close();
    await box.stop();
  }
});
