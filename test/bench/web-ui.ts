// npm run bench -- web-ui: the staff web UI on this machine, in Debian's headless Chromium, over a
// busy box's database (10,000 appointments, 5,000 calls): the built UI's size, GET /api/today on
// the server, and how long after navigation Today shows its figures (cold load: empty cache).
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { launchChromium } from '../helpers/browser.js';
import { SPA_ZONE } from '../helpers/spa.js';
import { builtUiSize } from '../helpers/ui-size.js';
import { openTestWeb, type TestWeb } from '../helpers/web.js';
import { emit, percentile } from './report.js';

const BENCH = 'web-ui';
const APPOINTMENTS = 10_000;
const CALLS = 5_000;
const LOADS = 10;
const DAY = 86_400_000;


/** A busy box's database: 10,000 appointments over a year, 5,000 calls over 100 days, 40 alerts. */
export function seedBusyBox(web: TestWeb): void {
  const { db, clock, catalogue } = web.spa;
  const now = clock.now();
  const services = catalogue.services().filter((s) => s.active);
  const providers = catalogue.providers().map((p) => p.id);
  const outcomes = ['ai-handled', 'ai-handled', 'ai-handled', 'answered-elsewhere', 'missed', 'transferred'] as const;
  const sources = ['call', 'call', 'staff', 'web', 'sms'] as const;
  db.transaction(() => {
    const client = db.prepare('INSERT INTO clients (phone, name, created_at) VALUES (?, ?, ?)');
    for (let i = 0; i < 2000; i++) client.run(`+1203555${String(i).padStart(4, '0')}`, `Client ${i}`, now - 400 * DAY);
    const appt = db.prepare(
      `INSERT INTO appointments (client_id, service_id, provider_id, start, end, block_start, block_end, status, source, notes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)`,
    );
    for (let i = 0; i < APPOINTMENTS; i++) {
      // Spread over 270 days before today to 90 after, on the hour between 9 and 17.
      const day = DateTime.fromMillis(now, { zone: SPA_ZONE }).startOf('day').plus({ days: (i % 360) - 270 });
      const start = day.set({ hour: 9 + (i % 8) }).toMillis();
      const service = services[i % services.length];
      if (!service) continue;
      const end = start + service.durationMin * 60_000;
      // Booked 1-30 days ahead; one still to come was booked within the last 30 days.
      const ahead = (1 + (i % 30)) * DAY;
      const created = start - ahead < now ? start - ahead : now - ahead;
      const status = start < now ? (i % 10 === 0 ? 'no-show' : 'completed') : i % 12 === 0 ? 'cancelled' : 'booked';
      appt.run(1 + (i % 2000), service.id, providers[i % providers.length], start, end, start, end, status, sources[i % sources.length], created, created);
    }
    const call = db.prepare(
      `INSERT INTO calls (sip_call_id, caller_phone, caller_raw, caller_name, state, outcome, end_reason, codec, invited_at, answered_at, ended_at, summary)
       VALUES (?, ?, ?, ?, 'ended', ?, 'caller hung up', 'PCMU', ?, ?, ?, ?)`,
    );
    for (let i = 0; i < CALLS; i++) {
      // 5,000 calls over the last 100 days, 50 of them today.
      const at = now - Math.floor((i / CALLS) * 100 * DAY) - 60_000;
      const outcome = outcomes[i % outcomes.length] ?? 'missed';
      const answered = outcome === 'missed' ? null : at + 20_000;
      call.run(`${i}@bench`, `+1203555${String(i % 2000).padStart(4, '0')}`, '', `Client ${i % 2000}`, outcome, at, answered, at + 180_000, 'Asked about prices.');
    }
    const alert = db.prepare("INSERT INTO staff_alerts (kind, phone, name, text, created_at) VALUES (?, '+12035550100', 'Client', 'Please call back', ?)");
    for (let i = 0; i < 40; i++) alert.run(i % 7 === 0 ? 'urgent' : 'message', now - i * 3_600_000);
  })();
}

export async function run(): Promise<void> {
  const size = builtUiSize();
  emit(BENCH, 'built_ui_gzipped', size.gz / 1024, 'KB', { raw_kb: Math.round(size.raw / 1024), budget_kb: 300 });

  const web = await openTestWeb();
  seedBusyBox(web);


  await web.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(web.app.server.address() as AddressInfo).port}`;
  const cookie = await web.login();
  const api: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/api/today`, { headers: { cookie } });
    await res.arrayBuffer();
    api.push(performance.now() - t);
  }
  api.sort((a, b) => a - b);
  emit(BENCH, 'api_today_p50', percentile(api, 50), 'ms', { appointments: APPOINTMENTS, calls: CALLS });

  const browser = await launchChromium();
  const shown: number[] = [];
  const fcp: number[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      // A new context each time: empty cache, as at the start of a shift.
      const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
      await context.addCookies([{ name: 'spa_session', value: cookie.split('=')[1] ?? '', url }]);
      const page = await context.newPage();
      await page.goto(`${url}/#/today`);
      await page.locator('.tile-value').first().waitFor();
      // The page marks when Today's figures first painted (web-ui/src/pages/today.tsx).
      shown.push(await page.evaluate<number>("performance.getEntriesByName('spa:today-shown')[0]?.startTime ?? NaN"));
      fcp.push(await page.evaluate<number>("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN"));
      const marks = await page.evaluate<[string, number, number][]>(
        "performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd)])",
      );
      if (process.env.SPA_BENCH_DEBUG) console.log(JSON.stringify({ load: i, shown: shown.at(-1), marks }));
      await context.close();
    }
  } finally {
    await browser.close();
    await web.close();
  }
  shown.sort((a, b) => a - b);
  fcp.sort((a, b) => a - b);
  emit(BENCH, 'today_figures_shown_p50', percentile(shown, 50), 'ms', { loads: LOADS, viewport: '768x1024', appointments: APPOINTMENTS, calls: CALLS });
  emit(BENCH, 'today_figures_shown_max', shown[shown.length - 1] ?? NaN, 'ms', { loads: LOADS });
  emit(BENCH, 'first_contentful_paint_p50', percentile(fcp, 50), 'ms', { loads: LOADS });
}
