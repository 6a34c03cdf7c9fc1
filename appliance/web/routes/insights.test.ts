// GET /api/insights: the owner's 30/90-day figures (calls by outcome and hour, bookings by
// source, the value of what the box booked), over the seeded morning plus older days.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { CallLog } from '../../telephony/call-log.js';
import { openTestWeb } from '../../../test/helpers/web.js';
import { seedDay } from '../../../test/helpers/ui-seed.js';
import { at } from '../../../test/helpers/spa.js';

interface Insights {
  days: number;
  from: string;
  to: string;
  dates: string[];
  calls: { total: number; byOutcome: Record<string, number>; byHour: number[]; byDay: number[] };
  bookings: { bySource: Record<string, number>; box: number; boxByDay: number[] };
  revenue: { cents: number; unpriced: number; byDay: number[] };
}

test('insights count calls by outcome, hour and day and the value the box booked over 30 or 90 local days; owner only', async () => {
  const web = await openTestWeb();
  try {
    seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    // A missed call 40 days ago, at 15:10 local: in the 90-day figures, not the 30-day ones.
    const calls = new CallLog({ db: web.spa.db });
    const old = at('2026-10-21T15:10');
    const id = calls.invited({ sipCallId: 'old@pbx', caller: { phone: '+12035550999', raw: '', displayName: '', withheld: false, source: 'From' }, called: 'spa', sourceAddress: '127.0.0.1', at: old });
    calls.ended(id, old + 10_000, 'missed', 'caller hung up while ringing');
    const desk = await web.addUser('desk', 'frontdesk');
    assert.equal((await web.app.inject({ url: '/api/insights', headers: { cookie: desk.cookie } })).statusCode, 403);
    const cookie = await web.login();
    const get = async (q: string) => web.app.inject({ url: `/api/insights${q}`, headers: { cookie } });
    assert.equal((await get('?days=7')).statusCode, 400);
    const d30 = (await get('')).json<Insights>();
    assert.deepEqual([d30.days, d30.from, d30.to, d30.dates.length], [30, '2026-11-01', '2026-11-30', 30]);
    assert.equal(d30.calls.total, 4);
    assert.deepEqual([d30.calls.byOutcome['ai-handled'], d30.calls.byOutcome.transferred, d30.calls.byOutcome['answered-elsewhere'], d30.calls.byOutcome.missed], [1, 1, 1, 1]);
    assert.deepEqual([d30.calls.byHour[6], d30.calls.byHour[7], d30.calls.byHour[15]], [2, 2, 0]);
    assert.equal(d30.calls.byDay.at(-1), 4);
    // The call's HydraFacial counts ($199); the cancelled web booking does not; staff's counts by source only.
    assert.equal(d30.bookings.bySource.call, 1);
    assert.equal(d30.bookings.bySource.web, 0);
    assert.equal(d30.bookings.box, 1);
    assert.deepEqual([d30.revenue.cents, d30.revenue.byDay.at(-1), d30.revenue.unpriced], [19_900, 19_900, 0]);
    const d90 = (await get('?days=90')).json<Insights>();
    assert.deepEqual([d90.from, d90.calls.total, d90.calls.byOutcome.missed, d90.calls.byHour[15]], ['2026-09-02', 5, 2, 1]);
    assert.equal(d90.calls.byDay[d90.dates.indexOf('2026-10-21')], 1);
    assert.equal(web.spa.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'insights.view'").pluck().get(), 3, 'the 400 and the two views (a refused 403 is not an access)');
  } finally {
    await web.close();
  }
});
