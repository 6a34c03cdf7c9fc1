import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sipRequest, SDP } from './sip-fixtures.js';
import { TcpFramer, type FramerEvent } from './tcp-framer.js';

const messages = (events: FramerEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'message' ? [e.bytes.toString('utf8')] : []));

describe('TcpFramer', () => {
  const invite = sipRequest({ method: 'INVITE', body: SDP });
  const bye = sipRequest({ method: 'BYE', cseq: 2, toTag: 'to-1' });

  test('a message delivered one byte at a time comes out once, whole, after its last body byte', () => {
    const framer = new TcpFramer();
    const bytes = Buffer.from(invite);
    const out: FramerEvent[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const events = framer.push(bytes.subarray(i, i + 1));
      if (i < bytes.length - 1) assert.equal(events.length, 0, `nothing before the end (byte ${i})`);
      out.push(...events);
    }
    assert.deepEqual(messages(out), [invite]);
    assert.equal(framer.buffered, 0);
  });

  test('two messages in one chunk come out as two, and a trailing partial one waits', () => {
    const framer = new TcpFramer();
    const third = Buffer.from(invite);
    const chunk = Buffer.concat([Buffer.from(invite + bye), third.subarray(0, 40)]);
    assert.deepEqual(messages(framer.push(chunk)), [invite, bye]);
    assert.deepEqual(messages(framer.push(third.subarray(40))), [invite]);
  });

  test('a split inside the CRLFCRLF that ends the headers and inside the body is handled', () => {
    const framer = new TcpFramer();
    const cut1 = invite.indexOf('\r\n\r\n') + 2;
    const cut2 = cut1 + 10;
    assert.deepEqual(messages(framer.push(Buffer.from(invite.slice(0, cut1)))), []);
    assert.deepEqual(messages(framer.push(Buffer.from(invite.slice(cut1, cut2)))), []);
    assert.deepEqual(messages(framer.push(Buffer.from(invite.slice(cut2)))), [invite]);
  });

  test('Content-Length counts bytes, not characters (UTF-8 body)', () => {
    const body = 'v=0\r\ns=Séance ☎\r\n';
    const message = sipRequest({ method: 'MESSAGE', body, contentLength: Buffer.byteLength(body) });
    assert.deepEqual(messages(new TcpFramer().push(Buffer.from(message + bye))), [message, bye]);
  });

  test('the compact form l: is understood', () => {
    const message = sipRequest({ method: 'OPTIONS', contentLength: null, extra: ['l: 0'] });
    assert.deepEqual(messages(new TcpFramer().push(Buffer.from(message))), [message]);
  });

  test('a CRLFCRLF keep-alive is a ping; stray CRLFs between messages are skipped', () => {
    const framer = new TcpFramer();
    const events = framer.push(Buffer.from(`\r\n\r\n${bye}\r\n${bye}`));
    assert.deepEqual(
      events.map((e) => e.kind),
      ['ping', 'message', 'message'],
    );
    assert.deepEqual(framer.push(Buffer.from('\r\n')), [], 'a lone CRLF waits: it may be half a ping');
    assert.deepEqual(
      framer.push(Buffer.from('\r\n')).map((e) => e.kind),
      ['ping'],
    );
  });

  test('a missing Content-Length is an error that ends the stream', () => {
    const framer = new TcpFramer();
    const events = framer.push(Buffer.from(sipRequest({ method: 'OPTIONS', contentLength: null }) + bye));
    assert.deepEqual(events, [{ kind: 'error', reason: 'missing-content-length' }]);
    assert.deepEqual(framer.push(Buffer.from(bye)), [], 'nothing more after an error');
  });

  test('bad and conflicting Content-Lengths are errors', () => {
    const bad = sipRequest({ method: 'OPTIONS', contentLength: null, extra: ['Content-Length: -1'] });
    assert.deepEqual(new TcpFramer().push(Buffer.from(bad)), [{ kind: 'error', reason: 'bad-content-length' }]);
    const two = sipRequest({ method: 'OPTIONS', extra: ['l: 5'] });
    assert.deepEqual(new TcpFramer().push(Buffer.from(two)), [{ kind: 'error', reason: 'conflicting-content-length' }]);
  });

  test('a message over 64 KB, or headers that never end, are errors', () => {
    const big = sipRequest({ method: 'MESSAGE', contentLength: 70_000 });
    assert.deepEqual(new TcpFramer().push(Buffer.from(big)), [{ kind: 'error', reason: 'oversized' }]);
    const framer = new TcpFramer();
    const endless = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${'X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(3000)}`);
    assert.deepEqual(framer.push(endless), [{ kind: 'error', reason: 'oversized' }]);
  });
});
