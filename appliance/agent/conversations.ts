// Conversations in SQLite: the dialog state after each turn, the messages both ways, and the
// alerts left for staff. A chat or SMS conversation continues across requests and restarts.
import { randomUUID } from 'node:crypto';
import { Statements, type Db } from '../store/db.js';
import { conversationThread, HELD_BY_SQL, StaffHolds } from '../store/staff-holds.js';
import type { Channel, DialogState } from './types.js';

export type AlertKind = 'urgent' | 'message' | 'question' | 'no-availability';

export interface StaffAlert {
  id: number;
  kind: AlertKind;
  conversationId: string | null;
  phone: string | null;
  name: string;
  text: string;
  createdAt: number;
  resolvedAt: number | null;
}

export interface ConversationRecord {
  id: string;
  channel: Channel;
  phone: string | null;
  callId: number | null;
  state: DialogState;
  done: boolean;
  summary: string;
  createdAt: number;
  updatedAt: number;
  /** The staff member who took the thread over (the receptionist does not answer on it), or null. */
  heldBy: string | null;
}

/** A text conversation as the Messages page lists it. */
export interface ConversationSummary {
  id: string;
  channel: Channel;
  phone: string | null;
  done: boolean;
  heldBy: string | null;
  updatedAt: number;
  messages: number;
  last: { role: 'caller' | 'agent'; text: string } | null;
}

interface ConversationRow {
  id: string;
  channel: Channel;
  phone: string | null;
  call_id: number | null;
  state: string;
  done: number;
  summary: string;
  created_at: number;
  updated_at: number;
  held_by: string | null;
}

const toRecord = (r: ConversationRow): ConversationRecord => ({
  id: r.id,
  channel: r.channel,
  phone: r.phone,
  callId: r.call_id,
  state: JSON.parse(r.state) as DialogState,
  done: r.done === 1,
  summary: r.summary,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  heldBy: r.held_by,
});

export class Conversations {
  private statements: Statements | null = null;

  constructor(private readonly deps: { db: Db }) {}

  private sql(text: string) {
    this.statements ??= new Statements(this.deps.db);
    return this.statements.get(text);
  }

  create(c: { channel: Channel; phone: string | null; callId?: number | null; state: DialogState; at: number }): ConversationRecord {
    const id = randomUUID();
    this.sql('INSERT INTO conversations (id, channel, phone, call_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id, c.channel, c.phone, c.callId ?? null, JSON.stringify(c.state), c.at, c.at,
    );
    return { id, channel: c.channel, phone: c.phone, callId: c.callId ?? null, state: c.state, done: false, summary: '', createdAt: c.at, updatedAt: c.at, heldBy: null };
  }

  get(id: string): ConversationRecord | undefined {
    const row = this.sql(`SELECT c.*, ${HELD_BY_SQL} AS held_by FROM conversations c WHERE c.id = ?`).get(id) as ConversationRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The newest open conversation with this number on this channel, if it was active since `since`. */
  latestOpen(channel: Channel, phone: string, since: number): ConversationRecord | undefined {
    const row = this.sql(`SELECT c.*, ${HELD_BY_SQL} AS held_by FROM conversations c WHERE c.channel = ? AND c.phone = ? AND c.done = 0 AND c.updated_at >= ? ORDER BY c.updated_at DESC LIMIT 1`).get(
      channel, phone, since,
    ) as ConversationRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Saves one turn: both messages and the state after it, in one transaction. */
  saveTurn(id: string, t: { callerText: string | null; reply: string; state: DialogState; at: number }): void {
    this.deps.db.transaction(() => {
      if (t.callerText !== null) this.sql("INSERT INTO conversation_messages (conversation_id, role, text, at) VALUES (?, 'caller', ?, ?)").run(id, t.callerText, t.at);
      if (t.reply) this.sql("INSERT INTO conversation_messages (conversation_id, role, text, at) VALUES (?, 'agent', ?, ?)").run(id, t.reply, t.at);
      this.sql('UPDATE conversations SET state = ?, done = ?, phone = COALESCE(phone, ?), updated_at = ? WHERE id = ?').run(
        JSON.stringify(t.state), t.state.done ? 1 : 0, t.state.phone, t.at, id,
      );
    })();
  }

  /** Text conversations (chat, SMS), most recently active first, with their last message. */
  list(opts: { channels: readonly Channel[]; limit: number; before?: number | undefined }): ConversationSummary[] {
    const marks = opts.channels.map(() => '?').join(', ');
    const rows = this.deps.db
      .prepare(
        `SELECT c.id, c.channel, c.phone, c.done, ${HELD_BY_SQL} AS held_by, c.updated_at,
           (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS n,
           (SELECT role FROM conversation_messages m WHERE m.conversation_id = c.id ORDER BY id DESC LIMIT 1) AS last_role,
           (SELECT text FROM conversation_messages m WHERE m.conversation_id = c.id ORDER BY id DESC LIMIT 1) AS last_text
         FROM conversations c WHERE c.channel IN (${marks}) AND c.updated_at < ? ORDER BY c.updated_at DESC LIMIT ?`,
      )
      .all(...opts.channels, opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit) as {
      id: string;
      channel: Channel;
      phone: string | null;
      done: number;
      held_by: string | null;
      updated_at: number;
      n: number;
      last_role: 'caller' | 'agent' | null;
      last_text: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      phone: r.phone,
      done: r.done === 1,
      heldBy: r.held_by,
      updatedAt: r.updated_at,
      messages: r.n,
      last: r.last_role === null ? null : { role: r.last_role, text: r.last_text ?? '' },
    }));
  }

  /**
   * Staff take the thread over (by = their user name) or hand it back to the receptionist (null).
   * For an SMS conversation the thread is the number: the hold covers the texts too. False when
   * there is no such conversation.
   */
  hold(id: string, by: string | null, at: number): boolean {
    const rec = this.sql('SELECT id, channel, phone FROM conversations WHERE id = ?').get(id) as { id: string; channel: Channel; phone: string | null } | undefined;
    if (!rec) return false;
    const { channel, thread } = conversationThread(rec);
    const holds = new StaffHolds({ db: this.deps.db });
    if (by === null) holds.release(channel, thread);
    else holds.hold(channel, thread, by, at);
    return true;
  }

  finish(id: string, summary: string, at: number): void {
    this.sql('UPDATE conversations SET done = 1, summary = ?, updated_at = ? WHERE id = ?').run(summary, at, id);
  }

  messages(id: string): { role: 'caller' | 'agent'; text: string; at: number }[] {
    return this.sql('SELECT role, text, at FROM conversation_messages WHERE conversation_id = ? ORDER BY id').all(id) as {
      role: 'caller' | 'agent';
      text: string;
      at: number;
    }[];
  }

  alert(a: { kind: AlertKind; conversationId: string | null; phone: string | null; name: string; text: string; at: number }): number {
    return Number(
      this.sql('INSERT INTO staff_alerts (kind, conversation_id, phone, name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        a.kind, a.conversationId, a.phone, a.name, a.text, a.at,
      ).lastInsertRowid,
    );
  }

  alerts(opts: { open?: boolean } = {}): StaffAlert[] {
    const rows = this.sql(`SELECT * FROM staff_alerts ${opts.open ? 'WHERE resolved_at IS NULL' : ''} ORDER BY id DESC LIMIT 500`).all() as {
      id: number;
      kind: AlertKind;
      conversation_id: string | null;
      phone: string | null;
      name: string;
      text: string;
      created_at: number;
      resolved_at: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      conversationId: r.conversation_id,
      phone: r.phone,
      name: r.name,
      text: r.text,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
    }));
  }

  /** Marks an open alert done; false when there is no such alert or it was already done. */
  resolveAlert(id: number, at: number): boolean {
    return this.sql('UPDATE staff_alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL').run(at, id).changes === 1;
  }

  setCallSummary(callId: number, summary: string): void {
    this.sql('UPDATE calls SET summary = ? WHERE id = ?').run(summary, callId);
  }
}
