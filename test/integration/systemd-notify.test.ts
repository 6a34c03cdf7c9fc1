import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { startNotifyReceiver } from '../helpers/notify-receiver.js';
import { tempDir } from '../helpers/spa.js';
import { until } from '../helpers/until.js';

test('the daemon under a notify socket says READY=1 once started, pings WATCHDOG=1 every third of WATCHDOG_USEC, and STOPPING=1 on SIGTERM', async () => {
  const dir = tempDir('spa-sdnotify-');
  const receiver = await startNotifyReceiver(dir.path);
  try {
    const daemon = await startDaemonProcess({ NOTIFY_SOCKET: receiver.socketPath, WATCHDOG_USEC: '1500000' }, { rtpPorts: '42000-42099' });
    try {
      await until(() => receiver.messages().some((m) => m.includes('READY=1')), 'READY=1', 30_000);
      await until(() => receiver.messages().filter((m) => m.includes('WATCHDOG=1')).length >= 3, 'three WATCHDOG=1 pings', 10_000);
      const first = receiver.messages()[0] ?? '';
      assert.match(first, /READY=1/, 'READY comes before any ping');
      assert.doesNotMatch(receiver.messages().join('|'), /unhealthy/);
    } finally {
      await daemon.stop();
    }
    await until(() => receiver.messages().some((m) => m.includes('STOPPING=1')), 'STOPPING=1', 5000);
  } finally {
    receiver.stop();
    dir.remove();
  }
});
