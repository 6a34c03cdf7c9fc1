import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import { Phrasing } from './phrasing.js';

const ZONE = 'America/New_York';
const at = (local: string): number => DateTime.fromISO(local, { zone: ZONE }).toMillis();

test('spoken offers on one day name it once, and today and tomorrow without "on"', () => {
  const phr = new Phrasing('voice', ZONE, at('2026-11-30T10:00'));
  assert.equal(phr.offers([at('2026-11-30T13:15'), at('2026-11-30T14:15')]), 'today I have one fifteen or two fifteen');
  assert.equal(phr.offers([at('2026-12-01T09:00'), at('2026-12-01T11:00')]), 'tomorrow I have nine or eleven');
  assert.match(phr.offers([at('2026-12-04T09:00'), at('2026-12-04T11:00')]), /^on Friday I have nine or eleven$/);
});

test('offers over two days with two on one of them say each day once', () => {
  const phr = new Phrasing('voice', ZONE, at('2026-11-30T10:00'));
  assert.equal(phr.offers([at('2026-12-01T09:00'), at('2026-12-01T16:15'), at('2026-12-03T12:00')]), 'I have tomorrow at nine or four fifteen, and Thursday at noon');
  assert.equal(new Phrasing('chat', ZONE, at('2026-11-30T10:00')).offers([at('2026-12-01T09:00'), at('2026-12-03T12:00')]), 'I have Tue Dec 1, 9 AM or Thu Dec 3, 12 PM');
});
