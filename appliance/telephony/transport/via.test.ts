import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanHead } from './sip-head.js';
import { formatVia, parseVia, prepareOutgoingVia, replaceTopVia, stampReceived, topVia, viaParam } from './via.js';

const SOURCE = { address: '203.0.113.7', port: 40123 };

describe('parseVia / formatVia', () => {
  test('parses transport, host, port and parameters, including an empty rport', () => {
    const via = parseVia('SIP/2.0/udp 10.0.0.5:5062;branch=z9hG4bK776;rport;x=1');
    assert.deepEqual(via, {
      transport: 'UDP',
      host: '10.0.0.5',
      port: 5062,
      params: [{ name: 'branch', value: 'z9hG4bK776' }, { name: 'rport' }, { name: 'x', value: '1' }],
    });
  });

  test('accepts IPv6 references, host names and spaces around separators; round-trips canonically', () => {
    assert.equal(parseVia('SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKa')?.host, '[2001:db8::1]');
    const via = parseVia('SIP / 2.0 / UDP pbx.example.com ; branch=z9hG4bKb');
    assert.equal(via?.host, 'pbx.example.com');
    assert.equal(via && formatVia(via), 'SIP/2.0/UDP pbx.example.com;branch=z9hG4bKb');
  });

  test('rejects garbage, port 0 or > 65535, a non-numeric rport and a branch without value', () => {
    for (const bad of [
      'garbage',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP 10.0.0.1:0;branch=z9hG4bK1',
      'SIP/2.0/UDP 10.0.0.1:70000;branch=z9hG4bK1',
      'SIP/2.0/UDP 10.0.0.1;rport=abc',
      'SIP/2.0/UDP 10.0.0.1;branch',
      'SIP/2.0/UDP 10.0.0.1;branch=',
      'HTTP/1.1/UDP 10.0.0.1',
    ]) {
      assert.equal(parseVia(bad), undefined, bad);
    }
  });
});

describe('stampReceived (RFC 3261 18.2.1, RFC 3581 4)', () => {
  test('an empty rport gets the source port, and received is added even if the host matches', () => {
    const via = stampReceived(parseVia('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK1;rport')!, SOURCE);
    assert.equal(formatVia(via), 'SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7');
  });

  test('without rport, received is added only when the sent-by host is not the source address', () => {
    const natted = stampReceived(parseVia('SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1')!, SOURCE);
    assert.equal(formatVia(natted), 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;received=203.0.113.7');
    const direct = parseVia('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK1')!;
    assert.equal(stampReceived(direct, SOURCE), direct, 'unchanged');
  });

  test('a host name always gets received', () => {
    const via = stampReceived(parseVia('SIP/2.0/UDP phone.local;branch=z9hG4bK1')!, SOURCE);
    assert.equal(viaParam(via, 'received')?.value, '203.0.113.7');
  });

  test('existing received/rport values are replaced, not duplicated', () => {
    const via = stampReceived(parseVia('SIP/2.0/UDP 10.0.0.1;received=1.1.1.1;rport=9;branch=z9hG4bK1')!, SOURCE);
    assert.equal(formatVia(via), 'SIP/2.0/UDP 10.0.0.1;received=203.0.113.7;rport=40123;branch=z9hG4bK1');
  });
});

describe('prepareOutgoingVia', () => {
  const local = { address: '192.168.1.50', port: 5070 };

  test('SIP.js Via without a port gets our address:port, rport, and the real transport', () => {
    const via = parseVia('SIP/2.0/UDP 192.168.1.50;branch=z9hG4bK9')!;
    assert.equal(formatVia(prepareOutgoingVia(via, 'UDP', local)), 'SIP/2.0/UDP 192.168.1.50:5070;branch=z9hG4bK9;rport');
    assert.equal(formatVia(prepareOutgoingVia(via, 'TCP', local)), 'SIP/2.0/TCP 192.168.1.50:5070;branch=z9hG4bK9');
  });

  test('a sent-by that already has a port (e.g. a configured public address) is kept', () => {
    const via = parseVia('SIP/2.0/UDP 198.51.100.1:5080;branch=z9hG4bK9;rport')!;
    assert.equal(formatVia(prepareOutgoingVia(via, 'UDP', local)), 'SIP/2.0/UDP 198.51.100.1:5080;branch=z9hG4bK9;rport');
  });

  test('an IPv6 local address is bracketed', () => {
    const via = parseVia('SIP/2.0/UDP x;branch=z9hG4bK9')!;
    assert.equal(prepareOutgoingVia(via, 'UDP', { address: '::1', port: 5060 }).host, '[::1]');
  });
});

describe('topVia / replaceTopVia', () => {
  const head = (text: string) => {
    const scanned = scanHead(text);
    assert.ok(scanned.ok);
    return scanned.value;
  };

  test('with comma-separated values in one header, only the first value is the top Via and is replaced', () => {
    const h = head('SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK3');
    const top = topVia(h);
    assert.ok(top.ok);
    assert.equal(top.value.via.host, 'a.example');
    assert.equal(top.value.count, 3);
    const replaced = replaceTopVia(h, { ...top.value.via, host: 'z.example', port: 1 });
    assert.equal(
      replaced,
      'SIP/2.0 200 OK\r\nv: SIP/2.0/UDP z.example:1;branch=z9hG4bK1, SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK3',
    );
  });

  test('a folded top Via is parsed and replaced whole', () => {
    const h = head('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\n ;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS');
    const top = topVia(h);
    assert.ok(top.ok);
    assert.equal(replaceTopVia(h, top.value.via), 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS');
  });

  test('no Via or an empty list element is an error', () => {
    assert.deepEqual(topVia(head('OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS')), { ok: false, reason: 'no-via' });
    assert.deepEqual(topVia(head('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1,,')), { ok: false, reason: 'bad-via' });
  });
});
