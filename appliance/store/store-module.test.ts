import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/helpers/spa.js';
import { resolveSettings } from '../config/index.js';
import { createLogger } from '../log.js';
import { openDatabase, type Db } from './db.js';
import { StoreModule } from './store-module.js';

function settingsIn(dir: string): ReturnType<typeof resolveSettings> {
  return resolveSettings({ env: { SPA_DATA_DIR: join(dir, 'data') }, systemTimeZone: 'UTC', fileText: null });
}

test('the store makes the data dir private, opens and migrates the database at start, and closes it at stop; health follows', async () => {
  const dir = tempDir('spa-store-module-');
  try {
    const store = new StoreModule({ settings: settingsIn(dir.path), log: createLogger({ level: 'silent' }) });
    assert.equal(store.health(), 'error', 'before start');
    assert.throws(() => store.db, /has not started/);
    await store.start();
    assert.equal(statSync(store.dataDir).mode & 0o777, 0o700);
    assert.equal(store.previousVersion, 0, 'a new database');
    assert.equal(store.health(), 'ok');
    const db = store.db;
    await store.stop();
    assert.equal(db.open, false);
    assert.equal(store.health(), 'error', 'after stop');
    await store.stop();
  } finally {
    dir.remove();
  }
});

test('a checkpoint that fails at stop is logged and the database is still closed', async () => {
  const dir = tempDir('spa-store-module-');
  try {
    const lines: string[] = [];
    let db: Db | null = null;
    const store = new StoreModule({
      settings: settingsIn(dir.path),
      log: createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } }),
      openDatabase: (opts) => {
        const opened = openDatabase(opts);
        const real = opened.db.pragma.bind(opened.db);
        opened.db.pragma = (source: string, options?: { simple?: boolean }) => {
          if (source.startsWith('wal_checkpoint')) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
          return real(source, options);
        };
        db = opened.db;
        return opened;
      },
    });
    await store.start();
    await store.stop();
    assert.equal((db as Db | null)?.open, false);
    assert.ok(lines.some((l) => /stopping: the database checkpoint failed/.test(l) && /"level":50/.test(l)));
  } finally {
    dir.remove();
  }
});
