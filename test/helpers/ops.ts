// Test fixtures for the ops module: calls with recordings on disk, transcripts and conversations
// at chosen times, in a database the tests own. Used by the ops tests only.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../appliance/store/db.js';

/** A call that ended at `endedAt`, with two transcript turns, a summary, a recording file and a conversation with two messages. */
export function addCall(db: Db, recordingsDir: string, key: string, endedAt: number): { callId: number; recording: string; conversation: string } {
  const callId = Number(
    db
      .prepare(
        `INSERT INTO calls (sip_call_id, caller_phone, state, outcome, invited_at, answered_at, ended_at, summary)
         VALUES (?, '+12035550188', 'ended', 'ai-handled', ?, ?, ?, 'wants Botox on Tuesday')`,
      )
      .run(`sip-${key}`, endedAt - 60_000, endedAt - 50_000, endedAt).lastInsertRowid,
  );
  mkdirSync(recordingsDir, { recursive: true });
  const recording = join(recordingsDir, `call-${callId}.wav`);
  writeFileSync(recording, Buffer.alloc(4096, 1));
  utimesSync(recording, new Date(endedAt), new Date(endedAt));
  db.prepare('UPDATE calls SET recording_path = ? WHERE id = ?').run(recording, callId);
  const turn = db.prepare(`INSERT INTO call_turns (call_id, idx, input_kind, caller_text, reply_text) VALUES (?, ?, 'speech', ?, ?)`);
  turn.run(callId, 0, 'I would like Botox', 'Sure, which day?');
  turn.run(callId, 1, 'Tuesday', 'Tuesday at 2 works.');
  const conversation = `conv-${key}`;
  db.prepare(`INSERT INTO conversations (id, channel, phone, call_id, state, created_at, updated_at) VALUES (?, 'voice', '+12035550188', ?, 'done', ?, ?)`).run(
    conversation,
    callId,
    endedAt - 60_000,
    endedAt,
  );
  const message = db.prepare(`INSERT INTO conversation_messages (conversation_id, role, text, at) VALUES (?, ?, ?, ?)`);
  message.run(conversation, 'caller', 'I would like Botox', endedAt - 40_000);
  message.run(conversation, 'agent', 'Sure, which day?', endedAt - 39_000);
  return { callId, recording, conversation };
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return db.prepare(sql).pluck().get(...params) as number;
}
