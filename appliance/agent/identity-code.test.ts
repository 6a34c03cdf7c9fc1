// One-time identity codes on a fake clock: one per conversation, two tries, ten minutes; digits
// typed or said.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../shared/fake-clock.js';
import { CODE_TTL_MS, IdentityCodes, digitsIn } from './identity-code.js';

function codes(clock: FakeClock, sent: string[] = []): IdentityCodes {
  return new IdentityCodes({ clock, send: (_phone, body) => (sent.push(body), true), random: (n) => '4'.repeat(n) });
}

test('a code is sent once per conversation and is right once; a wrong try leaves one more, after two it is spent', () => {
  const clock = new FakeClock();
  const sent: string[] = [];
  const c = codes(clock, sent);
  assert.equal(c.send('a', '+12035550188', 'Spa'), true);
  assert.equal(c.send('a', '+12035550188', 'Spa'), false, 'not twice in a conversation');
  assert.equal(sent.length, 1);
  assert.match(sent[0] ?? '', /^Spa: your code is 444444\./);
  assert.equal(c.check('a', '444444'), 'right');
  assert.equal(c.check('a', '444444'), 'spent', 'used');
  c.send('b', '+12035550188', 'Spa');
  assert.equal(c.check('b', '123456'), 'wrong');
  assert.equal(c.check('b', '444444'), 'right', 'the second try');
  c.send('d', '+12035550188', 'Spa');
  assert.equal(c.check('d', '123456'), 'wrong');
  assert.equal(c.check('d', '654321'), 'spent', 'two wrong tries');
  assert.equal(c.check('d', '444444'), 'spent', 'none after them, even the right one');
  assert.equal(c.check('c', '444444'), 'spent', 'none sent');
});

test('a code older than ten minutes is spent; a send that fails issues no code', () => {
  const clock = new FakeClock();
  const c = codes(clock);
  c.send('a', '+12035550188', 'Spa');
  clock.advance(CODE_TTL_MS + 1);
  assert.equal(c.check('a', '444444'), 'spent');
  const failing = new IdentityCodes({ clock, send: () => false });
  assert.equal(failing.send('a', '+12035550188', 'Spa'), false);
  assert.equal(failing.check('a', '444444'), 'spent');
});

test('digits in an answer, typed or said', () => {
  assert.equal(digitsIn('4 8 2 1 9 3'), '482193');
  assert.equal(digitsIn('four eight two oh nine three'), '482093');
  assert.equal(digitsIn("i didn't get it"), '');
});
