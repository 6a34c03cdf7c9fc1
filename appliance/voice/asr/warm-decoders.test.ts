// Warm decoders are started ahead of need; closing the pool must leave no decoder (nor its temp
// folder) behind, also one whose launch was still under way when close() was called.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock, settle } from '../../shared/fake-clock.js';
import { WarmDecoders, type DecoderProcess } from './pocketsphinx-process.js';

/** A decoder stand-in whose disposal (kill, wait for exit, remove its folder) ends when `done()` is called. */
function decoder(log: string[]): { decoder: DecoderProcess; done: () => void } {
  let done!: () => void;
  const disposed = new Promise<void>((r) => (done = r));
  const fake = {
    gone: false,
    hold: () => undefined,
    dispose: async () => {
      log.push('disposing');
      await disposed;
      log.push('disposed');
    },
  };
  return { decoder: fake as unknown as DecoderProcess, done };
}

const pool = (): WarmDecoders => new WarmDecoders({ perKey: 1, maxKeys: 2, idleMs: 60_000, clock: new FakeClock(), onError: () => undefined });

test('close() returns only once a decoder that finished launching after it was called is disposed', async () => {
  const log: string[] = [];
  const warm = pool();
  let launched!: (d: DecoderProcess) => void;
  warm.fill('k', () => new Promise<DecoderProcess>((r) => (launched = r)));
  const closing = warm.close().then(() => log.push('closed'));
  const d = decoder(log);
  launched(d.decoder);
  await settle();
  assert.deepEqual(log, ['disposing'], 'still disposing: close() has not returned');
  d.done();
  await closing;
  assert.deepEqual(log, ['disposing', 'disposed', 'closed']);
  assert.equal(warm.size, 0);
});

test('close() disposes the spares it holds before it returns', async () => {
  const log: string[] = [];
  const warm = pool();
  const d = decoder(log);
  warm.fill('k', () => Promise.resolve(d.decoder));
  await settle();
  assert.equal(warm.size, 1);
  const closing = warm.close().then(() => log.push('closed'));
  await settle();
  d.done();
  await closing;
  assert.deepEqual(log, ['disposing', 'disposed', 'closed']);
});
