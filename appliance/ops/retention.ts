// The retention purge: personal data older than the configured days is deleted — call recordings
// (the WAV files on disk and their paths in the call log), call transcripts (the turns and the
// summary), receptionist conversations with their messages, and whatever other kinds are handed in
// as targets (the SMS module's texts). Appointments, clients and the audit log stay: they are the
// spa's records. Every run writes one audit entry with what it deleted, counts only.
import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Settings } from '../config/index.js';
import type { Logger } from '../log.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../store/db.js';
import type { AuditLog } from '../web/audit.js';

const DAY_MS = 86_400_000;

/** One kind of data the purge deletes: given the cutoff (epoch ms), deletes what is older and says how many. */
export interface PurgeTarget {
  /** The retention setting that gives its days. */
  readonly setting: keyof Settings['retention'];
  /** Names the count in the audit entry and health ("messages"). */
  readonly kind: string;
  purge(cutoffMs: number): Promise<number> | number;
}

export interface PurgeResult {
  at: number;
  /** What was deleted, per kind (kinds kept forever are absent). */
  deleted: Record<string, number>;
}

export interface RetentionPurgeDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  retention: Settings['retention'];
  recordingsDir: string;
  /** Further kinds (the SMS module's texts); the calls, transcripts and conversations are built in. */
  targets?: readonly PurgeTarget[];
}

export const PURGE_ACTION = 'retention.purge' as const;

export class RetentionPurge {
  constructor(private readonly deps: RetentionPurgeDeps) {}

  /** Deletes everything past its retention and writes the audit entry. */
  async run(): Promise<PurgeResult> {
    const { clock, log, retention } = this.deps;
    const at = clock.now();
    const deleted: Record<string, number> = {};
    for (const target of [...this.builtIn(), ...(this.deps.targets ?? [])]) {
      const days = retention[target.setting];
      if (days === null) continue;
      deleted[target.kind] = (deleted[target.kind] ?? 0) + (await target.purge(at - days * DAY_MS));
    }
    this.deps.audit.record({
      userId: null,
      username: 'system',
      sourceAddress: '',
      action: PURGE_ACTION,
      subjectKind: 'retention',
      detail: JSON.stringify({ deleted, days: retention }),
    });
    log.info({ deleted }, 'retention purge done');
    return { at, deleted };
  }

  /** The last purge as the audit log tells it (survives restarts), or null. */
  last(): PurgeResult | null {
    const row = this.deps.db.prepare(`SELECT at, detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1`).get(PURGE_ACTION) as
      | { at: number; detail: string }
      | undefined;
    if (!row) return null;
    try {
      const parsed = JSON.parse(row.detail) as { deleted?: Record<string, number> };
      return { at: row.at, deleted: parsed.deleted ?? {} };
    } catch {
      return { at: row.at, deleted: {} };
    }
  }

  private builtIn(): PurgeTarget[] {
    return [
      { setting: 'recordingsDays', kind: 'recordings', purge: (cutoff) => this.purgeRecordings(cutoff) },
      { setting: 'transcriptsDays', kind: 'transcripts', purge: (cutoff) => this.purgeTranscripts(cutoff) },
      { setting: 'conversationsDays', kind: 'conversations', purge: (cutoff) => this.purgeConversations(cutoff) },
    ];
  }

  /**
   * Recordings of calls that ended before the cutoff: the file is deleted and the call log forgets
   * its path. WAV files the call log does not point at (a crash mid-call) go by their age on disk.
   */
  private async purgeRecordings(cutoff: number): Promise<number> {
    const { db, log } = this.deps;
    const dir = resolve(this.deps.recordingsDir);
    const rows = db
      .prepare(`SELECT id, recording_path AS path FROM calls WHERE recording_path IS NOT NULL AND COALESCE(ended_at, invited_at) < ?`)
      .all(cutoff) as { id: number; path: string }[];
    const gone = new Set<string>();
    for (const row of rows) {
      const full = resolve(dir, row.path);
      const inside = relative(dir, full);
      if (inside.startsWith('..') || inside === '') {
        log.warn({ callId: row.id }, 'retention: a recording path outside the recordings folder was not deleted');
      } else if (await removed(full)) {
        gone.add(full);
      }
    }
    const forget = db.prepare('UPDATE calls SET recording_path = NULL WHERE id = ?');
    db.transaction(() => {
      for (const row of rows) forget.run(row.id);
    })();
    const live = new Set(
      (db.prepare('SELECT recording_path AS path FROM calls WHERE recording_path IS NOT NULL').all() as { path: string }[]).map((r) => resolve(dir, r.path)),
    );
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const full = join(dir, name);
      if (!name.endsWith('.wav') || live.has(full) || gone.has(full)) continue;
      const mtime = await stat(full).then((s) => (s.isFile() ? s.mtimeMs : null), () => null);
      if (mtime !== null && mtime < cutoff && (await removed(full))) gone.add(full);
    }
    return gone.size;
  }

  /** Call turns (what was said) and the call summary of calls before the cutoff; returns the turns deleted. */
  private purgeTranscripts(cutoff: number): number {
    const { db } = this.deps;
    return db.transaction(() => {
      const turns = db.prepare(`DELETE FROM call_turns WHERE call_id IN (SELECT id FROM calls WHERE COALESCE(ended_at, invited_at) < ?)`).run(cutoff).changes;
      db.prepare(`UPDATE calls SET summary = '' WHERE summary <> '' AND COALESCE(ended_at, invited_at) < ?`).run(cutoff);
      return turns;
    })();
  }

  /** Conversations last active before the cutoff; their messages go with them (ON DELETE CASCADE). */
  private purgeConversations(cutoff: number): number {
    return this.deps.db.prepare('DELETE FROM conversations WHERE updated_at < ?').run(cutoff).changes;
  }
}

async function removed(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
