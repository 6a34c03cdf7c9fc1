import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../log.js';
import { SourceFilter } from './source-filter.js';
import { FakeClock } from '../../shared/fake-clock.js';

function filter(allowNetworks: string[] = ['192.168.1.0/24']) {
  const clock = new FakeClock();
  const lines: { source?: string; reason?: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { source?: string });
      done();
    },
  });
  const f = new SourceFilter({ log: createLogger({ level: 'warn', destination }), clock, allowNetworks, contactedTtlMs: 300_000 });
  return { f, clock, lines };
}

const response = Buffer.from('SIP/2.0 200 OK\r\n');
const request = Buffer.from('INVITE sip:x SIP/2.0\r\n');

test('a peer we contacted may answer for the contact time, and only with responses', () => {
  const { f, clock } = filter();
  assert.ok(f.admitsMessage('192.168.1.5', request), 'an allowed network may send anything');
  assert.ok(!f.admitsMessage('203.0.113.9', response), 'not contacted yet');
  f.contacted('203.0.113.9');
  assert.ok(f.admitsMessage('203.0.113.9', response));
  assert.ok(f.admitsMessage('::ffff:203.0.113.9', response), 'as a dual-stack socket sees it');
  assert.ok(!f.admitsMessage('203.0.113.9', request));
  assert.ok(!f.admitsMessage('203.0.113.9', Buffer.from('SIP/2.')), 'a prefix of the start line is not a response');
  assert.ok(!f.admitsPeer('203.0.113.9'), 'no TCP connection from it');
  clock.advance(299_999);
  assert.ok(f.admitsMessage('203.0.113.9', response));
  clock.advance(1);
  assert.ok(!f.admitsMessage('203.0.113.9', response), 'the contact has run out');
});

test('trusted addresses are peers like the allowed networks, until replaced', () => {
  const { f } = filter();
  f.trust(['198.51.100.7']);
  assert.ok(f.admitsPeer('198.51.100.7'));
  assert.ok(f.admitsMessage('198.51.100.7', request));
  f.trust(['198.51.100.8']);
  assert.ok(!f.admitsPeer('198.51.100.7'));
});

test('refusals are logged three times per source then once a minute, and at most 20 then 10 a minute in all', () => {
  const { f, clock, lines } = filter();
  for (let i = 0; i < 10; i++) f.noteRefused('203.0.113.1', 'UDP', 'not-allowed');
  assert.equal(lines.length, 3);
  assert.equal(lines[0]?.source, '203.0.113.1');
  clock.advance(60_000);
  for (let i = 0; i < 10; i++) f.noteRefused('203.0.113.1', 'UDP', 'not-allowed');
  assert.equal(lines.length, 4);
  // A flood from spoofed sources: each new, but the total is capped.
  for (let i = 0; i < 500; i++) f.noteRefused(`10.9.${i >> 8}.${i & 255}`, 'UDP', 'not-allowed');
  assert.equal(lines.length, 4 + 19, 'the total budget (20, one already spent a minute ago and refilled) ran out');
  clock.advance(6_000);
  f.noteRefused('10.10.0.1', 'TCP', 'tcp-per-address');
  assert.equal(lines.length, 24);
});

test('INVITEs from one source: a burst, then a steady rate; trunks and trusted addresses are never held back', () => {
  const clock = new FakeClock();
  const f = new SourceFilter({
    log: createLogger({ level: 'silent' }),
    clock,
    allowNetworks: ['192.168.1.0/24'],
    contactedTtlMs: 1000,
    trunkNetworks: ['192.168.1.10/32'],
    inviteBurst: 4,
    invitesPerSecond: 2,
  });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => f.admitsInvite('192.168.1.50')), [true, true, true, true, false]);
  assert.ok(f.admitsInvite('192.168.1.51'), 'another source has its own budget');
  clock.advance(499);
  assert.ok(!f.admitsInvite('192.168.1.50'));
  clock.advance(1);
  assert.ok(f.admitsInvite('192.168.1.50'), 'one more each 500 ms at 2 a second');
  for (let i = 0; i < 100; i++) assert.ok(f.admitsInvite('192.168.1.10'), 'the trunk');
  f.trust(['192.168.1.20']);
  for (let i = 0; i < 100; i++) assert.ok(f.admitsInvite('192.168.1.20'), 'the registrar');
});
