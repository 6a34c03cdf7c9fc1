// The staff web UI in Debian's headless Chromium against a whole appliance on loopback, with one
// seeded morning (test/helpers/ui-seed.ts). Every page is checked for console errors and with
// axe-core, and photographed at desktop width and 768 px under test-output/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Bookings } from '../../appliance/booking/bookings.js';
import { Catalogue } from '../../appliance/booking/catalogue.js';
import { openDatabase } from '../../appliance/store/db.js';
import { openingHoursClock, startAppliance, TEST_ADMIN_PASSWORD, type RunningAppliance } from '../helpers/appliance.js';
import { checkPage, launchChromium, openPage, pageUntil, type WatchedPage, signIn as signInAt } from '../helpers/browser.js';
import { TEST_POLICY } from '../helpers/spa.js';
import { seedDay, type SeededDay } from '../helpers/ui-seed.js';

let box: RunningAppliance;
let browser: Browser;
let seeded: SeededDay;
let closeSeedDb: () => void = () => undefined;

before(async () => {
  const clock = openingHoursClock();
  box = await startAppliance({}, undefined, undefined, { clock });
  // A second connection to the appliance's database (WAL: both may write) to seed the morning.
  const { db } = openDatabase({ path: join(box.dataDir, 'spa.db') });
  closeSeedDb = () => db.close();
  const catalogue = new Catalogue({ db });
  seeded = seedDay({ db, clock, catalogue, bookings: new Bookings({ db, catalogue, clock, policy: TEST_POLICY }), recordingsDir: join(box.dataDir, 'recordings') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  closeSeedDb();
  await box?.stop();
});

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await signInAt(page, box.url, username, password);
}

async function asOwner(): Promise<WatchedPage> {
  const w = await openPage(browser);
  await signIn(w.page, 'owner', TEST_ADMIN_PASSWORD);
  await w.page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
  return w;
}

test('staff sign in, see the pages their role allows, and sign out back to the sign-in page', async () => {
  const w = await openPage(browser);
  try {
    await w.page.goto(`${box.url}/`);
    await w.page.getByRole('heading', { name: 'Spa Receptionist' }).waitFor();
    assert.deepEqual(await checkPage(w, 'sign-in'), []);
    await signIn(w.page, 'owner', TEST_ADMIN_PASSWORD);
    await w.page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    const nav = await w.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    assert.deepEqual(nav, ['Today', 'Live', 'Calendar', 'Calls', 'Messages', 'Clients', 'Insights', 'Health', 'Audit log', 'Settings', 'Users', 'Setup']);
    await w.page.getByRole('button', { name: 'Sign out' }).click();
    await w.page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The session is gone on the server too, not just hidden.
    const me = await w.page.evaluate("fetch('/api/session').then((r) => r.json())");
    assert.deepEqual(me, { user: null, idleTimeoutMs: 30 * 60_000 });
    assert.deepEqual(w.problems, []);
  } finally {
    await w.context.close();
  }
});

test('a front-desk user chooses a password at first sign-in, has no owner pages in the menu, and is refused the audit log page', async () => {
  const made = await box.api<{ oneTimePassword: string }>('/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'frida', role: 'frontdesk' }),
  });
  const w = await openPage(browser);
  try {
    await signIn(w.page, 'frida', made.oneTimePassword);
    await w.page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    assert.deepEqual(await checkPage(w, 'change-password'), []);
    await w.page.getByLabel('One-time password').fill(made.oneTimePassword);
    await w.page.getByLabel('New password', { exact: true }).fill('frida at the desk');
    await w.page.getByLabel('New password again').fill('frida at the desk');
    await w.page.getByRole('button', { name: 'Save and continue' }).click();
    await w.page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    const nav = await w.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    assert.deepEqual(nav, ['Today', 'Live', 'Calendar', 'Calls', 'Messages', 'Clients', 'Health']);
    await w.page.goto(`${box.url}/#/audit`);
    await w.page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
    assert.equal(await w.page.getByRole('table').count(), 0, 'no audit rows on the page');
    // The API refuses it too (the page did not even ask).
    // (Asked from the browser context's cookie jar, outside the page: a refused fetch is a console error.)
    assert.equal((await w.context.request.get(`${box.url}/api/audit`)).status(), 403);
    assert.deepEqual(await checkPage(w, 'refused'), []);
  } finally {
    await w.context.close();
  }
});

test("Today shows the morning's calls, the box's booking and its value, the urgent alert first, and Done takes an alert away", async () => {
  const w = await asOwner();
  try {
    const { page } = w;
    const tile = (label: string) => page.locator('.tile', { hasText: label }).locator('.tile-value');
    assert.equal(await tile('Answered by the box').textContent(), '2');
    assert.equal(await tile('Answered by staff').textContent(), '1');
    assert.equal(await tile('Missed').textContent(), '1');
    assert.equal(await tile('Booked by the box').textContent(), '1');
    assert.match((await page.locator('.tile', { hasText: 'Booked by the box' }).textContent()) ?? '', /\$199/);
    const alerts = page.locator('.alerts li');
    await alerts.first().waitFor();
    assert.equal(await alerts.count(), 2);
    assert.match((await alerts.nth(0).textContent()) ?? '', /urgent.*Ben Okafor.*Swelling/s);
    assert.match((await alerts.nth(1).textContent()) ?? '', /Eve Moss/);
    const next = await page.getByRole('region', { name: 'Next appointments' }).getByRole('row').allTextContents();
    assert.ok(next.some((r) => /Ada Lovelace.*Signature HydraFacial/.test(r)), next.join(' | '));
    assert.deepEqual(await checkPage(w, 'today'), []);
    await alerts.nth(0).getByRole('button', { name: /^Done/ }).click();
    await page.locator('.alerts li').nth(1).waitFor({ state: 'detached' });
    assert.match((await page.locator('.alerts li').first().textContent()) ?? '', /Eve Moss/);
    assert.deepEqual(w.problems, []);
  } finally {
    await w.context.close();
  }
});

test("Calls lists and filters the morning's calls; a call's page shows the transcript with latency, the booking, and a recording that loads by Range and plays", async () => {
  const w = await asOwner();
  try {
    const { page } = w;
    await page.getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calls' }).waitFor();
    const rows = page.locator('table.calls tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 4);
    assert.deepEqual(await checkPage(w, 'calls'), []);
    await page.getByLabel('Outcome').selectOption('missed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/#\/calls\?outcome=missed$/);
    // Ben Okafor's row is in the unfiltered list too: wait for the filtered list itself.
    await pageUntil(page, "document.querySelectorAll('table.calls tbody tr').length === 1", 'the missed calls only');
    assert.match((await rows.first().textContent()) ?? '', /Ben Okafor/);
    await page.getByRole('link', { name: 'Clear' }).click();
    await pageUntil(page, "document.querySelectorAll('table.calls tbody tr').length === 4", 'the four calls again');

    const ranges: string[] = [];
    const statuses: number[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/calls/${seeded.bookedCall}/recording`)) ranges.push(r.headers().range ?? '(none)');
    });
    page.on('response', (r) => {
      if (r.url().endsWith(`/api/calls/${seeded.bookedCall}/recording`)) statuses.push(r.status());
    });
    await rows.filter({ hasText: 'Ada Lovelace' }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Ada Lovelace/ }).waitFor();
    const convo = page.getByRole('region', { name: 'Conversation' });
    assert.match((await convo.textContent()) ?? '', /I'd like a HydraFacial tomorrow at eleven/);
    assert.match((await convo.textContent()) ?? '', /Answered in 1040 ms/);
    assert.match((await page.getByRole('region', { name: 'Booked on this call' }).textContent()) ?? '', /Signature HydraFacial/);
    // The player loads the WAV's metadata (a ranged request answered 206) and plays it.
    await pageUntil(page, "(document.querySelector('audio')?.readyState ?? 0) >= 1", "the recording's metadata");
    const duration = await page.evaluate<number>("document.querySelector('audio').duration");
    assert.ok(Math.abs(duration - seeded.recordingSeconds) < 0.1, `duration ${duration}`);
    await page.evaluate("document.querySelector('audio').play()");
    await pageUntil(page, "(document.querySelector('audio')?.currentTime ?? 0) > 0.2", 'the recording to play');
    assert.ok(ranges.some((r) => r.startsWith('bytes=')), `requests: ${ranges.join(', ')}`);
    assert.ok(statuses.includes(206), `statuses: ${statuses.join(', ')}`);
    await page.evaluate("document.querySelector('audio').pause()");
    assert.deepEqual(await checkPage(w, 'call'), []);
  } finally {
    await w.context.close();
  }
});

test('Health and the audit log render for the owner without errors', async () => {
  const w = await asOwner();
  try {
    const { page } = w;
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await page.getByText('Disk free').waitFor();
    const box = (await page.getByRole('region', { name: 'Box' }).textContent()) ?? '';
    assert.match(box, /Recordings\s*1 \(/);
    assert.match(box, /Databaseok, \d+(\.\d)? (KB|MB)/);
    assert.match(box, /Disk free\d+(\.\d)? (MB|GB|TB) of \d+(\.\d)? (GB|TB)/);
    assert.match(box, /Last backup(none yet|[A-Z][a-z]{2} \d)[^]*; next [A-Z][a-z]{2} \d/);
    assert.match(box, /Last purge(none yet|[A-Z][a-z]{2} \d)/);
    assert.match(box, /Version0\.1\.0/);
    assert.match(box, /Up for\d/);
    // The owner sees the speech models the box can install.
    await page.getByRole('table', { name: 'Models the box can install' }).getByText('silero-vad-v5').waitFor();
    assert.deepEqual(await checkPage(w, 'health'), []);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'recording.play' }).first().waitFor();
    assert.deepEqual(await checkPage(w, 'audit'), []);
  } finally {
    await w.context.close();
  }
});

test('after inactivity a warning counts down, "Stay signed in" keeps the session, and then the page signs itself out', async () => {
  const w = await openPage(browser);
  try {
    const { page } = w;
    await page.clock.install();
    await signIn(page, 'owner', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    // The server's idle limit is 30 minutes: the page warns at 28:00 and signs out at 29:00.
    await page.clock.fastForward('27:50');
    assert.equal(await page.getByRole('alertdialog').count(), 0);
    await page.clock.fastForward('00:15');
    await page.getByRole('alertdialog', { name: 'Still there?' }).waitFor();
    assert.deepEqual(await checkPage(w, 'idle-warning'), []);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.clock.fastForward('29:10');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.match((await page.getByRole('status').textContent()) ?? '', /signed out after 29 minutes without activity/);
    const me = await page.evaluate("fetch('/api/session').then((r) => r.json())");
    assert.equal((me as { user: unknown }).user, null);
  } finally {
    await w.context.close();
  }
});
