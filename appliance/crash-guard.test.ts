import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { CrashGuard } from './crash-guard.js';
import { createLogger } from './log.js';
import { FakeClock } from './shared/fake-clock.js';

function guard(opts: { healthy?: () => boolean } = {}) {
  const clock = new FakeClock();
  const shutdowns: string[] = [];
  const lines: string[] = [];
  const events = new EventEmitter();
  const g = new CrashGuard({
    log: createLogger({ level: 'info', destination: { write: (s: string) => lines.push(s) } }),
    clock,
    healthy: opts.healthy ?? (() => true),
    shutdown: (why) => shutdowns.push(why),
    events,
    maxErrors: 3,
    windowMs: 60_000,
  });
  return { g, events, shutdowns, lines, advance: (ms: number) => clock.advance(ms) };
}

test('an uncaught error in a healthy daemon is logged and the daemon keeps serving', () => {
  const t = guard();
  t.g.start();
  t.events.emit('uncaughtException', new Error('boom in a timer'), 'uncaughtException');
  assert.deepEqual(t.shutdowns, []);
  assert.match(t.lines.join(''), /boom in a timer.*keeps serving/);
  t.g.stop();
  assert.equal(t.events.listenerCount('uncaughtException'), 0, 'stop() removes the handlers');
});

test('an uncaught error when the daemon is no longer healthy stops it cleanly, once', () => {
  const t = guard({ healthy: () => false });
  assert.equal(t.g.uncaught(new Error('db gone')), 'shutting down');
  assert.equal(t.g.uncaught(new Error('again')), 'shutting down');
  assert.deepEqual(t.shutdowns, ['the daemon is no longer healthy']);
});

test('a health probe that throws counts as unhealthy', () => {
  const t = guard({
    healthy: () => {
      throw new Error('probe failed');
    },
  });
  assert.equal(t.g.uncaught(new Error('x')), 'shutting down');
});

test('more than maxErrors uncaught errors within the window stop the daemon; errors spread out do not', () => {
  const spread = guard();
  for (let i = 0; i < 6; i++) {
    assert.equal(spread.g.uncaught(new Error(`e${i}`)), 'kept serving');
    spread.advance(30_000);
  }
  assert.deepEqual(spread.shutdowns, []);

  const burst = guard();
  for (let i = 0; i < 3; i++) assert.equal(burst.g.uncaught(new Error(`e${i}`)), 'kept serving');
  burst.advance(1000);
  assert.equal(burst.g.uncaught(new Error('e3')), 'shutting down');
  assert.deepEqual(burst.shutdowns, ['4 uncaught errors within 60 s']);
});

test('an unhandled rejection is logged and does not stop the daemon', () => {
  const t = guard();
  t.g.start();
  t.events.emit('unhandledRejection', new Error('nobody awaited me'));
  assert.deepEqual(t.shutdowns, []);
  assert.match(t.lines.join(''), /nobody awaited me/);
  t.g.stop();
});
