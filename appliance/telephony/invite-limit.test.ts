import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InviteLimiter, type InviteLimitSettings } from './invite-limit.js';
import { FakeClock } from '../shared/fake-clock.js';

function limiter(settings: Partial<InviteLimitSettings> = {}, isTrunk?: (a: string) => boolean) {
  const clock = new FakeClock();
  const l = new InviteLimiter({
    clock,
    settings: { maxCalls: 4, maxCallsPerSource: null, invitesPerMinute: 20, trunkNetworks: [], ...settings },
    ...(isTrunk ? { isTrunk } : {}),
  });
  return { l, clock };
}

test('by default one source may hold all lines but one; the last line stays for other sources', () => {
  const { l } = limiter();
  assert.equal(l.perSourceLimit, 3);
  assert.deepEqual(l.check('192.168.1.50', 2), { ok: true });
  assert.deepEqual(l.check('192.168.1.50', 3), { ok: false, reason: 'source-calls', limit: 3 });
  assert.deepEqual(l.check('192.168.1.60', 3), { ok: false, reason: 'source-calls', limit: 3 }, 'the count is per source, given by the caller');
  assert.deepEqual(l.check('192.168.1.60', 0), { ok: true });
});

test('a configured per-source limit applies, never above maxCalls; with one line the one source may have it', () => {
  assert.equal(limiter({ maxCallsPerSource: 2 }).l.perSourceLimit, 2);
  assert.equal(limiter({ maxCallsPerSource: 9 }).l.perSourceLimit, 4);
  assert.equal(limiter({ maxCalls: 1 }).l.perSourceLimit, 1);
});

test('new INVITEs from one source: a burst of 10, then the per-minute rate, refused with a Retry-After until the next one is due', () => {
  const { l, clock } = limiter({ invitesPerMinute: 20 });
  for (let i = 0; i < 10; i++) assert.deepEqual(l.check('10.0.0.9', 0), { ok: true }, `INVITE ${i + 1} of the burst`);
  assert.deepEqual(l.check('10.0.0.9', 0), { ok: false, reason: 'source-rate', retryAfterS: 3 });
  assert.deepEqual(l.check('10.0.0.8', 0), { ok: true }, 'another source has its own budget');
  clock.advance(2999);
  assert.equal(l.check('10.0.0.9', 0).ok, false);
  clock.advance(1);
  assert.deepEqual(l.check('10.0.0.9', 0), { ok: true }, 'one more every 3 s at 20 a minute');
  assert.equal(l.check('10.0.0.9', 0).ok, false);
});

test('a source over its call limit is refused without spending its rate budget', () => {
  const { l } = limiter({ invitesPerMinute: 2 });
  for (let i = 0; i < 5; i++) assert.equal(l.check('10.0.0.9', 3).ok, false);
  assert.deepEqual(l.check('10.0.0.9', 0), { ok: true });
  assert.deepEqual(l.check('10.0.0.9', 0), { ok: true });
  assert.equal(l.check('10.0.0.9', 0).ok, false);
});

test('trunks (telephony.trunkNetworks, or the registrar) are held only to maxCalls, which the call manager checks', () => {
  const { l } = limiter({ trunkNetworks: ['192.168.1.10/32'] }, (a) => a === '192.168.1.20');
  for (let i = 0; i < 50; i++) assert.deepEqual(l.check('192.168.1.10', 3), { ok: true });
  assert.deepEqual(l.check('192.168.1.20', 3), { ok: true });
  assert.ok(l.isTrunk('::ffff:192.168.1.10'));
  assert.equal(l.check('192.168.1.11', 3).ok, false);
});
