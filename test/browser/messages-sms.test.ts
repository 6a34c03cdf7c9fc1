// The Messages page's SMS threads in headless Chromium against a whole appliance with the
// simulated modem: an arriving text (POST /api/sim/sms) shows with the receptionist's answer;
// staff reply from the page (the reply goes through the outbox), the receptionist stays silent on
// the next text, and after the hand-back it answers again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD } from '../helpers/appliance.js';
import { checkPage, openPage, signIn } from '../helpers/browser.js';
import { browserBox } from '../helpers/browser-box.js';
import { untilEvent } from '../helpers/until.js';

const env = browserBox();
const FROM = '+12035550144';

interface Listed {
  messages: { direction: string; kind: string; status: string; text: string; staffUser: string | null }[];
}


const text = (body: string) =>
  env.box.api('/api/sim/sms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: FROM, text: body }) });
const thread = () => env.box.api<Listed>(`/api/messages?phone=${encodeURIComponent(FROM)}`);
const handed = (m: Listed['messages'][number]): boolean => m.status === 'sent' || m.status === 'delivered';
/** Until the receptionist's `n`th answer by text was handed to the (simulated) modem. */
const answers = (n: number) =>
  untilEvent(env.box.appliance, 'sms', async () => (await thread()).messages.filter((m) => m.kind === 'reply' && handed(m)).length >= n, `answer ${n} by text`, 60_000);

test('an arriving text shows in Messages; staff reply from the page through the outbox, the receptionist stays silent on the next text, and answers again once handed back', async () => {
  await text('what are your hours?');
  await answers(1);
  const w = await openPage(env.browser);
  const { page } = w;
  try {
    await signIn(page, env.box.url, 'owner', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    const row = page.locator('.thread-list a', { hasText: FROM });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Text/);
    await row.click();
    const bubbles = page.getByRole('list', { name: 'Messages' });
    await bubbles.locator('li.caller', { hasText: 'what are your hours?' }).waitFor();
    const answer = bubbles.locator('li.agent').first();
    await answer.waitFor();
    assert.match((await answer.textContent()) ?? '', /Receptionist.*(sent|delivered).*Monday through Friday/s);
    assert.match((await bubbles.locator('li.caller').textContent()) ?? '', /received/);
    assert.deepEqual(await checkPage(w, 'messages-sms'), []);

    await page.getByLabel('Reply by text').fill('Hi, this is the front desk: we can fit you in at 3.');
    await page.getByRole('button', { name: 'Send text' }).click();
    await page.getByText('has taken this text thread over').waitFor();
    await bubbles.locator('li.staff', { hasText: 'we can fit you in at 3' }).waitFor();
    const staff = (await thread()).messages.find((m) => m.kind === 'staff');
    assert.ok(staff, 'the reply is in the outbox');
    assert.equal(staff.staffUser, 'owner');
    assert.ok(['queued', 'sending', 'sent', 'delivered'].includes(staff.status), staff.status);

    const repliesBefore = (await thread()).messages.filter((m) => m.kind === 'reply').length;
    await text('do you do botox?');
    // The hold is checked as the text is stored, before anything else: once it is listed, the decision is made.
    const after = await thread();
    assert.ok(after.messages.some((m) => m.direction === 'in' && m.text === 'do you do botox?'));
    assert.equal(after.messages.filter((m) => m.kind === 'reply').length, repliesBefore, 'the receptionist stays silent');
    await page.reload();
    await bubbles.locator('li.caller', { hasText: 'do you do botox?' }).waitFor();
    assert.deepEqual(await checkPage(w, 'messages-sms-held'), []);

    await page.getByRole('button', { name: 'Hand back to the receptionist' }).click();
    await page.getByText('The receptionist answers this text thread.').waitFor();
    await text('what are your hours?');
    await answers(repliesBefore + 1);
    await page.reload();
    await bubbles.locator('li.agent').nth(repliesBefore).waitFor();
    assert.match((await bubbles.locator('li.agent').nth(repliesBefore).textContent()) ?? '', /Monday through Friday/);
    assert.deepEqual(w.problems, []);
  } finally {
    await w.context.close();
  }
});
