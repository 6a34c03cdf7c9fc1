import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTelephoneEvent, DtmfReceiver, dtmfEventCode, encodeTelephoneEvent, planDtmfPackets } from './telephone-event.js';

test('telephone-event payload: event, end bit, volume and duration in RFC 4733 layout', () => {
  const b = encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 });
  assert.deepEqual([...b], [11, 0x80 | 10, 0x03, 0x20]);
  assert.deepEqual(decodeTelephoneEvent(b), { event: 11, end: true, volume: 10, duration: 800 });
  assert.equal(decodeTelephoneEvent(Buffer.from([1, 2, 3])), null);
});

test('digits 0-9 * # A-D map to events 0-15', () => {
  assert.deepEqual([...'0123456789*#ABCD'].map(dtmfEventCode), Array.from({ length: 16 }, (_, i) => i));
  assert.equal(dtmfEventCode('d'), 15);
  assert.equal(dtmfEventCode('E'), undefined);
});

test('a 100 ms digit at 8 kHz is 5 updates with growing duration, marker on the first only, and the end packet sent 3 times', () => {
  const packets = planDtmfPackets('5', { clockRate: 8000, durationMs: 100 });
  assert.equal(packets.length, 7);
  const decoded = packets.map((p) => decodeTelephoneEvent(p.payload));
  assert.deepEqual(decoded.map((d) => d?.duration), [160, 320, 480, 640, 800, 800, 800]);
  assert.deepEqual(decoded.map((d) => d?.end), [false, false, false, false, true, true, true]);
  assert.deepEqual(packets.map((p) => p.marker), [true, false, false, false, false, false, false]);
  assert.ok(decoded.every((d) => d?.event === 5 && d.volume === 10));
  const wide = planDtmfPackets('#', { clockRate: 16000, durationMs: 100 });
  assert.equal(decodeTelephoneEvent(wide[wide.length - 1]?.payload ?? Buffer.alloc(0))?.duration, 1600);
  assert.throws(() => planDtmfPackets('x', { clockRate: 8000 }), RangeError);
});

test('the receiver reports each digit once with its duration, ignoring the repeated end packets', () => {
  const rx = new DtmfReceiver(8000);
  const digits = planDtmfPackets('7', { clockRate: 8000, durationMs: 120 }).flatMap((p, i) => rx.push(1000, p.payload, i * 20));
  assert.deepEqual(digits, [{ digit: '7', durationMs: 120, timestamp: 1000, ended: true }]);
  // A late copy of the end packet after the event is over is still ignored.
  assert.deepEqual(rx.push(1000, planDtmfPackets('7', { clockRate: 8000, durationMs: 120 })[5]?.payload ?? Buffer.alloc(0), 500), []);
});

test('the receiver reports a digit whose start packets were lost', () => {
  const rx = new DtmfReceiver(8000);
  const packets = planDtmfPackets('9', { clockRate: 8000, durationMs: 100 });
  const digits = packets.slice(3).flatMap((p, i) => rx.push(4242, p.payload, i * 20));
  assert.deepEqual(digits, [{ digit: '9', durationMs: 100, timestamp: 4242, ended: true }]);
});

test('a digit whose end packets were lost is closed by the next digit or by poll() after the timeout', () => {
  const rx = new DtmfReceiver(8000, 500);
  const one = planDtmfPackets('1', { clockRate: 8000, durationMs: 100 }).slice(0, 3);
  const two = planDtmfPackets('2', { clockRate: 8000, durationMs: 100 });
  const got = [...one.flatMap((p) => rx.push(100, p.payload, 0)), ...two.flatMap((p) => rx.push(2000, p.payload, 100))];
  assert.deepEqual(got.map((d) => [d.digit, d.durationMs, d.ended]), [['1', 60, false], ['2', 100, true]]);
  const three = planDtmfPackets('3', { clockRate: 8000, durationMs: 100 }).slice(0, 2);
  for (const p of three) rx.push(5000, p.payload, 1000);
  assert.equal(rx.poll(1400), undefined);
  assert.deepEqual(rx.poll(1500), { digit: '3', durationMs: 40, timestamp: 5000, ended: false });
  assert.equal(rx.poll(3000), undefined);
});

test('the same digit pressed twice is two events (different timestamps)', () => {
  const rx = new DtmfReceiver(8000);
  const p = planDtmfPackets('4', { clockRate: 8000 });
  const got = [...p.flatMap((x) => rx.push(0, x.payload, 0)), ...p.flatMap((x) => rx.push(1600, x.payload, 200))];
  assert.deepEqual(got.map((d) => d.digit), ['4', '4']);
});
