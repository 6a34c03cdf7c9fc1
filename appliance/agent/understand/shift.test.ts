import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseShift } from './shift.js';

test('a move counted from the appointment: later, earlier, by hours, minutes, days and weeks', () => {
  const cases: [string, ReturnType<typeof parseShift>][] = [
    ['can i push my peel back an hour', { minutes: 60 }],
    ['could we move it up 30 minutes', { minutes: -30 }],
    ['bump my appointment back by half an hour', { minutes: 30 }],
    ['can we do an hour later', { minutes: 60 }],
    ['2 hours earlier would be better', { minutes: -120 }],
    ['same time next week please', { days: 7 }],
    ['can you push it back a week', { days: 7 }],
    ['could i move it to the next day', { days: 1 }],
    ["i'm running 15 minutes late", null],
    ['i had botox 2 weeks ago', null],
    ['move my appointment to thursday', null],
    ['the numbing takes half an hour before', null],
  ];
  for (const [said, want] of cases) assert.deepEqual(parseShift(said), want, said);
});
