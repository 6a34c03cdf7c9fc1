// The audit log: who looked at or changed personal data, when and from where. Rows are only ever
// added (triggers in the schema refuse UPDATE and DELETE), and only the owner can read them.
// Actions are stable dotted words ('call.view', 'appointment.cancel', 'user.disable'); the
// subject names a row (kind + id), never its personal content.
import type { Clock } from '../shared/clock.js';
import { Statements, type Db } from '../store/db.js';

export const AUDIT_ACTIONS = [
  'session.login',
  'session.login-failed',
  'session.logout',
  'session.password-change',
  'call.list',
  'call.view',
  'recording.play',
  'conversation.view',
  'alert.list',
  'alert.resolve',
  'today.view',
  'appointment.list',
  'appointment.view',
  'appointment.book',
  'appointment.move',
  'appointment.cancel',
  'appointment.status',
  'client.list',
  'client.view',
  'agent.chat',
  'message.list',
  'message.view',
  'message.send',
  'message.takeover',
  'message.resume',
  'settings.view',
  'settings.change',
  'knowledge.examples',
  'knowledge.change',
  'knowledge.delete',
  'service.change',
  'provider.change',
  'user.list',
  'user.create',
  'user.update',
  'user.password-reset',
  'audit.view',
  'setup.view',
  'setup.change',
  'live.view',
  'call.control',
  'conversation.list',
  'conversation.takeover',
  'conversation.reply',
  'insights.view',
  'model.install',
  // Done by the box itself (username 'system'): the nightly retention purge, a database restore.
  'retention.purge',
  'backup.restore',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  userId: number | null;
  username: string;
  sourceAddress: string;
  action: AuditAction;
  subjectKind?: string;
  subjectId?: string | number;
  /** HTTP status of the access (0 when not over HTTP). */
  status?: number;
  /** Non-personal detail, e.g. which settings keys changed. */
  detail?: string;
}

export interface AuditRow {
  id: number;
  at: number;
  userId: number | null;
  username: string;
  sourceAddress: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  status: number;
  detail: string;
}

export class AuditLog {
  private readonly sql: Statements;
  constructor(private readonly deps: { db: Db; clock: Clock }) {
    this.sql = new Statements(deps.db);
  }

  record(e: AuditEntry): void {
    this.sql
      .get(
        `INSERT INTO audit_log (at, user_id, username, source_address, action, subject_kind, subject_id, status, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.deps.clock.now(),
        e.userId,
        e.username,
        e.sourceAddress,
        e.action,
        e.subjectKind ?? '',
        e.subjectId === undefined ? '' : String(e.subjectId),
        e.status ?? 0,
        e.detail ?? '',
      );
  }

  /** Newest first; `before` pages back by row id. */
  list(q: { limit: number; before?: number | undefined; action?: string | undefined; subjectKind?: string | undefined; subjectId?: string | undefined }): AuditRow[] {
    return this.sql
      .get(
        `SELECT id, at, user_id AS userId, username, source_address AS sourceAddress, action, subject_kind AS subjectKind,
                subject_id AS subjectId, status, detail
           FROM audit_log
          WHERE (? IS NULL OR id < ?) AND (? IS NULL OR action = ?) AND (? IS NULL OR subject_kind = ?) AND (? IS NULL OR subject_id = ?)
          ORDER BY id DESC LIMIT ?`,
      )
      .all(
        q.before ?? null,
        q.before ?? null,
        q.action ?? null,
        q.action ?? null,
        q.subjectKind ?? null,
        q.subjectKind ?? null,
        q.subjectId ?? null,
        q.subjectId ?? null,
        q.limit,
      ) as AuditRow[];
  }
}
