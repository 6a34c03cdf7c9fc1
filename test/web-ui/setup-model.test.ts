// The setup wizard's helpers (web-ui/src/lib/setup-model.ts): the week editor's rows, money
// typed in dollars, ids made from names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dollarsToCents, rowsToSpans, slug, weekRows } from '../../web-ui/src/lib/setup-model.js';

test('a week of spans becomes seven rows (closed days take the fallback times) and back again without the closed days', () => {
  const rows = weekRows([{ weekday: 2, start: '10:00', end: '18:00' }], [{ weekday: 3, start: '08:00', end: '12:00' }]);
  assert.equal(rows.length, 7);
  assert.deepEqual(rows[1], { weekday: 2, open: true, start: '10:00', end: '18:00' });
  assert.deepEqual(rows[2], { weekday: 3, open: false, start: '08:00', end: '12:00' });
  assert.deepEqual(rows[6], { weekday: 7, open: false, start: '09:00', end: '17:00' });
  assert.deepEqual(rowsToSpans(rows), [{ weekday: 2, start: '10:00', end: '18:00' }]);
});

test('dollars typed by staff become cents; blank is no price and anything else is not money', () => {
  assert.equal(dollarsToCents('150'), 15_000);
  assert.equal(dollarsToCents(' $1,250.5 '), 125_050);
  assert.equal(dollarsToCents('99.99'), 9_999);
  assert.equal(dollarsToCents(''), null);
  for (const bad of ['12.345', 'ten', '-5', '1.2.3']) assert.ok(Number.isNaN(dollarsToCents(bad)), bad);
});

test('ids made from names are lower-case words joined by dashes, accents dropped', () => {
  assert.equal(slug('Glow Facial (60 min)'), 'glow-facial-60-min');
  assert.equal(slug('  Lumière  Peel! '), 'lumiere-peel');
  assert.equal(slug('***'), '');
});
