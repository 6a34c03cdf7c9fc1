import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delay, systemClock, withTimeout } from './clock.js';
import { FakeClock, settle } from './fake-clock.js';

test('fake clock: timers fire in deadline order, ties in the order they were set, each at its own time', () => {
  const clock = new FakeClock({ epochMs: 1_000_000 });
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.monotonic()}`), 30);
  clock.setTimeout(() => fired.push(`a@${clock.monotonic()}`), 10);
  clock.setTimeout(() => fired.push(`a2@${clock.monotonic()}`), 10);
  clock.advance(25);
  assert.deepEqual(fired, ['a@10', 'a2@10']);
  assert.equal(clock.monotonic(), 25);
  assert.equal(clock.now(), 1_000_025);
  clock.advance(5);
  assert.deepEqual(fired, ['a@10', 'a2@10', 'b@30']);
  assert.equal(clock.pendingTimers, 0);
});

test('fake clock: a timer set by a timer fires in the same advance when it falls due', () => {
  const clock = new FakeClock();
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.monotonic());
    clock.setTimeout(() => fired.push(clock.monotonic()), 5);
  }, 10);
  clock.advance(20);
  assert.deepEqual(fired, [10, 15]);
});

test('fake clock: intervals re-arm from their deadline until cleared, and clearTimeout clears them too', () => {
  const clock = new FakeClock();
  const ticks: number[] = [];
  const h = clock.setInterval(() => ticks.push(clock.monotonic()), 250);
  clock.advance(1000);
  assert.deepEqual(ticks, [250, 500, 750, 1000]);
  clock.clearTimeout(h);
  clock.advance(1000);
  assert.equal(ticks.length, 4);
  let n = 0;
  const self: { h: object | null } = { h: null };
  self.h = clock.setInterval(() => {
    n++;
    if (n === 2) clock.clearInterval(self.h);
  }, 10);
  clock.advance(100);
  assert.equal(n, 2);
});

test('fake clock: cleared timers never fire; null and spent handles are ignored', () => {
  const clock = new FakeClock();
  let fired = false;
  const h = clock.setTimeout(() => (fired = true), 10);
  clock.clearTimeout(h);
  clock.clearTimeout(null);
  clock.clearTimeout(undefined);
  clock.advance(50);
  assert.equal(fired, false);
  clock.clearTimeout(h);
});

test('fake clock: lateness delays every timer; block() jumps without firing, the next advance fires the overdue', () => {
  const clock = new FakeClock();
  clock.latenessMs = 7;
  const at: number[] = [];
  clock.setTimeout(() => at.push(clock.monotonic()), 10);
  clock.advance(16);
  assert.equal(at.length, 0);
  clock.advance(1);
  assert.deepEqual(at, [17]);
  clock.latenessMs = 0;
  clock.setTimeout(() => at.push(clock.monotonic()), 10);
  clock.block(50);
  assert.deepEqual(at, [17]);
  clock.advance(0);
  assert.deepEqual(at, [17, 67]);
});

test('fake clock: setWallTime steps the wall clock only', () => {
  const clock = new FakeClock({ epochMs: 0 });
  clock.advance(100);
  clock.setWallTime(Date.UTC(2026, 11, 6, 12));
  assert.equal(clock.now(), Date.UTC(2026, 11, 6, 12));
  assert.equal(clock.monotonic(), 100);
  clock.advance(5);
  assert.equal(clock.now(), Date.UTC(2026, 11, 6, 12) + 5);
  assert.equal(clock.nextDueIn(), null);
  clock.setTimeout(() => undefined, 40);
  assert.equal(clock.nextDueIn(), 40);
});

test('fake clock: advanceAsync lets async work chained on a timer run before the next timer', async () => {
  const clock = new FakeClock();
  const log: string[] = [];
  clock.setTimeout(() => {
    void (async () => {
      await Promise.resolve();
      await Promise.resolve();
      log.push(`async@${clock.monotonic()}`);
    })();
  }, 10);
  clock.setTimeout(() => log.push(`timer@${clock.monotonic()}`), 20);
  await clock.advanceAsync(30);
  assert.deepEqual(log, ['async@10', 'timer@20']);
  // With the synchronous advance the async step only runs after both timers.
  const sync = new FakeClock();
  const log2: string[] = [];
  sync.setTimeout(() => void Promise.resolve().then(() => log2.push('async')), 10);
  sync.setTimeout(() => log2.push('timer'), 20);
  sync.advance(30);
  await settle();
  assert.deepEqual(log2, ['timer', 'async']);
});

test('delay() resolves on the clock and rejects when aborted; withTimeout() takes the first and clears its timer', async () => {
  const clock = new FakeClock();
  let done = false;
  const p = delay(clock, 100).then(() => (done = true));
  await clock.advanceAsync(99);
  assert.equal(done, false);
  await clock.advanceAsync(1);
  await p;
  assert.equal(done, true);

  const abort = new AbortController();
  const q = delay(clock, 100, abort.signal);
  abort.abort(new Error('stopped'));
  await assert.rejects(q, /stopped/);
  assert.equal(clock.pendingTimers, 0);

  const slow = withTimeout(clock, new Promise<string>(() => undefined), 50, () => 'timeout');
  await clock.advanceAsync(50);
  assert.equal(await slow, 'timeout');
  const fast = await withTimeout(clock, Promise.resolve('work'), 50, () => 'timeout');
  assert.equal(fast, 'work');
  assert.equal(clock.pendingTimers, 0);
});

test('system clock: wall time is Date.now(), monotonic time moves forward, unref timers do not hold the process', async () => {
  const before = Date.now();
  const now = systemClock.now();
  assert.ok(now >= before && now <= Date.now());
  const a = systemClock.monotonic();
  const b = systemClock.monotonic();
  assert.ok(b >= a);
  const fired = await new Promise<boolean>((resolve) => {
    systemClock.setTimeout(() => resolve(true), 0);
  });
  assert.equal(fired, true);
  // An unref'd timer does not hold the event loop (awaiting one could end the process first).
  const background = systemClock.setTimeout(() => assert.fail('cleared timeout fired'), 60_000, { unref: true }) as NodeJS.Timeout;
  assert.equal(background.hasRef(), false);
  systemClock.clearTimeout(background);
  const held = systemClock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
  assert.equal(held.hasRef(), true);
  systemClock.clearTimeout(held);
  const h = systemClock.setInterval(() => assert.fail('cleared interval fired'), 0);
  systemClock.clearInterval(h);
  systemClock.clearTimeout(null);
});
