import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDatabase, openDatabase } from './db.js';
import { tightenPrivateTree } from './private-files.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

/** Runs fn with the umask wide open, so only explicit modes can make the files private. */
async function withOpenUmask(fn: () => Promise<void> | void): Promise<void> {
  const old = process.umask(0);
  try {
    await fn();
  } finally {
    process.umask(old);
  }
}

test('tightening a data dir takes group and other permissions off every folder and file, leaves private ones and symlink targets alone', () => {
  const root = mkdtempSync(join(tmpdir(), 'spa-private-'));
  const outside = mkdtempSync(join(tmpdir(), 'spa-outside-'));
  try {
    const data = join(root, 'data');
    mkdirSync(join(data, 'recordings'), { recursive: true });
    chmodSync(data, 0o755);
    chmodSync(join(data, 'recordings'), 0o775);
    writeFileSync(join(data, 'config.json'), '{}');
    chmodSync(join(data, 'config.json'), 0o644);
    writeFileSync(join(data, 'recordings', 'call-1.wav'), 'RIFF');
    chmodSync(join(data, 'recordings', 'call-1.wav'), 0o666);
    writeFileSync(join(data, 'already.txt'), 'x');
    chmodSync(join(data, 'already.txt'), 0o600);
    writeFileSync(join(outside, 'shared.txt'), 'x');
    chmodSync(join(outside, 'shared.txt'), 0o644);
    symlinkSync(join(outside, 'shared.txt'), join(data, 'link.txt'));

    const r = tightenPrivateTree(data);
    assert.equal(r.changed, 4);
    assert.deepEqual(r.failed, []);
    assert.equal(mode(data), 0o700);
    assert.equal(mode(join(data, 'recordings')), 0o700);
    assert.equal(mode(join(data, 'config.json')), 0o600);
    assert.equal(mode(join(data, 'recordings', 'call-1.wav')), 0o600);
    assert.equal(mode(join(data, 'already.txt')), 0o600);
    assert.equal(mode(join(outside, 'shared.txt')), 0o644, 'a symlink is not followed out of the data dir');
    assert.equal(tightenPrivateTree(data).changed, 0, 'a second pass has nothing to do');
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('the database, its -wal and -shm files and a backup are 0600 even with an open umask; an older 0644 database is tightened on open', async () => {
  const root = mkdtempSync(join(tmpdir(), 'spa-private-db-'));
  try {
    await withOpenUmask(async () => {
      const path = join(root, 'new', 'spa.db');
      const { db } = openDatabase({ path });
      db.prepare('CREATE TABLE t (x)').run();
      db.prepare('INSERT INTO t VALUES (1)').run();
      assert.equal(mode(join(root, 'new')), 0o700, 'a folder made for the database is private');
      for (const f of [path, `${path}-wal`, `${path}-shm`]) assert.equal(mode(f), 0o600, f);
      await backupDatabase(db, join(root, 'backups', 'spa-backup.db'));
      assert.equal(mode(join(root, 'backups', 'spa-backup.db')), 0o600);
      db.close();

      const old = join(root, 'old.db');
      openDatabase({ path: old }).db.close();
      chmodSync(old, 0o644);
      const again = openDatabase({ path: old });
      assert.equal(mode(old), 0o600);
      again.db.close();
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
