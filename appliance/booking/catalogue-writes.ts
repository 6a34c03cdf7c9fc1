// Edits of the spa's catalogue one part at a time (the setup wizard and the settings pages):
// the profile, opening hours and closures, one service, one provider. Each is one transaction;
// the catalogue's readers see the change at once (the revision triggers of migration 6 drop
// their memo). A service or provider that appointments still name is retired (active = 0),
// never deleted, so the calendar's history keeps its names.
import type { Db } from '../store/db.js';
import type { SpaData } from './catalogue.js';
import { demoSpa } from './demo-spa.js';
import type { Closure, Provider, Service, WeeklySpan } from './types.js';

export type ProfileFields = { name: string; address: string; phone: string; timeZone: string };

export function writeProfile(db: Db, p: ProfileFields): void {
  db.prepare(
    `INSERT INTO spa_profile (id, name, address, phone, time_zone) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, phone = excluded.phone, time_zone = excluded.time_zone`,
  ).run(p.name, p.address, p.phone, p.timeZone);
}

/** Replaces the opening hours and the closures together. */
export function writeHours(db: Db, hours: readonly WeeklySpan[], closures: readonly Omit<Closure, 'id'>[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM opening_hours').run();
    db.prepare('DELETE FROM closures').run();
    const h = db.prepare('INSERT INTO opening_hours (weekday, start, end) VALUES (?, ?, ?)');
    for (const s of hours) h.run(s.weekday, s.start, s.end);
    const c = db.prepare('INSERT INTO closures (start_date, end_date, reason) VALUES (?, ?, ?)');
    for (const x of closures) c.run(x.startDate, x.endDate, x.reason);
  }).immediate();
}

/** Adds or replaces one service (with its aliases and providers); active unless it says otherwise. */
export function writeService(db: Db, s: Omit<Service, 'active'> & { active?: boolean }): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO services (id, name, category, description, duration_min, buffer_before_min, buffer_after_min,
         price_cents, price_text, deposit_cents, consult_first, consult_service_id, active)
       VALUES (@id, @name, @category, @description, @durationMin, @bufferBeforeMin, @bufferAfterMin,
         @priceCents, @priceText, @depositCents, @consultFirst, @consultServiceId, @active)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, description = excluded.description,
         duration_min = excluded.duration_min, buffer_before_min = excluded.buffer_before_min, buffer_after_min = excluded.buffer_after_min,
         price_cents = excluded.price_cents, price_text = excluded.price_text, deposit_cents = excluded.deposit_cents,
         consult_first = excluded.consult_first, consult_service_id = excluded.consult_service_id, active = excluded.active`,
    ).run({ ...s, consultFirst: s.consultFirst ? 1 : 0, active: s.active === false ? 0 : 1 });
    db.prepare('DELETE FROM service_aliases WHERE service_id = ?').run(s.id);
    const alias = db.prepare('INSERT OR IGNORE INTO service_aliases (service_id, alias) VALUES (?, ?)');
    for (const a of s.aliases) alias.run(s.id, a.toLowerCase());
    db.prepare('DELETE FROM provider_services WHERE service_id = ?').run(s.id);
    const link = db.prepare('INSERT OR IGNORE INTO provider_services (provider_id, service_id) VALUES (?, ?)');
    for (const p of s.providerIds) link.run(p, s.id);
  }).immediate();
}

/** Adds or replaces one provider with their working hours, breaks and the services they do; active unless it says otherwise. */
export function writeProvider(db: Db, p: Omit<Provider, 'active'> & { active?: boolean }, serviceIds: readonly string[]): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO providers (id, name, title, active) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, active = excluded.active`,
    ).run(p.id, p.name, p.title, p.active === false ? 0 : 1);
    db.prepare('DELETE FROM provider_hours WHERE provider_id = ?').run(p.id);
    const h = db.prepare('INSERT INTO provider_hours (provider_id, kind, weekday, start, end) VALUES (?, ?, ?, ?, ?)');
    for (const s of p.hours) h.run(p.id, 'work', s.weekday, s.start, s.end);
    for (const s of p.breaks) h.run(p.id, 'break', s.weekday, s.start, s.end);
    db.prepare('DELETE FROM provider_services WHERE provider_id = ?').run(p.id);
    const link = db.prepare('INSERT OR IGNORE INTO provider_services (provider_id, service_id) VALUES (?, ?)');
    for (const s of serviceIds) link.run(p.id, s);
  }).immediate();
}

/** Takes a service off the catalogue: deleted when nothing names it, else retired. False when unknown. */
export function removeService(db: Db, id: string): boolean {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM services WHERE id = ?').get(id)) return false;
    const used =
      db.prepare('SELECT 1 FROM appointments WHERE service_id = ? LIMIT 1').get(id) ??
      db.prepare('SELECT 1 FROM slot_holds WHERE service_id = ? LIMIT 1').get(id) ??
      db.prepare('SELECT 1 FROM services WHERE consult_service_id = ? LIMIT 1').get(id);
    if (used) {
      db.prepare('UPDATE services SET active = 0 WHERE id = ?').run(id);
      db.prepare('DELETE FROM provider_services WHERE service_id = ?').run(id);
    } else {
      db.prepare('DELETE FROM services WHERE id = ?').run(id);
    }
    return true;
  }).immediate();
}

/** Takes a provider off the schedule: deleted when no appointment names them, else retired. False when unknown. */
export function removeProvider(db: Db, id: string): boolean {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM providers WHERE id = ?').get(id)) return false;
    const used = db.prepare('SELECT 1 FROM appointments WHERE provider_id = ? LIMIT 1').get(id) ?? db.prepare('SELECT 1 FROM slot_holds WHERE provider_id = ? LIMIT 1').get(id);
    if (used) {
      db.prepare('UPDATE providers SET active = 0 WHERE id = ?').run(id);
      db.prepare('DELETE FROM provider_services WHERE provider_id = ?').run(id);
      db.prepare('DELETE FROM provider_hours WHERE provider_id = ?').run(id);
    } else {
      db.prepare('DELETE FROM providers WHERE id = ?').run(id);
    }
    return true;
  }).immediate();
}

/**
 * The services and providers to start from: the demo spa's catalogue (its services, providers and
 * knowledge base; the spa's own profile and hours are kept) or none at all.
 */
export function startCatalogueFrom(db: Db, from: 'demo' | 'empty'): void {
  db.transaction(() => {
    const services = db.prepare('SELECT id FROM services').pluck().all() as string[];
    const providers = db.prepare('SELECT id FROM providers').pluck().all() as string[];
    db.prepare('UPDATE services SET consult_service_id = NULL').run();
    for (const id of services) removeService(db, id);
    for (const id of providers) removeProvider(db, id);
    if (from === 'empty') return;
    const demo: SpaData = demoSpa();
    for (const s of demo.services) writeService(db, { ...s, consultServiceId: null, providerIds: [] });
    for (const p of demo.providers) {
      writeProvider(
        db,
        p,
        demo.services.filter((s) => s.providerIds.includes(p.id)).map((s) => s.id),
      );
    }
    const link = db.prepare('UPDATE services SET consult_service_id = ? WHERE id = ?');
    for (const s of demo.services) link.run(s.consultServiceId, s.id);
    if ((db.prepare('SELECT COUNT(*) FROM knowledge').pluck().get() as number) === 0) {
      const kb = db.prepare('INSERT INTO knowledge (id, topic, title, body, tags, examples) VALUES (?, ?, ?, ?, ?, ?)');
      for (const k of demo.knowledge) kb.run(k.id, k.topic, k.title, k.body, JSON.stringify(k.tags), JSON.stringify(k.examples ?? []));
    }
  }).immediate();
}
