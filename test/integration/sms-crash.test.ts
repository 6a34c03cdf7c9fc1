// Crash test: the real sms module (AT driver over serialport, outbox on a file database) in a
// child process sends a batch to the fake modem on a socat pty; it is killed with SIGKILL while the
// modem holds one text's PDU unanswered, and started again. The fake modem's log of AT+CMGS PDUs
// shows every part handed over exactly once: the texts before the kill are not repeated, the one
// caught between handoff and answer is marked failed (it may have gone) and never written again,
// and the rest go after the restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, Submit } from 'node-pdu';
import { openDatabase } from '../../appliance/store/db.js';
import { SmsStore } from '../../appliance/sms/sms-store.js';
import { FakeModem } from '../helpers/fake-modem.js';
import { tempDir } from '../helpers/spa.js';
import { until } from '../helpers/until.js';

const CHILD = fileURLToPath(new URL('../helpers/sms-crash-child.js', import.meta.url));
const LONG = 'Your appointment details: '.padEnd(200, 'x'); // two GSM-7 parts

function startChild(dbPath: string, device: string): { child: ChildProcess; started: Promise<void> } {
  const child = spawn(process.execPath, [CHILD, dbPath, device], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the sms child exited (${code}) before it started`)));
  });
  return { child, started };
}

test('kill -9 mid-batch and restart: every part reaches the modem exactly once; the text caught between handoff and answer is failed, not resent', async () => {
  const fake = new FakeModem();
  const dir = tempDir('sms-crash-');
  const dbPath = join(dir.path, 'spa.db');
  let child: ChildProcess | null = null;
  try {
    await fake.plug();
    const seed = openDatabase({ path: dbPath });
    const store = new SmsStore({ db: seed.db });
    const batch = ['+15550100001', '+15550100002', '+15550100003', '+15550100004', '+15550100005', '+15550100006'].map((phone, i) =>
      store.enqueue({ phone, kind: 'staff', body: i === 1 ? LONG : `Batch text ${i + 1}`, automated: false, now: Date.now() }),
    );
    seed.db.close();
    // PDUs: text 1, text 2 part 1, text 2 part 2, text 3 <- no answer, then the kill.
    fake.script.cmgsHangAt = 4;
    const first = startChild(dbPath, fake.device);
    child = first.child;
    await first.started;
    await until(() => fake.sent.length === 4, 'four PDUs handed to the modem', 20_000);
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    const [, signal] = (await exited) as [number | null, string | null];
    assert.equal(signal, 'SIGKILL');
    fake.script.cmgsHangAt = null;

    const second = startChild(dbPath, fake.device);
    child = second.child;
    await second.started;
    await until(() => fake.sent.length >= 7, 'the rest of the batch handed over', 20_000);
    const check = openDatabase({ path: dbPath });
    const after = new SmsStore({ db: check.db });
    await until(() => batch.every((m) => ['sent', 'failed'].includes(after.get(m.id)?.status ?? '')), 'every text settled', 20_000);
    const statuses = batch.map((m) => [after.get(m.id)?.status, after.get(m.id)?.partsSent]);
    const inDoubt = after.get(batch[2]?.id ?? 0);
    check.db.close();
    second.child.kill('SIGKILL');
    await once(second.child, 'exit');
    child = null;

    const handed = fake.sent.map((hex) => {
      const p = parse(hex);
      assert.ok(p instanceof Submit);
      const udh = p.data.parts[0]?.header;
      return `${(p.address.phone ?? '').replace(/^\+/, '')}#${udh ? udh.getCurrent() : 1}`;
    });
    assert.deepEqual(handed, [
      '15550100001#1',
      '15550100002#1',
      '15550100002#2',
      '15550100003#1',
      '15550100004#1',
      '15550100005#1',
      '15550100006#1',
    ], 'each part once, in order');
    assert.equal(new Set(handed).size, handed.length, 'no part twice');
    assert.deepEqual(statuses, [
      ['sent', 1],
      ['sent', 2],
      ['failed', 0],
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
    assert.match(inDoubt?.error ?? '', /may have gone out, so it was not sent again/);
  } finally {
    child?.kill('SIGKILL');
    await fake.close();
    dir.remove();
  }
});
