// Live calls in headless Chromium: a simulated SIP call (the `npm run call` caller, in-process)
// shows on the Live page with its transcript as it grows; staff end it from the page; it then
// shows on the Calls page with its transcript and a recording that plays.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createLogger } from '../../appliance/log.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';
import { openingHoursClock, startAppliance, TEST_ADMIN_PASSWORD, type RunningAppliance } from '../helpers/appliance.js';
import { checkPage, launchChromium, openPage, pageUntil, signIn as signInAt } from '../helpers/browser.js';

let box: RunningAppliance;
let browser: Browser;

before(async () => {
  box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } }, undefined, { clock: openingHoursClock() });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await box?.stop();
});

test('a simulated call appears on the Live page with its running transcript, staff end it there, and it is then on the Calls page with its transcript and a playable recording', async () => {
  const w = await openPage(browser);
  const { page } = w;
  try {
    await signInAt(page, box.url, 'owner', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live' }).click();
    await page.getByRole('heading', { level: 1, name: 'Live calls' }).waitFor();
    await page.getByText('No calls in progress.').waitFor();
    assert.deepEqual(await checkPage(w, 'live-empty'), []);

    // One short call: the caller listens to the greeting, presses 1 and waits on the line.
    const call = placeCall({
      target: box.sipTarget,
      // Wideband: the recogniser's turn-taking, which logs each turn as it ends (8 kHz calls get the keypad menus).
      codec: 'L16',
      log: createLogger({ level: 'silent' }),
      script: scriptSchema.parse({ from: '+12035550166', turns: [{ wait_ms: 4000 }, { dtmf: '1' }, { wait_ms: 60_000 }, { hangup: true }] }),
    });
    const card = page.locator('.live-calls section').first();
    await card.waitFor({ timeout: 15_000 });
    assert.match((await card.getByRole('heading', { level: 2 }).textContent()) ?? '', /\+12035550166/);
    // The greeting first, then the caller's key and the box's answer as they happen.
    await card.locator('.turns li', { hasText: /Box.*Thank you for calling/s }).waitFor({ timeout: 20_000 });
    await card.locator('.turns .caller').first().waitFor({ timeout: 30_000 });
    const transcript = (await card.getByRole('list', { name: /Transcript/ }).textContent()) ?? '';
    assert.match(transcript, /Caller 1.*Box \S/s);
    const callPage = (await card.getByRole('link', { name: 'Call page' }).getAttribute('href')) ?? '';
    assert.match(callPage, /^#\/calls\/\d+$/);
    assert.deepEqual(await checkPage(w, 'live-call'), []);

    await card.getByRole('button', { name: 'End call' }).click();
    const result = await call;
    assert.equal(result.connected, true);
    assert.equal(result.hangup_by, 'box');
    await page.getByText('No calls in progress.').waitFor();

    await page.goto(`${box.url}/${callPage}`);
    await page.getByRole('heading', { level: 1, name: /\+12035550166/ }).waitFor();
    const convo = (await page.getByRole('region', { name: 'Conversation' }).textContent()) ?? '';
    assert.match(convo, /Thank you for calling/);
    assert.match(convo, /Caller pressed/);
    assert.match((await page.getByRole('region', { name: 'Summary' }).textContent()) ?? '', /Ended: ended by staff/);
    assert.match((await page.locator('.facts').textContent()) ?? '', /Answered by the box/);
    await pageUntil(page, "(document.querySelector('audio')?.readyState ?? 0) >= 1", "the recording's metadata");
    const seconds = await page.evaluate<number>("document.querySelector('audio').duration");
    assert.ok(seconds > 3, `recording of ${seconds} s`);
    await page.evaluate("document.querySelector('audio').play()");
    await pageUntil(page, "(document.querySelector('audio')?.currentTime ?? 0) > 0.2", 'the recording to play');
    await page.evaluate("document.querySelector('audio').pause()");
    assert.deepEqual(await checkPage(w, 'live-call-after'), []);
  } finally {
    await w.context.close();
  }
});
