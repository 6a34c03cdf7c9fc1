// Insights for the owner over the last 30 or 90 days (the spa's local days, today included): calls
// by outcome and by hour of day, bookings made by source, and the value of the appointments the
// box booked (their services' prices; kept bookings only), with a per-day series for each.
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { WebDeps } from '../app.js';
import { parseInput } from '../validation.js';
import { BOX_SOURCES } from './today.js';

const query = z.strictObject({ days: z.union([z.literal('30'), z.literal('90')]).default('30').transform(Number) });

/** More calls than this in the range are counted by outcome but left out of the hour and day series. */
const MAX_CALLS = 50_000;

export function insightsRoutes(deps: WebDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/insights', { config: { access: 'owner', audit: { action: 'insights.view' } } }, (req) => {
      const { days } = parseInput(query, req.query, 'query');
      const zone = deps.catalogue.profile().timeZone;
      const now = deps.clock.now();
      const first = DateTime.fromMillis(now, { zone }).startOf('day').minus({ days: days - 1 });
      const from = first.toMillis();
      const to = now + 1;
      const dates = Array.from({ length: days }, (_, i) => first.plus({ days: i }).toISODate() ?? '');
      const dayIndex = (t: number): number => Math.floor(DateTime.fromMillis(t, { zone }).startOf('day').diff(first, 'days').days + 0.5);

      const byOutcome = deps.calls.outcomeCounts(from, to);
      const byHour = Array.from({ length: 24 }, () => 0);
      const callsByDay = dates.map(() => 0);
      for (const c of deps.calls.list({ from, to, limit: MAX_CALLS })) {
        const local = DateTime.fromMillis(c.invitedAt, { zone });
        byHour[local.hour] = (byHour[local.hour] ?? 0) + 1;
        const d = dayIndex(c.invitedAt);
        if (d >= 0 && d < days) callsByDay[d] = (callsByDay[d] ?? 0) + 1;
      }

      const prices = new Map(deps.catalogue.services({ includeInactive: true }).map((s) => [s.id, s.priceCents]));
      const made = deps.bookings.bookedBetween(from, to).filter((a) => a.status !== 'cancelled');
      const bySource: Record<string, number> = { call: 0, sms: 0, web: 0, staff: 0 };
      const revenueByDay = dates.map(() => 0);
      const boxByDay = dates.map(() => 0);
      let revenueCents = 0;
      let unpriced = 0;
      let boxBookings = 0;
      for (const a of made) {
        bySource[a.source] = (bySource[a.source] ?? 0) + 1;
        if (!BOX_SOURCES.includes(a.source)) continue;
        boxBookings++;
        const d = dayIndex(a.createdAt);
        const price = prices.get(a.serviceId) ?? null;
        if (price === null) unpriced++;
        else revenueCents += price;
        if (d >= 0 && d < days) {
          boxByDay[d] = (boxByDay[d] ?? 0) + 1;
          revenueByDay[d] = (revenueByDay[d] ?? 0) + (price ?? 0);
        }
      }
      const total = Object.values(byOutcome).reduce((x, y) => x + y, 0);
      return {
        timeZone: zone,
        days,
        from: dates[0],
        to: dates[dates.length - 1],
        calls: { total, byOutcome, byHour, byDay: callsByDay },
        bookings: { bySource, box: boxBookings, boxByDay },
        revenue: { cents: revenueCents, unpriced, byDay: revenueByDay },
        dates,
      };
    });
  };
}
