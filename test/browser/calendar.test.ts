// The Calendar in Debian's headless Chromium against a whole appliance on loopback (the demo
// spa, Monday 2026-11-30 10:00 in New York): an appointment made, refused at a taken time with
// the nearest free times offered, moved and cancelled, then found on the client's page; an
// appointment dragged to another provider and time, a drag onto a taken time refused with the
// nearest free times, and a patient's confirmation shown. Every
// page is checked for console errors and with axe-core, and photographed under test-output/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { SmsStore } from '../../appliance/sms/sms-store.js';
import { openDatabase } from '../../appliance/store/db.js';
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

/** Drags with the mouse from `what` (held near its top) to `column`, `minutes` later (or earlier) than it starts. */
async function dragTo(page: Page, what: Locator, column: Locator, minutes: number): Promise<void> {
  await what.scrollIntoViewIfNeeded();
  const from = await what.boundingBox();
  const to = await column.boundingBox();
  assert.ok(from && to);
  const x = from.x + from.width / 2;
  const y = from.y + 8;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 4, y + 4, { steps: 2 });
  await page.mouse.move(to.x + to.width / 2, y + (minutes * 64) / 60, { steps: 8 });
  await page.mouse.up();
}

test("an appointment dragged in the day view moves to the other provider's column and time, a drag onto a taken time shows the nearest free ones, and a patient's YES to the reminder shows as confirmed", async () => {
  const book = async (provider: string, start: string, name: string, phone: string) =>
    (
      await env.box.api<{ appointment: { id: number } }>('/api/appointments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service: 'free-consultation', provider, start, client: { name, phone }, source: 'staff' }),
      })
    ).appointment.id;
  const ada = await book('maya-chen', '2026-12-02T11:00', 'Ada Byron', '+12035550161');
  const carl = await book('jordan-ellis', '2026-12-02T11:30', 'Carl Gauss', '+12035550162');
  // Ada answered YES to her reminder text (what the SMS module records: appliance/sms).
  const { db } = openDatabase({ path: join(env.box.dataDir, 'spa.db') });
  try {
    new SmsStore({ db }).confirmAppointment(ada, Date.parse('2026-11-30T09:30:00-05:00'), 'sms');
  } finally {
    db.close();
  }

  const w = await asOwner();
  const { page } = w;
  try {
    await page.goto(`${env.box.url}/#/calendar?date=2026-12-02&view=day`);
    const maya = page.getByRole('region', { name: 'Maya Chen, Wed, Dec 2' });
    const jordan = page.getByRole('region', { name: 'Jordan Ellis, Wed, Dec 2' });
    const adaButton = maya.getByRole('button', { name: /^11 AM.*Ada Byron.*with Maya Chen, booked by staff, confirmed by the patient$/ });
    await adaButton.waitFor();
    const carlButton = jordan.getByRole('button', { name: /^11:30 AM.*Carl Gauss.*booked by staff$/ });
    await carlButton.waitFor();
    // Seen, not only told to a screen reader: a check mark before the time (a short card still
    // shows it) and the word when there is room.
    assert.match((await adaButton.textContent()) ?? '', /^✓ 11 AM–11:30 AM.*Complimentary ConsultationConfirmed/);
    assert.doesNotMatch((await carlButton.textContent()) ?? '', /✓|Confirmed/);
    assert.deepEqual(await checkPage(w, 'calendar-confirmed'), []);

    // Ada from Maya at 11 to Jordan at 10.
    await dragTo(page, adaButton, jordan, -60);
    await jordan.getByRole('button', { name: /^10 AM.*Ada Byron.*with Jordan Ellis/ }).waitFor();
    assert.equal(await maya.getByRole('button', { name: /Ada Byron/ }).count(), 0);
    const panel = page.getByRole('complementary', { name: 'Appointment' });
    await panel.getByText(/Moved by staff.*from Wed, Dec 2, 11 AM to Wed, Dec 2, 10 AM/).waitFor();
    assert.match((await panel.getByRole('heading', { level: 2 }).textContent()) ?? '', /Confirmed by patient/);
    assert.match((await panel.textContent()) ?? '', /Patient replyConfirmed: replied YES to the reminder text, Mon, Nov 30, 9:30 AM/);
    assert.deepEqual(await checkPage(w, 'calendar-drag'), []);
    const moved = await env.box.api<{ appointment: { start: string; provider: { id: string }; history: { kind: string }[] } }>(`/api/appointments/${ada}`);
    assert.deepEqual([moved.appointment.start, moved.appointment.provider.id, moved.appointment.history.map((h) => h.kind)], ['2026-12-02T10:00:00-05:00', 'jordan-ellis', ['booked', 'rescheduled']]);

    // Carl onto Ada's new time: refused, with the nearest free times, and nothing moves.
    await dragTo(page, carlButton, jordan, -90);
    const refusal = panel.getByRole('alert').filter({ hasText: 'Not possible' });
    await refusal.waitFor();
    const offers = await refusal.getByRole('button').allTextContents();
    assert.ok(offers.length >= 1 && offers.every((t) => /^Move to .* with /.test(t)), offers.join(' | '));
    assert.ok(!offers.some((t) => /Wed, Dec 2, 10 AM with Jordan/.test(t)), 'the taken time is not offered');
    assert.match((await panel.getByRole('heading', { level: 2 }).textContent()) ?? '', /Complimentary Consultation/);
    assert.match((await panel.textContent()) ?? '', /Carl Gauss/);
    // The form holds the dropped time and column: the keyboard can change it from there.
    assert.deepEqual([await panel.getByLabel('New time').inputValue(), await panel.getByLabel('Provider').inputValue()], ['10:00', 'jordan-ellis']);
    assert.deepEqual(await checkPage(w, 'calendar-drag-conflict'), []);
    const stayed = await env.box.api<{ appointment: { start: string; provider: { id: string } } }>(`/api/appointments/${carl}`);
    assert.deepEqual([stayed.appointment.start, stayed.appointment.provider.id], ['2026-12-02T11:30:00-05:00', 'jordan-ellis']);

    // The week view marks the confirmation too.
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    const wednesday = page.getByRole('region', { name: 'Wednesday, December 2' });
    await wednesday.getByRole('button', { name: /Ada Byron.*confirmed by the patient$/ }).waitFor();
    assert.equal(await wednesday.getByRole('button', { name: /Carl Gauss.*confirmed by the patient$/ }).count(), 0);
    assert.deepEqual(w.problems, []);
  } finally {
    await w.context.close();
  }
});
