import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer, type JitterPacket } from './jitter-buffer.js';
import { LossConcealer } from './loss-concealer.js';

/** Packet n of a stream: 160 samples all equal to n + 1, so the frame read tells which packet it was. */
function packet(n: number, opts: { ssrc?: number; seqBase?: number; tsBase?: number } = {}): JitterPacket {
  return {
    ssrc: opts.ssrc ?? 1,
    sequenceNumber: ((opts.seqBase ?? 100) + n) & 0xffff,
    timestamp: ((opts.tsBase ?? 5000) + n * 160) >>> 0,
    samples: new Int16Array(160).fill(n + 1),
  };
}

function readFrames(jb: JitterBuffer, count: number): { status: string; value: number }[] {
  const out: { status: string; value: number }[] = [];
  for (let i = 0; i < count; i++) {
    const f = new Int16Array(160);
    const status = jb.read(f);
    out.push({ status, value: f[0] ?? 0 });
  }
  return out;
}

test('playout waits for the prefill, then plays packets in timestamp order even when they arrive reordered', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 60 });
  assert.deepEqual(readFrames(jb, 1), [{ status: 'idle', value: 0 }]);
  for (const n of [0, 2, 1]) jb.push(packet(n));
  const frames = readFrames(jb, 3);
  assert.deepEqual(frames.map((f) => f.value), [1, 2, 3]);
  assert.ok(frames.every((f) => f.status === 'audio'));
  // Packet 4 before 3, both within the window.
  jb.push(packet(4));
  jb.push(packet(3));
  assert.deepEqual(readFrames(jb, 2).map((f) => f.value), [4, 5]);
});

test('a lost packet becomes one missing frame, and a packet arriving after its playout time is dropped as late', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 40 });
  for (const n of [0, 1, 3, 4]) jb.push(packet(n));
  const frames = readFrames(jb, 4);
  assert.deepEqual(frames.map((f) => f.status), ['audio', 'audio', 'missing', 'audio']);
  assert.deepEqual(frames.map((f) => f.value), [1, 2, 0, 4]);
  assert.equal(jb.push(packet(2)), 'late');
  assert.equal(jb.stats.late, 1);
  assert.equal(jb.stats.lostFrames, 1);
});

test('duplicates are dropped', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 20 });
  assert.equal(jb.push(packet(0)), 'buffered');
  assert.equal(jb.push(packet(0)), 'duplicate');
  assert.equal(jb.stats.duplicates, 1);
});

test('an SSRC change resets the buffer and playout restarts on the new stream after its prefill', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 40 });
  for (const n of [0, 1, 2]) jb.push(packet(n));
  readFrames(jb, 2);
  assert.equal(jb.push(packet(0, { ssrc: 2, seqBase: 9, tsBase: 777 })), 'reset');
  assert.equal(jb.stats.ssrcChanges, 1);
  assert.deepEqual(readFrames(jb, 1), [{ status: 'idle', value: 0 }]);
  jb.push(packet(1, { ssrc: 2, seqBase: 9, tsBase: 777 }));
  assert.deepEqual(readFrames(jb, 2).map((f) => f.value), [1, 2]);
});

test('timestamp and sequence-number jumps reset the buffer instead of stalling or flooding it', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 20, maxJumpMs: 1000 });
  jb.push(packet(0));
  readFrames(jb, 1);
  // Timestamp jumps 10 s ahead with contiguous sequence numbers (a restarted sender).
  assert.equal(jb.push({ ...packet(1), timestamp: (5000 + 80000) >>> 0 }), 'reset');
  assert.deepEqual(readFrames(jb, 1).map((f) => f.value), [2]);
  // Sequence number jumps by 30000 with a plausible timestamp.
  assert.equal(jb.push({ ...packet(2), timestamp: 85160, sequenceNumber: 30000 }), 'reset');
  assert.equal(jb.stats.resets, 2);
});

test('timestamps wrapping past 2^32 play on without a reset', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 20 });
  const tsBase = 0xffffffff - 200;
  for (let n = 0; n < 4; n++) jb.push(packet(n, { tsBase }));
  assert.deepEqual(readFrames(jb, 4).map((f) => f.value), [1, 2, 3, 4]);
  assert.equal(jb.stats.resets, 0);
});

test('30 ms packets are read out as 20 ms frames without gaps', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 60 });
  for (let n = 0; n < 4; n++) jb.push({ ssrc: 1, sequenceNumber: n, timestamp: n * 240, samples: new Int16Array(240).fill(n + 1) });
  const frames = readFrames(jb, 6);
  assert.ok(frames.every((f) => f.status === 'audio'));
  assert.deepEqual(frames.map((f) => f.value), [1, 1, 2, 3, 3, 4]); // first sample of each frame
});

test('after a long underrun (silence suppression, hold) playout stops and restarts cleanly with the next talkspurt', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 20, idleAfterMs: 100 });
  jb.push(packet(0));
  readFrames(jb, 1);
  const gap = readFrames(jb, 6);
  assert.deepEqual(gap.map((f) => f.status), ['missing', 'missing', 'missing', 'missing', 'missing', 'idle']);
  assert.equal(jb.isPlaying, false);
  jb.push(packet(200)); // 4 s later, same stream
  assert.equal(readFrames(jb, 1)[0]?.value, 201);
  assert.equal(jb.stats.resets, 0);
});

test('a sender whose clock runs fast does not grow the delay past maxDelayMs', () => {
  const jb = new JitterBuffer({ clockRate: 8000, prefillMs: 40, maxDelayMs: 120 });
  let n = 0;
  for (let tick = 0; tick < 100; tick++) {
    jb.push(packet(n++));
    if (tick % 10 === 0) jb.push(packet(n++)); // 10 % more packets than we read
    readFrames(jb, 1);
    assert.ok(jb.depth <= 960 + 160, `depth ${jb.depth}`);
  }
  assert.ok(jb.stats.overflowSkips > 0);
});

test('concealment repeats the last frame fading down, reaches silence on a burst, and fades back in', () => {
  const c = new LossConcealer(160);
  const good = new Int16Array(160).fill(1000);
  c.good(good);
  const levels: number[] = [];
  for (let i = 0; i < 4; i++) {
    const f = new Int16Array(160);
    c.conceal(f);
    levels.push(Math.max(...f));
  }
  assert.ok((levels[0] ?? 0) > 600 && (levels[0] ?? 0) <= 1000);
  assert.ok((levels[1] ?? 0) < (levels[0] ?? 0));
  assert.equal(levels[3], 0);
  const next = new Int16Array(160).fill(1000);
  c.good(next);
  assert.equal(next[0], 0);
  assert.ok((next[159] ?? 0) > 990);
});
