// Clients as the front desk looks them up: by name or number, and each client's visits. Read-only
// (clients are added and named by bookings.ts, the one place that books).
import { Statements, type Db } from '../store/db.js';
import type { AppointmentSource, AppointmentStatus } from './types.js';

export interface ClientSummary {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  visits: number;
  /** The next booked appointment's start (epoch ms), or null. */
  nextStart: number | null;
  lastStart: number | null;
}

export interface ClientVisit {
  id: number;
  start: number;
  end: number;
  status: AppointmentStatus;
  source: AppointmentSource;
  serviceId: string;
  providerId: string;
}

interface SummaryRow {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  visits: number;
  next_start: number | null;
  last_start: number | null;
}

const toSummary = (r: SummaryRow): ClientSummary => ({
  id: r.id,
  name: r.name,
  phone: r.phone,
  email: r.email,
  visits: r.visits,
  nextStart: r.next_start,
  lastStart: r.last_start,
});

/** LIKE with the user's text taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ClientDirectory {
  constructor(private readonly deps: { db: Db }) {}

  private statements: Statements | null = null;

  private sql(text: string) {
    this.statements ??= new Statements(this.deps.db);
    return this.statements.get(text);
  }

  private summaries(where: string, args: unknown[], now: number, limit: number): ClientSummary[] {
    return (
      this.sql(
        `SELECT c.id, c.name, c.phone, c.email,
           (SELECT COUNT(*) FROM appointments a WHERE a.client_id = c.id AND a.status = 'completed') AS visits,
           (SELECT MIN(start) FROM appointments a WHERE a.client_id = c.id AND a.status = 'booked' AND a.start >= ?) AS next_start,
           (SELECT MAX(start) FROM appointments a WHERE a.client_id = c.id AND a.start < ?) AS last_start
         FROM clients c ${where} ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?`,
      ).all(now, now, ...args, limit) as SummaryRow[]
    ).map(toSummary);
  }

  /** Clients whose name, number or email contains `text` (case-insensitive; digits also match the number without punctuation). */
  search(text: string, now: number, limit = 50): ClientSummary[] {
    const t = text.trim();
    if (t === '') return this.summaries('', [], now, limit);
    const digits = t.replace(/\D/g, '');
    const like = likePattern(t);
    return this.summaries(
      `WHERE c.name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\' ${digits.length >= 3 ? "OR c.phone LIKE ? ESCAPE '\\'" : ''}`,
      digits.length >= 3 ? [like, like, likePattern(digits)] : [like, like],
      now,
      limit,
    );
  }

  get(id: number, now: number): ClientSummary | undefined {
    return this.summaries('WHERE c.id = ?', [id], now, 1)[0];
  }

  /** Every appointment of the client, latest first. */
  visits(id: number): ClientVisit[] {
    return (
      this.sql(
        `SELECT id, start, end, status, source, service_id AS serviceId, provider_id AS providerId
           FROM appointments WHERE client_id = ? ORDER BY start DESC, id DESC`,
      ).all(id) as ClientVisit[]
    );
  }
}
