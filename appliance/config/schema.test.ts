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
  const leaves = (value: unknown, path: string[]): string[][] =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]))
      : [path];
  const paths = leaves(settingsSchema.parse({}), []).filter((p) => p[0] !== 'version');
  assert.ok(paths.some((p) => p.join('.') === 'telephony.registration.registrar'), 'nested sections are walked');
  for (const path of paths) assert.ok(allowedAt(path), `no words for ${path.join('.')}`);
});

test('the keys a file may hold leave out the env-only settings', () => {
  const keys = knownKeysAt([]) ?? [];
  assert.ok(keys.includes('telephony'));
  assert.ok(!keys.includes('dataDir') && !keys.includes('adminPassword'));
  assert.deepEqual(knownKeysAt(['rtp']), ['portMin', 'portMax']);
});
