// The web UI's addresses, navigation by role and formatting (web-ui/src/lib/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROLES as SERVER_ROLES, roleAllows as serverAllows } from '../../appliance/web/accounts.js';
import { navFor, pageRole, parseRoute, PAGES } from '../../web-ui/src/lib/routes.js';
import { ROLES, roleAllows } from '../../web-ui/src/lib/roles.js';
import { countdown, duration, money, timeOfDay, uptime } from '../../web-ui/src/lib/format.js';
import { addDays, clockLabel, gridHours, minuteOfDay, weekday, weekStart } from '../../web-ui/src/lib/calendar.js';
import { hoursToText, textToHours } from '../../web-ui/src/lib/hours-text.js';

test('the UI ranks roles exactly as the server does', () => {
  assert.deepEqual([...ROLES], [...SERVER_ROLES]);
  for (const a of ROLES) for (const b of ROLES) assert.equal(roleAllows(a, b), serverAllows(a, b), `${a} vs ${b}`);
});

test('front desk does not see owner pages in the navigation; the owner sees them all', () => {
  const ids = (role: (typeof ROLES)[number]) => navFor(role).map((n) => n.id);
  assert.deepEqual(ids('owner'), PAGES.map((p) => p.id));
  assert.ok(ids('owner').includes('audit'));
  assert.deepEqual(ids('frontdesk'), ['today', 'live', 'calendar', 'calls', 'messages', 'clients', 'health']);
  assert.ok(!ids('manager').includes('settings') && !ids('manager').includes('users'));
  assert.ok(!ids('manager').includes('setup') && !ids('manager').includes('insights'));
  assert.ok(!ids('manager').includes('audit'));
  for (const n of navFor('frontdesk')) assert.ok(roleAllows('frontdesk', pageRole(n.id)));
  assert.equal(pageRole('audit'), 'owner');
});

test('addresses map to pages, a call id must be a positive integer, and anything else is not found', () => {
  assert.equal(parseRoute('').page, 'today');
  assert.equal(parseRoute('#/').page, 'today');
  assert.equal(parseRoute('#/calls').page, 'calls');
  assert.deepEqual({ ...parseRoute('#/calls/42'), query: undefined }, { page: 'call', id: 42, query: undefined });
  assert.deepEqual({ ...parseRoute('#/clients/7'), query: undefined }, { page: 'client', id: 7, query: undefined });
  assert.equal(parseRoute('#/calendar?date=2026-12-01&view=week').query.get('view'), 'week');
  assert.equal(parseRoute('#/calls?outcome=missed').query.get('outcome'), 'missed');
  for (const bad of ['#/calls/0', '#/calls/-1', '#/calls/1e3', '#/calls/abc', '#/calls/1/2', '#/nope', '#/today/x', '#/calls/99999999999999999', '#/clients/0', '#/clients/x', '#/settings/x']) {
    assert.equal(parseRoute(bad).page, 'not-found', bad);
  }
});

test('money, durations, countdowns and times read as staff expect, in the spa zone', () => {
  assert.equal(money(45_000), '$450');
  assert.equal(money(1_250), '$12.50');
  assert.equal(duration(65_000), '1:05');
  assert.equal(duration(3_725_000), '1:02:05');
  assert.equal(countdown(60_000), '1 minute');
  assert.equal(countdown(41_200), '42 seconds');
  assert.equal(countdown(61_000), '1 minute 1 second');
  assert.equal(timeOfDay('2026-11-30T15:00:00Z', 'America/New_York'), '10:00 AM');
  assert.deepEqual([45, 720, 11_100, 187_200].map(uptime), ['45 s', '12 min', '3 h 5 min', '2 days 4 h']);
});

test('calendar dates step over month and year ends, weeks start on Monday, and times read from the spa-zone ISO text', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(weekday('2026-11-30'), 1);
  assert.equal(weekday('2026-12-06'), 7);
  assert.equal(weekStart('2026-12-06'), '2026-11-30');
  assert.equal(minuteOfDay('2026-12-01T13:45:00-05:00'), 825);
  assert.equal(clockLabel(825), '1:45 PM');
  assert.equal(clockLabel(0), '12 AM');
  assert.deepEqual(gridHours([{ weekday: 2, start: '09:30', end: '17:15' }], 2), { from: 540, to: 1080, open: true });
  assert.equal(gridHours([], 3).open, false);
});

test('weekly hours typed one span a line parse back to what they were written from, and a bad line is named', () => {
  const spans = [
    { weekday: 1, start: '09:00', end: '12:30' },
    { weekday: 1, start: '13:15', end: '17:00' },
    { weekday: 6, start: '10:00', end: '14:00' },
  ];
  assert.equal(hoursToText(spans), 'Mon 09:00-12:30\nMon 13:15-17:00\nSat 10:00-14:00');
  assert.deepEqual(textToHours(hoursToText(spans)), { spans });
  assert.deepEqual(textToHours('monday 9:00 – 17:00\n\n'), { spans: [{ weekday: 1, start: '09:00', end: '17:00' }] });
  assert.deepEqual(textToHours('Mon 09:00-17:00\nFunday 9:00-10:00'), { error: 'line 2: write it like "Mon 09:00-17:00"' });
  assert.deepEqual(textToHours('Tue 17:00-09:00'), { error: 'line 1: ends before it starts' });
});
