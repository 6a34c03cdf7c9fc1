// Fuzz-style robustness test: thousands of random and mutated messages through every entry point
// that sees network or SIP.js text (takeIn, TcpFramer, planOutgoing). None may throw, and every
// accepted message must be consistent. The generator is seeded, so a failure names its case.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IncomingRequestMessage, IncomingResponseMessage } from 'sip.js/lib/core/index.js';
import { takeIn } from './message-intake.js';
import { planOutgoing } from './routing.js';
import { SDP, sipRequest, sipResponse } from './sip-fixtures.js';
import { TcpFramer } from './tcp-framer.js';
import { seededRandom } from '../../shared/random.js';


const invite = sipRequest({ method: 'INVITE', body: SDP, route: '<sip:10.0.0.1;lr>' });
const SEEDS = [
  invite,
  sipRequest({ method: 'BYE', cseq: 2, toTag: 'to-1' }),
  sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bKv6;rport' }),
  sipRequest({ method: 'ACK', extra: ['v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2', 'l: 0'], contentLength: null }),
  sipResponse(invite, 180),
  sipResponse(invite, 200, { body: SDP }),
  sipResponse(invite, 486),
  'SIP/2.0 100 Trying\r\nv: SIP/2.0/TCP a.example;branch=z9hG4bK0, SIP/2.0/UDP b;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>\r\ni: x\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n',
];
const TOKENS = [
  '\r\n', '\r', '\n', '\0', ':', ';', ',', '<', '>', '"', '\\', '[', ']', ' ', '\t', '=', '@',
  'Via: ', 'v: ', 'SIP/2.0/UDP ', ';rport', ';rport=', ';received=', ';branch=', 'z9hG4bK', 'CSeq: ',
  '99999999999 INVITE', 'Content-Length: ', 'l: -1', 'Content-Length: 999999', 'Call-ID: ', 'From: ',
  'To: <sip:@>', 'Route: <sip:;lr>', 'sip:', 'sips:', '[::1', ':0', ':65536', 'é', '☎', '\uFFFD', '\r\n ',
];

function mutate(rand: () => number, text: string): Buffer {
  let bytes = Buffer.from(text);
  const steps = rand() < 0.5 ? 1 : 1 + Math.floor(rand() * 6);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(rand() * (bytes.length + 1));
    switch (Math.floor(rand() * 6)) {
      case 0: // flip a byte
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = Math.floor(rand() * 256);
        break;
      case 1: // insert a token
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(TOKENS)), bytes.subarray(at)]);
        break;
      case 2: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + Math.floor(rand() * 40))]);
        break;
      case 3: // duplicate a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + Math.floor(rand() * 80)), bytes.subarray(at)]);
        break;
      case 4: // truncate
        bytes = bytes.subarray(0, at);
        break;
      default: // insert random bytes
        bytes = Buffer.concat([bytes.subarray(0, at), randomBytes(rand, Math.floor(rand() * 16)), bytes.subarray(at)]);
    }
  }
  return bytes;
}

function randomBytes(rand: () => number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

function randomText(rand: () => number): Buffer {
  const parts: string[] = [];
  const n = Math.floor(rand() * 30);
  for (let i = 0; i < n; i++) parts.push(TOKENS[Math.floor(rand() * TOKENS.length)] ?? '');
  return Buffer.from(parts.join(''));
}

const SOURCE = { address: '198.51.100.9', port: 5060 };
const LOCAL = { address: '192.168.1.50', port: 5070 };

function checkOne(bytes: Buffer, label: string, outgoingToo = true): 'message' | 'keepalive' | 'malformed' {
  const intake = takeIn(bytes, SOURCE);
  if (intake.kind === 'message') {
    const { message, info } = intake;
    if (info.kind === 'request') {
      assert.ok(message instanceof IncomingRequestMessage, label);
      assert.equal(message.method, info.method, label);
    } else {
      assert.ok(message instanceof IncomingResponseMessage, label);
      assert.equal(message.statusCode, info.status, label);
    }
    assert.equal(message.viaBranch, info.branch, label);
  }
  if (outgoingToo) planOutgoing(bytes.toString('utf8'), LOCAL); // SIP.js output goes through this; must not throw either
  return intake.kind;
}

describe('fuzz', () => {
  test('10,000 random and mutated messages are accepted or dropped, never thrown, and accepted ones are consistent', () => {
    const rand = seededRandom(0x5eed);
    const tally = { message: 0, keepalive: 0, malformed: 0 };
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4;
      const bytes =
        kind === 0
          ? randomBytes(rand, Math.floor(rand() * 1500))
          : kind === 1
            ? randomText(rand)
            : mutate(rand, SEEDS[i % SEEDS.length] ?? '');
      const label = `case ${i}: ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`;
      try {
        tally[checkOne(bytes, label, i % 5 === 0)]++;
      } catch (err) {
        assert.fail(`${label} threw ${String(err)}`);
      }
    }
    assert.ok(tally.message > 200, `some mutations stay valid (${tally.message})`);
    assert.ok(tally.malformed > 5000, `most input is dropped (${tally.malformed})`);
  });

  test('the unmutated seeds are all accepted', () => {
    for (const seed of SEEDS) assert.equal(checkOne(Buffer.from(seed), seed), 'message', seed);
  });

  test('a TCP stream of mutated messages cut at random points never throws and stops at the first framing error', () => {
    const rand = seededRandom(42);
    for (let run = 0; run < 100; run++) {
      const framer = new TcpFramer();
      const stream = Buffer.concat(Array.from({ length: 5 }, (_, i) => (run % 2 ? mutate(rand, SEEDS[i] ?? '') : Buffer.from(SEEDS[i] ?? ''))));
      let offset = 0;
      let errors = 0;
      while (offset < stream.length) {
        const size = 1 + Math.floor(rand() * 300);
        for (const event of framer.push(stream.subarray(offset, offset + size))) {
          if (event.kind === 'error') errors++;
          else if (event.kind === 'message') checkOne(event.bytes, `run ${run}`, false);
          assert.equal(errors <= 1, true);
        }
        offset += size;
      }
    }
  });
});
