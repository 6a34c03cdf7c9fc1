// The catalogue as staff and scripts see it: services, the spa profile, bookable slots.
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { WebDeps } from '../app.js';
import { isoDate, localDayStart, parseInput, toIso } from '../validation.js';

export function catalogueRoutes(deps: WebDeps): FastifyPluginAsync {
  const availabilityQuery = z.object({
    service: z.string().min(1, 'required').max(64),
    provider: z.string().min(1).max(64).optional(),
    from: isoDate.optional(),
    days: z.coerce.number().int('a whole number of days').min(1, 'at least 1').max(62, 'at most 62').default(7),
  });

  const knowledgeId = z.object({ id: z.string().min(1).max(64) });
  const examplesBody = z.object({
    examples: z.array(z.string().trim().min(3, 'at least 3 characters').max(200, 'at most 200 characters'), { message: 'a list of questions' }).max(100, 'at most 100 examples'),
  });

  return async (app) => {
    app.get('/api/services', { config: { access: 'frontdesk' } }, () => {
      const providers = new Map(deps.catalogue.providers().map((p) => [p.id, p.name]));
      return {
        services: deps.catalogue.services().map((s) => ({
          ...s,
          providers: s.providerIds.map((id) => ({ id, name: providers.get(id) ?? id })),
        })),
      };
    });

    // `today`: the spa's date now (the calendar opens on it, whatever the tablet's clock says).
    app.get('/api/spa', { config: { access: 'frontdesk' } }, () => {
      const spa = deps.catalogue.profile();
      return { spa, providers: deps.catalogue.providers(), today: DateTime.fromMillis(deps.clock.now(), { zone: spa.timeZone }).toISODate() };
    });

    app.get('/api/knowledge', { config: { access: 'frontdesk' } }, () => ({ knowledge: deps.catalogue.knowledge() }));

    // The questions an entry answers, in callers' words: the receptionist matches callers against
    // them (agent/knowledge.ts), so staff teach it a new wording by adding it here.
    app.put('/api/knowledge/:id/examples', { config: { access: 'manager', audit: { action: 'knowledge.examples' } } }, (req) => {
      const { id } = parseInput(knowledgeId, req.params, 'path');
      const body = parseInput(examplesBody, req.body, 'body');
      const examples = [...new Set(body.examples.map((e) => e.trim().replace(/\s+/g, ' ')))];
      if (!deps.catalogue.setKnowledgeExamples(id, examples)) throw new NotFoundError('knowledge entry', id);
      req.auditDetail = `${id}: ${examples.length} examples`;
      return { entry: deps.catalogue.knowledge().find((k) => k.id === id) };
    });

    app.get('/api/availability', { config: { access: 'frontdesk' } }, (req) => {
      const q = parseInput(availabilityQuery, req.query, 'query');
      const zone = deps.catalogue.profile().timeZone;
      const service = deps.catalogue.service(q.service);
      if (!service?.active) throw new NotFoundError('service', q.service);
      const today = DateTime.fromMillis(deps.clock.now(), { zone }).toISODate() ?? '';
      const fromDate = q.from ?? today;
      const horizonEnd = localDayStart(today, zone) + (deps.horizonDays + 1) * 86_400_000;
      const from = localDayStart(fromDate, zone);
      const to = Math.min(DateTime.fromMillis(from, { zone }).plus({ days: q.days }).toMillis(), horizonEnd);
      const names = new Map(deps.catalogue.providers().map((p) => [p.id, p.name]));
      const slots = to > from ? deps.bookings.availability({ serviceId: service.id, providerId: q.provider ?? null, from, to }) : [];
      return {
        service: { id: service.id, name: service.name, durationMin: service.durationMin },
        timeZone: zone,
        from: fromDate,
        days: q.days,
        slots: slots.map((s) => ({
          start: toIso(s.start, zone),
          end: toIso(s.end, zone),
          provider: { id: s.providerId, name: names.get(s.providerId) ?? s.providerId },
        })),
      };
    });
  };
}
