import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteLatch } from './remote-latch.js';

const sdp = { address: '203.0.113.5', port: 4000, ssrc: undefined };
const nat = { address: '198.51.100.1', port: 61000 };
const other = { address: '192.0.2.99', port: 5000 };

test('the first packet latches to its source; other sources are foreign while the latched one is alive', () => {
  const l = new RemoteLatch(2000);
  assert.equal(l.check(nat, 1, sdp, 0), 'latched');
  assert.deepEqual(l.current, nat);
  assert.equal(l.check(nat, 1, sdp, 20), 'accept');
  assert.equal(l.check(other, 1, sdp, 40), 'foreign');
  assert.equal(l.check(other, 1, sdp, 2019), 'foreign');
});

test('after the latched source has been silent for relatchAfterMs another source may take over', () => {
  const l = new RemoteLatch(2000);
  l.check(nat, 1, sdp, 0);
  assert.equal(l.check(other, 1, sdp, 2000), 'relatched');
  assert.deepEqual(l.current, other);
});

test('with an SSRC in the SDP only that SSRC latches, except from the SDP address itself', () => {
  const l = new RemoteLatch();
  const expected = { ...sdp, ssrc: 42 };
  assert.equal(l.check(nat, 7, expected, 0), 'foreign');
  assert.equal(l.check(nat, 42, expected, 0), 'latched');
  l.reset();
  assert.equal(l.current, undefined);
  assert.equal(l.check({ address: sdp.address, port: sdp.port }, 7, expected, 0), 'latched');
});
