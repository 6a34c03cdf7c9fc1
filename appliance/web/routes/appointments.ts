// Appointments: list by date range, book, move, cancel, mark completed / no-show.
import type { FastifyPluginAsync } from 'fastify';
import { SmsStore } from '../../sms/sms-store.js';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { InvalidInputError, SlotUnavailableError } from '../../errors.js';
import { nearestAlternatives } from '../../booking/alternatives.js';
import { APPOINTMENT_SOURCES, type Appointment } from '../../booking/types.js';
import type { WebDeps } from '../app.js';
import { dateTimeText, isoDate, localDayStart, parseInput, toInstant, toIso } from '../validation.js';

const idParam = z.object({ id: z.coerce.number().int().positive('an appointment id') });

const bookBody = z.object({
  service: z.string().min(1, 'required').max(64),
  provider: z.string().min(1).max(64).nullish(),
  start: dateTimeText,
  client: z.object({
    phone: z.string().min(3, 'required').max(40),
    name: z.string().trim().min(1, 'required').max(120),
    email: z.email('not an email address').max(200).nullish(),
  }),
  notes: z.string().max(2000).optional(),
  source: z.enum(APPOINTMENT_SOURCES).default('staff'),
});

const moveBody = z.object({ start: dateTimeText, provider: z.string().min(1).max(64).nullish() });
const cancelBody = z.object({ note: z.string().max(2000).optional() });
const statusBody = z.object({ status: z.enum(['completed', 'no-show']) });
const checkQuery = z.object({
  service: z.string().min(1, 'required').max(64),
  provider: z.string().min(1).max(64).optional(),
  start: dateTimeText,
  /** The appointment being moved (its own time is not in the way). */
  appointment: z.coerce.number().int().positive('an appointment id').optional(),
});
const rangeQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

export function appointmentRoutes(deps: WebDeps): FastifyPluginAsync {
  const zone = (): string => deps.catalogue.profile().timeZone;

  const confirmations = deps.db ? new SmsStore({ db: deps.db }) : null;
  const confirmedAt = (id: number): string | null => {
    const at = confirmations?.confirmedAt(id) ?? null;
    return at === null ? null : toIso(at, zone());
  };
  const view = (a: Appointment): Record<string, unknown> => {
    const z = zone();
    const client = deps.bookings.client(a.clientId);
    const service = deps.catalogue.service(a.serviceId);
    const provider = deps.catalogue.providers().find((p) => p.id === a.providerId);
    return {
      id: a.id,
      status: a.status,
      source: a.source,
      start: toIso(a.start, z),
      end: toIso(a.end, z),
      service: { id: a.serviceId, name: service?.name ?? a.serviceId },
      provider: { id: a.providerId, name: provider?.name ?? a.providerId },
      client: client ? { id: client.id, name: client.name, phone: client.phone, email: client.email, isNew: client.isNew } : null,
      notes: a.notes,
      /** When the client confirmed it (a YES to the reminder text), or null. */
      confirmedAt: confirmedAt(a.id),
      history: deps.bookings.history(a.id).map((e) => ({
        kind: e.kind,
        source: e.source,
        at: toIso(e.at, z),
        fromStart: e.fromStart === null ? null : toIso(e.fromStart, z),
        toStart: e.toStart === null ? null : toIso(e.toStart, z),
        note: e.note,
      })),
    };
  };

  const instant = (text: string): number => {
    try {
      return toInstant(text, zone());
    } catch {
      throw new InvalidInputError('start is not a real date-time', { start: 'not a real date-time' });
    }
  };

  /**
   * A slot refused (taken, outside hours...): the error names the nearest free times for the same
   * service (and provider, when one was asked for) within three days either side, as the
   * receptionist would offer them, so staff pick one instead of guessing.
   */
  const nearest = (serviceId: string, providerId: string | null, start: number, exceptAppointment?: number): Record<string, unknown>[] => {
    const z = zone();
    const day = 86_400_000;
    const from = Math.max(deps.clock.now(), start - 3 * day);
    const slots = deps.bookings.availability({
      serviceId,
      providerId,
      from,
      to: Math.max(from, start + 4 * day),
      ...(exceptAppointment === undefined ? {} : { exceptAppointment }),
    });
    const names = new Map(deps.catalogue.providers().map((p) => [p.id, p.name]));
    return nearestAlternatives(slots, start, { timeZone: z, count: 4 }).map((s) => ({
      start: toIso(s.start, z),
      end: toIso(s.end, z),
      provider: { id: s.providerId, name: names.get(s.providerId) ?? s.providerId },
    }));
  };
  const withNearest = <T>(serviceId: string, providerId: string | null, start: number, fn: () => T, exceptAppointment?: number): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SlotUnavailableError) err.details.nearest = nearest(serviceId, providerId, start, exceptAppointment);
      throw err;
    }
  };

  return async (app) => {
    app.get('/api/appointments', { config: { access: 'frontdesk', audit: { action: 'appointment.list' } } }, (req) => {
      const q = parseInput(rangeQuery, req.query, 'query');
      const z = zone();
      const today = DateTime.fromMillis(deps.clock.now(), { zone: z }).toISODate() ?? '';
      const from = localDayStart(q.from ?? today, z);
      // `to` is inclusive: the whole of that local day.
      const to = q.to ? DateTime.fromMillis(localDayStart(q.to, z), { zone: z }).plus({ days: 1 }).toMillis() : from + 8 * 86_400_000;
      if (to <= from) throw new InvalidInputError('to is before from', { to: 'must not be before from' });
      if (to - from > 400 * 86_400_000) throw new InvalidInputError('range too long', { to: 'at most 400 days after from' });
      return { timeZone: z, appointments: deps.bookings.list(from, to).map(view) };
    });

    // Would this time be accepted? Asked before booking or moving, so a taken time is shown with
    // the nearest free ones without a refused request (the booking itself still re-checks).
    app.get('/api/appointments/check', { config: { access: 'frontdesk' } }, (req) => {
      const q = parseInput(checkQuery, req.query, 'query');
      const start = instant(q.start);
      if (q.appointment !== undefined) deps.bookings.get(q.appointment);
      const verdict = deps.bookings.check({ serviceId: q.service, start, providerId: q.provider ?? null, ...(q.appointment === undefined ? {} : { exceptAppointment: q.appointment }) });
      if (verdict.ok) return { free: true, provider: verdict.providerId };
      return { free: false, why: verdict.why, message: verdict.text, nearest: nearest(q.service, q.provider ?? null, start, q.appointment) };
    });

    app.get('/api/appointments/:id', { config: { access: 'frontdesk', audit: { action: 'appointment.view', subject: 'appointment' } } }, (req) => ({ appointment: view(deps.bookings.get(parseInput(idParam, req.params, 'params').id)) }));

    app.post('/api/appointments', { config: { access: 'frontdesk', audit: { action: 'appointment.book', subject: 'appointment' } } }, async (req, reply) => {
      const body = parseInput(bookBody, req.body);
      const start = instant(body.start);
      const appt = withNearest(body.service, body.provider ?? null, start, () =>
        deps.bookings.book({
          serviceId: body.service,
          providerId: body.provider ?? null,
          start,
          client: { phone: body.client.phone, name: body.client.name, email: body.client.email ?? null },
          source: body.source,
          notes: body.notes ?? '',
        }),
      );
      req.log.info({ appointmentId: appt.id, serviceId: appt.serviceId, source: appt.source }, 'appointment booked');
      req.auditSubject = appt.id;
      return reply.code(201).send({ appointment: view(appt) });
    });

    app.post('/api/appointments/:id/move', { config: { access: 'frontdesk', audit: { action: 'appointment.move', subject: 'appointment' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(moveBody, req.body);
      const start = instant(body.start);
      const current = deps.bookings.get(id);
      const provider = body.provider === undefined ? current.providerId : body.provider;
      const appt = withNearest(
        current.serviceId,
        provider,
        start,
        () => deps.bookings.move(id, { start, ...(body.provider === undefined ? {} : { providerId: body.provider }), source: 'staff' }),
        id,
      );
      req.log.info({ appointmentId: id }, 'appointment moved');
      return { appointment: view(appt) };
    });

    app.post('/api/appointments/:id/cancel', { config: { access: 'frontdesk', audit: { action: 'appointment.cancel', subject: 'appointment' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(cancelBody, req.body);
      const appt = deps.bookings.cancel(id, { source: 'staff', note: body.note ?? '' });
      req.log.info({ appointmentId: id }, 'appointment cancelled');
      return { appointment: view(appt) };
    });

    app.post('/api/appointments/:id/status', { config: { access: 'frontdesk', audit: { action: 'appointment.status', subject: 'appointment' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(statusBody, req.body);
      return { appointment: view(deps.bookings.setStatus(id, body.status, 'staff')) };
    });
  };
}
