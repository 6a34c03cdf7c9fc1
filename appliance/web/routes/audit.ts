// The audit log for the owner: newest first, paged by id, filtered by action or subject.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z.coerce.number().int().positive().optional(),
  action: z.string().max(40).optional(),
  subjectKind: z.string().max(40).optional(),
  subjectId: z.string().max(40).optional(),
});

export function auditRoutes(deps: WebDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/audit', { config: { access: 'owner', audit: { action: 'audit.view' } } }, (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      const zone = deps.catalogue.profile().timeZone;
      return { entries: deps.audit.list(q).map((e) => ({ ...e, at: toIso(e.at, zone) })) };
    });
  };
}
