// Appointments, clients and slot holds. Every change that claims provider time (book, move, hold)
// re-checks the slot inside one IMMEDIATE transaction: SQLite then holds the write lock from the
// check to the insert, so two processes can never both claim the same provider time.
import { randomUUID } from 'node:crypto';
import { changeToken, Statements, type Db } from '../store/db.js';
import { BookedBlocks } from './booked-blocks.js';
import { InvalidStateError, NotFoundError, SlotUnavailableError } from '../errors.js';
import { blockOf, checkSlot, eligibleProviders, findSlots, type Schedule } from './availability.js';
import type { Clock } from '../shared/clock.js';
import type { Catalogue } from './catalogue.js';
import { nameMatcher, sameName } from './names.js';
import { requireE164 } from '../shared/phone.js';
import type {
  Appointment,
  AppointmentEvent,
  AppointmentSource,
  AppointmentStatus,
  BusyBlock,
  Client,
  Service,
  Slot,
  SlotHold,
} from './types.js';

const MAX_BLOCK_MS = 24 * 3_600_000;

export interface BookingPolicy {
  minNoticeMin: number;
  slotIntervalMin: number;
  holdTtlS: number;
}

export interface ClientDetails {
  phone: string;
  name?: string;
  email?: string | null;
}

export interface BookRequest {
  serviceId: string;
  /** Omitted: the first free provider who performs the service, by id. */
  providerId?: string | null;
  start: number;
  client: ClientDetails;
  source: AppointmentSource;
  notes?: string;
  /** The holder whose hold on this slot the booking consumes. */
  holder?: string;
}

interface AppointmentRow {
  id: number;
  client_id: number;
  service_id: string;
  provider_id: string;
  start: number;
  end: number;
  block_start: number;
  block_end: number;
  status: AppointmentStatus;
  source: AppointmentSource;
  notes: string;
  created_at: number;
  updated_at: number;
}

interface ClientRow {
  id: number;
  phone: string;
  name: string;
  email: string | null;
  sms_opt_out: number;
  created_at: number;
}

const toAppointment = (r: AppointmentRow): Appointment => ({
  id: r.id,
  clientId: r.client_id,
  serviceId: r.service_id,
  providerId: r.provider_id,
  start: r.start,
  end: r.end,
  blockStart: r.block_start,
  blockEnd: r.block_end,
  status: r.status,
  source: r.source,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const REJECTION_TEXT = {
  past: 'that time has passed',
  'too-soon': 'that time is too soon to book',
  provider: 'that provider does not perform this service',
  closed: 'the spa is closed that day',
  'outside-hours': 'outside working hours',
  taken: 'that time is already taken',
} as const;

export class Bookings {
  constructor(private readonly deps: { db: Db; catalogue: Catalogue; clock: Clock; policy: BookingPolicy }) {}

  private statements: Statements | null = null;

  private get db(): Db {
    return this.deps.db;
  }

  private sql(text: string) {
    this.statements ??= new Statements(this.deps.db);
    return this.statements.get(text);
  }

  private schedule(from: number, to: number): Schedule {
    const c = this.deps.catalogue;
    const profile = c.profile();
    return {
      timeZone: profile.timeZone,
      spaHours: profile.hours,
      closures: profile.closures,
      providers: c.providers(),
      timeOff: c.timeOff(from, to),
    };
  }

  private requireService(id: string): Service {
    const s = this.deps.catalogue.service(id);
    if (!s?.active) throw new NotFoundError('service', id);
    return s;
  }

  /** Provider time taken in [from, to): booked appointments and unexpired holds (except `exceptHolder`'s). */
  busy(from: number, to: number, opts: { exceptHolder?: string; exceptAppointment?: number; fresh?: boolean } = {}): BusyBlock[] {
    const now = this.deps.clock.now();
    const except = opts.exceptAppointment ?? -1;
    const appts = (opts.fresh ? null : this.booked().between(from, to, except)) ?? this.bookedFromDb(from, to, except);
    const holds = this.sql(
      `SELECT provider_id AS providerId, block_start AS start, block_end AS end FROM slot_holds
       WHERE expires_at > ? AND block_end > ? AND block_start < ? AND holder != ?`,
    ).all(now, from, to, opts.exceptHolder ?? '') as BusyBlock[];
    return holds.length === 0 ? appts : appts.concat(holds);
  }

  private bookedFromDb(from: number, to: number, exceptId: number): BusyBlock[] {
    // block_start is bounded below because no block is longer than a day (services are at most
    // 12 hours plus 8 hours of buffers): the (status, block_start, ...) index then covers the query.
    return this.sql(
      `SELECT provider_id AS providerId, block_start AS start, block_end AS end FROM appointments
       WHERE status = 'booked' AND block_start >= ? AND block_start < ? AND block_end > ? AND id != ?`,
    ).all(from - MAX_BLOCK_MS, to, from, exceptId) as BusyBlock[];
  }

  /**
   * Every booked block in memory for searches, reloaded when the database changed (by this
   * process or another). Writes never use it: they re-read inside their transaction.
   */
  private bookedCache: { token: string; blocks: BookedBlocks } | null = null;

  private booked(): BookedBlocks {
    const token = changeToken(this.db);
    if (this.bookedCache?.token !== token) {
      const rows = this.sql(
        `SELECT id, provider_id AS providerId, block_start AS start, block_end AS end FROM appointments
         WHERE status = 'booked' AND block_start >= ? ORDER BY block_start`,
      ).all(this.deps.clock.now() - 7 * 24 * 3_600_000) as (BusyBlock & { id: number })[];
      this.bookedCache = { token, blocks: new BookedBlocks(rows, this.deps.clock.now() - 7 * 24 * 3_600_000) };
    }
    return this.bookedCache.blocks;
  }

  /** Free slots for a service in [from, to). */
  availability(q: { serviceId: string; providerId?: string | null; from: number; to: number; holder?: string; limit?: number; exceptAppointment?: number }): Slot[] {
    const service = this.requireService(q.serviceId);
    const pad = 24 * 3_600_000;
    const opts: { exceptHolder?: string; exceptAppointment?: number } = {};
    if (q.holder !== undefined) opts.exceptHolder = q.holder;
    if (q.exceptAppointment !== undefined) opts.exceptAppointment = q.exceptAppointment;
    const query = {
      ...this.schedule(q.from - pad, q.to + pad),
      service,
      providerId: q.providerId ?? null,
      busy: this.busy(q.from - pad, q.to + pad, opts),
      from: q.from,
      to: q.to,
      now: this.deps.clock.now(),
      minNoticeMin: this.deps.policy.minNoticeMin,
      intervalMin: this.deps.policy.slotIntervalMin,
    };
    return findSlots(q.limit === undefined ? query : { ...query, limit: q.limit });
  }

  /** Checks a start for `service` inside the caller's transaction; returns the provider to use. */
  private claim(service: Service, start: number, providerId: string | null | undefined, except: { holder?: string; appointment?: number }): string {
    const { start: s, end: e } = blockOf(service, start);
    const pad = 24 * 3_600_000;
    const sched = this.schedule(s - pad, e + pad);
    const busyOpts: { exceptHolder?: string; exceptAppointment?: number } = {};
    if (except.holder !== undefined) busyOpts.exceptHolder = except.holder;
    if (except.appointment !== undefined) busyOpts.exceptAppointment = except.appointment;
    const q = {
      ...sched,
      service,
      busy: this.busy(s - pad, e + pad, { ...busyOpts, fresh: true }),
      now: this.deps.clock.now(),
      minNoticeMin: this.deps.policy.minNoticeMin,
    };
    const candidates = providerId ? [providerId] : eligibleProviders(service, sched.providers).map((p) => p.id).sort();
    if (candidates.length === 0) throw new SlotUnavailableError('provider', REJECTION_TEXT.provider);
    let firstReason: keyof typeof REJECTION_TEXT = 'provider';
    for (const pid of candidates) {
      const verdict = checkSlot(q, pid, start);
      if (verdict.ok) return pid;
      if (pid === candidates[0]) firstReason = verdict.reason;
      if (verdict.reason === 'taken') firstReason = 'taken';
    }
    throw new SlotUnavailableError(firstReason, REJECTION_TEXT[firstReason], { start: new Date(start).toISOString() });
  }

  /**
   * Whether `start` could be booked for the service now, by the same rules book() and move()
   * apply (a move passes its appointment, whose own time does not count as taken). Read without
   * the write lock: a booking made in between may still take the time, and book() then refuses.
   */
  check(q: { serviceId: string; start: number; providerId?: string | null; exceptAppointment?: number }): { ok: true; providerId: string } | { ok: false; why: string; text: string } {
    const service = this.requireService(q.serviceId);
    try {
      return { ok: true, providerId: this.claim(service, q.start, q.providerId, q.exceptAppointment === undefined ? {} : { appointment: q.exceptAppointment }) };
    } catch (err) {
      if (!(err instanceof SlotUnavailableError)) throw err;
      return { ok: false, why: String(err.details.why), text: err.message.replace(/^slot not available: /, '') };
    }
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction. `edit` then updates the in-memory index of booked
   * blocks with what `fn` changed, so the next search does not reload every appointment. This is
   * sound because nobody else can write while the transaction holds the lock: if the index was
   * current when the transaction began, it is current after the edit. If the commit fails
   * after the edit, the index is dropped and rebuilt from the database on the next search.
   */
  private write<T>(fn: () => T, edit: (blocks: BookedBlocks, result: T) => void): T {
    let edited = false;
    try {
      return this.db
        .transaction((): T => {
          const cache = this.bookedCache;
          const current = cache !== null && cache.token === changeToken(this.db);
          const result = fn();
          if (current) {
            edit(cache.blocks, result);
            cache.token = changeToken(this.db);
            edited = true;
          }
          return result;
        })
        .immediate();
    } catch (err) {
      if (edited) this.bookedCache = null;
      throw err;
    }
  }

  /**
   * The client a booking is for. A booking never renames anyone: the client on that number whose
   * name matches (sameName) is used as they are on file; a number on file under a blank name (a
   * keypad booking) gets the name; otherwise a new client is added under the same number, because
   * people share phones (a parent books for a teenager, partners share a landline) and each person
   * needs their own record: their own visits decide whether an injectable needs the good-faith
   * exam first, and their own name is what identifies them when they call about an appointment.
   * With no name given, the number's first client is used.
   */
  private upsertClient(details: ClientDetails, now: number): Client {
    const phone = requireE164(details.phone, 'client.phone');
    const name = details.name?.trim() ?? '';
    const onNumber = this.clientRows(phone);
    const existing = name ? (onNumber.find((r) => sameName(name, r.name)) ?? onNumber.find((r) => r.name.trim() === '')) : onNumber[0];
    if (existing) {
      const filled = existing.name.trim() === '' ? name : existing.name;
      const email = details.email === undefined ? existing.email : details.email;
      this.sql('UPDATE clients SET name = ?, email = ? WHERE id = ?').run(filled, email, existing.id);
      return this.toClient({ ...existing, name: filled, email });
    }
    const id = Number(
      this.sql('INSERT INTO clients (phone, name, email, created_at) VALUES (?, ?, ?, ?)').run(phone, name, details.email ?? null, now).lastInsertRowid,
    );
    return { id, phone, name, email: details.email ?? null, isNew: true, smsOptOut: false, createdAt: now };
  }

  private clientRows(phone: string): ClientRow[] {
    return this.sql('SELECT * FROM clients WHERE phone = ? ORDER BY id').all(phone) as ClientRow[];
  }

  private toClient(row: ClientRow): Client {
    const visits = this.sql(`SELECT COUNT(*) AS n FROM appointments WHERE client_id = ? AND status = 'completed'`).get(row.id) as { n: number };
    return {
      id: row.id,
      phone: row.phone,
      name: row.name,
      email: row.email,
      isNew: visits.n === 0,
      smsOptOut: row.sms_opt_out === 1,
      createdAt: row.created_at,
    };
  }

  /** Everyone on file under this number, first added first (several people may share a phone). */
  clientsByPhone(phoneInput: string): Client[] {
    return this.clientRows(requireE164(phoneInput)).map((r) => this.toClient(r));
  }

  /** The number's first client on file (its owner, as a rule); see clientsByPhone for the others. */
  clientByPhone(phoneInput: string): Client | undefined {
    const row = this.clientRows(requireE164(phoneInput))[0];
    return row ? this.toClient(row) : undefined;
  }

  /** The client on this number whose name on file matches `name` (sameName), if any. */
  clientOnNumber(phoneInput: string, name: string): Client | undefined {
    const row = this.clientRows(requireE164(phoneInput)).find((r) => sameName(name, r.name));
    return row ? this.toClient(row) : undefined;
  }

  /**
   * Clients whose name on file matches `name` (sameName, on any number) and who have a booked
   * appointment starting in [from, to). Read through the appointments' start index, so it costs
   * the appointments in the range, not the whole client list.
   */
  clientsNamedWithBooking(name: string, from: number, to: number): Client[] {
    // `+a.status`: keep the planner on the start index (status alone would walk every booked row).
    const rows = this.sql(
      `SELECT c.id, c.name FROM appointments a JOIN clients c ON c.id = a.client_id
        WHERE +a.status = 'booked' AND a.start >= ? AND a.start < ?`,
    ).raw().all(from, to) as [number, string][];
    const matches = nameMatcher(name);
    const ids = new Set<number>();
    for (const [id, n] of rows) if (!ids.has(id) && matches(n)) ids.add(id);
    return [...ids].sort((a, b) => a - b).flatMap((id) => this.client(id) ?? []);
  }

  private event(e: AppointmentEvent): void {
    this.sql(
        'INSERT INTO appointment_events (appointment_id, at, kind, source, from_start, to_start, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.appointmentId, e.at, e.kind, e.source, e.fromStart, e.toStart, e.note);
  }

  book(req: BookRequest): Appointment {
    const service = this.requireService(req.serviceId);
    return this.write(
      (): Appointment => {
        const now = this.deps.clock.now();
        const except = req.holder === undefined ? {} : { holder: req.holder };
        const providerId = this.claim(service, req.start, req.providerId, except);
        const client = this.upsertClient(req.client, now);
        const b = blockOf(service, req.start);
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO appointments (client_id, service_id, provider_id, start, end, block_start, block_end,
                 status, source, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?)`,
            )
            .run(client.id, service.id, providerId, b.start, b.end, b.blockStart, b.blockEnd, req.source, req.notes ?? '', now, now)
            .lastInsertRowid,
        );
        if (req.holder !== undefined) this.sql('DELETE FROM slot_holds WHERE holder = ?').run(req.holder);
        this.event({ appointmentId: id, at: now, kind: 'booked', source: req.source, fromStart: null, toStart: b.start, note: '' });
        return this.get(id);
      },
      (blocks, a) => blocks.add({ id: a.id, providerId: a.providerId, start: a.blockStart, end: a.blockEnd }),
    );
  }

  /**
   * Moves a booked appointment to a new start (and optionally another provider), or makes it another
   * service ("switch my peel to a HydraFacial"): one change, so the old slot is never lost before the
   * new one is had. The event's note says the service it was.
   */
  move(id: number, req: { start: number; providerId?: string | null; serviceId?: string; source: AppointmentSource; holder?: string }): Appointment {
    return this.write(
      (): Appointment => {
        const now = this.deps.clock.now();
        const appt = this.get(id);
        if (appt.status !== 'booked') throw new InvalidStateError(`appointment ${id} is ${appt.status}, not booked`, { status: appt.status });
        const service = this.requireService(req.serviceId ?? appt.serviceId);
        const except: { holder?: string; appointment: number } = { appointment: id };
        if (req.holder !== undefined) except.holder = req.holder;
        // Unsaid, the provider stays, unless the new service is not one they do.
        const stays = service.id === appt.serviceId || service.providerIds.includes(appt.providerId) ? appt.providerId : null;
        const providerId = this.claim(service, req.start, req.providerId === undefined ? stays : req.providerId, except);
        const b = blockOf(service, req.start);
        this.db
          .prepare('UPDATE appointments SET service_id = ?, provider_id = ?, start = ?, end = ?, block_start = ?, block_end = ?, updated_at = ? WHERE id = ?')
          .run(service.id, providerId, b.start, b.end, b.blockStart, b.blockEnd, now, id);
        if (req.holder !== undefined) this.sql('DELETE FROM slot_holds WHERE holder = ?').run(req.holder);
        const note = service.id === appt.serviceId ? '' : `service ${appt.serviceId} -> ${service.id}`;
        this.event({ appointmentId: id, at: now, kind: 'rescheduled', source: req.source, fromStart: appt.start, toStart: b.start, note });
        return this.get(id);
      },
      (blocks, a) => {
        blocks.remove(a.id);
        blocks.add({ id: a.id, providerId: a.providerId, start: a.blockStart, end: a.blockEnd });
      },
    );
  }

  cancel(id: number, req: { source: AppointmentSource; note?: string }): Appointment {
    return this.setStatus(id, 'cancelled', req.source, req.note ?? '');
  }

  setStatus(id: number, status: Exclude<AppointmentStatus, 'booked'>, source: AppointmentSource, note = ''): Appointment {
    return this.write(
      (): Appointment => {
        const now = this.deps.clock.now();
        const appt = this.get(id);
        if (appt.status !== 'booked') throw new InvalidStateError(`appointment ${id} is ${appt.status}, not booked`, { status: appt.status });
        this.sql('UPDATE appointments SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
        this.event({ appointmentId: id, at: now, kind: status, source, fromStart: appt.start, toStart: null, note });
        return this.get(id);
      },
      (blocks, a) => blocks.remove(a.id),
    );
  }

  /**
   * Holds a slot for `holder` (a call or conversation) for the policy's TTL; replaces the holder's
   * earlier hold. `exceptAppointment`: the appointment being moved, whose own time does not count as taken.
   */
  hold(req: { serviceId: string; providerId?: string | null; start: number; holder: string; exceptAppointment?: number }): SlotHold {
    const service = this.requireService(req.serviceId);
    return this.write(
      (): SlotHold => {
        const now = this.deps.clock.now();
        this.sql('DELETE FROM slot_holds WHERE holder = ? OR expires_at <= ?').run(req.holder, now);
        const providerId = this.claim(service, req.start, req.providerId, { holder: req.holder, ...(req.exceptAppointment === undefined ? {} : { appointment: req.exceptAppointment }) });
        const b = blockOf(service, req.start);
        const hold: SlotHold = {
          id: randomUUID(),
          serviceId: service.id,
          providerId,
          ...b,
          holder: req.holder,
          expiresAt: now + this.deps.policy.holdTtlS * 1000,
        };
        this.db
          .prepare(
            `INSERT INTO slot_holds (id, service_id, provider_id, start, end, block_start, block_end, holder, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(hold.id, hold.serviceId, hold.providerId, hold.start, hold.end, hold.blockStart, hold.blockEnd, hold.holder, hold.expiresAt);
        return hold;
      },
      () => undefined, // holds are read from the database on every search
    );
  }

  releaseHolds(holder: string): void {
    this.write(
      () => this.sql('DELETE FROM slot_holds WHERE holder = ?').run(holder),
      () => undefined,
    );
  }

  get(id: number): Appointment {
    const row = this.sql('SELECT * FROM appointments WHERE id = ?').get(id) as AppointmentRow | undefined;
    if (!row) throw new NotFoundError('appointment', id);
    return toAppointment(row);
  }

  /** Appointments starting in [from, to), any status, by start. */
  list(from: number, to: number): Appointment[] {
    return (this.sql('SELECT * FROM appointments WHERE start >= ? AND start < ? ORDER BY start, id').all(from, to) as AppointmentRow[]).map(
      toAppointment,
    );
  }

  /**
   * Appointments made in [from, to) (by when they were booked, not when they take place), oldest
   * first; optionally only those from some sources, or for one client phone number.
   */
  bookedBetween(from: number, to: number, opts: { sources?: readonly AppointmentSource[]; phone?: string } = {}): Appointment[] {
    const sources = opts.sources ?? [];
    const rows = this.sql(
      `SELECT a.* FROM appointments a ${opts.phone === undefined ? '' : 'JOIN clients c ON c.id = a.client_id'}
        WHERE a.created_at >= ? AND a.created_at < ?
          ${sources.length > 0 ? `AND a.source IN (${sources.map(() => '?').join(', ')})` : ''}
          ${opts.phone === undefined ? '' : 'AND c.phone = ?'}
        ORDER BY a.created_at, a.id`,
    ).all(from, to, ...sources, ...(opts.phone === undefined ? [] : [opts.phone])) as AppointmentRow[];
    return rows.map(toAppointment);
  }

  history(id: number): AppointmentEvent[] {
    return (
      this.sql('SELECT appointment_id, at, kind, source, from_start, to_start, note FROM appointment_events WHERE appointment_id = ? ORDER BY id')
        .all(id) as {
        appointment_id: number;
        at: number;
        kind: AppointmentEvent['kind'];
        source: AppointmentSource;
        from_start: number | null;
        to_start: number | null;
        note: string;
      }[]
    ).map((r) => ({
      appointmentId: r.appointment_id,
      at: r.at,
      kind: r.kind,
      source: r.source,
      fromStart: r.from_start,
      toStart: r.to_start,
      note: r.note,
    }));
  }

  client(id: number): Client | undefined {
    const row = this.sql('SELECT * FROM clients WHERE id = ?').get(id) as ClientRow | undefined;
    return row ? this.toClient(row) : undefined;
  }
}
