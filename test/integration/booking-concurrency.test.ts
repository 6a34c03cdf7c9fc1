import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openTestSpa } from '../helpers/spa.js';

const WORKER = fileURLToPath(new URL('../helpers/booking-worker.js', import.meta.url));

interface Counts {
  booked: number;
  moved: number;
  cancelled: number;
  refused: number;
  errors: number;
}

function waitFor<T>(child: ChildProcess, pred: (m: unknown) => m is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      if (pred(m)) {
        child.off('message', onMessage);
        resolve(m);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker exited with ${String(code)}`))));
  });
}

test('two OS processes booking, moving and cancelling the same slots hundreds of times never overlap a provider', async () => {
  const spa = openTestSpa();
  try {
    const workers = [1, 2].map((seed) => fork(WORKER, [spa.dbPath, String(seed * 7919), '400'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(workers.map((w) => waitFor(w, (m): m is { ready: true } => (m as { ready?: boolean }).ready === true)));
    const results = workers.map((w) => waitFor(w, (m): m is { counts: Counts } => typeof (m as { counts?: unknown }).counts === 'object'));
    for (const w of workers) w.send('go');
    const counts = (await Promise.all(results)).map((r) => r.counts);

    const total = counts.reduce((a, c) => ({
      booked: a.booked + c.booked,
      moved: a.moved + c.moved,
      cancelled: a.cancelled + c.cancelled,
      refused: a.refused + c.refused,
      errors: a.errors + c.errors,
    }));
    assert.equal(total.errors, 0, 'no attempt may fail other than by a clean 409 refusal');
    assert.ok(total.booked > 20, `both workers really booked (${JSON.stringify(counts)})`);
    assert.ok(total.refused > 100, `the slots were really contested (${JSON.stringify(counts)})`);
    assert.ok(counts.every((c) => c.booked > 0 && c.refused > 0), `each process both won and lost races: ${JSON.stringify(counts)}`);

    const overlaps = spa.db
      .prepare(
        `SELECT COUNT(*) FROM appointments a JOIN appointments b
           ON a.provider_id = b.provider_id AND a.id < b.id
          AND a.status = 'booked' AND b.status = 'booked'
          AND a.block_start < b.block_end AND b.block_start < a.block_end`,
      )
      .pluck()
      .get() as number;
    assert.equal(overlaps, 0);
    const live = spa.db.prepare(`SELECT COUNT(*) FROM appointments WHERE status = 'booked'`).pluck().get() as number;
    assert.ok(live >= 1, `the day ends with appointments (${live})`);
  } finally {
    spa.close();
  }
});
