// The owner's edits to what the receptionist knows and books: knowledge-base entries (with the
// example questions callers ask), services and their prices, providers and their hours (the one
// set of routes behind both the setup wizard and the settings, web-ui/src/pages/catalogue-editor.tsx). Every
// change is validated, audited, and used by the receptionist on its next turn: it rebuilds its
// knowledge index and refits the knowledge classifier when the catalogue's revision changes
// (agent/receptionist.ts), and slot searches read the catalogue afresh on the same signal.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, InvalidInputError, NotFoundError } from '../../errors.js';
import { removeProvider, removeService, writeProvider, writeService } from '../../booking/catalogue-writes.js';
import type { KnowledgeEntry, Provider, Service, Weekday, WeeklySpan } from '../../booking/types.js';
import type { Db } from '../../store/db.js';
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
  .strictObject({ weekday: z.number().int().min(1, 'a weekday 1 (Monday) to 7 (Sunday)').max(7, 'a weekday 1 (Monday) to 7 (Sunday)'), start: wall, end: wall })
  .refine((s) => s.start < s.end, { message: 'ends before it starts', path: ['end'] });
const spans = z.array(span).max(50);
/** Ids the box makes from names ('Glow Facial' -> 'glow-facial'). */
const catalogueId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const money = z.number().int('whole cents').min(0).max(10_000_000);

// One body for adding and for changing. Adding: a field left out takes its default. Changing: a
// field left out keeps its value (the wizard's short form and the settings' full one both fit).
const providerBody = z.strictObject({
  name: text(1, 120),
  title: z.string().trim().max(120).optional(),
  active: z.boolean().optional(),
  hours: spans,
  breaks: spans.optional(),
  /** The services they do (each service's providerIds, seen from the provider). */
  services: z.array(catalogueId).max(200).optional(),
});

const serviceBody = z.strictObject({
  name: text(1, 120),
  category: z.string().trim().max(60).optional(),
  description: z.string().trim().max(1000).optional(),
  durationMin: z.number().int().min(5, 'at least 5 minutes').max(720, 'at most 12 hours'),
  bufferBeforeMin: z.number().int().min(0).max(240).optional(),
  bufferAfterMin: z.number().int().min(0).max(240).optional(),
  priceCents: money.nullable(),
  priceText: z.string().trim().max(200).optional(),
  depositCents: money.optional(),
  consultFirst: z.boolean().optional(),
  consultServiceId: catalogueId.nullable().optional(),
  active: z.boolean().optional(),
  providerIds: z.array(catalogueId).max(50).optional(),
  aliases: words(30, 60).optional(),
});

type Span = { weekday: number; start: string; end: string };

const NEW_SERVICE: Omit<Service, 'id' | 'name' | 'durationMin' | 'priceCents'> = {
  category: '',
  description: '',
  bufferBeforeMin: 0,
  bufferAfterMin: 0,
  priceText: '',
  depositCents: 0,
  consultFirst: false,
  consultServiceId: null,
  active: true,
  providerIds: [],
  aliases: [],
};

const idParam = z.object({ id: z.string().min(1).max(64) });
const catalogueParam = z.object({ id: catalogueId });

/** 'Parking & directions' -> 'parking-directions' (knowledge entries, services, providers). */
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

/** `base`, or `base-2`, `base-3`... when taken. */
function freeId(base: string, taken: ReadonlySet<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

class CatalogueUnavailableError extends ApplianceError {
  constructor() {
    super('SPA_ERR_SETTINGS_UNAVAILABLE', 'the catalogue cannot be changed here', { status: 503 });
  }
}

/** The fields a body gave (a field left out is not an undefined that would blank one). */
function given<T extends object>(body: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
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
  const db = (): Db => {
    if (!deps.db) throw new CatalogueUnavailableError();
    return deps.db;
  };
  /** Checks what a service names (its providers, the consultation it needs) and writes it in one transaction. */
  const saveService = (id: string, s: Service): void => {
    // Two active services of one name would leave callers' words matching either.
    const same = s.active && deps.catalogue.services().find((o) => o.id !== id && o.name.toLowerCase() === s.name.toLowerCase());
    if (same) throw new InvalidInputError(`there is already a service called ${same.name}`, { name: 'already a service with this name' });
    const known = new Set(deps.catalogue.providers().map((p) => p.id));
    const unknown = (s.providerIds).filter((p) => !known.has(p));
    if (unknown.length > 0) throw new InvalidInputError(`no such provider: ${unknown.join(', ')}`, { providerIds: `no such provider: ${unknown.join(', ')}` });
    if (s.priceCents === null && s.priceText === '') throw new InvalidInputError('give a price or a price text', { priceCents: 'give a price or a price text' });
    if (s.consultServiceId !== null && (s.consultServiceId === id || !deps.catalogue.service(s.consultServiceId)?.active)) {
      throw new InvalidInputError('consultServiceId names no other service', { consultServiceId: 'another active service' });
    }
    writeService(db(), { ...s, id, providerIds: [...new Set(s.providerIds)], aliases: tidy(s.aliases) });
  };
  const saveProvider = (p: Omit<Provider, 'hours' | 'breaks'> & { hours: readonly Span[]; breaks: readonly Span[] }, serviceIds: readonly string[]): void => {
    const known = new Set(deps.catalogue.services({ includeInactive: true }).map((s) => s.id));
    const unknown = serviceIds.filter((s) => !known.has(s));
    if (unknown.length > 0) throw new InvalidInputError(`no such service: ${unknown.join(', ')}`, { services: `no such service: ${unknown.join(', ')}` });
    const week = (list: readonly Span[]): WeeklySpan[] => list.map((x) => ({ weekday: x.weekday as Weekday, start: x.start, end: x.end }));
    writeProvider(db(), { ...p, hours: week(p.hours), breaks: week(p.breaks) }, [...new Set(serviceIds)]);
  };
  return async (app) => {
    app.post('/api/knowledge', { config: { access: 'owner', audit: { action: 'knowledge.change', subject: 'knowledge' } } }, async (req, reply) => {
      const body = parseInput(knowledgeBody, req.body);
      const id = freeId(slug(body.title), new Set(deps.catalogue.knowledge().map((k) => k.id)));
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

    // Every service, inactive ones too (the editor can switch one back on).
    app.get('/api/services/all', { config: { access: 'owner' } }, () => ({ services: deps.catalogue.services({ includeInactive: true }) }));

    app.post('/api/services', { config: { access: 'owner', audit: { action: 'service.change', subject: 'service' } } }, async (req, reply) => {
      const body = parseInput(serviceBody, req.body);
      const taken = deps.catalogue.services({ includeInactive: true });
      const id = freeId(slug(body.name), new Set(taken.map((s) => s.id)));
      saveService(id, { ...NEW_SERVICE, id, ...given(body) });
      req.auditSubject = id;
      req.auditDetail = 'added';
      return reply.code(201).send({ service: deps.catalogue.service(id) });
    });

    app.put('/api/services/:id', { config: { access: 'owner', audit: { action: 'service.change', subject: 'service' } } }, (req) => {
      const { id } = parseInput(catalogueParam, req.params, 'params');
      const body = parseInput(serviceBody, req.body);
      const now = deps.catalogue.service(id);
      if (!now) throw new NotFoundError('service', id);
      saveService(id, { ...now, ...given(body) });
      req.auditDetail = 'changed';
      return { service: deps.catalogue.service(id) };
    });

    app.delete('/api/services/:id', { config: { access: 'owner', audit: { action: 'service.change', subject: 'service' } } }, (req) => {
      const { id } = parseInput(catalogueParam, req.params, 'params');
      if (!removeService(db(), id)) throw new NotFoundError('service', id);
      req.auditDetail = 'removed';
      return { ok: true };
    });

    app.post('/api/providers', { config: { access: 'owner', audit: { action: 'provider.change', subject: 'provider' } } }, async (req, reply) => {
      const body = parseInput(providerBody, req.body);
      const id = freeId(slug(body.name), new Set(deps.catalogue.providers().map((p) => p.id)));
      saveProvider({ id, title: '', active: true, breaks: [], ...given(body) }, body.services ?? []);
      req.auditSubject = id;
      req.auditDetail = 'added';
      return reply.code(201).send({ provider: deps.catalogue.providers().find((p) => p.id === id) });
    });

    app.put('/api/providers/:id', { config: { access: 'owner', audit: { action: 'provider.change', subject: 'provider' } } }, (req) => {
      const { id } = parseInput(catalogueParam, req.params, 'params');
      const body = parseInput(providerBody, req.body);
      const now = deps.catalogue.providers().find((p) => p.id === id);
      if (!now) throw new NotFoundError('provider', id);
      const doing = deps.catalogue.services({ includeInactive: true }).filter((s) => s.providerIds.includes(id)).map((s) => s.id);
      saveProvider({ ...now, ...given(body) }, body.services ?? doing);
      req.auditDetail = 'changed';
      return { provider: deps.catalogue.providers().find((p) => p.id === id) };
    });

    app.delete('/api/providers/:id', { config: { access: 'owner', audit: { action: 'provider.change', subject: 'provider' } } }, (req) => {
      const { id } = parseInput(catalogueParam, req.params, 'params');
      if (!removeProvider(db(), id)) throw new NotFoundError('provider', id);
      req.auditDetail = 'removed';
      return { ok: true };
    });
  };
}
