import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { backupDatabase, migrate, openDatabase, schemaVersion } from './db.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { tempDir } from '../../test/helpers/spa.js';

const tables = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

test('an empty database migrates to the newest schema with WAL and foreign keys on', () => {
  const dir = tempDir();
  try {
    const { db, previousVersion, version } = openDatabase({ path: join(dir.path, 'sub', 'spa.db') });
    assert.equal(previousVersion, 0);
    assert.equal(version, SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 2);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    for (const t of ['appointments', 'clients', 'services', 'slot_holds', 'users', 'sessions']) assert.ok(tables(db).includes(t), t);
    db.close();
  } finally {
    dir.remove();
  }
});

test('an older database migrates forward and keeps its rows', () => {
  const dir = tempDir();
  const path = join(dir.path, 'spa.db');
  try {
    const old = openDatabase({ path, migrateTo: 1 });
    assert.equal(old.version, 1);
    assert.ok(!tables(old.db).includes('users'));
    old.db.prepare(`INSERT INTO clients (phone, name, created_at) VALUES ('+15551230000', 'Ada', 1)`).run();
    old.db.close();

    const reopened = openDatabase({ path });
    assert.equal(reopened.previousVersion, 1);
    assert.equal(reopened.version, SCHEMA_VERSION);
    assert.ok(tables(reopened.db).includes('users'));
    assert.deepEqual(reopened.db.prepare('SELECT name FROM clients').all(), [{ name: 'Ada' }]);
    reopened.db.close();
  } finally {
    dir.remove();
  }
});

test('reopening a current database applies nothing twice', () => {
  const dir = tempDir();
  const path = join(dir.path, 'spa.db');
  try {
    openDatabase({ path }).db.close();
    const again = openDatabase({ path });
    assert.equal(again.previousVersion, SCHEMA_VERSION);
    assert.equal(again.version, SCHEMA_VERSION);
    again.db.close();
  } finally {
    dir.remove();
  }
});

test('a database from newer software is refused rather than damaged', () => {
  const db = new Database(':memory:');
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  assert.throws(() => migrate(db, MIGRATIONS), /newer than this software/);
  db.close();
});

test('a failing migration rolls back whole and leaves the version unchanged', () => {
  const db = new Database(':memory:');
  const broken = [
    { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
    { version: 2, name: 'broken', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO nope VALUES (1);' },
  ];
  assert.throws(() => migrate(db, broken), /no such table: nope/);
  assert.equal(schemaVersion(db), 1);
  assert.deepEqual(tables(db), ['a']);
  db.close();
});

test('online backup copies a consistent database while it is open', async () => {
  const dir = tempDir();
  try {
    const { db } = openDatabase({ path: join(dir.path, 'spa.db') });
    db.prepare(`INSERT INTO clients (phone, name, created_at) VALUES ('+15551230000', 'Ada', 1)`).run();
    const dest = join(dir.path, 'backups', 'spa-backup.db');
    await backupDatabase(db, dest);
    assert.ok(existsSync(dest));
    const copy = new Database(dest, { readonly: true });
    assert.equal(schemaVersion(copy), SCHEMA_VERSION);
    assert.deepEqual(copy.prepare('SELECT name FROM clients').all(), [{ name: 'Ada' }]);
    copy.close();
    db.close();
  } finally {
    dir.remove();
  }
});
