// The web UI's automatic sign-out (web-ui/src/lib/idle.ts) on the fake clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../appliance/shared/fake-clock.js';
import { IdleWatch } from '../../web-ui/src/lib/idle.js';

const MIN = 60_000;

function watchOn(clock: FakeClock) {
  const events: string[] = [];
  const watch = new IdleWatch({
    clock,
    idleMs: 15 * MIN,
    warnMs: MIN,
    onWarn: (deadline) => events.push(`warn at +${(clock.monotonic() / 1000).toFixed(0)}s, sign-out at +${((deadline - clock.now() + clock.monotonic()) / 1000).toFixed(0)}s`),
    onExpire: () => events.push(`expire at +${(clock.monotonic() / 1000).toFixed(0)}s`),
  });
  return { watch, events };
}

test('with no activity the warning comes a minute before the limit and sign-out at the limit', () => {
  const clock = new FakeClock();
  const { watch, events } = watchOn(clock);
  watch.start();
  clock.advance(14 * MIN - 1);
  assert.deepEqual(events, []);
  assert.equal(watch.state, 'active');
  clock.advance(1);
  assert.deepEqual(events, ['warn at +840s, sign-out at +900s']);
  assert.equal(watch.state, 'warning');
  clock.advance(MIN - 1);
  assert.equal(events.length, 1);
  clock.advance(1);
  assert.deepEqual(events.at(-1), 'expire at +900s');
  assert.equal(watch.state, 'expired');
  clock.advance(60 * MIN);
  assert.equal(events.length, 2, 'signs out once');
});

test('activity pushes the warning back by the whole idle time from the last activity', () => {
  const clock = new FakeClock();
  const { watch, events } = watchOn(clock);
  watch.start();
  clock.advance(10 * MIN);
  watch.activity();
  clock.advance(10 * MIN);
  assert.deepEqual(events, [], 'no warning 10 minutes after the last key press');
  watch.activity();
  clock.advance(14 * MIN);
  assert.deepEqual(events, ['warn at +2040s, sign-out at +2100s']);
});

test('while the warning shows, stray activity does not dismiss it; only "stay signed in" does', () => {
  const clock = new FakeClock();
  const { watch, events } = watchOn(clock);
  watch.start();
  clock.advance(14 * MIN);
  assert.equal(watch.state, 'warning');
  watch.activity();
  clock.advance(30_000);
  assert.equal(watch.state, 'warning');
  watch.stay();
  assert.equal(watch.state, 'active');
  clock.advance(MIN);
  assert.equal(events.length, 1, 'no sign-out at the old deadline');
  clock.advance(13 * MIN);
  assert.equal(events.length, 2);
  assert.match(events[1] ?? '', /^warn at \+1710s/);
});

test('a tab that slept past the limit signs out at once when its timer finally fires, without a warning', () => {
  const clock = new FakeClock();
  const { watch, events } = watchOn(clock);
  watch.start();
  clock.block(20 * MIN); // time passes, no timer runs (a suspended laptop)
  clock.advance(0);
  assert.deepEqual(events, ['expire at +1200s']);
});

test('stop() cancels everything: no warning or sign-out after it', () => {
  const clock = new FakeClock();
  const { watch, events } = watchOn(clock);
  watch.start();
  clock.advance(5 * MIN);
  watch.stop();
  clock.advance(60 * MIN);
  assert.deepEqual(events, []);
  assert.equal(watch.state, 'stopped');
});
