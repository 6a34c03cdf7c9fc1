import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameWords, sameName } from './names.js';

test('a name matches its record whatever the case, spacing, punctuation, accents or word order', () => {
  for (const said of ['olivia grant', 'OLIVIA   GRANT', ' Olivia Grant. ', 'Grant, Olivia', 'grant olivia', 'Olivia Mae Grant']) {
    assert.ok(sameName(said, 'Olivia Grant'), said);
  }
  assert.ok(sameName('Jose Nunez', 'José Núñez'));
  assert.ok(sameName("Siobhan O'Brien", 'Siobhan OBrien'));
  assert.ok(sameName('Ana Smith-Jones', 'Ana Smith Jones'));
});

test('a middle name may be left out, but a different middle name is a different person', () => {
  assert.ok(sameName('Olivia Grant', 'Olivia Mae Grant'));
  assert.ok(sameName('olivia mae grant', 'Olivia Mae Grant'));
  assert.ok(!sameName('Olivia Ann Grant', 'Olivia Mae Grant'));
  assert.ok(!sameName('Mae Grant', 'Olivia Mae Grant'), 'the middle name alone is not the first name');
});

test('another first or last name, a first name alone, or nothing never matches', () => {
  assert.ok(!sameName('Emma Grant', 'Olivia Grant'), 'a relative on the same phone');
  assert.ok(!sameName('Olivia Green', 'Olivia Grant'));
  assert.ok(!sameName('Olive Grant', 'Olivia Grant'));
  assert.ok(!sameName('Olivia', 'Olivia Grant'));
  assert.ok(!sameName('Grant', 'Olivia Grant'));
  assert.ok(!sameName('', 'Olivia Grant'));
  assert.ok(!sameName('Olivia Grant', ''), 'a blank record matches nobody');
  assert.ok(!sameName('Olivia Emma Jane Grant', 'Olivia Grant'), 'two extra words are not a middle name');
});

test('name words are lower case, without accents or apostrophes', () => {
  assert.deepEqual(nameWords("  Zoë  O'Neil-Smith "), ['zoe', 'oneil', 'smith']);
});
