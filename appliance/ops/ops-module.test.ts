import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addCall } from '../../test/helpers/ops.js';
import { at, tempDir } from '../../test/helpers/spa.js';
import { resolveSettings } from '../config/index.js';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { StoreModule } from '../store/store-module.js';
import { CATCH_UP_DELAY_MS, OpsModule } from './ops-module.js';

const ZONE = 'America/New_York';
const MIN = 60_000;
const DAY = 86_400_000;

test('the ops module backs up at 03:00 and purges at 03:30 spa time on the fake clock, and health shows the last and next of each', async () => {
  const dir = tempDir('spa-ops-');
  const clock = new FakeClock({ epochMs: at('2026-12-06T02:00', ZONE) });
  const settings = resolveSettings({ env: { SPA_DATA_DIR: join(dir.path, 'data'), SPA_TIMEZONE: ZONE }, systemTimeZone: ZONE, fileText: null });
  const log = createLogger({ level: 'silent' });
  const store = new StoreModule({ settings, log });
  const ops = new OpsModule({ settings, log, clock, store });
  try {
    await store.start();
    const old = addCall(store.db, store.recordingsDir, 'old', clock.now() - 200 * DAY);
    await ops.start();
    assert.deepEqual(ops.health(), {
      backup: { last: null, error: null, next: new Date(at('2026-12-06T03:00', ZONE)).toISOString() },
      purge: { last: null, error: null, next: new Date(at('2026-12-06T03:30', ZONE)).toISOString() },
    });
    // No backup yet: one is taken ten minutes after start.
    await clock.advanceAsync(CATCH_UP_DELAY_MS);
    await ops.idle();
    assert.equal(readdirSync(ops.backupsDir).length, 1);
    await clock.advanceAsync(60 * MIN - CATCH_UP_DELAY_MS);
    await ops.idle();
    assert.equal(readdirSync(ops.backupsDir).length, 2, 'the nightly backup at 03:00');
    assert.equal(ops.health().backup.last?.at, new Date(at('2026-12-06T03:00', ZONE)).toISOString());
    assert.equal(existsSync(old.recording), true, 'the purge has not run yet');
    await clock.advanceAsync(30 * MIN);
    await ops.idle();
    assert.equal(existsSync(old.recording), false, 'the purge at 03:30 deleted the old recording');
    const h = ops.health();
    assert.deepEqual(h.purge.last, { at: new Date(at('2026-12-06T03:30', ZONE)).toISOString(), deleted: { recordings: 1, transcripts: 2, conversations: 1 } });
    assert.equal(h.purge.next, new Date(at('2026-12-07T03:30', ZONE)).toISOString());
    assert.equal(h.backup.next, new Date(at('2026-12-07T03:00', ZONE)).toISOString());

    // After a restart health still knows the last backup (from the folder) and purge (from the audit log), and no catch-up backup is due.
    await ops.stop();
    const again = new OpsModule({ settings, log, clock, store });
    await again.start();
    assert.deepEqual(again.health().backup.last?.at, h.backup.last?.at);
    assert.deepEqual(again.health().purge.last, h.purge.last);
    await clock.advanceAsync(CATCH_UP_DELAY_MS);
    assert.equal(readdirSync(ops.backupsDir).length, 2);
    await again.stop();
  } finally {
    await ops.stop();
    await store.stop();
    dir.remove();
  }
});

test('a backup that fails shows its error in health and the next night tries again', async () => {
  const dir = tempDir('spa-ops-');
  const clock = new FakeClock({ epochMs: at('2026-12-06T02:59', ZONE) });
  const settings = resolveSettings({ env: { SPA_DATA_DIR: join(dir.path, 'data'), SPA_TIMEZONE: ZONE }, systemTimeZone: ZONE, fileText: null });
  const log = createLogger({ level: 'silent' });
  const store = new StoreModule({ settings, log });
  const ops = new OpsModule({ settings, log, clock, store });
  try {
    await store.start();
    await ops.start();
    // The backups folder cannot be made: a file stands where it should be.
    writeFileSync(ops.backupsDir, 'in the way');
    await clock.advanceAsync(MIN);
    await ops.idle();
    assert.match(ops.health().backup.error ?? '', /EEXIST|ENOTDIR|exists|not a directory/);
    assert.equal(ops.health().backup.last, null);
    rmSync(ops.backupsDir);
    await clock.advanceAsync(DAY);
    await ops.idle();
    assert.equal(ops.health().backup.error, null);
    assert.ok(ops.health().backup.last);
  } finally {
    await ops.stop();
    await store.stop();
    dir.remove();
  }
});
