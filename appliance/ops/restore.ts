// Restoring a backup over the appliance's database (the daemon stopped first). The backup is
// checked (an SQLite database that passes quick_check, with a schema this software knows), the
// current database is kept as backups/pre-restore-<time>.db, then SQLite's backup API copies the
// backup's pages over the live file (its WAL included), the schema is migrated forward and the
// restore is written to the restored database's audit log.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../shared/clock.js';
import { backupDatabase, openDatabase, schemaVersion } from '../store/db.js';
import { SCHEMA_VERSION } from '../store/migrations.js';
import { makePrivateSync } from '../store/private-files.js';
import { AuditLog } from '../web/audit.js';
import { backupName } from './backups.js';

export class RestoreError extends Error {
  readonly code = 'SPA_ERR_RESTORE';
}

export interface RestoreResult {
  /** Where the database that was replaced was kept (null when there was none). */
  previous: string | null;
  /** The restored database's schema version before and after migration. */
  fromVersion: number;
  version: number;
}

/** Checks that `file` is a backup this software can restore; returns its schema version. */
export function checkBackup(file: string): number {
  if (!existsSync(file)) throw new RestoreError(`${file}: no such file`);
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new RestoreError(`${file}: the database is damaged (${String(check)})`);
    const version = schemaVersion(db);
    if (version === 0) throw new RestoreError(`${file}: not a spa-receptionist database (no schema version)`);
    if (version > SCHEMA_VERSION) throw new RestoreError(`${file}: made by a newer version (schema ${version}, this one knows ${SCHEMA_VERSION})`);
    return version;
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    throw new RestoreError(`${file}: not a readable SQLite database (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    db?.close();
  }
}

export async function restoreDatabase(opts: { backupFile: string; dbPath: string; backupsDir: string; clock: Clock }): Promise<RestoreResult> {
  const fromVersion = checkBackup(opts.backupFile);
  let previous: string | null = null;
  if (existsSync(opts.dbPath)) {
    previous = join(opts.backupsDir, `pre-restore-${backupName(opts.clock.now()).slice('spa-'.length)}`);
    const current = new Database(opts.dbPath);
    try {
      await backupDatabase(current, previous);
    } finally {
      current.close();
    }
  }
  const source = new Database(opts.backupFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(opts.dbPath);
  } finally {
    source.close();
  }
  makePrivateSync(opts.dbPath);
  const opened = openDatabase({ path: opts.dbPath });
  try {
    new AuditLog({ db: opened.db, clock: opts.clock }).record({
      userId: null,
      username: 'system',
      sourceAddress: '',
      action: 'backup.restore',
      subjectKind: 'backup',
      subjectId: opts.backupFile.slice(opts.backupFile.lastIndexOf('/') + 1),
      detail: JSON.stringify({ fromVersion, version: opened.version }),
    });
    opened.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    opened.db.close();
  }
  return { previous, fromVersion, version: opened.version };
}
