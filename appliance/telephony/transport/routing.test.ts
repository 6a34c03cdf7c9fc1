import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestInfo } from './message-info.js';
import { planOutgoing, requestTarget, responseTarget } from './routing.js';
import { infoOf, sipRequest, sipResponse } from './sip-fixtures.js';
import { parseVia } from './via.js';

const LOCAL = { address: '192.168.1.50', port: 5070 };

function requestInfo(uri: string, route?: string): RequestInfo {
  const info = infoOf(sipRequest({ method: 'OPTIONS', uri, ...(route ? { route } : {}) }));
  assert.equal(info.kind, 'request');
  return info;
}

describe('responseTarget (RFC 3261 18.2.2, RFC 3581 4)', () => {
  const target = (via: string) => responseTarget(parseVia(via)!);

  test('UDP with received and rport: to received:rport', () => {
    assert.deepEqual(target('SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7'), {
      ok: true,
      value: { protocol: 'UDP', host: '203.0.113.7', port: 40123 },
    });
  });

  test('UDP with received only: to received at the sent-by port', () => {
    assert.deepEqual(target('SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK1;received=203.0.113.7'), {
      ok: true,
      value: { protocol: 'UDP', host: '203.0.113.7', port: 5062 },
    });
  });

  test('no received: to the sent-by host and port, default 5060; IPv6 unbracketed', () => {
    assert.deepEqual(target('SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1'), {
      ok: true,
      value: { protocol: 'UDP', host: '10.0.0.9', port: 5060 },
    });
    assert.deepEqual(target('SIP/2.0/UDP [2001:db8::9]:5999;branch=z9hG4bK1'), {
      ok: true,
      value: { protocol: 'UDP', host: '2001:db8::9', port: 5999 },
    });
  });

  test('TCP ignores rport: a new connection goes to received at the sent-by port', () => {
    assert.deepEqual(target('SIP/2.0/TCP 192.168.1.20:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7'), {
      ok: true,
      value: { protocol: 'TCP', host: '203.0.113.7', port: 5060 },
    });
  });

  test('TLS, WS and SCTP are not supported', () => {
    assert.deepEqual(target('SIP/2.0/TLS 10.0.0.9;branch=z9hG4bK1'), { ok: false, reason: 'unsupported-transport-tls' });
  });
});

describe('requestTarget', () => {
  test('the Request-URI host and port, default 5060, over UDP', () => {
    assert.deepEqual(requestTarget(requestInfo('sip:desk@10.0.0.9:5080')), {
      ok: true,
      value: { protocol: 'UDP', host: '10.0.0.9', port: 5080 },
    });
    assert.deepEqual(requestTarget(requestInfo('sip:desk@10.0.0.9')), {
      ok: true,
      value: { protocol: 'UDP', host: '10.0.0.9', port: 5060 },
    });
  });

  test(';transport=tcp selects TCP', () => {
    assert.deepEqual(requestTarget(requestInfo('sip:desk@10.0.0.9;transport=TCP')), {
      ok: true,
      value: { protocol: 'TCP', host: '10.0.0.9', port: 5060 },
    });
  });

  test('loose routing: the first Route URI wins over the Request-URI', () => {
    const info = requestInfo('sip:desk@10.0.0.9:5080', '<sip:10.0.0.1:5066;lr;transport=tcp>, <sip:10.0.0.2;lr>');
    assert.deepEqual(requestTarget(info), { ok: true, value: { protocol: 'TCP', host: '10.0.0.1', port: 5066 } });
  });

  test('maddr overrides the host; an IPv6 host is unbracketed; a host name is left for DNS', () => {
    assert.deepEqual(requestTarget(requestInfo('sip:desk@pbx.example;maddr=10.0.0.7')), {
      ok: true,
      value: { protocol: 'UDP', host: '10.0.0.7', port: 5060 },
    });
    assert.deepEqual(requestTarget(requestInfo('sip:desk@[2001:db8::7]:5062')), {
      ok: true,
      value: { protocol: 'UDP', host: '2001:db8::7', port: 5062 },
    });
    assert.deepEqual(requestTarget(requestInfo('sip:desk@pbx.example')), {
      ok: true,
      value: { protocol: 'UDP', host: 'pbx.example', port: 5060 },
    });
  });

  test('sips: and unknown transports are refused', () => {
    assert.deepEqual(requestTarget(requestInfo('sips:desk@10.0.0.9')), { ok: false, reason: 'unsupported-scheme-sips' });
    assert.deepEqual(requestTarget(requestInfo('sip:desk@10.0.0.9;transport=ws')), { ok: false, reason: 'unsupported-transport-ws' });
  });
});

describe('planOutgoing', () => {
  test('a SIP.js request gets our sent-by and rport in its top Via', () => {
    const text = sipRequest({ method: 'OPTIONS', uri: 'sip:desk@10.0.0.9', via: 'SIP/2.0/UDP 192.168.1.50;branch=z9hG4bKq' });
    const plan = planOutgoing(text, LOCAL);
    assert.ok(plan.ok);
    assert.match(plan.value.text, /\r\nVia: SIP\/2\.0\/UDP 192\.168\.1\.50:5070;branch=z9hG4bKq;rport\r\n/);
    assert.equal(plan.value.text.replace(/\r\nVia: [^\r]*/, ''), text.replace(/\r\nVia: [^\r]*/, ''), 'nothing else changes');
    assert.deepEqual(plan.value.target, { protocol: 'UDP', host: '10.0.0.9', port: 5060 });
  });

  test('a request routed over TCP says TCP in its Via', () => {
    const text = sipRequest({ method: 'OPTIONS', uri: 'sip:desk@10.0.0.9;transport=tcp', via: 'SIP/2.0/UDP 192.168.1.50:5070;branch=z9hG4bKq' });
    const plan = planOutgoing(text, LOCAL);
    assert.ok(plan.ok);
    assert.match(plan.value.text, /\r\nVia: SIP\/2\.0\/TCP 192\.168\.1\.50:5070;branch=z9hG4bKq\r\n/);
    assert.equal(plan.value.info.via.transport, 'TCP');
  });

  test('a response is sent unchanged to where its top Via says', () => {
    const request = sipRequest({ via: 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7' });
    const response = sipResponse(request, 180);
    const plan = planOutgoing(response, LOCAL);
    assert.ok(plan.ok);
    assert.equal(plan.value.text, response);
    assert.deepEqual(plan.value.target, { protocol: 'UDP', host: '203.0.113.7', port: 40123 });
  });

  test('unusable messages are refused with a reason', () => {
    assert.deepEqual(planOutgoing('hello', LOCAL), { ok: false, reason: 'no-end-of-headers' });
    assert.deepEqual(planOutgoing('OPTIONS sip:a@10.0.0.1 SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n', LOCAL), { ok: false, reason: 'no-via' });
  });
});
