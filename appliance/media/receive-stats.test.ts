import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveStats } from './receive-stats.js';

test('reception statistics count loss across a sequence-number wrap and report the fraction per interval', () => {
  const s = new ReceiveStats(8000);
  const seqs = [65530, 65531, 65533, 65534, 65535, 0, 1, 3, 4, 5]; // 65532 and 2 lost
  seqs.forEach((seq, i) => s.update(7, seq, seq * 160, i * 20));
  assert.equal(s.extendedHighestSeq, 65536 + 5);
  assert.equal(s.cumulativeLost, 2);
  const block = s.reportBlock(1000);
  assert.equal(block?.ssrc, 7);
  assert.equal(block?.fractionLost, Math.floor((2 * 256) / 12));
  for (let seq = 6; seq < 16; seq++) s.update(7, seq, seq * 160, 200 + seq * 20);
  assert.equal(s.reportBlock(2000)?.fractionLost, 0, 'no loss in the second interval');
});

test('LSR/DLSR echo the last sender report and the time since it', () => {
  const s = new ReceiveStats(8000);
  s.update(1, 10, 0, 0);
  s.onSenderReport(0x12345678, 0x9abcdef0, 1000);
  const block = s.reportBlock(1500);
  assert.equal(block?.lastSr, 0x56789abc);
  assert.equal(block?.delaySinceLastSr, 32768);
});

test('interarrival jitter stays near zero for evenly spaced packets and grows when arrivals wobble', () => {
  const even = new ReceiveStats(8000);
  const wobbly = new ReceiveStats(8000);
  for (let i = 0; i < 200; i++) {
    even.update(1, i, i * 160, i * 20);
    wobbly.update(1, i, i * 160, i * 20 + (i % 2 === 0 ? 0 : 10));
  }
  assert.ok(even.jitterTimestampUnits < 1);
  assert.ok(wobbly.jitterTimestampUnits > 40, `jitter ${wobbly.jitterTimestampUnits}`);
});
