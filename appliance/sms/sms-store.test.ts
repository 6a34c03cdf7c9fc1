import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../store/db.js';
import { SmsStore } from './sms-store.js';

const DAY = 86_400_000;

test('the retention purge deletes texts older than the cutoff that are done with, and keeps queued ones and newer ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spa-sms-store-'));
  const { db } = openDatabase({ path: join(dir, 'spa.db') });
  try {
    const store = new SmsStore({ db });
    const now = Date.UTC(2026, 11, 1);
    store.received({ phone: '+12035550111', body: 'old reply', now: now - 100 * DAY, sentAt: now - 100 * DAY });
    store.enqueue({ phone: '+12035550111', kind: 'reminder', body: 'still waiting', automated: true, now: now - 100 * DAY });
    store.received({ phone: '+12035550111', body: 'new reply', now: now - DAY, sentAt: now - DAY });
    assert.equal(store.purgeOlderThan(now - 90 * DAY), 1);
    const left = (db.prepare('SELECT body FROM sms_messages ORDER BY id').all() as { body: string }[]).map((r) => r.body);
    assert.deepEqual(left, ['still waiting', 'new reply']);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
