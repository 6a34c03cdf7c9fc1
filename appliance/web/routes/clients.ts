// Clients for the front desk: find one by name, number or email, and see their visits.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

const searchQuery = z.object({ q: z.string().max(100, 'at most 100 characters').default('') });
const idParam = z.object({ id: z.coerce.number().int().positive('a client id') });

export function clientRoutes(deps: WebDeps): FastifyPluginAsync {
  const zone = (): string => deps.catalogue.profile().timeZone;
  const iso = (ms: number | null): string | null => (ms === null ? null : toIso(ms, zone()));
  return async (app) => {
    app.get('/api/clients', { config: { access: 'frontdesk', audit: { action: 'client.list' } } }, (req) => {
      const { q } = parseInput(searchQuery, req.query, 'query');
      const now = deps.clock.now();
      return {
        clients: deps.clients.search(q, now).map((c) => ({ ...c, nextStart: iso(c.nextStart), lastStart: iso(c.lastStart) })),
      };
    });

    app.get('/api/clients/:id', { config: { access: 'frontdesk', audit: { action: 'client.view', subject: 'client' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const client = deps.clients.get(id, deps.clock.now());
      if (!client) throw new NotFoundError('client', id);
      const services = new Map(deps.catalogue.services({ includeInactive: true }).map((s) => [s.id, s]));
      const providers = new Map(deps.catalogue.providers().map((p) => [p.id, p.name]));
      return {
        client: { ...client, nextStart: iso(client.nextStart), lastStart: iso(client.lastStart) },
        visits: deps.clients.visits(id).map((v) => ({
          id: v.id,
          start: toIso(v.start, zone()),
          end: toIso(v.end, zone()),
          status: v.status,
          source: v.source,
          service: { id: v.serviceId, name: services.get(v.serviceId)?.name ?? v.serviceId, priceCents: services.get(v.serviceId)?.priceCents ?? null },
          provider: { id: v.providerId, name: providers.get(v.providerId) ?? v.providerId },
        })),
      };
    });
  };
}
