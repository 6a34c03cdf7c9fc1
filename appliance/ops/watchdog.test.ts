import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startNotifyReceiver } from '../../test/helpers/notify-receiver.js';
import { tempDir } from '../../test/helpers/spa.js';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { systemdNotifier, watchdogPeriodMs, type ServiceNotifier } from './service-notifier.js';
import { ServiceWatchdog } from './watchdog.js';

const log = createLogger({ level: 'silent' });
const PERIOD = 10_000;

function fakeNotifier(): ServiceNotifier & { sent: string[][]; pings(): number } {
  const sent: string[][] = [];
  return {
    sent,
    notify: async (a) => void sent.push([...a]),
    pings: () => sent.filter((a) => a.includes('WATCHDOG=1')).length,
  };
}

function setup(): { clock: FakeClock; notifier: ReturnType<typeof fakeNotifier>; health: { db: boolean; sip: boolean }; watchdog: ServiceWatchdog } {
  const clock = new FakeClock();
  const notifier = fakeNotifier();
  const health = { db: true, sip: true };
  const watchdog = new ServiceWatchdog({
    clock,
    log,
    notifier,
    periodMs: PERIOD,
    problems: () => [...(health.db ? [] : ['database']), ...(health.sip ? [] : ['sip'])],
  });
  return { clock, notifier, health, watchdog };
}

test('the watchdog says READY=1 at start and pings once a period while the loop, database and SIP are healthy', async () => {
  const { clock, notifier, watchdog } = setup();
  await watchdog.start();
  assert.deepEqual(notifier.sent[0], ['READY=1', 'STATUS=running']);
  await clock.advanceAsync(5 * PERIOD);
  assert.equal(notifier.pings(), 5);
  await watchdog.stop();
  assert.deepEqual(notifier.sent.at(-1), ['STOPPING=1']);
  await clock.advanceAsync(5 * PERIOD);
  assert.equal(notifier.pings(), 5, 'no pings after stop');
});

test('the watchdog pings stop while the event loop is blocked, and resume once it runs on time again', async () => {
  const { clock, notifier, watchdog } = setup();
  await watchdog.start();
  await clock.advanceAsync(2 * PERIOD);
  assert.equal(notifier.pings(), 2);
  // A synchronous stall of 25 s: no timer can fire; the next tick comes 15 s late.
  clock.block(2.5 * PERIOD);
  await clock.advanceAsync(1);
  assert.equal(notifier.pings(), 2, 'the late tick withholds its ping');
  assert.equal(watchdog.counts.withheld, 1);
  assert.ok(notifier.sent.some((a) => a.some((s) => /^STATUS=unhealthy: event loop blocked \d+ ms$/.test(s))));
  await clock.advanceAsync(3 * PERIOD);
  assert.equal(notifier.pings(), 5, 'on time again: pings resume');
  assert.ok(notifier.sent.at(-3)?.includes('STATUS=running'), 'and the status says so');
  await watchdog.stop();
});

test('the watchdog pings stop while the database check fails or the SIP socket is not listening', async () => {
  const { clock, notifier, health, watchdog } = setup();
  await watchdog.start();
  await clock.advanceAsync(PERIOD);
  assert.equal(notifier.pings(), 1);
  health.db = false;
  await clock.advanceAsync(4 * PERIOD);
  assert.equal(notifier.pings(), 1, 'no pings while the database fails');
  assert.ok(notifier.sent.some((a) => a.includes('STATUS=unhealthy: database')));
  health.db = true;
  health.sip = false;
  await clock.advanceAsync(4 * PERIOD);
  assert.equal(notifier.pings(), 1, 'no pings while SIP is not listening');
  health.sip = true;
  await clock.advanceAsync(PERIOD);
  assert.equal(notifier.pings(), 2);
  await watchdog.stop();
});

test('the ping period is a third of WATCHDOG_USEC, only for this process', () => {
  assert.equal(watchdogPeriodMs({ WATCHDOG_USEC: '30000000' }, 42), 10_000);
  assert.equal(watchdogPeriodMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 10_000);
  assert.equal(watchdogPeriodMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '41' }, 42), null, 'meant for another process');
  assert.equal(watchdogPeriodMs({}, 42), null);
  assert.equal(systemdNotifier({}), null, 'no NOTIFY_SOCKET: not under systemd');
});

test('systemd-notify delivers READY and WATCHDOG to the notify socket (a receiver standing in for systemd)', async () => {
  const dir = tempDir('spa-notify-');
  const receiver = await startNotifyReceiver(dir.path);
  try {
    const notifier = systemdNotifier({ NOTIFY_SOCKET: receiver.socketPath, PATH: process.env.PATH });
    assert.ok(notifier);
    await notifier.notify(['READY=1', 'STATUS=running']);
    await notifier.notify(['WATCHDOG=1']);
    const lines = receiver.messages();
    assert.match(lines[0] ?? '', /READY=1 STATUS=running/);
    assert.match(lines.find((l) => l.includes('WATCHDOG=1')) ?? '', /WATCHDOG=1/);
    await assert.rejects(systemdNotifier({ NOTIFY_SOCKET: join(dir.path, 'nobody'), PATH: process.env.PATH })!.notify(['WATCHDOG=1']), /systemd-notify WATCHDOG=1 failed/);
  } finally {
    receiver.stop();
    dir.remove();
  }
});
