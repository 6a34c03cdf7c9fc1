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

test('version 9 lets two clients share a number and keeps every appointment on its client, foreign keys still on', () => {
  const dir = tempDir();
  const path = join(dir.path, 'spa.db');
  try {
    const old = openDatabase({ path, migrateTo: 6 });
    old.db.prepare(`INSERT INTO services (id, name, category, duration_min) VALUES ('peel', 'Peel', 'skin', 30)`).run();
    old.db.prepare(`INSERT INTO providers (id, name) VALUES ('maya', 'Maya')`).run();
    old.db.prepare(`INSERT INTO clients (id, phone, name, created_at) VALUES (7, '+15551230000', 'Olivia Grant', 1)`).run();
    old.db
      .prepare(`INSERT INTO appointments (client_id, service_id, provider_id, start, end, block_start, block_end, status, source, created_at, updated_at) VALUES (7, 'peel', 'maya', 10, 20, 10, 20, 'booked', 'staff', 1, 1)`)
      .run();
    assert.throws(() => old.db.prepare(`INSERT INTO clients (phone, name, created_at) VALUES ('+15551230000', 'Emma Grant', 2)`).run(), /UNIQUE/);
    old.db.close();

    const { db } = openDatabase({ path });
    db.prepare(`INSERT INTO clients (phone, name, created_at) VALUES ('+15551230000', 'Emma Grant', 2)`).run();
    assert.deepEqual(db.prepare(`SELECT name FROM clients WHERE phone = '+15551230000' ORDER BY id`).pluck().all(), ['Olivia Grant', 'Emma Grant']);
    assert.equal(db.prepare('SELECT c.name FROM appointments a JOIN clients c ON c.id = a.client_id').pluck().get(), 'Olivia Grant');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.throws(
      () =>
        db
          .prepare(`INSERT INTO appointments (client_id, service_id, provider_id, start, end, block_start, block_end, status, source, created_at, updated_at) VALUES (99, 'peel', 'maya', 30, 40, 30, 40, 'booked', 'staff', 1, 1)`)
          .run(),
      /FOREIGN KEY/,
    );
    db.close();
  } finally {
    dir.remove();
  }
});

test('version 7 keeps staff accounts (staff becomes front desk), drops old sessions, and makes the audit log append-only', () => {
  const dir = tempDir();
  const path = join(dir.path, 'spa.db');
  try {
    const old = openDatabase({ path, migrateTo: 6 });
    old.db.prepare(`INSERT INTO users (id, username, role, password_hash, created_at) VALUES (1, 'owner', 'owner', 'h1', 1), (2, 'dana', 'staff', 'h2', 1)`).run();
    old.db.prepare(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('t', 2, 1, 99999999999999)`).run();
    old.db.close();
    const { db } = openDatabase({ path });
    assert.deepEqual(db.prepare('SELECT id, username, role, password_hash AS h FROM users ORDER BY id').all(), [
      { id: 1, username: 'owner', role: 'owner', h: 'h1' },
      { id: 2, username: 'dana', role: 'frontdesk', h: 'h2' },
    ]);
    assert.equal(db.prepare('SELECT COUNT(*) FROM sessions').pluck().get(), 0);
    db.prepare(`INSERT INTO audit_log (at, action) VALUES (1, 'call.view')`).run();
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
    assert.throws(() => db.prepare(`INSERT INTO users (username, role, password_hash, created_at) VALUES ('x', 'staff', 'h', 1)`).run(), /CHECK/);
    db.close();
  } finally {
    dir.remove();
  }
});

test('a table rebuild that would leave rows pointing nowhere rolls back, and foreign keys are on again after it', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  const steps = [
    { version: 1, name: 'tables', sql: 'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p(id)); INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);' },
    { version: 2, name: 'lossy rebuild', rebuildsReferencedTable: true, sql: 'CREATE TABLE p2 (id INTEGER PRIMARY KEY); DROP TABLE p; ALTER TABLE p2 RENAME TO p;' },
  ];
  assert.throws(() => migrate(db, steps), /rows pointing at missing rows/);
  assert.equal(schemaVersion(db), 1);
  assert.equal(db.prepare('SELECT COUNT(*) FROM p').pluck().get(), 1);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  db.close();
});
