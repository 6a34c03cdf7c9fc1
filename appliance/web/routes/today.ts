// The front desk's day at a glance (the Today page) in one request: how today's calls went, what
// the box booked today and what it is worth, the alerts still waiting (urgent first), and the next
// appointments. "Today" is the spa's local day.
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import type { AppointmentSource } from '../../booking/types.js';
import type { WebDeps } from '../app.js';
import { toIso } from '../validation.js';

/** Appointments the receptionist made, by its channels (staff bookings are 'staff'). */
export const BOX_SOURCES: readonly AppointmentSource[] = ['call', 'sms', 'web'];
const NEXT_COUNT = 8;
const NEXT_DAYS = 7;
const MAX_ITEMS = 100;

export function todayRoutes(deps: WebDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/today', { config: { access: 'frontdesk', audit: { action: 'today.view' } } }, () => {
      const zone = deps.catalogue.profile().timeZone;
      const now = deps.clock.now();
      const day = DateTime.fromMillis(now, { zone }).startOf('day');
      const from = day.toMillis();
      const to = day.plus({ days: 1 }).toMillis();
      const iso = (t: number): string => toIso(t, zone);

      const o = deps.calls.outcomeCounts(from, to);
      const calls = {
        box: o['ai-handled'] + o.transferred,
        staff: o['answered-elsewhere'],
        missed: o.missed,
        other: o['rejected-busy'] + o['rejected-forbidden'] + o.failed,
        inProgress: o.open,
        total: Object.values(o).reduce((a, b) => a + b, 0),
        byHour: Array.from({ length: 24 }, () => 0),
      };
      for (const c of deps.calls.list({ from, to, limit: 2000 })) {
        const hour = DateTime.fromMillis(c.invitedAt, { zone }).hour;
        calls.byHour[hour] = (calls.byHour[hour] ?? 0) + 1;
      }

      const services = new Map(deps.catalogue.services().map((s) => [s.id, s]));
      const providers = new Map(deps.catalogue.providers().map((p) => [p.id, p.name]));
      const made = deps.bookings.bookedBetween(from, to, { sources: BOX_SOURCES });
      const kept = made.filter((a) => a.status !== 'cancelled');
      const bookings = {
        count: kept.length,
        cancelled: made.length - kept.length,
        valueCents: kept.reduce((sum, a) => sum + (services.get(a.serviceId)?.priceCents ?? 0), 0),
        /** Kept bookings whose service has no single price (priced per unit, by consultation). */
        unpriced: kept.filter((a) => (services.get(a.serviceId)?.priceCents ?? null) === null).length,
        /** The latest MAX_ITEMS of them (count and value above cover all). */
        items: made.slice(-MAX_ITEMS).map((a) => ({
          id: a.id,
          status: a.status,
          source: a.source,
          start: iso(a.start),
          service: services.get(a.serviceId)?.name ?? a.serviceId,
          priceCents: services.get(a.serviceId)?.priceCents ?? null,
          client: deps.bookings.client(a.clientId)?.name ?? null,
        })),
      };

      const open = deps.receptionist ? deps.receptionist.alerts({ open: true }) : [];
      const alerts = open
        .sort((a, b) => Number(b.kind === 'urgent') - Number(a.kind === 'urgent') || b.createdAt - a.createdAt)
        .map((a) => ({ id: a.id, kind: a.kind, name: a.name, phone: a.phone, text: a.text, createdAt: iso(a.createdAt) }));

      const next = deps.bookings
        .list(now, now + NEXT_DAYS * 86_400_000)
        .filter((a) => a.status === 'booked')
        .slice(0, NEXT_COUNT)
        .map((a) => ({
          id: a.id,
          start: iso(a.start),
          end: iso(a.end),
          source: a.source,
          service: services.get(a.serviceId)?.name ?? a.serviceId,
          provider: providers.get(a.providerId) ?? a.providerId,
          client: deps.bookings.client(a.clientId)?.name ?? null,
        }));

      return { timeZone: zone, date: day.toISODate(), now: iso(now), calls, bookings, alerts, next };
    });
  };
}
