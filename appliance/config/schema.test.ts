import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedAt, knownKeysAt, settingsSchema } from './schema.js';

test('the schema alone fills every default, with UTC when no system zone is given', () => {
  const s = settingsSchema.parse({});
  assert.equal(s.version, 1);
  assert.equal(s.timeZone, 'UTC');
  assert.deepEqual(s.rtp, { portMin: 10000, portMax: 10999 });
  assert.deepEqual(s.booking, { minNoticeMin: 120, slotIntervalMin: 15, holdTtlS: 300, horizonDays: 90 });
  assert.equal(s.adminPassword, null);
  assert.equal(s.demo, null);
});

test('every leaf setting says in words what it allows', () => {
  const s = settingsSchema.parse({});
  for (const [key, value] of Object.entries(s)) {
    const paths = typeof value === 'object' && value !== null ? Object.keys(value).map((k) => [key, k]) : [[key]];
    for (const path of paths.filter((p) => p[0] !== 'version')) assert.ok(allowedAt(path), `no words for ${path.join('.')}`);
  }
});

test('the keys a file may hold leave out the env-only settings', () => {
  const keys = knownKeysAt([]) ?? [];
  assert.ok(keys.includes('telephony'));
  assert.ok(!keys.includes('dataDir') && !keys.includes('adminPassword'));
  assert.deepEqual(knownKeysAt(['rtp']), ['portMin', 'portMax']);
});
