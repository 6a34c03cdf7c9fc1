import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from './db.js';
import { SCHEMA_VERSION } from './migrations.js';
import { tempDir } from '../../test/helpers/spa.js';
import { Conversations } from '../agent/conversations.js';
import { SmsStore } from '../sms/sms-store.js';

test('version 13 carries every SMS pause and chat take-over into staff_holds: nothing held is let go by the upgrade', () => {
  const dir = tempDir();
  const path = join(dir.path, 'spa.db');
  try {
    const old = openDatabase({ path, migrateTo: 12 });
    old.db.prepare(`INSERT INTO sms_threads_paused (phone, paused_at, staff_user) VALUES ('+15550000001', 10, 'anna'), ('+15550000002', 11, NULL)`).run();
    const insert = old.db.prepare(`INSERT INTO conversations (id, channel, phone, state, created_at, updated_at, held_by, held_at) VALUES (?, ?, ?, '{}', 1, 2, ?, ?)`);
    insert.run('chat-held', 'chat', '+15550000003', 'bea', 20);
    insert.run('sms-held', 'sms', '+15550000004', 'cy', null);
    insert.run('sms-free', 'sms', '+15550000005', null, null);
    old.db.close();

    const { db, version } = openDatabase({ path });
    assert.equal(version, SCHEMA_VERSION);
    assert.deepEqual(db.prepare('SELECT channel, thread, held_by, held_at FROM staff_holds ORDER BY thread').all(), [
      { channel: 'sms', thread: '+15550000001', held_by: 'anna', held_at: 10 },
      { channel: 'sms', thread: '+15550000002', held_by: 'staff', held_at: 11 },
      { channel: 'sms', thread: '+15550000004', held_by: 'cy', held_at: 2 },
      { channel: 'chat', thread: 'chat-held', held_by: 'bea', held_at: 20 },
    ]);
    const conversations = new Conversations({ db });
    const sms = new SmsStore({ db });
    assert.equal(conversations.get('chat-held')?.heldBy, 'bea');
    assert.equal(conversations.get('sms-free')?.heldBy, null);
    assert.equal(sms.heldBy('+15550000004'), 'cy', 'a take-over of an SMS conversation holds the number for the texting rules too');
    db.close();
  } finally {
    dir.remove();
  }
});

test('holding an SMS conversation holds its number and holding the number holds every SMS conversation with it; chat holds stay per conversation', () => {
  const { db } = openDatabase({ path: ':memory:' });
  const conversations = new Conversations({ db });
  const sms = new SmsStore({ db });
  const state = { done: false } as never;
  const a = conversations.create({ channel: 'sms', phone: '+15550000007', state, at: 1 });
  const b = conversations.create({ channel: 'sms', phone: '+15550000007', state, at: 2 });
  const c1 = conversations.create({ channel: 'chat', phone: '+15550000007', state, at: 3 });
  assert.equal(conversations.hold(a.id, 'dana', 5), true);
  assert.deepEqual([sms.heldBy('+15550000007'), conversations.get(b.id)?.heldBy, conversations.get(c1.id)?.heldBy], ['dana', 'dana', null]);
  assert.equal(sms.resume('+15550000007'), true);
  assert.deepEqual([conversations.get(a.id)?.heldBy, conversations.get(b.id)?.heldBy], [null, null]);
  conversations.hold(c1.id, 'eli', 6);
  assert.deepEqual([conversations.get(c1.id)?.heldBy, sms.heldBy('+15550000007')], ['eli', null]);
  assert.equal(conversations.hold('no-such-id', 'eli', 7), false);
  db.close();
});
