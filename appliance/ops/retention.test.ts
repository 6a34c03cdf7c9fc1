import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addCall, count } from '../../test/helpers/ops.js';
import { at, openTestSpa } from '../../test/helpers/spa.js';
import { createLogger } from '../log.js';
import { AuditLog } from '../web/audit.js';
import { RetentionPurge, type PurgeTarget } from './retention.js';

const DAY = 86_400_000;
const log = createLogger({ level: 'silent' });
const RETENTION = { recordingsDays: 30, transcriptsDays: 90, conversationsDays: 90, messagesDays: 90 };

test('the purge on a pinned clock deletes old recordings from disk, old transcripts and conversations from the database, keeps newer ones, and writes an audit entry', async () => {
  const spa = openTestSpa({ now: at('2026-12-06T03:30') });
  try {
    const { db, clock } = spa;
    const recordingsDir = join(spa.dir, 'recordings');
    const now = clock.now();
    const ancient = addCall(db, recordingsDir, 'ancient', now - 120 * DAY); // past every limit
    const middle = addCall(db, recordingsDir, 'middle', now - 45 * DAY); // recording past 30 days, transcript within 90
    const recent = addCall(db, recordingsDir, 'recent', now - 2 * DAY);
    const stray = join(recordingsDir, 'call-999.wav'); // a crash left it, the call log does not point at it
    writeFileSync(stray, Buffer.alloc(100));
    utimesSync(stray, new Date(now - 40 * DAY), new Date(now - 40 * DAY));
    const appointments = count(db, 'SELECT COUNT(*) FROM appointments');

    const audit = new AuditLog({ db, clock });
    const purge = new RetentionPurge({ db, clock, log, audit, retention: RETENTION, recordingsDir });
    const result = await purge.run();

    assert.deepEqual(result.deleted, { recordings: 3, transcripts: 2, conversations: 1 });
    assert.equal(existsSync(ancient.recording), false, 'the 120-day-old recording is gone from disk');
    assert.equal(existsSync(middle.recording), false, 'the 45-day-old recording is gone from disk');
    assert.equal(existsSync(stray), false, 'a stray WAV older than the limit is gone');
    assert.equal(existsSync(recent.recording), true, 'the 2-day-old recording stays');
    assert.equal(count(db, 'SELECT COUNT(*) FROM calls WHERE recording_path IS NOT NULL'), 1);
    assert.equal(count(db, 'SELECT COUNT(*) FROM call_turns WHERE call_id = ?', ancient.callId), 0);
    assert.equal(count(db, "SELECT COUNT(*) FROM calls WHERE id = ? AND summary = ''", ancient.callId), 1);
    assert.equal(count(db, 'SELECT COUNT(*) FROM call_turns WHERE call_id = ?', middle.callId), 2, 'a 45-day-old transcript is kept for 90 days');
    assert.equal(count(db, 'SELECT COUNT(*) FROM conversations WHERE id = ?', ancient.conversation), 0);
    assert.equal(count(db, 'SELECT COUNT(*) FROM conversation_messages WHERE conversation_id = ?', ancient.conversation), 0, 'messages go with their conversation');
    assert.equal(count(db, 'SELECT COUNT(*) FROM conversation_messages'), 4);
    assert.equal(count(db, 'SELECT COUNT(*) FROM calls'), 3, 'the call log rows stay (outcome and time)');
    assert.equal(count(db, 'SELECT COUNT(*) FROM appointments'), appointments, 'appointments are the spa records: never purged');

    const [entry] = audit.list({ limit: 5 });
    assert.equal(entry?.action, 'retention.purge');
    assert.equal(entry?.username, 'system');
    assert.equal(entry?.at, now);
    assert.deepEqual((JSON.parse(entry?.detail ?? '{}') as { deleted: unknown }).deleted, result.deleted);
    assert.deepEqual(purge.last(), { at: now, deleted: result.deleted }, 'the last purge is read back from the audit log');

    const again = await purge.run();
    assert.deepEqual(again.deleted, { recordings: 0, transcripts: 0, conversations: 0 }, 'a second run finds nothing more');
    assert.equal(audit.list({ limit: 5, action: 'retention.purge' }).length, 2, 'and is audited too');
  } finally {
    spa.close();
  }
});

test('a kind set to null is kept forever; extra targets (the SMS texts) get their own cutoff', async () => {
  const spa = openTestSpa({ now: at('2026-12-06T03:30') });
  try {
    const { db, clock } = spa;
    const recordingsDir = join(spa.dir, 'recordings');
    const old = addCall(db, recordingsDir, 'old', clock.now() - 400 * DAY);
    const cutoffs: number[] = [];
    const messages: PurgeTarget = { setting: 'messagesDays', kind: 'messages', purge: (cutoff) => (cutoffs.push(cutoff), 7) };
    const purge = new RetentionPurge({
      db,
      clock,
      log,
      audit: new AuditLog({ db, clock }),
      retention: { ...RETENTION, recordingsDays: null, messagesDays: 10 },
      recordingsDir,
      targets: [messages],
    });
    const result = await purge.run();
    assert.deepEqual(result.deleted, { transcripts: 2, conversations: 1, messages: 7 });
    assert.equal(existsSync(old.recording), true, 'recordings kept: recordingsDays is null');
    assert.deepEqual(cutoffs, [clock.now() - 10 * DAY]);
  } finally {
    spa.close();
  }
});
