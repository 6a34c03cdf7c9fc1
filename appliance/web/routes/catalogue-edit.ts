// The owner's edits to what the receptionist knows and books: knowledge-base entries (with the
// example questions callers ask), services and their prices, providers and their hours. Every
// change is validated, audited, and used by the receptionist on its next turn: it rebuilds its
// knowledge index and refits the knowledge classifier when the catalogue's revision changes
// (agent/receptionist.ts), and slot searches read the catalogue afresh on the same signal.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import type { KnowledgeEntry, Weekday } from '../../booking/types.js';
import type { WebDeps } from '../app.js';
import { parseInput } from '../validation.js';

const text = (min: number, max: number, what = 'characters') => z.string().trim().min(min, `at least ${min} ${what}`).max(max, `at most ${max} ${what}`);
const words = (max: number, each: number) => z.array(text(1, each)).max(max, `at most ${max}`);

const knowledgeBody = z.strictObject({
  topic: text(1, 60),
  title: text(2, 120),
  body: text(2, 2000),
  tags: words(20, 40).default([]),
  examples: z.array(text(3, 200)).max(100, 'at most 100 examples').default([]),
});

const wall = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time like 09:00');
const span = z
  .strictObject({ weekday: z.number().int().min(1).max(7), start: wall, end: wall })
  .refine((s) => s.start < s.end, 'ends before it starts');

const providerBody = z.strictObject({
  name: text(1, 80),
  title: z.string().trim().max(120).default(''),
  active: z.boolean().default(true),
  hours: z.array(span).max(50),
  breaks: z.array(span).max(50).default([]),
});

const serviceBody = z
  .strictObject({
    name: text(2, 80),
    durationMin: z.number().int().min(5, 'at least 5 minutes').max(720, 'at most 12 hours'),
    bufferBeforeMin: z.number().int().min(0).max(240).default(0),
    bufferAfterMin: z.number().int().min(0).max(240).default(0),
    priceCents: z.number().int().min(0).max(100_000_00).nullable(),
    priceText: z.string().trim().max(200).default(''),
    depositCents: z.number().int().min(0).max(100_000_00).default(0),
    active: z.boolean().default(true),
    providerIds: z.array(z.string().min(1).max(64)).max(50),
    aliases: words(30, 60).default([]),
  })
  .refine((s) => s.priceCents !== null || s.priceText !== '', { message: 'give a price or a price text', path: ['priceCents'] });

const idParam = z.object({ id: z.string().min(1).max(64) });

/** 'Parking & directions' -> 'parking-directions'. */
function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'entry'
  );
}

const tidy = (list: readonly string[]): string[] => [...new Set(list.map((e) => e.replace(/\s+/g, ' ').trim()).filter((e) => e !== ''))];

export function catalogueEditRoutes(deps: WebDeps): FastifyPluginAsync {
  const entry = (id: string, b: z.infer<typeof knowledgeBody>): KnowledgeEntry => ({
    id,
    topic: b.topic,
    title: b.title,
    body: b.body,
    tags: tidy(b.tags),
    examples: tidy(b.examples),
  });
  return async (app) => {
    app.post('/api/knowledge', { config: { access: 'owner', audit: { action: 'knowledge.change', subject: 'knowledge' } } }, async (req, reply) => {
      const body = parseInput(knowledgeBody, req.body);
      const taken = new Set(deps.catalogue.knowledge().map((k) => k.id));
      const base = slug(body.title);
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
      deps.catalogue.putKnowledge(entry(id, body));
      req.auditSubject = id;
      return reply.code(201).send({ entry: deps.catalogue.knowledge().find((k) => k.id === id) });
    });

    app.put('/api/knowledge/:id', { config: { access: 'owner', audit: { action: 'knowledge.change', subject: 'knowledge' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(knowledgeBody, req.body);
      if (!deps.catalogue.knowledge().some((k) => k.id === id)) throw new NotFoundError('knowledge entry', id);
      deps.catalogue.putKnowledge(entry(id, body));
      return { entry: deps.catalogue.knowledge().find((k) => k.id === id) };
    });

    app.delete('/api/knowledge/:id', { config: { access: 'owner', audit: { action: 'knowledge.delete', subject: 'knowledge' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      if (!deps.catalogue.deleteKnowledge(id)) throw new NotFoundError('knowledge entry', id);
      return { ok: true };
    });

    // Every service, inactive ones too (the settings page can switch one back on).
    app.get('/api/services/all', { config: { access: 'owner' } }, () => ({ services: deps.catalogue.services({ includeInactive: true }) }));

    app.put('/api/services/:id', { config: { access: 'owner', audit: { action: 'service.change', subject: 'service' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(serviceBody, req.body);
      const known = new Set(deps.catalogue.providers().map((p) => p.id));
      const unknown = body.providerIds.filter((p) => !known.has(p));
      if (unknown.length > 0) throw new InvalidInputError(`no such provider: ${unknown.join(', ')}`, { providerIds: `no such provider: ${unknown.join(', ')}` });
      if (!deps.catalogue.updateService({ id, ...body, providerIds: [...new Set(body.providerIds)], aliases: tidy(body.aliases) })) throw new NotFoundError('service', id);
      return { service: deps.catalogue.service(id) };
    });

    app.put('/api/providers/:id', { config: { access: 'owner', audit: { action: 'provider.change', subject: 'provider' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(providerBody, req.body);
      const asSpans = (list: typeof body.hours) => list.map((s) => ({ weekday: s.weekday as Weekday, start: s.start, end: s.end }));
      if (!deps.catalogue.updateProvider({ id, ...body, hours: asSpans(body.hours), breaks: asSpans(body.breaks) })) throw new NotFoundError('provider', id);
      return { provider: deps.catalogue.providers().find((p) => p.id === id) };
    });
  };
}
