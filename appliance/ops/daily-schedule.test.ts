import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at } from '../../test/helpers/spa.js';
import { FakeClock, settle } from '../shared/fake-clock.js';
import { DailyJob, nextDailyRun } from './daily-schedule.js';

const ZONE = 'America/New_York';
const HOUR = 3_600_000;

test('the next daily run is the next local hour:minute, across a daylight-saving change', () => {
  assert.equal(nextDailyRun(at('2026-12-06T01:00'), ZONE, 3, 0), at('2026-12-06T03:00'));
  assert.equal(nextDailyRun(at('2026-12-06T03:00'), ZONE, 3, 0), at('2026-12-07T03:00'), 'exactly at the time: tomorrow');
  assert.equal(nextDailyRun(at('2026-12-06T04:00'), ZONE, 3, 30), at('2026-12-07T03:30'));
  // 2026-11-01: clocks go back at 02:00 in New York; the day has 25 hours.
  assert.equal(nextDailyRun(at('2026-10-31T04:00'), ZONE, 3, 0) - at('2026-10-31T04:00'), 24 * HOUR);
});

test('a daily job runs at its local time each day on the fake clock, and not again after stop', async () => {
  const clock = new FakeClock({ epochMs: at('2026-12-06T01:00') });
  const runs: string[] = [];
  const job = new DailyJob({
    clock,
    zone: ZONE,
    hour: 3,
    minute: 0,
    run: async () => void runs.push(new Date(clock.now()).toISOString()),
    onError: () => undefined,
  });
  job.start();
  assert.equal(job.nextRunAt, at('2026-12-06T03:00'));
  await clock.advanceAsync(2 * HOUR - 1);
  assert.equal(runs.length, 0);
  await clock.advanceAsync(1);
  assert.deepEqual(runs, [new Date(at('2026-12-06T03:00')).toISOString()]);
  await clock.advanceAsync(24 * HOUR);
  assert.equal(runs.length, 2);
  assert.equal(job.nextRunAt, at('2026-12-08T03:00'));
  await job.stop();
  await clock.advanceAsync(48 * HOUR);
  assert.equal(runs.length, 2);
  assert.equal(job.nextRunAt, null);
});

test('a run that fails is reported and the job still runs the next day; a wall clock stepped back does not run it twice', async () => {
  const clock = new FakeClock({ epochMs: at('2026-12-06T02:00') });
  const errors: unknown[] = [];
  let runs = 0;
  const job = new DailyJob({
    clock,
    zone: ZONE,
    hour: 3,
    minute: 0,
    run: async () => {
      runs++;
      if (runs === 1) throw new Error('disk full');
    },
    onError: (err) => errors.push(err),
  });
  job.start();
  await clock.advanceAsync(HOUR);
  assert.equal(runs, 1);
  assert.equal((errors[0] as Error).message, 'disk full');
  // NTP steps the wall clock back two hours just before the next run is due.
  await clock.advanceAsync(24 * HOUR - 1000);
  clock.setWallTime(clock.now() - 2 * HOUR);
  await clock.advanceAsync(1000);
  assert.equal(runs, 1, 'not yet 03:00 on the stepped clock');
  await clock.advanceAsync(2 * HOUR);
  await settle();
  assert.equal(runs, 2);
  await job.stop();
});
