import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FramePacer } from './frame-pacer.js';
import { FakeClock } from '../shared/fake-clock.js';
import { PortAllocator } from './port-allocator.js';

function pacer(clock: FakeClock): { ticks: { index: number; at: number }[]; p: FramePacer } {
  const ticks: { index: number; at: number }[] = [];
  const p = new FramePacer({ clock, onTick: (index) => ticks.push({ index, at: clock.monotonic() }) });
  return { ticks, p };
}

test('the pacer ticks every 20 ms, and timers that fire late do not push later ticks back (no drift)', () => {
  const clock = new FakeClock();
  clock.latenessMs = 3; // every timer wakes 3 ms late
  const { ticks, p } = pacer(clock);
  p.start();
  clock.advance(1000);
  p.stop();
  // Ticks 0..49 run, each 3 ms (+1 ms timer resolution) after its deadline; tick 50 would run at 1003.
  assert.equal(ticks.length, 50);
  ticks.forEach((t, i) => {
    assert.equal(t.index, i);
    assert.ok(t.at - i * 20 >= 0 && t.at - i * 20 <= 3 + 1, `tick ${i} at ${t.at}`);
  });
});

test('after a blocked event loop the pacer catches up with a short burst, and skips ticks beyond maxCatchUpFrames', () => {
  const clock = new FakeClock();
  const { ticks, p } = pacer(clock);
  p.start();
  clock.advance(100); // ticks 0..5
  clock.block(75); // 175 ms: ticks 6..8 are overdue
  clock.advance(0);
  assert.deepEqual(ticks.slice(6).map((t) => t.index), [6, 7, 8]);
  assert.equal(p.stats.skippedTicks, 0);
  clock.block(500); // 675 ms: ticks 9..33 overdue; the due one and 5 more run, the oldest are skipped
  clock.advance(0);
  const burst = ticks.slice(9);
  assert.equal(burst.length, 5 + 1);
  assert.equal(burst[burst.length - 1]?.index, 33);
  assert.equal(p.stats.skippedTicks, 33 - 9 - 5);
  clock.advance(20);
  assert.equal(ticks[ticks.length - 1]?.index, 34);
  p.stop();
  assert.equal(clock.pendingTimers, 0);
});

test('a tick callback that throws is counted and reported, and the ticks go on', () => {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  let n = 0;
  const p = new FramePacer({
    clock,
    onTick: () => {
      if (++n === 2) throw new Error('listener bug');
    },
    onError: (e) => errors.push(e),
  });
  p.start();
  clock.advance(100);
  p.stop();
  assert.equal(n, 6);
  assert.equal(p.stats.errors, 1);
  assert.match(String(errors[0]), /listener bug/);
});

test('stop() from inside a tick stops at once', () => {
  const clock = new FakeClock();
  let n = 0;
  const p: FramePacer = new FramePacer({ clock, onTick: () => ++n === 3 && p.stop() });
  p.start();
  clock.advance(200);
  assert.equal(n, 3);
  assert.equal(p.isRunning, false);
  assert.equal(clock.pendingTimers, 0);
});

test('the port allocator hands out even ports picked at random among the free ones, never one in use, and runs dry', () => {
  const picks = [2, 0, 0, 0];
  const ports = new PortAllocator({ min: 10001, max: 10008 }, { pick: (n) => Math.min(picks.shift() ?? 0, n - 1) });
  assert.equal(ports.capacity, 3); // 10002, 10004, 10006 (10008 has no +1 in range)
  const a = ports.allocate();
  const b = ports.allocate();
  assert.deepEqual([a, b], [10006, 10002], 'the pick chooses among the free ports');
  ports.release(10002);
  ports.release(10002); // twice: no duplicate
  assert.equal(ports.available, 2);
  const rest = [ports.allocate(), ports.allocate()].sort();
  assert.deepEqual(rest, [10002, 10004]);
  assert.equal(ports.allocate(), undefined);
  ports.release(12345); // never allocated: ignored
  assert.equal(ports.available, 0);
  assert.throws(() => new PortAllocator({ min: 7, max: 7 }), RangeError);
});

test('with the default random pick, successive calls do not get successive ports', () => {
  const ports = new PortAllocator({ min: 20000, max: 29999 });
  const got = Array.from({ length: 50 }, () => ports.allocate() as number);
  assert.equal(new Set(got).size, 50, 'no port handed out twice');
  assert.ok(got.every((p) => p % 2 === 0 && p >= 20000 && p < 29999));
  const steps = got.slice(1).filter((p, i) => p === (got[i] as number) + 2).length;
  // Sequential allocation would make all 49 steps +2; random picks from 5000 ports make even one rare.
  assert.ok(steps <= 3, `${steps} of 49 allocations were the next port up`);
});
