// Booking scenarios: the caller ends the conversation with the right appointment in SQLite.
import assert from 'node:assert/strict';
import type { Scenario, ScenarioWorld } from './harness.js';
import { CALLER, fillDay, local, returningClient } from './fixtures.js';

function one(w: ScenarioWorld, serviceId: string): ReturnType<ScenarioWorld['booked']>[number] {
  const mine = w.booked().filter((a) => a.clientPhone === CALLER || a.source !== 'staff');
  const fresh = mine.filter((a) => a.source === 'web');
  assert.equal(fresh.length, 1, `exactly one new booking, got ${fresh.length}`);
  const a = fresh[0];
  assert.ok(a);
  assert.equal(a.serviceId, serviceId);
  return a;
}

function hourOf(a: { start: number }): number {
  return Number(local(a.start).slice(11, 13));
}

export const bookingScenarios: Scenario[] = [
  {
    name: 'books a HydraFacial next Tuesday afternoon, first offer, new client',
    task: 'book',
    turns: [
      { say: "Hi, I'd like to book a HydraFacial next Tuesday afternoon", expect: ['Signature HydraFacial', 'Deluxe HydraFacial'] },
      { say: 'the signature one please', expect: ['Tue Dec 8'] },
      { say: 'the first one', expect: ['name'] },
      { say: 'Jane Smith', expect: ['Signature HydraFacial', 'Maya Chen', 'Jane Smith', 'Shall I book it'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const a = one(w, 'hydrafacial-signature');
      assert.ok(local(a.start).startsWith('2026-12-08'));
      assert.ok(hourOf(a) >= 12 && hourOf(a) < 17);
      assert.equal(a.clientName, 'Jane Smith');
      assert.equal(a.clientPhone, CALLER);
      assert.equal(a.providerId, 'maya-chen');
    },
  },
  {
    name: 'returning client books Botox directly (no consultation) at a named time',
    task: 'book',
    setup: (web) => returningClient(web),
    turns: [
      { say: 'Can I get Botox this Friday at 2:30?', expect: ['2:30 PM'] },
      // The name on file is never read out to whoever has the number: the caller gives it.
      { say: 'yes', expect: ['first and last name'] },
      { say: 'olivia grant', expect: ['Olivia Grant', '$50 deposit', 'Shall I book'] },
      { say: 'yes please', expect: ["You're booked"] },
    ],
    check(w) {
      const a = one(w, 'botox');
      assert.equal(local(a.start), '2026-12-04T14:30');
      assert.equal(a.clientName, 'Olivia Grant');
      assert.equal(w.web.spa.bookings.clientsByPhone(CALLER).length, 1, 'booked on the client on file, no second record');
    },
  },
  {
    name: 'a caller who says they are a returning client is looked up by name before being told to start with a consultation',
    task: 'book',
    from: '+12035550177',
    setup: (web) => returningClient(web),
    turns: [
      { say: 'Do you have anything tomorrow morning for botox? I am a returning client', expect: [/^(?![\s\S]*New Botox clients)[\s\S]*10 AM/] },
      { say: 'the first one', expect: ['first and last name'] },
      // Not the client on file for this number: the consultation, at the time picked, and why.
      { say: 'jane doe', expect: ["can't find a past visit", 'Tue Dec 1, 10 AM'] },
      { say: 'yes', expect: ['Injectables Consultation'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const a = one(w, 'injectables-consult');
      assert.equal(local(a.start), '2026-12-01T10:00');
      assert.match(a.notes, /Interested in Botox; says they are a returning client/);
    },
  },
  {
    name: 'new client asking for Botox is booked into the good-faith exam and told why',
    task: 'book',
    turns: [
      { say: 'I want to book botox on wednesday morning', expect: ['free consultation', 'Wed Dec 2'] },
      { say: 'the first', expect: ['name'] },
      { say: 'Mia Wong', expect: ['Injectables Consultation'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const a = one(w, 'injectables-consult');
      assert.ok(local(a.start).startsWith('2026-12-02'));
      assert.ok(hourOf(a) < 12);
      assert.match(a.notes, /Botox/);
    },
  },
  {
    name: 'price and booking in one turn: answers the price, then offers Friday',
    task: 'book',
    setup: (web) => returningClient(web),
    turns: [
      { say: 'How much is Botox and can I come Friday?', expect: ['$13 per unit', 'Fri Dec 4'] },
      { say: 'the last one', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const a = one(w, 'botox');
      assert.ok(local(a.start).startsWith('2026-12-04'));
    },
  },
  {
    name: 'correction of the day: "no, Wednesday" re-offers Wednesday with the same part of day',
    task: 'book',
    turns: [
      { say: 'I need a chemical peel tuesday afternoon', expect: ['Tue Dec 1'] },
      { say: 'no, wednesday', expect: ['Wed Dec 2'] },
      { say: 'the first one' },
      { say: 'Lena Park' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.ok(local(a.start).startsWith('2026-12-02'));
      assert.ok(hourOf(a) >= 12 && hourOf(a) < 17);
    },
  },
  {
    name: 'correction of the service: "actually make it the deluxe hydrafacial" keeps the day',
    task: 'book',
    turns: [
      { say: 'book a signature hydrafacial on thursday', expect: ['Thu Dec 3'] },
      { say: 'actually make it the deluxe hydrafacial', expect: ['Thu Dec 3'] },
      { say: 'second' },
      { say: 'my name is Rosa Diaz' },
      { say: 'yes', expect: ['Deluxe HydraFacial'] },
    ],
    check(w) {
      const a = one(w, 'hydrafacial-deluxe');
      assert.ok(local(a.start).startsWith('2026-12-03'));
    },
  },
  {
    name: '"filler" is ambiguous: the receptionist asks lip or cheek',
    task: 'book',
    setup: (web) => returningClient(web),
    turns: [
      { say: "I'd like to book filler", expect: ['Lip Filler', 'Cheek Filler'] },
      { say: 'lips', expect: [] },
      { say: 'lip filler', expect: ['What day and time'] },
      { say: 'saturday morning', expect: ['Sat Dec 5'] },
      { say: 'first' },
      { say: 'Olivia Grant' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'lip-filler');
      assert.ok(local(a.start).startsWith('2026-12-05'));
    },
  },
  {
    name: 'a bare "HydraFacial" asks which one, the plainer first; "the first one" is the one named first',
    task: 'book',
    turns: [
      { say: 'do you have a hydrafacial on friday morning', expect: [/Signature HydraFacial or Deluxe HydraFacial/] },
      { say: 'the first one', expect: ['Which would you like'] },
      { say: 'the first one' },
      { say: 'Priya Raman', expect: ['Signature HydraFacial'] },
      { say: 'yes' },
    ],
    check(w) {
      one(w, 'hydrafacial-signature');
    },
  },
  {
    name: 'tolerates recognition errors: "hydro facial", "the fourteenth"',
    task: 'book',
    turns: [
      { say: 'can i book a hydro facial on the fourteenth', expect: ['Signature HydraFacial'] },
      { say: 'signature', expect: ['Mon Dec 14'] },
      { say: 'first' },
      { say: 'Nora Quinn' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'hydrafacial-signature');
      assert.ok(local(a.start).startsWith('2026-12-14'));
    },
  },
  {
    name: 'tolerates "bo talks" for Botox (returning client)',
    task: 'book',
    setup: (web) => returningClient(web),
    turns: [{ say: 'i want bo talks tomorrow after 3' }, { say: 'the first one' }, { say: 'Olivia Grant' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'botox');
      assert.ok(local(a.start).startsWith('2026-12-01'));
      assert.ok(hourOf(a) >= 15);
    },
  },
  {
    name: '"as soon as possible" offers the earliest real openings',
    task: 'book',
    turns: [
      { say: 'I need laser hair removal on my underarms as soon as possible' },
      { say: 'the first one' },
      { say: 'Kim Lee' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'laser-hair-small');
      const earliest = w.web.spa.bookings.availability({ serviceId: 'laser-hair-small', from: w.web.spa.clock.now(), to: w.web.spa.clock.now() + 14 * 86_400_000, limit: 50 });
      // The first offer was the earliest free slot when offered (the booking took it).
      assert.ok(earliest.every((s) => s.start > a.start || s.start === a.start), 'booked the earliest opening');
    },
  },
  {
    name: 'fully booked day: says so and offers the nearest other days',
    task: 'book',
    setup: (web) => fillDay(web, 'microneedling', '2026-12-01'),
    turns: [
      { say: 'microneedling on tuesday please', expect: ['fully booked'] },
      { say: 'the first one' },
      { say: 'Ella Hart' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'microneedling');
      assert.ok(!local(a.start).startsWith('2026-12-01'));
    },
  },
  {
    name: 'closed day: Sunday is explained and other days offered',
    task: 'book',
    turns: [
      { say: 'can I book a chemical peel on Sunday', expect: ["closed on Sundays"] },
      { say: 'the first one' },
      { say: 'Ivy Chen' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.notEqual(new Date(a.start).getUTCDay(), 0);
    },
  },
  {
    name: 'holiday: Christmas Day is closed and the caller books another day',
    task: 'book',
    turns: [
      { say: 'book an IPL photofacial on december 25th', expect: ['Christmas'] },
      { say: 'the last one' },
      { say: 'Ruth Bell' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'ipl-photofacial');
      assert.ok(!local(a.start).startsWith('2026-12-25'));
    },
  },
  {
    name: 'asks for what is missing: service, then day, then time choice',
    task: 'book',
    turns: [
      { say: "I'd like to make an appointment", expect: ['Which treatment'] },
      { say: 'microneedling', expect: ['What day and time'] },
      { say: 'thursday at 1', expect: ['1 PM'] },
      { say: 'yes' },
      { say: 'Pat Moore' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'microneedling');
      assert.equal(local(a.start), '2026-12-03T13:00');
    },
  },
  {
    name: 'requested time taken: offers the nearest times that day',
    task: 'book',
    setup: (web) => {
      web.spa.bookings.book({ serviceId: 'chemical-peel', start: Date.parse('2026-12-02T21:00:00Z'), client: { phone: '+12035550111', name: 'Other' }, source: 'staff' });
    },
    turns: [
      { say: 'chemical peel wednesday at 4', expect: ['Wed Dec 2'] },
      { say: 'the first one' },
      { say: 'Zoe Fox' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.ok(local(a.start).startsWith('2026-12-02'));
      assert.notEqual(local(a.start), '2026-12-02T16:00');
    },
  },
  {
    name: 'provider preference: "with Jordan" books Jordan Ellis',
    task: 'book',
    turns: [
      { say: 'I want a complimentary consultation with Jordan on friday' },
      { say: 'first' },
      { say: 'Ava Ross' },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const a = one(w, 'free-consultation');
      assert.equal(a.providerId, 'jordan-ellis');
      assert.ok(local(a.start).startsWith('2026-12-04'));
    },
  },
  {
    name: 'caller declines the read-back, changes the day, then confirms',
    task: 'book',
    turns: [
      { say: 'book a deluxe hydrafacial on tuesday' },
      { say: 'the first' },
      { say: 'Amy Stone' },
      { say: 'no', expect: ['change'] },
      { say: 'wednesday afternoon instead', expect: ['Wed Dec 2'] },
      { say: 'the second one' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'hydrafacial-deluxe');
      assert.ok(local(a.start).startsWith('2026-12-02'));
      assert.equal(a.clientName, 'Amy Stone');
    },
  },
  {
    name: 'rejects all offers and asks for another day',
    task: 'book',
    turns: [
      { say: 'chemical peel on monday' },
      { say: "no, those don't work", expect: ['other day'] },
      { say: 'saturday at 10' },
      { say: 'yes' },
      { say: 'Eve Adams' },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.equal(local(a.start), '2026-12-05T10:00');
    },
  },
  {
    name: 'picks an offer by its time ("the 4:45")',
    task: 'book',
    turns: [{ say: 'Microneedling thursday afternoon' }, { say: 'the 4:45 one' }, { say: 'Lily Ward' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'microneedling');
      assert.equal(local(a.start), '2026-12-03T16:45');
    },
  },
  {
    name: 'name spelled letter by letter',
    task: 'book',
    turns: [{ say: 'chemical peel friday... wait, saturday morning' }, { say: 'first' }, { say: 'it is j o y, k e n t' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.equal(a.clientName, 'Joy Kent');
      assert.ok(local(a.start).startsWith('2026-12-05'));
    },
  },
  {
    name: 'no caller number: asks for a callback number and books with it',
    task: 'book',
    from: null,
    turns: [
      { say: 'book a chemical peel tomorrow at 11' },
      { say: 'yes' },
      { say: 'Max Hill' },
      { say: '203 555 0199', expect: ['Shall I book'] },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.equal(a.clientPhone, '+12035550199');
      assert.equal(local(a.start), '2026-12-01T11:00');
    },
  },
  {
    name: '"next week" searches the whole next week',
    task: 'book',
    turns: [{ say: 'any openings for IPL next week?' }, { say: 'the first one' }, { say: 'Gia Lane' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'ipl-photofacial');
      const d = local(a.start).slice(0, 10);
      assert.ok(d >= '2026-12-07' && d <= '2026-12-13', d);
    },
  },
  {
    name: 'PRP microneedling for a new client becomes the good-faith exam',
    task: 'book',
    turns: [{ say: 'I want the vampire facial on friday' , expect: ['free consultation'] }, { say: 'first' }, { say: 'Sara Vale' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'injectables-consult');
      assert.match(a.notes, /PRP/);
    },
  },
  {
    name: 'laser hair removal for legs books the large-area service',
    task: 'book',
    turns: [{ say: 'full leg laser on friday after 2' }, { say: 'first' }, { say: 'Tess Nash' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'laser-hair-large');
      assert.equal(a.providerId, 'jordan-ellis');
      assert.ok(hourOf(a) >= 14);
    },
  },
  {
    name: 'a day-of-month and time: "December 3rd at 5"',
    task: 'book',
    turns: [{ say: 'microneedling december 3rd at 5' }, { say: 'yes' }, { say: 'Uma Reyes' }, { say: 'yes' }],
    check(w) {
      const a = one(w, 'microneedling');
      assert.equal(local(a.start), '2026-12-03T17:00');
    },
  },
  {
    name: 'hold protects the chosen slot: it is not offered to another conversation meanwhile',
    task: 'book',
    turns: [{ say: 'chemical peel saturday at 9' }, { say: 'yes' }],
    check(w) {
      const slots = w.web.spa.bookings.availability({ serviceId: 'chemical-peel', from: Date.parse('2026-12-05T14:00:00Z'), to: Date.parse('2026-12-05T14:01:00Z') });
      assert.equal(slots.length, 0, 'the held 9:00 is not free for others');
      assert.equal(w.booked().length, 0, 'nothing booked without a yes');
    },
  },
  {
    name: 'never books without a clear yes: the caller says goodbye at the read-back',
    task: 'other',
    turns: [{ say: 'chemical peel saturday at 9' }, { say: 'yes' }, { say: 'Dan Cole' }, { say: 'never mind, bye' }],
    check(w) {
      assert.equal(w.booked().length, 0);
      assert.equal(w.done, true);
      const free = w.web.spa.bookings.availability({ serviceId: 'chemical-peel', from: Date.parse('2026-12-05T14:00:00Z'), to: Date.parse('2026-12-05T14:01:00Z') });
      assert.equal(free.length, 1, 'the hold was released');
    },
  },
  {
    name: 'the caller corrects their name at the read-back',
    task: 'book',
    turns: [
      { say: 'chemical peel saturday at 10' },
      { say: 'yes' },
      { say: 'Jane Smith' },
      { say: 'no, my name is Jayne Smyth', expect: ['Jayne Smyth', 'Shall I book'] },
      { say: 'yes' },
    ],
    check(w) {
      const a = one(w, 'chemical-peel');
      assert.equal(a.clientName, 'Jayne Smyth');
    },
  },
  {
    name: 'a weekday said alone after a week asked for is that week\'s day ("the week after next", then "tuesday morning")',
    task: 'book',
    turns: [
      { say: 'is it possible to get in for a chemical peel sometime the week after next', expect: [/Dec 14/] },
      { say: 'tuesday morning if you have it', expect: [/Tue Dec 15/] },
      { say: 'the first one' },
      { say: 'Priya Raman' },
      { say: 'yep' },
    ],
    check(w) {
      const [a] = w.booked();
      assert.ok(a);
      assert.equal(local(a.start), '2026-12-15T09:00');
    },
  },
  {
    name: '"the afternoon one" of three times offered narrows to those that fit; another day said after a time is picked is a change, not a question for staff',
    task: 'book',
    turns: [
      { say: 'hi can i come in for a chemical peel on friday', expect: ['Wed Dec 2, 12 PM, Thu Dec 3, 12 PM or Sat Dec 5, 11:45 AM'] },
      { say: 'the afternoon one', expect: [/^I have Wed Dec 2, 12 PM or Thu Dec 3, 12 PM\. Which would you like\?$/] },
      { say: 'hmm actually thursday instead', expect: ['name'] },
      // Was "I don't have that answer, so I've asked our team to follow up with you."
      { say: 'what about saturday then', expect: [/^On Sat Dec 5 I have [^.]*\. Which would you like\?$/] },
      { say: 'the last one' },
      { say: 'Dana Whitfield' },
      { say: 'yes' },
    ],
    check(w) {
      const [a] = w.booked();
      assert.ok(a);
      assert.ok(local(a.start).startsWith('2026-12-05'));
      assert.equal(w.alerts().length, 0);
    },
  },
  {
    name: 'offers of another day under the same "Which would you like?" are the question moving on: no "just say the first" after two',
    task: 'book',
    turns: [
      { say: 'hi can i come in for dysport on friday', expect: ['On Fri Dec 4 I have'] },
      { say: 'saturday instead', expect: [/^On Sat Dec 5 I have [^.]*\. Which would you like\?$/] },
      { say: 'hmm, monday next week then', expect: [/^I'm sorry, Mon Dec 7 is fully booked\. The closest I have are [^.]*\. Which would you like\?$/] },
    ],
    check(w) {
      assert.equal(w.booked().length, 0);
    },
  },
];
