import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteLatch } from './remote-latch.js';

const sdp = { address: '203.0.113.5', port: 4000, ssrc: undefined };
const fromSdp = { address: sdp.address, port: sdp.port };
const natPort = { address: sdp.address, port: 61000 }; // the SDP's address, another port
const signaling = { address: '198.51.100.1', port: 61000 }; // the NAT's public side, where SIP came from
const stranger = { address: '192.0.2.99', port: 5000 };

test('by default only the SDP address and port are taken: another port of that address and any stranger are foreign', () => {
  const l = new RemoteLatch();
  assert.equal(l.check(stranger, 1, sdp, 0), 'foreign', 'a stranger first does not latch');
  assert.equal(l.check(natPort, 1, sdp, 0), 'foreign');
  assert.equal(l.check({ ...fromSdp, address: '::ffff:203.0.113.5' }, 1, sdp, 0), 'latched', 'a dual-stack view of the SDP address is the same address');
  assert.equal(l.check(fromSdp, 1, sdp, 20), 'accept');
  assert.equal(l.check(stranger, 1, sdp, 60_000), 'foreign', 'silence does not let a stranger take over');
  assert.equal(l.check(natPort, 1, sdp, 60_000), 'foreign');
  assert.equal(l.latching, false);
});

test('strict mode ignores a stranger that sends the SDP SSRC, and the signalling address on another port', () => {
  const l = new RemoteLatch({ signalingAddress: signaling.address });
  const expected = { ...sdp, ssrc: 42 };
  assert.equal(l.check(stranger, 42, expected, 0), 'foreign');
  assert.equal(l.check(signaling, 42, expected, 0), 'foreign');
  assert.equal(l.check(fromSdp, 42, expected, 0), 'latched');
});

test('with NAT latching the first packet from the SDP or the signalling address latches on any port; strangers never do', () => {
  const l = new RemoteLatch({ latching: true, signalingAddress: signaling.address, relatchAfterMs: 2000 });
  assert.equal(l.check(stranger, 1, sdp, 0), 'foreign', 'a stranger is foreign even before anything latched');
  assert.equal(l.check(signaling, 1, sdp, 0), 'latched');
  assert.deepEqual(l.current, signaling);
  assert.equal(l.check(signaling, 1, sdp, 20), 'accept');
  assert.equal(l.check(natPort, 1, sdp, 40), 'foreign', 'another allowed source while the latched one is alive');
  assert.equal(l.check(stranger, 1, sdp, 10_000), 'foreign', 'a stranger cannot take over after silence');
});

test('with NAT latching, after the latched source has been silent for relatchAfterMs, another allowed source may take over', () => {
  const l = new RemoteLatch({ latching: true, signalingAddress: signaling.address, relatchAfterMs: 2000 });
  l.check(signaling, 1, sdp, 0);
  assert.equal(l.check(natPort, 1, sdp, 1999), 'foreign');
  assert.equal(l.check(natPort, 1, sdp, 2000), 'relatched');
  assert.deepEqual(l.current, natPort);
});

test('with NAT latching and an SSRC in the SDP only that SSRC latches, except from the SDP address and port itself', () => {
  const l = new RemoteLatch({ latching: true, signalingAddress: signaling.address });
  const expected = { ...sdp, ssrc: 42 };
  assert.equal(l.check(signaling, 7, expected, 0), 'foreign');
  assert.equal(l.check(signaling, 42, expected, 0), 'latched');
  l.reset();
  assert.equal(l.current, undefined);
  assert.equal(l.check(fromSdp, 7, expected, 0), 'latched');
});

test('which addresses may send media at all: the SDP address, and the signalling address only with latching', () => {
  const strict = new RemoteLatch({ signalingAddress: signaling.address });
  const nat = new RemoteLatch({ latching: true, signalingAddress: signaling.address });
  assert.ok(strict.addressAllowed(sdp.address, sdp));
  assert.ok(!strict.addressAllowed(signaling.address, sdp));
  assert.ok(nat.addressAllowed(signaling.address, sdp));
  assert.ok(!nat.addressAllowed(stranger.address, sdp));
});
