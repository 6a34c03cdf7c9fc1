// Texts in SQLite: the outbox (a row is written before anything goes to the modem; each part is
// recorded as the modem accepts it, so a restart resumes after the last part handed over and a
// text is never sent twice), the inbox, delivery reports matched to parts, opt-outs, numbers that
// cannot take texts, and threads staff hold (staff_holds, shared with the chat conversations).
import type { Db } from '../store/db.js';
import { StaffHolds } from '../store/staff-holds.js';

export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'received' | 'cancelled';
/** Why a text exists: the policy (quiet hours, text-back limits) depends on it. */
export type SmsKind = 'text-back' | 'reply' | 'staff' | 'confirmation' | 'reminder' | 'alert' | 'compliance' | 'code' | 'inbound';

export interface SmsMessage {
  id: number;
  phone: string;
  direction: 'in' | 'out';
  kind: SmsKind;
  body: string;
  status: SmsStatus;
  automated: boolean;
  attempts: number;
  nextAttemptAt: number | null;
  parts: number;
  partsSent: number;
  concatRef: number | null;
  error: string | null;
  appointmentId: number | null;
  staffUser: string | null;
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
}

interface Row {
  id: number;
  phone: string;
  direction: 'in' | 'out';
  kind: SmsKind;
  body: string;
  status: SmsStatus;
  automated: number;
  attempts: number;
  next_attempt_at: number | null;
  parts: number;
  parts_sent: number;
  concat_ref: number | null;
  error: string | null;
  appointment_id: number | null;
  staff_user: string | null;
  created_at: number;
  sent_at: number | null;
  delivered_at: number | null;
}

function toMessage(r: Row): SmsMessage {
  return {
    id: r.id,
    phone: r.phone,
    direction: r.direction,
    kind: r.kind,
    body: r.body,
    status: r.status,
    automated: r.automated === 1,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    parts: r.parts,
    partsSent: r.parts_sent,
    concatRef: r.concat_ref,
    error: r.error,
    appointmentId: r.appointment_id,
    staffUser: r.staff_user,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
  };
}

export interface Thread {
  /** The thread's id (its oldest stored text's id): names it in URLs and the audit log instead of the number. */
  id: number;
  phone: string;
  lastAt: number;
  lastBody: string;
  lastDirection: 'in' | 'out';
  messages: number;
  optedOut: boolean;
  /** Staff hold the thread (the receptionist is quiet on it): who, or null. */
  heldBy: string | null;
  paused: boolean;
}

export class SmsStore {
  private holdsCache: StaffHolds | null = null;

  constructor(private readonly deps: { db: Db }) {}

  private get holds(): StaffHolds {
    this.holdsCache ??= new StaffHolds({ db: this.deps.db });
    return this.holdsCache;
  }

  private get db(): Db {
    return this.deps.db;
  }

  /**
   * The retention purge: texts created before `cutoffMs` that are done with (received, sent,
   * delivered, failed, cancelled) are deleted with their parts; queued ones stay. Opt-outs stay.
   */
  purgeOlderThan(cutoffMs: number): number {
    return this.db.prepare("DELETE FROM sms_messages WHERE created_at < ? AND status NOT IN ('queued', 'sending')").run(cutoffMs).changes;
  }

  /** Queues a text; `notBefore` holds it (quiet hours). */
  enqueue(m: { phone: string; kind: SmsKind; body: string; automated: boolean; now: number; notBefore?: number; appointmentId?: number | null; staffUser?: string | null }): SmsMessage {
    const info = this.db
      .prepare(
        `INSERT INTO sms_messages (phone, direction, kind, body, status, automated, next_attempt_at, appointment_id, staff_user, created_at)
         VALUES (?, 'out', ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      )
      .run(m.phone, m.kind, m.body, m.automated ? 1 : 0, m.notBefore ?? m.now, m.appointmentId ?? null, m.staffUser ?? null, m.now);
    return this.get(Number(info.lastInsertRowid)) as SmsMessage;
  }

  received(m: { phone: string; body: string; now: number; sentAt: number }): SmsMessage {
    const info = this.db
      .prepare(`INSERT INTO sms_messages (phone, direction, kind, body, status, created_at, sent_at) VALUES (?, 'in', 'inbound', ?, 'received', ?, ?)`)
      .run(m.phone, m.body, m.now, m.sentAt);
    return this.get(Number(info.lastInsertRowid)) as SmsMessage;
  }

  get(id: number): SmsMessage | null {
    const r = this.db.prepare('SELECT * FROM sms_messages WHERE id = ?').get(id) as Row | undefined;
    return r ? toMessage(r) : null;
  }

  /** The next text due (queued, or left mid-send by a crash), oldest first. */
  nextDue(now: number): SmsMessage | null {
    const r = this.db
      .prepare(`SELECT * FROM sms_messages WHERE direction = 'out' AND status IN ('queued', 'sending') AND COALESCE(next_attempt_at, 0) <= ? ORDER BY COALESCE(next_attempt_at, 0), id LIMIT 1`)
      .get(now) as Row | undefined;
    return r ? toMessage(r) : null;
  }

  /** When the next queued text falls due, or null when none waits. */
  nextDueAt(): number | null {
    const r = this.db.prepare(`SELECT MIN(COALESCE(next_attempt_at, 0)) AS at FROM sms_messages WHERE direction = 'out' AND status IN ('queued', 'sending')`).get() as { at: number | null };
    return r.at;
  }

  /** Marks a text as going to the modem: written before the first part is handed over. */
  beginSend(id: number, parts: number, concatRef: number): void {
    this.db.prepare(`UPDATE sms_messages SET status = 'sending', parts = ?, concat_ref = COALESCE(concat_ref, ?), attempts = attempts + 1 WHERE id = ?`).run(parts, concatRef, id);
  }

  /** A part's PDU is about to be written to the modem (written first: a crash after it leaves the text in doubt). */
  handing(id: number, part: number): void {
    this.db.prepare('UPDATE sms_messages SET handing_part = ? WHERE id = ?').run(part, id);
  }

  /** The part being handed to the modem right now (its PDU written, no answer yet), or null. */
  handingPart(id: number): number | null {
    const row = this.db.prepare('SELECT handing_part AS part FROM sms_messages WHERE id = ?').get(id) as { part: number | null } | undefined;
    return row?.part ?? null;
  }

  /**
   * At start: texts a previous run was handing to the modem when it stopped (a part written, no
   * answer recorded). The modem may well have sent that part, so it is never written again (a
   * patient never gets the same text twice): the text is marked failed with the reason, for staff
   * to see and send again by hand if it matters. Returns their ids.
   */
  settleInDoubt(): number[] {
    return this.db.transaction(() => {
      const ids = (this.db.prepare(`SELECT id FROM sms_messages WHERE status = 'sending' AND handing_part IS NOT NULL`).all() as { id: number }[]).map((r) => r.id);
      this.db
        .prepare(
          `UPDATE sms_messages SET status = 'failed', next_attempt_at = NULL, handing_part = NULL,
             error = 'the box restarted while the modem was sending it: it may have gone out, so it was not sent again'
           WHERE status = 'sending' AND handing_part IS NOT NULL`,
        )
        .run();
      return ids;
    })();
  }

  /**
   * An identity code's text once it is done with (sent, failed, or left by a restart, which
   * forgets every code): its digits are blanked, so the code is not kept in the messages staff
   * read nor in backups. A queued code left by a restart is cancelled: nobody waits for it now.
   */
  settleCodes(id?: number): void {
    this.db.transaction(() => {
      if (id === undefined) this.db.prepare("UPDATE sms_messages SET status = 'cancelled', error = 'the box restarted: the code was no longer valid', next_attempt_at = NULL WHERE kind = 'code' AND status = 'queued'").run();
      const rows = this.db.prepare("SELECT id, body FROM sms_messages WHERE kind = 'code' AND status NOT IN ('queued', 'sending') AND (? IS NULL OR id = ?)").all(id ?? null, id ?? null) as { id: number; body: string }[];
      const mask = this.db.prepare('UPDATE sms_messages SET body = ? WHERE id = ?');
      for (const r of rows) if (/\d/.test(r.body)) mask.run(r.body.replace(/\d/g, '•'), r.id);
    })();
  }

  /** One part accepted by the modem, with its message reference. */
  partHanded(id: number, part: number, reference: number, now: number): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO sms_parts (message_id, part, reference, status, handed_at) VALUES (?, ?, ?, ?, ?)').run(id, part, reference, 'sent', now);
      this.db.prepare('UPDATE sms_messages SET parts_sent = MAX(parts_sent, ?), handing_part = NULL WHERE id = ?').run(part, id);
    })();
  }

  sent(id: number, now: number): void {
    // A delivery report may have come in before the last part's answer was processed: it stands.
    this.db
      .prepare(`UPDATE sms_messages SET status = CASE WHEN status IN ('delivered', 'failed') THEN status ELSE 'sent' END, sent_at = ?, next_attempt_at = NULL WHERE id = ?`)
      .run(now, id);
  }

  retryLater(id: number, error: string, at: number): void {
    this.db.prepare(`UPDATE sms_messages SET status = 'queued', error = ?, next_attempt_at = ?, handing_part = NULL WHERE id = ?`).run(error, at, id);
  }

  /** Holds a text without counting a try (quiet hours, the daily cap). */
  holdUntil(id: number, at: number): void {
    this.db.prepare(`UPDATE sms_messages SET next_attempt_at = ? WHERE id = ?`).run(at, id);
  }

  failed(id: number, error: string): void {
    this.db.prepare(`UPDATE sms_messages SET status = 'failed', error = ?, next_attempt_at = NULL, handing_part = NULL WHERE id = ?`).run(error, id);
  }

  cancel(id: number, why: string): void {
    this.db.prepare(`UPDATE sms_messages SET status = 'cancelled', error = ?, next_attempt_at = NULL WHERE id = ? AND status = 'queued'`).run(why, id);
  }

  /**
   * A delivery report for `reference`: the newest part handed over with that reference (TP-MR
   * wraps at 256) within the last week. The text is delivered once every part is, failed when one failed.
   */
  report(reference: number, status: 'delivered' | 'pending' | 'failed', now: number): SmsMessage | null {
    const part = this.db
      .prepare(`SELECT message_id, part FROM sms_parts WHERE reference = ? AND handed_at >= ? ORDER BY handed_at DESC LIMIT 1`)
      .get(reference, now - 7 * 86_400_000) as { message_id: number; part: number } | undefined;
    if (!part || status === 'pending') return part ? this.get(part.message_id) : null;
    return this.db.transaction(() => {
      this.db.prepare('UPDATE sms_parts SET status = ? WHERE message_id = ? AND part = ?').run(status, part.message_id, part.part);
      const counts = this.db
        .prepare(`SELECT SUM(status = 'delivered') AS delivered, SUM(status = 'failed') AS failed FROM sms_parts WHERE message_id = ?`)
        .get(part.message_id) as { delivered: number; failed: number };
      const m = this.get(part.message_id);
      if (!m) return null;
      if (counts.failed > 0) this.db.prepare(`UPDATE sms_messages SET status = 'failed', error = 'the network could not deliver it' WHERE id = ?`).run(m.id);
      else if (counts.delivered >= m.parts) this.db.prepare(`UPDATE sms_messages SET status = 'delivered', delivered_at = ? WHERE id = ?`).run(now, m.id);
      return this.get(m.id);
    })();
  }

  /** The client confirmed the appointment (a YES to its reminder); the first confirmation stands. */
  confirmAppointment(appointmentId: number, now: number, via: string): void {
    this.db.prepare('INSERT OR IGNORE INTO appointment_confirmations (appointment_id, confirmed_at, via) VALUES (?, ?, ?)').run(appointmentId, now, via);
  }

  confirmedAt(appointmentId: number): number | null {
    const r = this.db.prepare('SELECT confirmed_at FROM appointment_confirmations WHERE appointment_id = ?').get(appointmentId) as { confirmed_at: number } | undefined;
    return r?.confirmed_at ?? null;
  }

  /** The newest text that went or is going to this number, compliance notices aside (what an answer answers). */
  lastConversational(phone: string): SmsMessage | null {
    const r = this.db
      .prepare(`SELECT * FROM sms_messages WHERE phone = ? AND direction = 'out' AND kind != 'compliance' AND status != 'cancelled' ORDER BY id DESC LIMIT 1`)
      .get(phone) as Row | undefined;
    return r ? toMessage(r) : null;
  }

  /** Texts handed to the modem since `since` (the daily cap). */
  sentSince(since: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM sms_messages WHERE direction = 'out' AND sent_at >= ?`).get(since) as { n: number }).n;
  }

  lastOut(phone: string, kind: SmsKind): SmsMessage | null {
    const r = this.db.prepare(`SELECT * FROM sms_messages WHERE phone = ? AND direction = 'out' AND kind = ? ORDER BY created_at DESC, id DESC LIMIT 1`).get(phone, kind) as Row | undefined;
    return r ? toMessage(r) : null;
  }

  /** Whether this very text (kind and body) was queued for this number since `since` (not counting cancelled ones). */
  sentSameSince(phone: string, kind: SmsKind, body: string, since: number): boolean {
    return (
      this.db
        .prepare(`SELECT 1 FROM sms_messages WHERE phone = ? AND direction = 'out' AND kind = ? AND body = ? AND created_at >= ? AND status != 'cancelled' LIMIT 1`)
        .get(phone, kind, body, since) !== undefined
    );
  }

  /** Whether a text of this kind was already queued for the appointment. */
  hasForAppointment(appointmentId: number, kind: SmsKind): boolean {
    return this.db.prepare('SELECT 1 FROM sms_messages WHERE appointment_id = ? AND kind = ?').get(appointmentId, kind) !== undefined;
  }

  optOut(phone: string, keyword: string, now: number): void {
    this.db.prepare('INSERT OR IGNORE INTO sms_opt_outs (phone, opted_out_at, keyword) VALUES (?, ?, ?)').run(phone, now, keyword);
    // Automated texts still waiting for this number will not go.
    this.db.prepare(`UPDATE sms_messages SET status = 'cancelled', error = 'opted out', next_attempt_at = NULL WHERE phone = ? AND status = 'queued' AND automated = 1`).run(phone);
  }

  optIn(phone: string): void {
    this.db.prepare('DELETE FROM sms_opt_outs WHERE phone = ?').run(phone);
  }

  isOptedOut(phone: string): boolean {
    return this.db.prepare('SELECT 1 FROM sms_opt_outs WHERE phone = ?').get(phone) !== undefined;
  }

  markUnreachable(phone: string, reason: string, now: number): void {
    this.db.prepare('INSERT OR REPLACE INTO sms_unreachable (phone, noted_at, reason) VALUES (?, ?, ?)').run(phone, now, reason);
  }

  isUnreachable(phone: string): boolean {
    return this.db.prepare('SELECT 1 FROM sms_unreachable WHERE phone = ?').get(phone) !== undefined;
  }

  /** Staff hold this number's thread (a reply by hand, or a take-over): the receptionist does not answer it. */
  pause(phone: string, staffUser: string | null, now: number): void {
    this.holds.hold('sms', phone, staffUser ?? 'staff', now);
  }

  resume(phone: string): boolean {
    return this.holds.release('sms', phone);
  }

  isPaused(phone: string): boolean {
    return this.heldBy(phone) !== null;
  }

  /** Who holds this number's thread, or null when the receptionist answers it. */
  heldBy(phone: string): string | null {
    return this.holds.get('sms', phone)?.heldBy ?? null;
  }

  /** A stable, non-personal name for the number's thread (the audit log's subject): its oldest stored text's id. */
  threadId(phone: string): number | null {
    const r = this.db.prepare('SELECT MIN(id) AS id FROM sms_messages WHERE phone = ?').get(phone) as { id: number | null };
    return r.id;
  }

  /** Threads (one per number), newest activity first. */
  threads(limit: number): Thread[] {
    const rows = this.db
      .prepare(
        `SELECT t.first AS id, m.phone, m.created_at AS lastAt, m.body AS lastBody, m.direction AS lastDirection, t.n AS messages,
                EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.phone = m.phone) AS optedOut,
                (SELECT h.held_by FROM staff_holds h WHERE h.channel = 'sms' AND h.thread = m.phone) AS heldBy
         FROM (SELECT phone, MIN(id) AS first, MAX(id) AS last, COUNT(*) AS n FROM sms_messages GROUP BY phone) t
         JOIN sms_messages m ON m.id = t.last
         ORDER BY m.created_at DESC, m.id DESC LIMIT ?`,
      )
      .all(limit) as Array<Omit<Thread, 'optedOut' | 'paused'> & { optedOut: number }>;
    return rows.map((r) => ({ ...r, optedOut: r.optedOut === 1, paused: r.heldBy !== null }));
  }

  /** The number of the thread with this id (see threadId), or null. */
  threadPhone(id: number): string | null {
    const r = this.db.prepare('SELECT phone FROM sms_messages WHERE id = ?').get(id) as { phone: string } | undefined;
    return r && this.threadId(r.phone) === id ? r.phone : null;
  }

  /** Messages, newest first: of one number, or all; `before` pages by id. */
  messages(opts: { phone?: string; before?: number; limit: number }): SmsMessage[] {
    const rows = this.db
      .prepare(`SELECT * FROM sms_messages WHERE (? IS NULL OR phone = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?`)
      .all(opts.phone ?? null, opts.phone ?? null, opts.before ?? null, opts.before ?? null, opts.limit) as Row[];
    return rows.map(toMessage);
  }
}
