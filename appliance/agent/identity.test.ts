// Caller identity across conversations: guesses at a client's appointment day are limited per
// name over a day, not only per conversation (the per-conversation rules are the scenarios in
// test/scenarios/identity.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, openTestSpa } from '../../test/helpers/spa.js';
import { testReceptionist } from '../../test/helpers/agent.js';
import { MAX_WRONG_PER_NAME_PER_DAY } from './identity.js';

const ON_FILE = '+12035550188';
const STRANGER = '+12035550177';

test('a stranger who calls back to keep guessing is cut off for that name: after four wrong days in a day even the right day is refused', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const appt = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: ON_FILE, name: 'Olivia Grant' }, source: 'staff' });
    const r = testReceptionist(spa);
    const attempt = async (from: string, lines: string[]): Promise<string[]> => {
      const first = await r.chat({ from, text: 'I need to cancel my appointment' });
      const replies = [first.reply];
      for (const text of lines) replies.push((await r.chat({ conversation: first.conversation, from, text })).reply);
      return replies;
    };
    assert.equal(MAX_WRONG_PER_NAME_PER_DAY, 4);
    for (const [a, b] of [['thursday', 'friday'], ['saturday', 'tuesday']]) {
      const replies = await attempt(STRANGER, ['Olivia Grant', a ?? '', 'Grant Olivia', b ?? '']);
      assert.match(replies[replies.length - 1] ?? '', /number we have on file/);
    }
    // Third call, right day: refused like a wrong one, and nothing is read out.
    const third = await attempt('+12035550166', ['Olivia Grant', 'wednesday']);
    assert.match(third[third.length - 1] ?? '', /couldn't match that/);
    for (const reply of third) assert.doesNotMatch(reply, /Chemical Peel|Wednesday|December 2/);
    assert.equal(spa.bookings.get(appt.id).status, 'booked');
    // Another name is not held back by guesses at this one.
    spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-03T12:00'), client: { phone: '+12035550155', name: 'Emma Stone' }, source: 'staff' });
    const other = await attempt(STRANGER, ['Emma Stone', 'thursday']);
    assert.match(other[other.length - 1] ?? '', /Chemical Peel/);
    // The client herself, from her own number with her name, is not locked out.
    const own = await attempt(ON_FILE, ['Olivia Grant']);
    assert.match(own[own.length - 1] ?? '', /Chemical Peel/);
    // A day later the name may be tried again.
    spa.clock.advance(24 * 3_600_000 + 60_000);
    const later = await attempt(STRANGER, ['Olivia Grant', 'wednesday']);
    assert.match(later[later.length - 1] ?? '', /Chemical Peel/);
  } finally {
    spa.close();
  }
});
