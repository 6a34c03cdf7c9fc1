import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { PlaybackQueue } from './playback-queue.js';

const pcm = (n: number, value = 1): Int16Array => new Int16Array(n).fill(value);

/** Lets the stream pumps run (they are promise chains). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
}

test('a buffer plays in 20 ms frames, the last one padded, and resolves with its length when the last frame goes out', async () => {
  const q = new PlaybackQueue();
  const h = q.play(pcm(800, 7)); // 50 ms
  const frames = [q.nextFrame(), q.nextFrame(), q.nextFrame()];
  assert.ok(frames.every((f) => f?.length === 320));
  assert.equal(frames[2]?.[159], 7);
  assert.equal(frames[2]?.[160], 0);
  assert.deepEqual(await h.done, { id: h.id, playedMs: 50, interrupted: false });
  assert.equal(q.nextFrame(), undefined);
  assert.equal(q.active, false);
});

test('queued playbacks run in order', async () => {
  const q = new PlaybackQueue();
  const a = q.play(pcm(320, 1));
  const b = q.play(pcm(640, 2));
  assert.deepEqual([q.nextFrame()?.[0], q.nextFrame()?.[0], q.nextFrame()?.[0], q.nextFrame()], [1, 2, 2, undefined]);
  assert.equal((await a.done).playedMs, 20);
  assert.equal((await b.done).playedMs, 40);
});

test('clear() stops at once: the current playback resolves interrupted with what was sent, queued ones with 0', async () => {
  const ended: number[] = [];
  const q = new PlaybackQueue({ onEnded: (r) => ended.push(r.id) });
  const a = q.play(pcm(16000));
  const b = q.play(pcm(16000));
  q.nextFrame();
  q.nextFrame();
  q.nextFrame();
  q.clear();
  assert.equal(q.nextFrame(), undefined, 'nothing more after clear()');
  assert.deepEqual(await a.done, { id: a.id, playedMs: 60, interrupted: true });
  assert.deepEqual(await b.done, { id: b.id, playedMs: 0, interrupted: true });
  assert.deepEqual(ended, [a.id, b.id]);
});

test('a stream source is read ahead only up to maxBufferedMs, and clear() makes the producer stop (return())', async () => {
  let produced = 0;
  let closed = false;
  async function* tts(): AsyncGenerator<Int16Array> {
    try {
      for (;;) {
        produced += 160;
        yield pcm(160, 3);
      }
    } finally {
      closed = true;
    }
  }
  const q = new PlaybackQueue({ maxBufferedMs: 100 });
  const h = q.play(tts());
  await settle();
  assert.ok(produced <= 1600 + 160, `read ahead ${produced} samples`);
  assert.equal(q.nextFrame()?.[0], 3);
  await settle();
  q.clear();
  const r = await h.done;
  assert.equal(r.interrupted, true);
  assert.equal(r.playedMs, 20);
  await settle();
  assert.equal(closed, true);
});

test('a slow stream underruns (silence, not counted as played) and completes when it ends', async () => {
  let release: () => void = () => undefined;
  async function* slow(): AsyncGenerator<Int16Array> {
    yield pcm(320, 5);
    await new Promise<void>((r) => (release = r));
    yield pcm(100, 6);
  }
  const q = new PlaybackQueue();
  const h = q.play(slow());
  await settle();
  assert.equal(q.nextFrame()?.[0], 5);
  assert.equal(q.nextFrame(), undefined);
  assert.equal(q.stats.underruns, 1);
  release();
  await settle();
  const last = q.nextFrame();
  assert.equal(last?.[99], 6);
  assert.equal(last?.[100], 0);
  assert.deepEqual(await h.done, { id: h.id, playedMs: 26, interrupted: false });
});

test('an aborted signal interrupts only its playback; a failing stream ends interrupted with the error', async () => {
  const q = new PlaybackQueue();
  const ac = new AbortController();
  const a = q.play(pcm(3200, 1), { signal: ac.signal });
  const b = q.play(pcm(320, 2));
  q.nextFrame();
  ac.abort();
  assert.equal(q.nextFrame()?.[0], 2);
  assert.deepEqual(await a.done, { id: a.id, playedMs: 20, interrupted: true });
  assert.equal((await b.done).interrupted, false);
  async function* broken(): AsyncGenerator<Int16Array> {
    yield pcm(320);
    throw new Error('tts crashed');
  }
  const c = q.play(broken());
  await settle();
  q.nextFrame();
  q.nextFrame();
  const r = await c.done;
  assert.equal(r.interrupted, true);
  assert.equal(r.playedMs, 20);
  assert.match(String(r.error), /tts crashed/);
});
