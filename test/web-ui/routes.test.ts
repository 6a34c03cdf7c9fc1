// The web UI's addresses, navigation by role and formatting (web-ui/src/lib/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROLES as SERVER_ROLES, roleAllows as serverAllows } from '../../appliance/web/accounts.js';
import { navFor, pageRole, parseRoute, PAGES } from '../../web-ui/src/lib/routes.js';
import { ROLES, roleAllows } from '../../web-ui/src/lib/roles.js';
import { countdown, duration, money, timeOfDay, uptime } from '../../web-ui/src/lib/format.js';

test('the UI ranks roles exactly as the server does', () => {
  assert.deepEqual([...ROLES], [...SERVER_ROLES]);
  for (const a of ROLES) for (const b of ROLES) assert.equal(roleAllows(a, b), serverAllows(a, b), `${a} vs ${b}`);
});

test('front desk does not see owner pages in the navigation; the owner sees them all', () => {
  const ids = (role: (typeof ROLES)[number]) => navFor(role).map((n) => n.id);
  assert.deepEqual(ids('owner'), PAGES.map((p) => p.id));
  assert.ok(ids('owner').includes('audit'));
  assert.deepEqual(ids('frontdesk'), ['today', 'live', 'calls', 'messages', 'health']);
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
  assert.equal(parseRoute('#/calls?outcome=missed').query.get('outcome'), 'missed');
  for (const bad of ['#/calls/0', '#/calls/-1', '#/calls/1e3', '#/calls/abc', '#/calls/1/2', '#/nope', '#/today/x', '#/calls/99999999999999999']) {
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
