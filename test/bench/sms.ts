// npm run bench -- sms: (1) a missed call to its text-back accepted by the modem (AT+CMGS answered)
// through the real AtModem over serialport to the fake modem on a socat pty, with the SQLite outbox
// in a temp file (p50/p95 ms); (2) outbox throughput under the default rate limit (one per 2 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../appliance/log.js';
import { systemClock } from '../../appliance/shared/clock.js';
import { AtModem } from '../../appliance/sms/at-modem.js';
import { Messaging } from '../../appliance/sms/messaging.js';
import { Outbox } from '../../appliance/sms/outbox.js';
import { openSerialPort } from '../../appliance/sms/serial-link.js';
import { SmsStore } from '../../appliance/sms/sms-store.js';
import { openDatabase } from '../../appliance/store/db.js';
import { FakeModem } from '../helpers/fake-modem.js';
import { until } from '../helpers/until.js';
import { emit, percentile } from './report.js';

const MISSES = 40;
const THROUGHPUT_TEXTS = 10;

async function rig(minIntervalMs: number): Promise<{ fake: FakeModem; store: SmsStore; outbox: Outbox; messaging: Messaging; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sms-'));
  const fake = new FakeModem();
  await fake.plug();
  const log = createLogger({ level: 'silent' });
  const modem = new AtModem({ clock: systemClock, log, device: fake.device, openLink: openSerialPort });
  await modem.start();
  if (modem.status().state !== 'ready') throw new Error(`the fake modem is ${modem.status().state}`);
  const { db } = openDatabase({ path: join(dir, 'spa.db') });
  const store = new SmsStore({ db });
  const outbox = new Outbox({ store, modem, clock: systemClock, log, policy: () => ({ minIntervalMs, dailyCap: 10_000, quiet: { startHour: 24, endHour: 0, zone: 'UTC' } }) });
  const messaging = new Messaging({
    store,
    clock: systemClock,
    log,
    chat: async () => ({ conversation: 'x', reply: '', done: false }),
    spa: () => ({ name: 'Glow Med Spa', phone: '', zone: 'UTC' }),
    settings: () => ({ textBack: 'Sorry we missed your call at {spa}. How can we help? You can book right here by text.', reminderHours: 0, staffNumbers: [] }),
    servedLiveSince: () => false,
    queued: () => outbox.kick(),
  });
  outbox.start();
  return {
    fake,
    store,
    outbox,
    messaging,
    close: async () => {
      outbox.stop();
      await modem.stop();
      await fake.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function run(): Promise<void> {
  // (1) Latency: misses one at a time (each caller new), the rate limit not in the way.
  const a = await rig(0);
  const times: number[] = [];
  try {
    for (let i = 0; i < MISSES; i++) {
      const phone = `+1555010${String(i).padStart(4, '0')}`;
      const t0 = performance.now();
      const { queued } = a.messaging.onMissedCall(phone);
      if (!queued) throw new Error('no text-back queued');
      await until(() => a.store.get(queued.id)?.status === 'sent', 'the text-back accepted by the modem', 10_000, 1);
      times.push(performance.now() - t0);
    }
  } finally {
    await a.close();
  }
  times.sort((x, y) => x - y);
  emit('sms', 'textback_handed_p50', percentile(times, 50), 'ms', { n: times.length, modem: 'fake-pty' });
  emit('sms', 'textback_handed_p95', percentile(times, 95), 'ms', { n: times.length, modem: 'fake-pty' });

  // (2) Throughput under the default rate limit (one text per 2 s).
  const b = await rig(2000);
  try {
    const ids: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < THROUGHPUT_TEXTS; i++) ids.push(b.store.enqueue({ phone: `+1555020${String(i).padStart(4, '0')}`, kind: 'staff', body: 'Your appointment is tomorrow at 10 AM.', automated: false, now: Date.now() }).id);
    b.outbox.kick();
    await until(() => ids.every((id) => b.store.get(id)?.status === 'sent'), 'every text sent', 60_000, 5);
    const elapsedS = (performance.now() - t0) / 1000;
    emit('sms', 'outbox_throughput', (THROUGHPUT_TEXTS / elapsedS) * 60, 'texts/min', { n: THROUGHPUT_TEXTS, minIntervalMs: 2000, elapsedS: Math.round(elapsedS * 10) / 10 });
  } finally {
    await b.close();
  }
}
