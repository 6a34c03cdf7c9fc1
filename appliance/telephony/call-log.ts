// The calls table: every INVITE the box saw, what became of it, and when.
import { Statements, type Db } from '../store/db.js';
import type { CallerIdentity } from './caller-id.js';

export const CALL_OUTCOMES = ['missed', 'answered-elsewhere', 'ai-handled', 'transferred', 'rejected-busy', 'rejected-forbidden', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export type CallState = 'ringing' | 'answered' | 'ended';

export interface CallTurn {
  inputKind: 'speech' | 'dtmf' | 'silence' | 'greeting';
  callerText: string;
  replyText: string;
  interrupted: boolean;
  /** Latency marks, ms since the epoch. */
  endOfSpeech: number | null;
  /** When the end of the turn was decided (end of speech + the silence wait). */
  endpoint: number | null;
  asrFinal: number | null;
  replyChosen: number | null;
  firstAudio: number | null;
}

export interface CallFilter {
  outcome?: CallOutcome | undefined;
  from?: number | undefined;
  to?: number | undefined;
  caller?: string | undefined;
}

export interface CallRecord {
  id: number;
  sipCallId: string;
  direction: 'inbound' | 'outbound';
  caller: { phone: string | null; raw: string; name: string; withheld: boolean };
  called: string;
  sourceAddress: string;
  state: CallState;
  outcome: CallOutcome | null;
  endReason: string;
  codec: string | null;
  invitedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  recordingPath: string | null;
  /** Set when recording was on and the call was not recorded, or not to the end: why (e.g. "not recorded: the disk is full"). */
  recordingError: string | null;
  /** What the receptionist wrote at the end: who, what they wanted, what happened. */
  summary: string;
}

interface CallRow {
  id: number;
  sip_call_id: string;
  direction: 'inbound' | 'outbound';
  caller_phone: string | null;
  caller_raw: string;
  caller_name: string;
  caller_withheld: number;
  called: string;
  source_address: string;
  state: CallState;
  outcome: CallOutcome | null;
  end_reason: string;
  codec: string | null;
  invited_at: number;
  answered_at: number | null;
  ended_at: number | null;
  recording_path: string | null;
  recording_error: string | null;
  summary: string;
}

const toRecord = (r: CallRow): CallRecord => ({
  id: r.id,
  sipCallId: r.sip_call_id,
  direction: r.direction,
  caller: { phone: r.caller_phone, raw: r.caller_raw, name: r.caller_name, withheld: r.caller_withheld === 1 },
  called: r.called,
  sourceAddress: r.source_address,
  state: r.state,
  outcome: r.outcome,
  endReason: r.end_reason,
  codec: r.codec,
  invitedAt: r.invited_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  recordingPath: r.recording_path,
  recordingError: r.recording_error,
  summary: r.summary,
});

export class CallLog {
  private readonly sql: Statements;
  constructor(deps: { db: Db }) {
    this.sql = new Statements(deps.db);
  }

  invited(c: { sipCallId: string; caller: CallerIdentity; called: string; sourceAddress: string; at: number }): number {
    return Number(
      this.sql
        .get(
          `INSERT INTO calls (sip_call_id, caller_phone, caller_raw, caller_name, caller_withheld, called, source_address, state, invited_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'ringing', ?)`,
        )
        .run(c.sipCallId, c.caller.phone, c.caller.raw.slice(0, 64), c.caller.displayName, c.caller.withheld ? 1 : 0, c.called.slice(0, 128), c.sourceAddress, c.at)
        .lastInsertRowid,
    );
  }

  answered(id: number, at: number, codec: string): void {
    this.sql.get(`UPDATE calls SET state = 'answered', answered_at = ?, codec = ? WHERE id = ? AND state = 'ringing'`).run(at, codec, id);
  }

  /** Ends the call once; later calls for the same id change nothing (the first outcome stands). */
  ended(id: number, at: number, outcome: CallOutcome, reason: string): void {
    this.sql
      .get(`UPDATE calls SET state = 'ended', ended_at = ?, outcome = ?, end_reason = ? WHERE id = ? AND state != 'ended'`)
      .run(at, outcome, reason, id);
  }

  /** A call that never rang (refused at once): one row, already ended. */
  refused(c: { sipCallId: string; caller: CallerIdentity; called: string; sourceAddress: string; at: number }, outcome: CallOutcome, reason: string): number {
    const id = this.invited(c);
    this.ended(id, c.at, outcome, reason);
    return id;
  }

  setRecording(id: number, path: string): void {
    this.sql.get('UPDATE calls SET recording_path = ? WHERE id = ?').run(path, id);
  }

  /** Recording was on but the call was not recorded, or not to the end: why. The first reason stands. */
  recordingFailed(id: number, why: string): void {
    this.sql.get('UPDATE calls SET recording_error = COALESCE(recording_error, ?) WHERE id = ?').run(why.slice(0, 200), id);
  }

  /** Calls not ended yet (ringing or answered), oldest first. */
  inProgress(): CallRecord[] {
    return (this.sql.get("SELECT * FROM calls WHERE state != 'ended' ORDER BY invited_at LIMIT 50").all() as CallRow[]).map(toRecord);
  }

  get(id: number): CallRecord | undefined {
    const row = this.sql.get('SELECT * FROM calls WHERE id = ?').get(id) as CallRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /**
   * Newest first, before `before` (an instant). Filters: outcome; invited in [from, to); caller
   * (digits of the number, or part of the name shown, case-insensitive).
   */
  list(opts: CallFilter & { before?: number | undefined; limit?: number | undefined } = {}): CallRecord[] {
    const digits = opts.caller?.replace(/\D/g, '') ?? '';
    const name = opts.caller?.trim().toLowerCase() ?? '';
    return (
      this.sql
        .get(
          `SELECT * FROM calls
            WHERE invited_at < ? AND invited_at >= ? AND invited_at < ?
              AND (? IS NULL OR outcome = ?)
              AND (? = '' OR instr(lower(caller_name), ?) > 0 OR (? != '' AND instr(COALESCE(caller_phone, caller_raw), ?) > 0))
            ORDER BY invited_at DESC, id DESC LIMIT ?`,
        )
        .all(
          opts.before ?? Number.MAX_SAFE_INTEGER,
          opts.from ?? 0,
          opts.to ?? Number.MAX_SAFE_INTEGER,
          opts.outcome ?? null,
          opts.outcome ?? null,
          name,
          name,
          digits,
          digits,
          opts.limit ?? 100,
        ) as CallRow[]
    ).map(toRecord);
  }

  /** How the calls invited in [from, to) ended: outcome -> count ('open' for calls not yet ended). */
  outcomeCounts(from: number, to: number): Record<CallOutcome | 'open', number> {
    const counts = Object.fromEntries([...CALL_OUTCOMES, 'open'].map((o) => [o, 0])) as Record<CallOutcome | 'open', number>;
    const rows = this.sql
      .get("SELECT COALESCE(outcome, 'open') AS outcome, COUNT(*) AS n FROM calls WHERE invited_at >= ? AND invited_at < ? GROUP BY 1")
      .all(from, to) as { outcome: CallOutcome | 'open'; n: number }[];
    for (const r of rows) counts[r.outcome] = r.n;
    return counts;
  }

  /** Appends one conversation turn with its latency marks. */
  addTurn(callId: number, t: CallTurn): void {
    const idx = (this.sql.get('SELECT COUNT(*) FROM call_turns WHERE call_id = ?').pluck().get(callId) as number) ?? 0;
    this.sql
      .get(
        `INSERT INTO call_turns (call_id, idx, input_kind, caller_text, reply_text, interrupted, end_of_speech, endpoint, asr_final, reply_chosen, first_audio)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(callId, idx, t.inputKind, t.callerText.slice(0, 2000), t.replyText.slice(0, 4000), t.interrupted ? 1 : 0, t.endOfSpeech, t.endpoint, t.asrFinal, t.replyChosen, t.firstAudio);
  }

  turns(callId: number): CallTurn[] {
    return (
      this.sql.get('SELECT * FROM call_turns WHERE call_id = ? ORDER BY idx').all(callId) as {
        input_kind: CallTurn['inputKind'];
        caller_text: string;
        reply_text: string;
        interrupted: number;
        end_of_speech: number | null;
        endpoint: number | null;
        asr_final: number | null;
        reply_chosen: number | null;
        first_audio: number | null;
      }[]
    ).map((r) => ({
      inputKind: r.input_kind,
      callerText: r.caller_text,
      replyText: r.reply_text,
      interrupted: r.interrupted === 1,
      endOfSpeech: r.end_of_speech,
      endpoint: r.endpoint,
      asrFinal: r.asr_final,
      replyChosen: r.reply_chosen,
      firstAudio: r.first_audio,
    }));
  }

  /** Calls still ringing or answered when the daemon stopped: closed as failed at the next start. */
  closeStale(at: number): number {
    return this.sql.get(`UPDATE calls SET state = 'ended', ended_at = ?, outcome = COALESCE(outcome, 'failed'), end_reason = 'appliance restarted' WHERE state != 'ended'`).run(at).changes;
  }
}
