import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, keywordOf, nextAllowed } from './policy.js';

test('the carrier keywords opt out, in any case and with punctuation, only as the whole message', () => {
  for (const t of ['STOP', 'stop.', ' Unsubscribe ', 'CANCEL', 'end', 'Quit!', 'OPT OUT', 'optout', 'stop it']) assert.equal(keywordOf(t), 'stop', t);
  for (const t of ['stop texting me please', "Don't text me again", 'take me off your list', 'no more texts']) assert.equal(keywordOf(t), 'stop', t);
  for (const t of ['cancel my appointment', 'can I stop by at 3?', 'the end of the week works', 'what are your hours']) assert.equal(keywordOf(t), null, t);
  assert.equal(keywordOf('START'), 'start');
  assert.equal(keywordOf('help'), 'help');
});

test('quiet hours: 8-21 spa time; before 8 waits for 8 the same day, after 21 for 8 the next day', () => {
  const q = { startHour: 21, endHour: 8, zone: 'America/New_York' };
  const at = (s: string): number => Date.parse(s);
  assert.equal(nextAllowed(at('2026-12-01T12:00:00-05:00'), q), at('2026-12-01T12:00:00-05:00'));
  assert.equal(nextAllowed(at('2026-12-01T06:30:00-05:00'), q), at('2026-12-01T08:00:00-05:00'));
  assert.equal(nextAllowed(at('2026-12-01T21:00:00-05:00'), q), at('2026-12-02T08:00:00-05:00'));
  assert.equal(nextAllowed(at('2026-12-01T20:59:00-05:00'), q), at('2026-12-01T20:59:00-05:00'));
});

test('backoff doubles from 30 s and stops growing at an hour', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoffMs), [30_000, 60_000, 120_000, 240_000]);
  assert.equal(backoffMs(20), 3_600_000);
});
