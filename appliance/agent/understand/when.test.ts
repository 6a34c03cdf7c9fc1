// Days and times as callers say them, read against a pinned clock: Wednesday 10 March 2027, 11:00 in
// New York. Calendar for reading the cases: Wed 10 (today), Thu 11, Fri 12, Sat 13, Sun 14, Mon 15,
// Tue 16, Wed 17, Thu 18 ... Sat 27; April 1 is a Thursday.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { slotsOf } from '../nlu/evaluate.js';
import type { WhenSpec } from '../types.js';
import { normalizeUtterance } from './normalize.js';
import { parseWhen, type WhenOptions } from './when.js';

const ZONE = 'America/New_York';
const WEDNESDAY_11AM = Date.parse('2027-03-10T16:00:00Z');

function when(said: string, opts?: WhenOptions): WhenSpec | null {
  return parseWhen(normalizeUtterance(said), WEDNESDAY_11AM, ZONE, opts);
}

function check(cases: [string, Record<string, unknown> | null][]): void {
  for (const [said, want] of cases) {
    test(`"${said}"`, () => {
      const got = when(said);
      if (want === null) return assert.equal(got, null);
      for (const [k, v] of Object.entries(want)) assert.deepEqual((got as unknown as Record<string, unknown> | null)?.[k], v, `${k} of ${JSON.stringify(got)}`);
    });
  }
}

describe('a weekday with a date: the date is the day', () => {
  check([
    ['could I come saturday the 27th', { day: '2027-03-27' }],
    ['thursday the first works', { day: '2027-04-01' }],
    ['tues 16th at 2', { day: '2027-03-16', targetMin: 840 }],
    ['saturday the twenty seventh please', { day: '2027-03-27' }],
  ]);
});

describe('weekdays count forward; "next" is next week', () => {
  check([
    ['thursday', { day: '2027-03-11' }],
    ['next thursday', { day: '2027-03-18' }],
    ['friday next week', { day: '2027-03-19' }],
    ['this coming monday', { day: '2027-03-15' }],
    ['wednesday', { day: '2027-03-10' }],
    ['thurs after 4', { day: '2027-03-11', fromMin: 960, toMin: 1440 }],
  ]);
});

describe('days from words and numbers', () => {
  check([
    ['tmrw morning', { day: '2027-03-11', part: 'morning' }],
    ["tomorrow's appointment", { day: '2027-03-11' }],
    ['the day after tomorrow', { day: '2027-03-12' }],
    ['two weeks from today', { day: '2027-03-24' }],
    ['4/2 at noon', { day: '2027-04-02', targetMin: 720 }],
    ['march 30th', { day: '2027-03-30' }],
    ['the 30th of march', { day: '2027-03-30' }],
    ['14th. 3pm.', { day: '2027-03-14', targetMin: 900 }],
  ]);
});

describe('today, by another name', () => {
  check([
    ['anything tonight?', { day: '2027-03-10', part: 'evening' }],
    ['could someone call me back this afternoon', { day: '2027-03-10', part: 'afternoon' }],
    ['this evening works', { day: '2027-03-10', part: 'evening' }],
  ]);
});

describe('holidays', () => {
  check([
    ['are you open on christmas eve', { day: '2027-12-24' }],
    ["open new year's day?", { day: '2028-01-01' }],
  ]);
  test('last Christmas, a Christmas party and "before Christmas" are no day', () => {
    assert.equal(when('my sister gave me a voucher last christmas')?.day, undefined);
    assert.equal(when('is it ok to drink at my xmas party')?.day, undefined);
    assert.equal(when('i want botox before christmas, any time the week of the 22nd')?.days, 7);
  });
});

describe('no day when none is wished for', () => {
  check([
    ['sorry, running 15 min late', null],
    ['i paid a deposit a month ago', null],
    ['my lips have been sore since yesterday', null],
    ['book it now please', null],
    ['the redness went away in 3 days', null],
    ['pain is like 8/10', null],
    ['is the sun bad for me after ipl', null],
    ['i sat in your lobby for ages', null],
  ]);
  test('a story about the past keeps its days out, a wish after it still counts', () => {
    assert.equal(when('i had a peel on friday and now it is flaking')?.day, undefined);
    assert.equal(when('my cheek is numb since the filler this morning')?.part, undefined);
    assert.equal(when('i had filler done in october and loved it, can i come tuesday')?.day, '2027-03-16');
    assert.equal(when('I was hoping to come in friday')?.day, '2027-03-12');
  });
  test('a habit ("on Thursdays") and a kind of day ("on a Saturday") are no day', () => {
    assert.equal(when('are you open late on thursdays')?.day, undefined);
    assert.equal(when('i would prefer to come on a saturday')?.day, undefined);
  });
});

describe('several days: alternatives, corrections and moves', () => {
  check([
    ['was it monday or tuesday?', null],
    ['i lost the note, am i in thursday at 5 or was it 6', { day: '2027-03-11' }],
    ['move me from the 18th to the 25th', { day: '2027-03-25' }],
    ['monday, not tuesday', { day: '2027-03-15' }],
    ['i said friday but i meant saturday', { day: '2027-03-13' }],
    ['can you move my facial to friday? monday is no good', { day: '2027-03-12' }],
    ['push it to later this week, maybe friday', { day: '2027-03-12' }],
    ["we're closed between christmas and new year's", null],
  ]);
});

describe('days offered as alternatives are those days only, over the span from the first to the last', () => {
  check([
    ['i can do monday or wednesday', { day: '2027-03-10', days: 6, anyOf: ['2027-03-10', '2027-03-15'] }],
    ["i'm free tuesday, thursday or friday after 5", { day: '2027-03-11', days: 6, anyOf: ['2027-03-11', '2027-03-12', '2027-03-16'], fromMin: 17 * 60 }],
    ['the 22nd or the 23rd works', { day: '2027-03-22', days: 2, anyOf: ['2027-03-22', '2027-03-23'] }],
    ['friday and saturday are good for me', { day: '2027-03-12', days: 2, anyOf: ['2027-03-12', '2027-03-13'] }],
    ["i can't make tuesday, can we do thursday or friday instead", { day: '2027-03-11', days: 2, anyOf: ['2027-03-11', '2027-03-12'] }],
    ['is my appointment thursday or friday?', { day: undefined }],
    ['not monday or tuesday', { anyOf: undefined }],
    ['can i come in before monday or tuesday', { anyOf: undefined }],
  ]);
});

describe('spans are no one day; a day named as a deadline ("before Friday") is the days up to it', () => {
  check([
    ['sometime next week', { day: '2027-03-15', days: 7 }],
    ['the week of the 22nd', { day: '2027-03-22', days: 7 }],
    ['this weekend', { day: '2027-03-13', days: 2 }],
    ['can i come in before friday', { day: '2027-03-10', days: 2 }],
    ['i need it done by friday', { day: '2027-03-10', days: 3 }],
    ['i have a wedding on the 18th, when should i get botox before that', { day: '2027-03-10', days: 8 }],
    ["i'm away until the 18th", { day: '2027-03-18' }],
    ['need botox asap my event is friday', { day: '2027-03-10', days: 2, asap: true }],
    ["my wedding's on the 18th, can i get a facial", { day: '2027-03-10', days: 8 }],
    ['the party is saturday so friday works', { day: '2027-03-12', days: undefined }],
    ['tuesday, before the 20th', { day: '2027-03-16' }],
  ]);
  test('the corpus slots of a span have no day', () => {
    const u = { intents: [], yes: false, no: false, services: [], correction: false, question: false, text: '', when: when('anything next week in the evening') ?? undefined };
    assert.deepEqual(slotsOf(u), { part: 'evening' });
  });
});

describe('times and parts of the day', () => {
  check([
    ['i found you after 12 years of looking', null],
    ['good morning!', null],
    ['have a lovely evening', null],
    ['around 3 or was it 4', null],
    ['just not before 4 please', { fromMin: 960, toMin: 1440 }],
    ['late afternoon, after 4 ideally', { part: 'afternoon', fromMin: 960, clock: true }],
    ['i said ten, i meant half past ten', { targetMin: 630 }],
    ['saturday around midday', { day: '2027-03-13', targetMin: 720 }],
    ['am i still on for 3', { targetMin: 900 }],
    ['the morning or the afternoon?', null],
    ['mornings instead of afternoons', { part: 'morning' }],
  ]);
  test('a time said with a part keeps both in the corpus slots', () => {
    const u = { intents: [], yes: false, no: false, services: [], correction: false, question: false, text: '', when: when('the 30th, in the morning before 9:30') ?? undefined };
    assert.deepEqual(slotsOf(u), { day: '2027-03-30', part: 'morning', time: '09:30' });
  });
});

describe('after a list was offered, "2nd" is a pick', () => {
  test('no date from a bare ordinal then, a date otherwise', () => {
    assert.equal(when('2nd works', { listOffered: true })?.day, undefined);
    assert.equal(when('2nd works')?.day, '2027-04-02');
  });
});
