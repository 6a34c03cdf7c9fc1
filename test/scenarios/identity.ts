// Caller identity before personal data (agent/identity.ts): who may hear, move or cancel an
// appointment. Each refusal is checked twice: nothing in any reply names the appointment's
// service, provider, day or time, and nothing changed in the database.
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Appointment } from '../../appliance/booking/types.js';
import { SPA_ZONE } from '../helpers/spa.js';
import type { Scenario, ScenarioWorld } from './harness.js';
import { appointment, CALLER } from './fixtures.js';

/** Another number than the one on file. */
const STRANGER = '+12035550177';
/** Olivia Grant's chemical peel, on file under CALLER: Wednesday, December 2 at 11 AM. */
const PEEL = { serviceId: 'chemical-peel', start: '2026-12-02T11:00' };

/** The words that would give an appointment away, in every form the receptionist says them. */
function giveaways(w: ScenarioWorld, a: Appointment): RegExp[] {
  const svc = w.web.spa.catalogue.service(a.serviceId)?.name ?? a.serviceId;
  const provider = w.web.spa.catalogue.providers().find((p) => p.id === a.providerId)?.name ?? a.providerId;
  const d = DateTime.fromMillis(a.start, { zone: SPA_ZONE });
  const words = [svc, ...svc.split(' ').filter((x) => x.length > 3), ...provider.split(' '), d.toFormat('cccc'), d.toFormat('ccc'), d.toFormat('LLLL d'), d.toFormat('LLL d')];
  const hour = d.toFormat('h');
  return [...words.map((x) => new RegExp(`\\b${x}\\b`, 'i')), new RegExp(`\\b${hour}(?::\\d\\d)?\\s?(?:AM|PM)\\b`, 'i'), /\beleven\b/i];
}

function revealsNothing(w: ScenarioWorld, a: Appointment): void {
  for (const [i, reply] of w.replies.entries()) {
    for (const re of giveaways(w, a)) assert.doesNotMatch(reply, re, `reply ${i + 1} gives the appointment away: "${reply}"`);
  }
}

/** The appointment is booked, where it was, and nothing was ever done to it. */
function untouched(w: ScenarioWorld, a: Appointment): void {
  const now = w.web.spa.bookings.get(a.id);
  assert.equal(now.status, 'booked');
  assert.equal(now.start, a.start);
  assert.equal(now.providerId, a.providerId);
  assert.deepEqual(w.web.spa.bookings.history(a.id).map((e) => e.kind), ['booked']);
}

function peel(w: ScenarioWorld): Appointment {
  const a = w.all().find((x) => x.serviceId === 'chemical-peel');
  assert.ok(a, 'the chemical peel on file');
  return a;
}

export const identityScenarios: Scenario[] = [
  {
    name: 'right number and right name (middle name, any case): the details are read out and the cancel goes through',
    task: 'cancel',
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'I need to cancel my appointment', expect: ['first and last name'] },
      { say: 'my name is OLIVIA  mae   grant', expect: ['Chemical Peel', 'Wednesday, December 2', '11 AM', 'cancel it'] },
      { say: 'yes', expect: ['cancelled'] },
    ],
    check(w) {
      assert.equal(peel(w).status, 'cancelled');
      assert.ok(w.web.spa.bookings.history(peel(w).id).some((e) => e.kind === 'cancelled' && e.source === 'web'));
    },
  },
  {
    name: 'right number, someone else\'s name: asked for the day like any stranger, and with the right day still refused',
    task: 'cancel',
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'cancel my appointment please', expect: ['name'] },
      { say: 'Emma Grant', expect: ['what day'] },
      { say: 'wednesday', expect: ["couldn't match", 'name'] },
      { say: 'Emma Grant', expect: ['what day'] },
      { say: 'december 2nd', expect: ["can't", 'number we have on file'] },
    ],
    check(w) {
      revealsNothing(w, peel(w));
      untouched(w, peel(w));
    },
  },
  {
    name: 'wrong name from another number: no details read out, nothing changed, even with the right day',
    task: 'cancel',
    from: STRANGER,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'I want to cancel my appointment', expect: ['name'] },
      { say: 'Olivia Green', expect: ['what day'] },
      { say: 'wednesday', expect: ["couldn't match"] },
      { say: 'Olive Grant', expect: ['what day'] },
      { say: 'wednesday', expect: ['number we have on file'] },
      { say: 'yes', expect: ['call you back'] },
    ],
    check(w) {
      revealsNothing(w, peel(w));
      untouched(w, peel(w));
      const alert = w.alerts()[0];
      assert.ok(alert, 'a call back alert for staff');
      assert.equal(alert.kind, 'message');
      assert.equal(alert.phone, null, "no client with an appointment has the name given: nobody to call on their behalf");
      assert.match(alert.text, /could not confirm who they are/);
    },
  },
  {
    name: 'right name and the right day from another number: allowed, and the cancel goes through',
    task: 'cancel',
    from: STRANGER,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'I need to cancel my appointment', expect: ['name'] },
      { say: 'my name is Olivia Grant', expect: ['what day'] },
      { say: 'it is on wednesday', expect: ['Chemical Peel', 'cancel it'] },
      { say: 'yes', expect: ['cancelled'] },
    ],
    check(w) {
      assert.equal(peel(w).status, 'cancelled');
    },
  },
  {
    name: 'the day said with the service ("my peel appointment is on wednesday") proves who they are and starts no booking',
    task: 'lookup',
    from: STRANGER,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'what time is my appointment', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['what day'] },
      { say: 'my chemical peel appointment is on wednesday', expect: ["You're booked for Chemical Peel", '11 AM'] },
    ],
    check(w) {
      assert.equal(w.all().length, 1, 'no new booking');
      untouched(w, peel(w));
    },
  },
  {
    name: 'right name and a wrong day from another number: refused after two tries, and a call back to the number on file',
    task: 'cancel',
    from: STRANGER,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'I need to cancel my appointment', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['what day'] },
      { say: 'thursday', expect: ["couldn't match", 'once more'] },
      { say: 'Olivia Grant', expect: ['what day'] },
      { say: 'friday', expect: ["can't", 'number we have on file'] },
      { say: 'yes please call me back', expect: ["I've asked our team to call you back"] },
      // No third guess, whatever they try.
      { say: 'cancel my appointment on wednesday', expect: ['number we have on file'] },
      { say: 'no thanks', expect: ['No problem'] },
    ],
    check(w) {
      revealsNothing(w, peel(w));
      untouched(w, peel(w));
      const alerts = w.alerts();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]?.phone, CALLER, 'the call back goes to the number on file');
      assert.notEqual(alerts[0]?.phone, STRANGER);
      assert.equal(alerts[0]?.name, 'Olivia Grant');
      assert.match(alerts[0]?.text ?? '', /wanted to cancel an appointment.*Calling number: \+12035550177 \(not verified\)/);
    },
  },
  {
    name: 'a reschedule from another number with a wrong day moves nothing and offers a text',
    task: 'reschedule',
    from: STRANGER,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'can I move my appointment to friday', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['what day'] },
      { say: 'monday', expect: ["couldn't match"] },
      { say: 'Olivia Grant' },
      { say: 'tuesday', expect: ['number we have on file'] },
      { say: 'a text please', expect: ['text you'] },
    ],
    check(w) {
      revealsNothing(w, peel(w));
      untouched(w, peel(w));
      assert.match(w.alerts()[0]?.text ?? '', /^Text back requested: a caller wanted to reschedule/);
    },
  },
  {
    name: 'a name alone with no caller ID: asked for the day, and "I don\'t remember" ends it without a word about the appointment',
    task: 'lookup',
    from: null,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'when is my appointment?', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['what day'] },
      { say: "I don't remember", expect: ["That's okay", 'number we have on file'] },
      { say: 'no thanks', expect: ['No problem'] },
      // The refused request is over: a question next is just answered.
      { say: 'what are your hours?', expect: [/\d/] },
    ],
    check(w) {
      revealsNothing(w, peel(w));
      untouched(w, peel(w));
      assert.equal(w.alerts().length, 0);
      assert.doesNotMatch(w.replies[4] ?? '', /privacy|on file/, 'the refusal is not repeated once declined');
    },
  },
  {
    name: 'no caller ID, right name and right day: the appointment is read out',
    task: 'lookup',
    from: null,
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'what time is my appointment', expect: ['name'] },
      { say: 'Grant, Olivia', expect: ['what day'] },
      { say: 'december 2nd', expect: ['Chemical Peel', '11 AM'] },
    ],
    check(w) {
      untouched(w, peel(w));
    },
  },
  {
    name: 'a first name alone is not enough: the last name is asked for',
    task: 'lookup',
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'when is my appointment', expect: ['name'] },
      { say: 'olivia', expect: ['last name'] },
      { say: 'grant', expect: ['Chemical Peel'] },
    ],
    check(w) {
      untouched(w, peel(w));
    },
  },
  {
    name: 'no name in two answers to the name question: a call back is offered instead of asking forever',
    task: 'cancel',
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'I need to cancel my appointment', expect: ['name'] },
      { say: 'um okay', expect: ["didn't catch that", 'name'] },
      { say: 'uh hello', expect: ['number we have on file'] },
      { say: 'yes', expect: ['call you back'] },
    ],
    check(w) {
      revealsNothing(w, peel(w));
      untouched(w, peel(w));
      assert.equal(w.alerts()[0]?.phone, null, 'no name given: staff check the record before calling anyone');
    },
  },
  {
    name: 'family sharing a phone: a booking by another name adds that person, renames nobody, and each hears only their own appointment',
    task: 'book',
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'book a chemical peel on saturday at 2', expect: ['Sat Dec 5'] },
      { say: 'yes', expect: ['name'] },
      { say: 'Emma Grant', expect: ['for Emma Grant', 'Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
      { say: 'when is my appointment?', expect: ['Saturday, December 5'] },
    ],
    check(w) {
      const clients = w.web.spa.bookings.clientsByPhone(CALLER);
      assert.deepEqual(clients.map((c) => c.name), ['Olivia Grant', 'Emma Grant']);
      const [olivia, emma] = clients;
      const booked = w.booked();
      assert.equal(booked.find((a) => a.start === peel(w).start)?.clientId, olivia?.id, "Olivia's appointment is still hers, under her name");
      assert.equal(booked.find((a) => a.clientName === 'Emma Grant')?.clientId, emma?.id);
      assert.doesNotMatch(w.replies[4] ?? '', /Wednesday|December 2/, "Emma does not hear Olivia's appointment");
      untouched(w, peel(w));
    },
  },
  {
    name: 'family sharing a phone: each cancels only their own appointment',
    task: 'cancel',
    setup: (web) => {
      appointment(web, PEEL);
      appointment(web, { serviceId: 'ipl-photofacial', start: '2026-12-05T13:00', name: 'Emma Grant' });
    },
    turns: [
      { say: 'I need to cancel my appointment', expect: ['name'] },
      { say: 'emma grant', expect: ['IPL Photofacial', 'cancel it'] },
      { say: 'yes', expect: ['cancelled'] },
    ],
    check(w) {
      assert.equal(w.all().find((a) => a.serviceId === 'ipl-photofacial')?.status, 'cancelled');
      for (const reply of w.replies) assert.doesNotMatch(reply, /Chemical Peel|Wednesday|December 2|11 AM/, "Emma does not hear Olivia's appointment");
      untouched(w, peel(w));
    },
  },
  {
    name: 'after proving who they are, a caller who then gives another name is asked again',
    task: 'lookup',
    setup: (web) => void appointment(web, PEEL),
    turns: [
      { say: 'when is my appointment', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['Chemical Peel'] },
      { say: 'my name is Emma Grant and I want to cancel my appointment', expect: ['what day'] },
    ],
    check(w) {
      untouched(w, peel(w));
    },
  },
];
