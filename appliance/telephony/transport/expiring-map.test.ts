import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpiringMap, type RemovalCause } from './expiring-map.js';
import { FakeClock } from '../../shared/fake-clock.js';

function setup(capacity = 3) {
  const clock = new FakeClock();
  const removed: [string, RemovalCause][] = [];
  const map = new ExpiringMap<string, number>({ clock, capacity, onRemove: (k, _v, cause) => removed.push([k, cause]) });
  return { map, removed, advance: (ms: number) => clock.advance(ms) };
}

describe('ExpiringMap', () => {
  test('an entry is visible until its time-to-live has passed, then gone', () => {
    const { map, removed, advance } = setup();
    map.set('a', 1, 100);
    advance(99);
    assert.equal(map.get('a'), 1);
    advance(1);
    assert.equal(map.get('a'), undefined);
    assert.deepEqual(removed, [['a', 'expired']]);
  });

  test('touch restarts the time-to-live', () => {
    const { map, advance } = setup();
    map.set('a', 1, 100);
    advance(90);
    map.touch('a', 100);
    advance(90);
    assert.equal(map.get('a'), 1);
  });

  test('when full, the oldest entry is evicted and reported', () => {
    const { map, removed } = setup(2);
    map.set('a', 1, 100);
    map.set('b', 2, 100);
    map.set('c', 3, 100);
    assert.equal(map.size, 2);
    assert.equal(map.get('a'), undefined);
    assert.equal(map.evictions, 1);
    assert.deepEqual(removed, [['a', 'evicted']]);
  });

  test('sweep removes every expired entry; clear reports the rest', () => {
    const { map, removed, advance } = setup();
    map.set('a', 1, 10);
    map.set('b', 2, 50);
    advance(20);
    assert.equal(map.sweep(), 1);
    map.clear();
    assert.deepEqual(removed, [
      ['a', 'expired'],
      ['b', 'cleared'],
    ]);
    assert.equal(map.size, 0);
  });
});
