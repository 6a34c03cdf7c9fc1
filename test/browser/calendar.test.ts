// The Calendar in Debian's headless Chromium against a whole appliance on loopback (the demo
// spa, Monday 2026-11-30 10:00 in New York): an appointment made, refused at a taken time with
// the nearest free times offered, moved and cancelled, then found on the client's page. Every
// page is checked for console errors and with axe-core, and photographed under test-output/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_ADMIN_PASSWORD } from '../helpers/appliance.js';
import { checkPage, openPage, type WatchedPage, signIn as signInAt } from '../helpers/browser.js';
import { browserBox } from '../helpers/browser-box.js';

const env = browserBox();


async function asOwner(): Promise<WatchedPage> {
  const w = await openPage(env.browser);
  await signInAt(w.page, env.box.url, 'owner', TEST_ADMIN_PASSWORD);
  await w.page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
  return w;
}

interface Appt {
  id: number;
  status: string;
  start: string;
  source: string;
  provider: { id: string };
  client: { name: string } | null;
  history: { kind: string }[];
}

test('an appointment is made, refused at a taken time with the nearest free times, moved and cancelled in the calendar', async () => {
  const w = await asOwner();
  const { page } = w;
  try {
    await page.getByRole('link', { name: 'Calendar' }).click();
    await page.getByRole('heading', { level: 1, name: /^Calendar.*Monday, November 30/ }).waitFor();
    // A column per provider, each with their hours that day.
    for (const name of ['Maya Chen', 'Jordan Ellis', 'Sophie Bennett']) await page.getByRole('region', { name: `${name}, Mon, Nov 30` }).waitFor();
    await page.getByRole('button', { name: 'Next day' }).click();
    await page.getByRole('heading', { level: 1, name: /Tuesday, December 1/ }).waitFor();
    assert.deepEqual(await checkPage(w, 'calendar-day'), []);

    const book = async (name: string, phone: string) => {
      await page.getByRole('button', { name: 'New appointment' }).click();
      const form = page.getByRole('complementary', { name: 'New appointment' });
      await form.getByLabel('Service').selectOption('hydrafacial-signature');
      await form.getByLabel('Provider').selectOption('maya-chen');
      await form.getByLabel('Date').fill('2026-12-01');
      await form.getByLabel('Time').fill('10:00');
      await form.getByLabel('Client name').fill(name);
      await form.getByLabel('Client phone').fill(phone);
      await form.getByRole('button', { name: 'Book', exact: true }).click();
    };
    await book('Grace Hopper', '+12035550142');
    const maya = page.getByRole('region', { name: 'Maya Chen, Tue, Dec 1' });
    await maya.getByRole('button', { name: /^10 AM–10:45 AM\W+Grace Hopper\W+Signature HydraFacial\W+with Maya Chen, booked by staff$/ }).waitFor();

    // The same time again for someone else: refused, with the nearest free times to pick from.
    await book('Alan Turing', '+12035550143');
    const refusal = page.getByRole('alert').filter({ hasText: 'Not possible' });
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /already taken/);
    const offers = refusal.getByRole('button');
    assert.ok((await offers.count()) >= 2, 'at least two nearest times');
    const offerTexts = await offers.allTextContents();
    assert.ok(offerTexts.every((t) => /^Book .* with Maya Chen$/.test(t)), offerTexts.join(' | '));
    assert.ok(!offerTexts.some((t) => /Tue, Dec 1, 10 AM /.test(t)), 'the taken time is not offered');
    assert.deepEqual(await checkPage(w, 'calendar-conflict'), []);
    const picked = offerTexts[0] ?? '';
    await offers.first().click();
    const turingTime = /Book (.*) with/.exec(picked)?.[1] ?? '';
    await page.getByRole('button', { name: /Alan Turing\W+Signature HydraFacial\W+with Maya Chen, booked by staff$/ }).waitFor();

    // Move Grace to 2 PM the same day; the history says so.
    await maya.getByRole('button', { name: /Grace Hopper/ }).click();
    const panel = page.getByRole('complementary', { name: 'Appointment' });
    assert.match((await panel.textContent()) ?? '', /Booked byStaff/);
    await panel.getByLabel('New time').fill('14:00');
    await panel.getByRole('button', { name: 'Move', exact: true }).click();
    await maya.getByRole('button', { name: /^2 PM–2:45 PM\W+Grace Hopper/ }).waitFor();
    await panel.getByText(/Moved by staff.*from Tue, Dec 1, 10 AM to Tue, Dec 1, 2 PM/).waitFor();
    assert.deepEqual(await checkPage(w, 'calendar-appointment'), []);

    // Cancel it: it leaves the column and is listed as cancelled.
    await panel.getByRole('button', { name: 'Cancel appointment' }).click();
    await panel.getByRole('button', { name: 'Yes, cancel it' }).click();
    await maya.getByRole('button', { name: /Grace Hopper/ }).waitFor({ state: 'detached' });
    await page.locator('.cancelled-list').getByRole('button', { name: /Grace Hopper.*cancelled$/ }).waitFor();

    // The server agrees: one cancelled (booked, moved, cancelled by staff), one booked at the picked time.
    const list = await env.box.api<{ appointments: Appt[] }>('/api/appointments?from=2026-12-01&to=2026-12-01');
    const grace = list.appointments.find((a) => a.client?.name === 'Grace Hopper');
    const alan = list.appointments.find((a) => a.client?.name === 'Alan Turing');
    assert.equal(grace?.status, 'cancelled');
    assert.deepEqual(grace?.history.map((h) => h.kind), ['booked', 'rescheduled', 'cancelled']);
    assert.equal(grace?.start, '2026-12-01T14:00:00-05:00');
    assert.equal(alan?.status, 'booked');
    assert.equal(alan?.provider.id, 'maya-chen');
    assert.notEqual(alan?.start, '2026-12-01T10:00:00-05:00');
    assert.ok(turingTime.length > 0);

    // The week shows Alan's booking; the client's page lists the visit.
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /Week of Monday, November 30/ }).waitFor();
    await page.getByRole('region', { name: 'Tuesday, December 1' }).getByRole('button', { name: /Alan Turing/ }).waitFor();
    assert.deepEqual(await checkPage(w, 'calendar-week'), []);
    await page.getByRole('region', { name: 'Tuesday, December 1' }).getByRole('button', { name: /Alan Turing/ }).click();
    await page.getByRole('complementary', { name: 'Appointment' }).getByRole('link', { name: 'Alan Turing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alan Turing' }).waitFor();
    const visits = await page.getByRole('region', { name: 'Visits' }).getByRole('row').allTextContents();
    assert.equal(visits.length, 2, visits.join(' | '));
    assert.match(visits[1] ?? '', /Signature HydraFacial.*Maya Chen.*Booked.*Staff/);
    assert.deepEqual(await checkPage(w, 'client'), []);
    await page.getByRole('link', { name: 'All clients' }).click();
    await page.getByLabel('Name, phone or email').fill('5550142');
    await page.getByRole('button', { name: 'Find' }).click();
    // The list before the search holds Grace too: the search has answered once Alan is gone.
    await page.getByRole('link', { name: 'Alan Turing' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    assert.equal(await page.locator('table.clients tbody tr').count(), 1);
    assert.deepEqual(await checkPage(w, 'clients'), []);
  } finally {
    await w.context.close();
  }
});
