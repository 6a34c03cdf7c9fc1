// The spa's catalogue in SQLite: profile, opening hours, closures, services, providers and
// their schedules, knowledge base. Read often, written rarely (seeding, settings).
import { Statements, type Db } from '../store/db.js';
import type {
  Closure,
  KnowledgeEntry,
  Provider,
  Service,
  SpaProfile,
  TimeOff,
  Weekday,
  WeeklySpan,
} from './types.js';

export interface SpaData {
  profile: SpaProfile;
  services: Service[];
  providers: Provider[];
  knowledge: KnowledgeEntry[];
}

interface ServiceRow {
  id: string;
  name: string;
  category: string;
  description: string;
  duration_min: number;
  buffer_before_min: number;
  buffer_after_min: number;
  price_cents: number | null;
  price_text: string;
  deposit_cents: number;
  consult_first: number;
  consult_service_id: string | null;
  active: number;
}

interface SpanRow {
  weekday: number;
  start: string;
  end: string;
}

const span = (r: SpanRow): WeeklySpan => ({ weekday: r.weekday as Weekday, start: r.start, end: r.end });

export class Catalogue {
  constructor(private readonly deps: { db: Db }) {}

  private statements: Statements | null = null;

  private get db(): Db {
    return this.deps.db;
  }

  private sql(text: string) {
    this.statements ??= new Statements(this.deps.db);
    return this.statements.get(text);
  }

  isEmpty(): boolean {
    return this.sql('SELECT 1 FROM spa_profile').get() === undefined;
  }

  /** Replaces the whole catalogue in one transaction (first-run seeding, imports). */
  replaceAll(data: SpaData): void {
    const db = this.db;
    db.transaction(() => {
      for (const t of ['service_aliases', 'provider_services', 'provider_hours', 'opening_hours', 'closures', 'knowledge']) {
        db.prepare(`DELETE FROM ${t}`).run();
      }
      const p = data.profile;
      db.prepare(
        `INSERT INTO spa_profile (id, name, address, phone, time_zone) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,
           phone = excluded.phone, time_zone = excluded.time_zone`,
      ).run(p.name, p.address, p.phone, p.timeZone);
      const hours = db.prepare('INSERT INTO opening_hours (weekday, start, end) VALUES (?, ?, ?)');
      for (const h of p.hours) hours.run(h.weekday, h.start, h.end);
      const closure = db.prepare('INSERT INTO closures (start_date, end_date, reason) VALUES (?, ?, ?)');
      for (const c of p.closures) closure.run(c.startDate, c.endDate, c.reason);

      const svc = db.prepare(
        `INSERT INTO services (id, name, category, description, duration_min, buffer_before_min, buffer_after_min,
           price_cents, price_text, deposit_cents, consult_first, consult_service_id, active)
         VALUES (@id, @name, @category, @description, @durationMin, @bufferBeforeMin, @bufferAfterMin,
           @priceCents, @priceText, @depositCents, @consultFirst, NULL, @active)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category,
           description = excluded.description, duration_min = excluded.duration_min,
           buffer_before_min = excluded.buffer_before_min, buffer_after_min = excluded.buffer_after_min,
           price_cents = excluded.price_cents, price_text = excluded.price_text,
           deposit_cents = excluded.deposit_cents, consult_first = excluded.consult_first, active = excluded.active`,
      );
      const alias = db.prepare('INSERT OR IGNORE INTO service_aliases (service_id, alias) VALUES (?, ?)');
      for (const s of data.services) {
        svc.run({ ...s, consultFirst: s.consultFirst ? 1 : 0, active: s.active ? 1 : 0 });
        for (const a of s.aliases) alias.run(s.id, a.toLowerCase());
      }
      // Consult links after every service exists (they reference each other).
      const link = db.prepare('UPDATE services SET consult_service_id = ? WHERE id = ?');
      for (const s of data.services) link.run(s.consultServiceId, s.id);

      const prov = db.prepare(
        `INSERT INTO providers (id, name, title, active) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, active = excluded.active`,
      );
      const ph = db.prepare('INSERT INTO provider_hours (provider_id, kind, weekday, start, end) VALUES (?, ?, ?, ?, ?)');
      for (const pr of data.providers) {
        prov.run(pr.id, pr.name, pr.title, pr.active ? 1 : 0);
        for (const h of pr.hours) ph.run(pr.id, 'work', h.weekday, h.start, h.end);
        for (const b of pr.breaks) ph.run(pr.id, 'break', b.weekday, b.start, b.end);
      }
      const ps = db.prepare('INSERT INTO provider_services (provider_id, service_id) VALUES (?, ?)');
      for (const s of data.services) for (const pid of s.providerIds) ps.run(pid, s.id);

      const kb = db.prepare('INSERT INTO knowledge (id, topic, title, body, tags, examples) VALUES (?, ?, ?, ?, ?, ?)');
      for (const k of data.knowledge) kb.run(k.id, k.topic, k.title, k.body, JSON.stringify(k.tags), JSON.stringify(k.examples ?? []));
    }).immediate();
  }

  /** The spa's zone follows the appliance setting (SPA_TIMEZONE): hours are read in it. */
  setTimeZone(zone: string): void {
    this.sql('UPDATE spa_profile SET time_zone = ? WHERE id = 1').run(zone);
  }

  /**
   * Memoises a read until the catalogue changes (in this process or another: triggers count every
   * write to its tables, migration 6): the schedule is read on every slot search and changes a few
   * times a year, while bookings and calls write all the time. Results are shared: treat them as
   * read-only.
   */
  private memo = new Map<string, unknown>();
  private memoToken = -1;

  /** A number that changes whenever anything in the catalogue does. */
  revision(): number {
    return (this.sql('SELECT n FROM catalogue_revision WHERE id = 1').get() as { n: number }).n;
  }

  private cached<T>(key: string, read: () => T): T {
    const token = this.revision();
    if (token !== this.memoToken) {
      this.memo.clear();
      this.memoToken = token;
    }
    if (!this.memo.has(key)) this.memo.set(key, read());
    return this.memo.get(key) as T;
  }

  profile(): SpaProfile {
    return this.cached('profile', () => this.readProfile());
  }

  private readProfile(): SpaProfile {
    const row = this.sql('SELECT name, address, phone, time_zone FROM spa_profile WHERE id = 1').get() as
      | { name: string; address: string; phone: string; time_zone: string }
      | undefined;
    if (!row) throw new Error('spa profile is not set up');
    const hours = (this.sql('SELECT weekday, start, end FROM opening_hours ORDER BY weekday, start').all() as SpanRow[]).map(span);
    return { name: row.name, address: row.address, phone: row.phone, timeZone: row.time_zone, hours, closures: this.closures() };
  }

  closures(): Closure[] {
    return (
      this.sql('SELECT id, start_date, end_date, reason FROM closures ORDER BY start_date').all() as {
        id: number;
        start_date: string;
        end_date: string;
        reason: string;
      }[]
    ).map((r) => ({ id: r.id, startDate: r.start_date, endDate: r.end_date, reason: r.reason }));
  }

  services(opts: { includeInactive?: boolean } = {}): Service[] {
    const rows = this.sql(`SELECT * FROM services ${opts.includeInactive ? '' : 'WHERE active = 1'} ORDER BY category, name`).all() as ServiceRow[];
    return this.withLinks(rows);
  }

  service(id: string): Service | undefined {
    return this.cached(`service:${id}`, () => this.readService(id));
  }

  private readService(id: string): Service | undefined {
    return this.withLinks(this.sql('SELECT * FROM services WHERE id = ?').all(id) as ServiceRow[])[0];
  }

  private withLinks(rows: ServiceRow[]): Service[] {
    const one = rows.length === 1 ? rows[0]?.id : undefined;
    const where = one === undefined ? '' : 'WHERE service_id = ?';
    const args = one === undefined ? [] : [one];
    const aliases = this.sql(`SELECT service_id, alias FROM service_aliases ${where} ORDER BY alias`).all(...args) as {
      service_id: string;
      alias: string;
    }[];
    const links = this.sql(`SELECT provider_id, service_id FROM provider_services ${where} ORDER BY provider_id`).all(...args) as {
      provider_id: string;
      service_id: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      aliases: aliases.filter((a) => a.service_id === r.id).map((a) => a.alias),
      category: r.category,
      description: r.description,
      durationMin: r.duration_min,
      bufferBeforeMin: r.buffer_before_min,
      bufferAfterMin: r.buffer_after_min,
      priceCents: r.price_cents,
      priceText: r.price_text,
      depositCents: r.deposit_cents,
      consultFirst: r.consult_first === 1,
      consultServiceId: r.consult_service_id,
      providerIds: links.filter((l) => l.service_id === r.id).map((l) => l.provider_id),
      active: r.active === 1,
    }));
  }

  providers(): Provider[] {
    return this.cached('providers', () => this.readProviders());
  }

  private readProviders(): Provider[] {
    const rows = this.sql('SELECT id, name, title, active FROM providers ORDER BY name').all() as {
      id: string;
      name: string;
      title: string;
      active: number;
    }[];
    const hours = this.sql('SELECT provider_id, kind, weekday, start, end FROM provider_hours ORDER BY weekday, start')
      .all() as (SpanRow & { provider_id: string; kind: 'work' | 'break' })[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      title: r.title,
      active: r.active === 1,
      hours: hours.filter((h) => h.provider_id === r.id && h.kind === 'work').map(span),
      breaks: hours.filter((h) => h.provider_id === r.id && h.kind === 'break').map(span),
    }));
  }

  timeOff(from: number, to: number): TimeOff[] {
    return (
      this.sql('SELECT id, provider_id, start, end, reason FROM provider_time_off WHERE end > ? AND start < ? ORDER BY start')
        .all(from, to) as { id: number; provider_id: string; start: number; end: number; reason: string }[]
    ).map((r) => ({ id: r.id, providerId: r.provider_id, start: r.start, end: r.end, reason: r.reason }));
  }

  addTimeOff(t: Omit<TimeOff, 'id'>): number {
    return Number(
      this.sql('INSERT INTO provider_time_off (provider_id, start, end, reason) VALUES (?, ?, ?, ?)')
        .run(t.providerId, t.start, t.end, t.reason).lastInsertRowid,
    );
  }

  addClosure(c: Omit<Closure, 'id'>): number {
    return Number(
      this.sql('INSERT INTO closures (start_date, end_date, reason) VALUES (?, ?, ?)')
        .run(c.startDate, c.endDate, c.reason).lastInsertRowid,
    );
  }

  /** Adds or replaces one knowledge entry (staff's edits in the settings); the receptionist's index rebuilds on the revision change. */
  putKnowledge(k: KnowledgeEntry): void {
    this.sql(
      `INSERT INTO knowledge (id, topic, title, body, tags, examples) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET topic = excluded.topic, title = excluded.title, body = excluded.body,
         tags = excluded.tags, examples = excluded.examples`,
    ).run(k.id, k.topic, k.title, k.body, JSON.stringify(k.tags), JSON.stringify(k.examples ?? []));
  }

  /** False when there is no such entry. */
  deleteKnowledge(id: string): boolean {
    return this.sql('DELETE FROM knowledge WHERE id = ?').run(id).changes > 0;
  }

  /** Replaces an entry's example questions (what staff add in the settings); false when there is no such entry. */
  setKnowledgeExamples(id: string, examples: readonly string[]): boolean {
    return this.sql('UPDATE knowledge SET examples = ? WHERE id = ?').run(JSON.stringify(examples), id).changes > 0;
  }

  knowledge(): KnowledgeEntry[] {
    return (
      this.sql('SELECT id, topic, title, body, tags, examples FROM knowledge ORDER BY topic, id').all() as {
        id: string;
        topic: string;
        title: string;
        body: string;
        tags: string;
        examples: string;
      }[]
    ).map((r) => ({ id: r.id, topic: r.topic, title: r.title, body: r.body, tags: JSON.parse(r.tags) as string[], examples: JSON.parse(r.examples) as string[] }));
  }
}
