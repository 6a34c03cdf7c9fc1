import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IncomingRequestMessage, IncomingResponseMessage } from 'sip.js/lib/core/index.js';
import { MAX_MESSAGE_BYTES, takeIn, type Intake } from './message-intake.js';
import { SDP, sipRequest, sipResponse } from './sip-fixtures.js';

const SOURCE = { address: '203.0.113.7', port: 40123 };
const take = (text: string | Buffer): Intake => takeIn(typeof text === 'string' ? Buffer.from(text) : text, SOURCE);

function accepted(intake: Intake) {
  assert.equal(intake.kind, 'message', intake.kind === 'malformed' ? intake.reason : intake.kind);
  return intake;
}

describe('takeIn', () => {
  test('a request is parsed by SIP.js with received and rport stamped into its top Via', () => {
    const { message, info } = accepted(take(sipRequest({ via: 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport', body: SDP })));
    assert.ok(message instanceof IncomingRequestMessage);
    assert.equal(message.method, 'INVITE');
    assert.equal(message.body, SDP);
    assert.equal(message.getHeader('via'), 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7');
    assert.equal(message.viaBranch, 'z9hG4bK1');
    assert.equal(info.kind === 'request' && info.method, 'INVITE');
  });

  test('a comma-separated Via list is split into one line per value, so SIP.js keys the transaction on the top branch', () => {
    const request = sipRequest({
      method: 'OPTIONS',
      via: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKtop, SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKlower',
    });
    const { message, info } = accepted(take(request));
    assert.equal(message.viaBranch, 'z9hG4bKtop');
    assert.equal(info.branch, 'z9hG4bKtop');
    assert.deepEqual(message.getHeaders('via'), [
      'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKtop;received=203.0.113.7',
      'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKlower',
    ]);
  });

  test('a Via with a duplicated parameter (two branches) is malformed', () => {
    const request = sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa;branch=z9hG4bKb' });
    assert.deepEqual(take(request), { kind: 'malformed', reason: 'bad-via' });
  });

  test('a response is passed with its Via untouched', () => {
    const request = sipRequest({ via: 'SIP/2.0/UDP 192.168.1.50:5070;branch=z9hG4bK1;rport' });
    const { message } = accepted(take(sipResponse(request, 180)));
    assert.ok(message instanceof IncomingResponseMessage);
    assert.equal(message.statusCode, 180);
    assert.equal(message.getHeader('via'), 'SIP/2.0/UDP 192.168.1.50:5070;branch=z9hG4bK1;rport');
  });

  test('bytes beyond Content-Length are discarded; a body shorter than it is malformed (RFC 3261 18.3)', () => {
    const { message } = accepted(take(sipRequest({ method: 'OPTIONS', body: 'abc', contentLength: 2 })));
    assert.equal(message.body, 'ab');
    assert.deepEqual(take(sipRequest({ method: 'OPTIONS', body: 'abc', contentLength: 9 })), { kind: 'malformed', reason: 'truncated-body' });
  });

  test('over UDP a missing Content-Length means the body runs to the end of the datagram', () => {
    const { message } = accepted(take(sipRequest({ method: 'OPTIONS', body: 'xyz', contentLength: null })));
    assert.equal(message.body, 'xyz');
  });

  test('keep-alives are recognised; oversized, non-UTF-8 and headerless input is malformed', () => {
    assert.deepEqual(take('\r\n\r\n'), { kind: 'keepalive' });
    assert.deepEqual(take(Buffer.alloc(4)), { kind: 'keepalive' });
    assert.deepEqual(take(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x41)), { kind: 'malformed', reason: 'oversized' });
    assert.deepEqual(take(Buffer.from([0x4f, 0x50, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a])), { kind: 'malformed', reason: 'not-utf8' });
    assert.deepEqual(take('OPTIONS sip:a@b SIP/2.0\r\nVia: x'), { kind: 'malformed', reason: 'no-end-of-headers' });
  });

  test('messages missing a mandatory header or with a broken CSeq are malformed', () => {
    const full = sipRequest({ method: 'OPTIONS' });
    for (const [header, reason] of [
      ['Via', 'no-via'],
      ['Call-ID', 'no-call-id'],
      ['From', 'no-from'],
      ['To', 'no-to'],
      ['CSeq', 'bad-cseq'],
    ] as const) {
      const without = full.replace(new RegExp(`\\r\\n${header}: [^\\r]*`), '');
      assert.deepEqual(take(without), { kind: 'malformed', reason }, header);
    }
    assert.deepEqual(take(full.replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE')), { kind: 'malformed', reason: 'cseq-method-mismatch' });
  });

  test('input that makes SIP.js throw (a response with an unparsable CSeq) is dropped, not thrown', () => {
    const text = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: x\r\n\r\n';
    assert.deepEqual(take(text), { kind: 'malformed', reason: 'bad-cseq' });
    const badFrom = sipRequest({ method: 'OPTIONS' }).replace(/From: [^\r]*/, 'From: <<<');
    assert.deepEqual(take(badFrom), { kind: 'malformed', reason: 'rejected-by-sipjs' });
  });
});
