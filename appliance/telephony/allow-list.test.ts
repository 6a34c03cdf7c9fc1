import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkAllowList, SourceRateLimiter } from './allow-list.js';
import { FakeClock } from '../shared/fake-clock.js';

test('the default allow-list admits loopback and private LANs and refuses public addresses', () => {
  const a = new NetworkAllowList();
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.20', '100.64.0.1', '::1', 'fd00::5', '::ffff:192.168.1.7']) {
    assert.ok(a.allows(ip), ip);
  }
  for (const ip of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:db8::1', '::ffff:8.8.8.8', 'not-an-ip', '']) {
    assert.ok(!a.allows(ip), ip);
  }
});

test('a configured list replaces the default, and a bad entry is refused at start', () => {
  const a = new NetworkAllowList(['203.0.113.0/24', '198.51.100.7']);
  assert.ok(a.allows('203.0.113.200'));
  assert.ok(a.allows('198.51.100.7'));
  assert.ok(!a.allows('198.51.100.8'));
  assert.ok(!a.allows('192.168.1.1'));
  assert.throws(() => new NetworkAllowList(['nope/8']), /not a network/);
});

test('the rate limiter answers a burst, then one per interval, per source', () => {
  const clock = new FakeClock();
  const r = new SourceRateLimiter({ burst: 3, perMs: 1000, clock });
  assert.deepEqual([1, 2, 3, 4].map(() => r.take('a')), [true, true, true, false]);
  assert.ok(r.take('b'), 'another source has its own bucket');
  clock.advance(1000);
  assert.deepEqual([r.take('a'), r.take('a')], [true, false]);
});

test('waitMs says how long until a source has a token again, without taking one', () => {
  const clock = new FakeClock();
  const r = new SourceRateLimiter({ burst: 2, perMs: 1000, clock });
  assert.equal(r.waitMs('a'), 0, 'an unknown source has a full bucket');
  r.take('a');
  r.take('a');
  assert.equal(r.waitMs('a'), 1000);
  clock.advance(400);
  assert.equal(r.waitMs('a'), 600);
  assert.equal(r.waitMs('a'), 600, 'asking does not spend');
  clock.advance(600);
  assert.equal(r.waitMs('a'), 0);
  assert.ok(r.take('a'));
});
