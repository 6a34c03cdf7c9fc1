import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partySize } from './party.js';

test('a booking for several people is counted; one for the caller, or for someone else alone, is one', () => {
  const cases: [string, number][] = [
    ['book me a hydrafacial for 3 people on saturday', 3],
    ['my sister and i want to come in together for facials next friday', 2],
    ['can me and my mom get botox on the same day', 2],
    ['we both want lip filler', 2],
    ['the two of us would like peels', 2],
    ['we are a party of 4', 4],
    ['is there any way to book a bridal party for hydrafacials', 0],
    ['i want to book a hydrafacial on saturday', 1],
    ['can i book botox for my mom', 1],
    ['i have 2 kids so mornings are hard', 1],
    ['i want 2 syringes of lip filler', 1],
    ['for 2 sessions of laser', 1],
  ];
  for (const [said, n] of cases) assert.equal(partySize(said), n, said);
});
