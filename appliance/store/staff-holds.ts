// Threads staff hold: while a thread is held the receptionist answers nothing on it, whichever
// channel the next message comes by. An SMS thread is a phone number (every SMS conversation with
// it, and the texts in the outbox/inbox); a chat thread is one web chat conversation. Staff take a
// thread over (or reply by hand) and hand it back; both the SMS rules and the agent read this one table.
import { Statements, type Db } from './db.js';

export type HoldChannel = 'sms' | 'chat';

export interface Hold {
  heldBy: string;
  heldAt: number;
}

export class StaffHolds {
  private statements: Statements | null = null;

  constructor(private readonly deps: { db: Db }) {}

  private sql(text: string) {
    this.statements ??= new Statements(this.deps.db);
    return this.statements.get(text);
  }

  /** Staff (`by`) hold the thread from `at` (a newer hold replaces an older one). */
  hold(channel: HoldChannel, thread: string, by: string, at: number): void {
    this.sql('INSERT OR REPLACE INTO staff_holds (channel, thread, held_by, held_at) VALUES (?, ?, ?, ?)').run(channel, thread, by, at);
  }

  /** Hands the thread back to the receptionist; false when it was not held. */
  release(channel: HoldChannel, thread: string): boolean {
    return this.sql('DELETE FROM staff_holds WHERE channel = ? AND thread = ?').run(channel, thread).changes === 1;
  }

  get(channel: HoldChannel, thread: string): Hold | null {
    const r = this.sql('SELECT held_by, held_at FROM staff_holds WHERE channel = ? AND thread = ?').get(channel, thread) as { held_by: string; held_at: number } | undefined;
    return r ? { heldBy: r.held_by, heldAt: r.held_at } : null;
  }
}

/** The thread a conversation belongs to: its number for SMS, itself for chat (and anything else). */
export function conversationThread(c: { id: string; channel: string; phone: string | null }): { channel: HoldChannel; thread: string } {
  return c.channel === 'sms' && c.phone ? { channel: 'sms', thread: c.phone } : { channel: 'chat', thread: c.id };
}

/** SQL: the held_by of conversation row `c` (for SELECTs over conversations aliased c). */
export const HELD_BY_SQL = `(SELECT h.held_by FROM staff_holds h WHERE
   (c.channel = 'sms' AND c.phone IS NOT NULL AND h.channel = 'sms' AND h.thread = c.phone)
   OR (NOT (c.channel = 'sms' AND c.phone IS NOT NULL) AND h.channel = 'chat' AND h.thread = c.id))`;
