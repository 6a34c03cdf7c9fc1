import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { addCall, count } from '../../test/helpers/ops.js';
import { at, openTestSpa, tempDir } from '../../test/helpers/spa.js';
import { createLogger } from '../log.js';
import { openDatabase, type Db } from '../store/db.js';
import { AuditLog } from '../web/audit.js';
import { Backups, backupName, backupTime, USB_SUBDIR } from './backups.js';
import { checkBackup, restoreDatabase, RestoreError } from './restore.js';

const DAY = 86_400_000;
const log = createLogger({ level: 'silent' });

/** Every user table's rows, in a stable order: what a restore must bring back exactly. */
function snapshot(db: Db): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}

test('backup then restore brings a populated database back exactly, keeping the replaced one aside and auditing the restore', async () => {
  const spa = openTestSpa({ now: at('2026-12-06T03:00') });
  try {
    const { db, clock } = spa;
    spa.bookings.book({ serviceId: spa.catalogue.services()[0]!.id, start: at('2026-12-08T14:00'), client: { phone: '+12035550188', name: 'Dana Reyes' }, source: 'web' });
    addCall(db, join(spa.dir, 'recordings'), 'a', clock.now() - DAY);
    addCall(db, join(spa.dir, 'recordings'), 'b', clock.now() - 2 * DAY);
    new AuditLog({ db, clock }).record({ userId: 1, username: 'owner', sourceAddress: '127.0.0.1', action: 'call.view', subjectKind: 'call', subjectId: 1 });
    const before = snapshot(db);
    assert.ok((before.appointments?.length ?? 0) + (before.calls?.length ?? 0) >= 3, 'the database is populated');

    const backupsDir = join(spa.dir, 'backups');
    const info = await new Backups({ db, clock, log, dir: backupsDir, keepDays: 14, usbDir: null }).run();
    assert.equal(info.file, join(backupsDir, 'spa-20261206T080000Z.db'));
    assert.equal(statSync(info.file).mode & 0o777, 0o600, 'the backup holds patient data: private');
    assert.equal(info.usb, 'off');
    // One self-contained file, not a WAL database: a read-only open of a WAL file needs a -shm file
    // beside it, which a read-only folder or USB stick cannot hold.
    const header = readFileSync(info.file).subarray(18, 20);
    assert.deepEqual([...header], [1, 1], 'the backup is in rollback-journal mode');
    assert.equal(existsSync(`${info.file}-wal`), false);

    // After the backup the spa changes: a call is deleted, another added.
    db.prepare('DELETE FROM conversations').run();
    db.prepare('DELETE FROM call_turns').run();
    addCall(db, join(spa.dir, 'recordings'), 'c', clock.now());
    db.close();

    clock.advance(3_600_000);
    const result = await restoreDatabase({ backupFile: info.file, dbPath: spa.dbPath, backupsDir, clock });
    assert.ok(result.previous && existsSync(result.previous), 'the replaced database is kept');
    assert.equal(result.fromVersion, result.version);

    const restored = openDatabase({ path: spa.dbPath }).db;
    try {
      const after = snapshot(restored);
      const restoreEntry = after.audit_log?.pop() as { action: string; username: string; subject_id: string };
      assert.equal(restoreEntry.action, 'backup.restore');
      assert.equal(restoreEntry.username, 'system');
      assert.equal(restoreEntry.subject_id, 'spa-20261206T080000Z.db');
      assert.deepEqual(after, before);
    } finally {
      restored.close();
    }
    const replaced = openDatabase({ path: result.previous, readonly: true }).db;
    try {
      assert.equal(count(replaced, 'SELECT COUNT(*) FROM calls'), 3, 'the replaced database is the changed one');
    } finally {
      replaced.close();
    }
  } finally {
    spa.close();
  }
});

test('restore refuses a file that is not a database of ours, leaving the database untouched', async () => {
  const spa = openTestSpa();
  try {
    const junk = join(spa.dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, just text that is long enough to be read as a header....');
    assert.throws(() => checkBackup(junk), RestoreError);
    assert.throws(() => checkBackup(join(spa.dir, 'missing.db')), /no such file/);
    const empty = join(spa.dir, 'empty.db');
    openDatabase({ path: empty, migrateTo: 0 }).db.close();
    assert.throws(() => checkBackup(empty), /not a spa-receptionist database/);
    const calls = count(spa.db, 'SELECT COUNT(*) FROM services');
    await assert.rejects(restoreDatabase({ backupFile: junk, dbPath: spa.dbPath, backupsDir: join(spa.dir, 'b'), clock: spa.clock }), RestoreError);
    assert.equal(count(spa.db, 'SELECT COUNT(*) FROM services'), calls);
    assert.equal(existsSync(join(spa.dir, 'b')), false, 'nothing was written');
  } finally {
    spa.close();
  }
});

test('backups older than keepDays are deleted, other files left alone, and a copy goes to a mounted USB folder only', async () => {
  const spa = openTestSpa({ now: at('2026-12-06T03:00') });
  const usb = tempDir('spa-usb-');
  try {
    const { db, clock } = spa;
    const dir = join(spa.dir, 'backups');
    mkdirSync(dir, { recursive: true });
    for (const days of [20, 15, 13]) writeFileSync(join(dir, backupName(clock.now() - days * DAY)), 'old');
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    let mounted = false;
    const backups = new Backups({ db, clock, log, dir, keepDays: 14, usbDir: usb.path, isMounted: () => mounted });
    const first = await backups.run();
    assert.equal(first.usb, 'not mounted');
    assert.deepEqual(readdirSync(usb.path), [], 'nothing written to an unmounted folder (it is on the SD card)');
    assert.deepEqual(readdirSync(dir).sort(), [backupName(clock.now() - 13 * DAY), backupName(clock.now()), 'notes.txt'].sort());
    mounted = true;
    clock.advance(DAY + 1000);
    const second = await backups.run();
    assert.equal(second.usb, 'copied');
    assert.deepEqual(readdirSync(join(usb.path, USB_SUBDIR)), [backupName(clock.now())]);
    assert.equal(backupTime(backupName(clock.now())), clock.now());
    assert.deepEqual((await backups.list()).map((b) => b.at), [clock.now(), clock.now() - DAY - 1000], 'the one now older than 14 days went');
  } finally {
    usb.remove();
    spa.close();
  }
});

test('npm run backup and npm run restore -- FILE work on the data dir named by SPA_DATA_DIR; check migrates a copy', async () => {
  const run = promisify(execFile);
  const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
  const dir = tempDir('spa-ops-cli-');
  try {
    const env = { ...process.env, SPA_DATA_DIR: dir.path, SPA_TIMEZONE: 'UTC' };
    const { db } = openDatabase({ path: join(dir.path, 'spa.db') });
    db.prepare("INSERT INTO calls (sip_call_id, state, invited_at) VALUES ('kept', 'ended', 1)").run();
    db.close();
    const backup = await run(process.execPath, [cli, 'backup'], { env });
    const file = /^backup: (\S+) \(\d+ bytes\)$/m.exec(backup.stdout)?.[1];
    assert.ok(file && existsSync(file), backup.stdout);
    const again = openDatabase({ path: join(dir.path, 'spa.db') }).db;
    again.prepare('DELETE FROM calls').run();
    again.close();
    const restore = await run(process.execPath, [cli, 'restore', file], { env });
    assert.match(restore.stdout, /restored from/);
    const restored = openDatabase({ path: join(dir.path, 'spa.db') }).db;
    assert.equal(count(restored, "SELECT COUNT(*) FROM calls WHERE sip_call_id = 'kept'"), 1);
    restored.close();
    const check = await run(process.execPath, [cli, 'check', file], { env });
    assert.match(check.stdout, /checks clean/);
    await assert.rejects(run(process.execPath, [cli, 'restore', join(dir.path, 'nope.db')], { env }), (err: Error & { code?: number; stderr?: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr ?? '', /no such file/);
      return true;
    });
  } finally {
    dir.remove();
  }
});
