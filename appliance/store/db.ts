// The SQLite connection: WAL, foreign keys, a busy timeout so that two processes writing the
// same file wait for each other instead of failing, versioned migrations, and online backups.
import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';
import { createPrivateDirsSync, makePrivateSync, PRIVATE_FILE_MODE } from './private-files.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of the database file, or ':memory:'. */
  path: string;
  /** Apply migrations up to this version (default: all). Tests use it to build older databases. */
  migrateTo?: number;
  readonly?: boolean;
}

export interface OpenResult {
  db: Db;
  /** The schema version before migration: 0 means the database was new. */
  previousVersion: number;
  version: number;
}

export function openDatabase(opts: OpenOptions): OpenResult {
  const onDisk = opts.path !== ':memory:';
  if (onDisk && !opts.readonly) {
    // Patient data: the file is made 0600 before SQLite opens it, and SQLite gives the -wal and
    // -shm files the database file's mode.
    createPrivateDirsSync(dirname(opts.path));
    closeSync(openSync(opts.path, 'a', PRIVATE_FILE_MODE));
    makePrivateSync(opts.path);
  }
  const db = new Database(opts.path, { readonly: opts.readonly ?? false });
  // Read-only connections take the file's journal mode as it is (changing it is a write).
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  if (onDisk && !opts.readonly) for (const suffix of ['-wal', '-shm']) makePrivateSync(`${opts.path}${suffix}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  const previousVersion = schemaVersion(db);
  const version = opts.readonly ? previousVersion : migrate(db, MIGRATIONS, opts.migrateTo);
  return { db, previousVersion, version };
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration above the database's version, each in its own IMMEDIATE transaction. */
export function migrate(db: Db, migrations: readonly Migration[], upTo = Number.POSITIVE_INFINITY): number {
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  const current = schemaVersion(db);
  if (current > newest) {
    throw new Error(`database schema version ${current} is newer than this software knows (${newest}); refusing to open it`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version > upTo) break;
    const apply = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      if (m.rebuildsReferencedTable && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
        throw new Error(`migration ${m.version} (${m.name}) would leave rows pointing at missing rows`);
      }
      db.pragma(`user_version = ${m.version}`);
    });
    // SQLite's documented way to rebuild a referenced table: foreign keys off (only possible
    // outside a transaction), rebuild, foreign_key_check, foreign keys back on.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (m.rebuildsReferencedTable) db.pragma('foreign_keys = OFF');
    try {
      apply.immediate();
    } finally {
      if (m.rebuildsReferencedTable) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return schemaVersion(db);
}

/** Copies the live database to `dest` with SQLite's online backup API (safe while writers run). */
export async function backupDatabase(db: Db, dest: string): Promise<void> {
  createPrivateDirsSync(dirname(dest));
  closeSync(openSync(dest, 'a', PRIVATE_FILE_MODE));
  makePrivateSync(dest);
  await db.backup(dest);
  // A backup is one self-contained file: out of WAL mode, so that it opens read-only anywhere (a
  // read-only WAL database needs its -shm file, which a read-only folder or USB stick cannot hold).
  const copy = new Database(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  makePrivateSync(dest);
}

/**
 * Prepared statements cached by their SQL text: preparing is a large share of a short query's
 * cost, and the appliance runs the same few queries all day.
 */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(private readonly db: Db) {}

  get(sql: string): Database.Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }
}

const tokenStatements = new WeakMap<Db, { version: Database.Statement; changes: Database.Statement }>();

/**
 * A value that changes whenever anything in the database changes: `data_version` moves when
 * another connection (another process) commits, `total_changes()` when this connection writes.
 * Read-side caches compare it to know whether they are still true.
 */
export function changeToken(db: Db): string {
  let s = tokenStatements.get(db);
  if (!s) {
    s = { version: db.prepare('PRAGMA data_version').pluck(), changes: db.prepare('SELECT total_changes()').pluck() };
    tokenStatements.set(db, s);
  }
  return `${String(s.version.get())}:${String(s.changes.get())}`;
}
