// Messages and Insights in headless Chromium against a whole appliance with one seeded morning
// (test/helpers/ui-seed.ts): a chat thread read and taken over from the page, the owner's charts,
// and a front-desk user refused the owner's pages.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Bookings } from '../../appliance/booking/bookings.js';
import { Catalogue } from '../../appliance/booking/catalogue.js';
import { openDatabase } from '../../appliance/store/db.js';
import { openingHoursClock, startAppliance, TEST_ADMIN_PASSWORD, type RunningAppliance } from '../helpers/appliance.js';
import { checkPage, launchChromium, openPage, type WatchedPage, signIn as signInAt } from '../helpers/browser.js';
import { TEST_POLICY } from '../helpers/spa.js';
import { seedDay } from '../helpers/ui-seed.js';

let box: RunningAppliance;
let browser: Browser;
let closeSeedDb: () => void = () => undefined;

before(async () => {
  const clock = openingHoursClock();
  box = await startAppliance({}, undefined, undefined, { clock });
  const { db } = openDatabase({ path: join(box.dataDir, 'spa.db') });
  closeSeedDb = () => db.close();
  const catalogue = new Catalogue({ db });
  seedDay({ db, clock, catalogue, bookings: new Bookings({ db, catalogue, clock, policy: TEST_POLICY }), recordingsDir: join(box.dataDir, 'recordings') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  closeSeedDb();
  await box?.stop();
});

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await signInAt(page, box.url, username, password);
  await page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
}

const chat = (body: Record<string, string>) =>
  box.api<{ conversation: string; reply: string; heldBy?: string }>('/api/agent/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test("Messages lists the chat thread with both sides; taking it over from the page quiets the receptionist until it is handed back", async () => {
  const first = await chat({ text: 'what are your hours?', from: '+12035550101' });
  assert.match(first.reply, /Monday through Friday/);
  const w: WatchedPage = await openPage(browser);
  const { page } = w;
  try {
    await signIn(page, 'owner', TEST_ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    const thread = page.locator('.thread-list a').first();
    await thread.waitFor();
    assert.match((await thread.textContent()) ?? '', /\+12035550101.*Web chat/s);
    await thread.click();
    const messages = page.getByRole('list', { name: 'Messages' });
    await messages.locator('li').nth(1).waitFor();
    assert.match((await messages.locator('li.caller').textContent()) ?? '', /what are your hours\?/);
    assert.match((await messages.locator('li.agent').textContent()) ?? '', /Receptionist.*Monday through Friday/s);
    assert.deepEqual(await checkPage(w, 'messages'), []);

    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByText('has taken this conversation over').waitFor();
    const quiet = await chat({ conversation: first.conversation, text: 'can someone call me back about my bruise?' });
    assert.deepEqual([quiet.reply, quiet.heldBy], ['', 'owner']);
    await page.reload();
    await messages.locator('li', { hasText: 'call me back about my bruise' }).waitFor();
    assert.equal(await messages.locator('li.agent').count(), 1, 'no reply from the receptionist');
    assert.deepEqual(await checkPage(w, 'messages-taken-over'), []);
    await page.getByRole('button', { name: 'Hand back to the receptionist' }).click();
    await page.getByText('The receptionist answers this conversation.').waitFor();
    assert.match((await chat({ conversation: first.conversation, text: 'what are your hours?' })).reply, /Monday through Friday/);
    assert.deepEqual(w.problems, []);
  } finally {
    await w.context.close();
  }
});

test("Insights charts the last 30 and 90 days: the morning's calls, bookings by source and the value the box booked", async () => {
  const w = await openPage(browser);
  const { page } = w;
  try {
    await signIn(page, 'owner', TEST_ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
    const tile = (label: string) => page.locator('.tile', { hasText: label }).locator('.tile-value');
    await tile('Calls').waitFor();
    assert.equal(await tile('Calls').textContent(), '4');
    assert.equal(await tile('Answered by the box').textContent(), '2');
    assert.equal(await tile('Value booked by the box').textContent(), '$199');
    assert.equal(await page.locator('.chart canvas').count(), 4);
    assert.match((await page.getByRole('table', { name: /Bookings made by source/ }).textContent()) ?? '', /Phone1/);
    assert.deepEqual(await checkPage(w, 'insights-30'), []);
    await page.getByRole('button', { name: 'Last 90 days' }).click();
    await page.getByRole('img', { name: /Calls by outcome, last 90 days/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Last 90 days' }).getAttribute('aria-pressed'), 'true');
    assert.deepEqual(await checkPage(w, 'insights-90'), []);
  } finally {
    await w.context.close();
  }
});

test('a front-desk user is refused the Insights and Setup pages, and the API refuses them too', async () => {
  const made = await box.api<{ oneTimePassword: string }>('/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dana', role: 'frontdesk' }),
  });
  const w = await openPage(browser);
  const { page } = w;
  try {
    await signInAt(page, box.url, 'dana', made.oneTimePassword);
    await page.getByLabel('One-time password').fill(made.oneTimePassword);
    await page.getByLabel('New password', { exact: true }).fill('dana at the front desk');
    await page.getByLabel('New password again').fill('dana at the front desk');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    for (const path of ['insights', 'setup']) {
      await page.goto(`${box.url}/#/${path}`);
      await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
      assert.equal((await w.context.request.get(`${box.url}/api/${path}`)).status(), 403);
    }
    assert.deepEqual(await checkPage(w, 'frontdesk-refused-insights'), []);
  } finally {
    await w.context.close();
  }
});
