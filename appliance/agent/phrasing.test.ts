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
