// Reschedule, cancel and "when is my appointment", once the caller is identified: the number on
// file and their name, or from another number their name and the day of the appointment
// (identity.ts; the refusals are in identity.ts's scenarios).
import assert from 'node:assert/strict';
import type { Scenario } from './harness.js';
import { appointment, local } from './fixtures.js';

export const manageScenarios: Scenario[] = [
  {
    name: 'reschedule to another day from the number on file, after the name',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'I need to reschedule my appointment', expect: ['first and last name'] },
      { say: 'Olivia Grant', expect: ['Chemical Peel', 'instead'] },
      { say: 'thursday afternoon', expect: ['Thu Dec 3'] },
      { say: 'the first one', expect: ['move'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.ok(local(b[0]?.start ?? 0).startsWith('2026-12-03'));
      const hist = w.web.spa.bookings.history(b[0]?.id ?? 0);
      assert.ok(hist.some((e) => e.kind === 'rescheduled' && e.source === 'web'));
    },
  },
  {
    name: 'a name given up front ("hey it\'s Olivia Grant, can I move my peel") is not asked for again',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: "hey it's olivia grant, can i move my peel to next week sometime", expect: ['Mon Dec 7', 'Which would you like'] },
      { say: 'the first one', expect: ['move your Chemical Peel'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.ok(local(b[0]?.start ?? 0).startsWith('2026-12-07'));
    },
  },
  {
    name: 'switching a peel to a HydraFacial keeps its time: the same appointment becomes the new treatment',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: "hi it's olivia grant, could i swap my peel for a hydrafacial", expect: ['Chemical Peel', 'Signature HydraFacial or Deluxe HydraFacial'] },
      { say: 'the signature one', expect: ['Tue Dec 1', '10 AM'] },
      { say: 'yes', expect: ["change your Chemical Peel on Tue Dec 1, 10 AM to a Signature HydraFacial on Tuesday, December 1 at 10 AM"] },
      { say: 'yes', expect: ['Done', 'now a Signature HydraFacial'] },
    ],
    check(w) {
      const all = w.all();
      assert.equal(all.length, 1, 'no second appointment: the one booked is changed');
      assert.equal(all[0]?.serviceId, 'hydrafacial-signature');
      assert.equal(all[0]?.status, 'booked');
      assert.equal(local(all[0]?.start ?? 0), '2026-12-01T10:00');
      assert.ok(w.web.spa.bookings.history(all[0]?.id ?? 0).some((e) => e.note === 'service chemical-peel -> hydrafacial-signature'));
    },
  },
  {
    name: '"Olivia Grant here, can you push my peel back 30 minutes": the name opening the call is taken, and a move overlapping its own time is offered',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'olivia grant here, can you push my peel back 30 minutes', expect: ['Tue Dec 1, 10:30 AM'] },
      { say: 'yes', expect: ['move your Chemical Peel'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      assert.equal(local(w.booked()[0]?.start ?? 0), '2026-12-01T10:30');
    },
  },
  {
    name: 'a policy question with a move joined to it is answered, and the move starts',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'whats your cancellation policy and also can I move my appt', expect: ['24 hours', 'name'] },
      { say: 'olivia grant', expect: ['Chemical Peel', 'instead'] },
      { say: 'thursday afternoon', expect: ['Thu Dec 3'] },
    ],
    check(w) {
      assert.equal(local(w.booked()[0]?.start ?? 0), '2026-12-01T10:00');
    },
  },
  {
    name: 'a plain move never offers the time the appointment already has',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: "it's olivia grant, can i move my peel to tuesday at 10", expect: ['already booked for Tue Dec 1, 10 AM', 'What other day'] },
      { say: 'tuesday at 11 then', expect: ['Tue Dec 1, 11 AM'] },
    ],
    check(w) {
      assert.equal(local(w.booked()[0]?.start ?? 0), '2026-12-01T10:00');
      assert.deepEqual(w.alerts(), [], 'no staff alert: nothing failed');
    },
  },
  {
    name: 'while moving a peel, "make it microneedling instead" moves it as microneedling',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'i need to move my chemical peel', expect: ['name'] },
      { say: 'olivia grant', expect: ['instead'] },
      { say: 'thursday afternoon', expect: ['Thu Dec 3'] },
      { say: 'actually could we make it microneedling instead', expect: ['Thu Dec 3'] },
      { say: 'the first one', expect: ['to a Microneedling on Thursday, December 3'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      const all = w.all();
      assert.equal(all.length, 1);
      assert.equal(all[0]?.serviceId, 'microneedling');
      assert.ok(local(all[0]?.start ?? 0).startsWith('2026-12-03'));
    },
  },
  {
    name: 'reschedule with the new time in the same sentence',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'microneedling', start: '2026-12-01T10:00' }),
    turns: [{ say: 'can I move my appointment to saturday at 11?', expect: ['name'] }, { say: 'Olivia Grant', expect: ['Sat Dec 5'] }, { say: 'yes' }, { say: 'yes' }],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.equal(local(b[0]?.start ?? 0), '2026-12-05T11:00');
    },
  },
  {
    name: 'reschedule from another number: found by the name and the day of the appointment',
    task: 'reschedule',
    from: '+12035550177',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00', name: 'Olivia Grant' }),
    turns: [
      { say: 'I want to reschedule', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['what day'] },
      { say: "it's on tuesday", expect: ['Chemical Peel', 'instead'] },
      { say: 'friday', expect: [] },
      { say: 'first' },
      { say: 'yes' },
    ],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.ok(!local(b[0]?.start ?? 0).startsWith('2026-12-01'));
    },
  },
  {
    name: 'reschedule: two appointments, the caller picks which by service',
    task: 'reschedule',
    setup: (web) => {
      appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' });
      appointment(web, { serviceId: 'ipl-photofacial', start: '2026-12-04T11:00' });
    },
    turns: [{ say: 'reschedule my appointment please' }, { say: 'Olivia Grant', expect: ['Which one'] }, { say: 'the IPL' }, { say: 'saturday at 1' }, { say: 'yes' }, { say: 'yes' }],
    check(w) {
      const ipl = w.booked().find((a) => a.serviceId === 'ipl-photofacial');
      const peel = w.booked().find((a) => a.serviceId === 'chemical-peel');
      assert.equal(local(ipl?.start ?? 0), '2026-12-05T13:00');
      assert.equal(local(peel?.start ?? 0), '2026-12-01T10:00');
    },
  },
  {
    name: 'cancel from the number on file after the name and a clear yes',
    task: 'cancel',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-02T11:00' }),
    turns: [
      { say: 'I need to cancel my appointment', expect: ['first and last name'] },
      { say: 'olivia grant', expect: ['Chemical Peel', 'cancel it'] },
      { say: 'yes', expect: ['cancelled'] },
    ],
    check(w) {
      assert.equal(w.booked().length, 0);
      assert.equal(w.all()[0]?.status, 'cancelled');
    },
  },
  {
    name: 'cancel: the caller changes their mind, nothing is cancelled',
    task: 'cancel',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-02T11:00' }),
    turns: [{ say: 'cancel my appointment' }, { say: 'this is Olivia Grant', expect: ['cancel it'] }, { say: "no, don't cancel it", expect: ["won't cancel"] }],
    check(w) {
      assert.equal(w.booked().length, 1);
    },
  },
  {
    name: 'cancel the second of two appointments',
    task: 'cancel',
    setup: (web) => {
      appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' });
      appointment(web, { serviceId: 'ipl-photofacial', start: '2026-12-04T11:00' });
    },
    turns: [{ say: 'please cancel my appointment' }, { say: 'Olivia Grant', expect: ['Which one'] }, { say: 'the second one' }, { say: 'yes' }],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.equal(b[0]?.serviceId, 'chemical-peel');
    },
  },
  {
    name: 'cancel with nothing on file: the same questions as for anyone, so the reply tells nobody whether a name is a client',
    task: 'cancel',
    turns: [
      { say: 'cancel my appointment', expect: ['name'] },
      { say: 'Nobody Known', expect: ['what day'] },
      { say: 'tuesday', expect: ["couldn't match", 'name'] },
      { say: 'Nobody Known', expect: ['what day'] },
      { say: 'wednesday', expect: ['number we have on file'] },
    ],
    check(w) {
      assert.equal(w.all().length, 0);
    },
  },
  {
    name: '"when is my appointment" reads it back',
    task: 'lookup',
    setup: (web) => void appointment(web, { serviceId: 'ipl-photofacial', start: '2026-12-04T11:00' }),
    turns: [{ say: 'when is my appointment?', expect: ['name'] }, { say: 'Olivia Grant', expect: ['IPL Photofacial', 'Friday, December 4', '11 AM'] }],
    check(w) {
      assert.equal(w.booked().length, 1);
    },
  },
  {
    name: '"when is my appointment" with two upcoming lists both',
    task: 'lookup',
    setup: (web) => {
      appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' });
      appointment(web, { serviceId: 'ipl-photofacial', start: '2026-12-04T11:00' });
    },
    turns: [{ say: 'what time is my appointment' }, { say: 'grant olivia', expect: ['Chemical Peel', 'IPL Photofacial'] }],
    check(w) {
      assert.equal(w.booked().length, 2);
    },
  },
  {
    name: 'reschedule into a fully booked day offers other days',
    task: 'reschedule',
    setup: (web) => {
      appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' });
    },
    turns: [{ say: 'move my appointment to sunday', expect: ['name'] }, { say: 'Olivia Grant', expect: ['closed'] }, { say: 'the first one' }, { say: 'yes' }],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.notEqual(local(b[0]?.start ?? 0), '2026-12-01T10:00');
    },
  },
  {
    name: 'book then cancel in one conversation',
    task: 'cancel',
    turns: [
      { say: 'chemical peel saturday at 10' },
      { say: 'yes' },
      { say: 'Ben Ortiz' },
      { say: 'yes', expect: ["You're booked"] },
      { say: 'actually cancel that appointment' },
      { say: 'yes', expect: ['cancelled'] },
    ],
    check(w) {
      assert.equal(w.booked().length, 0);
      assert.equal(w.all().length, 1);
      assert.equal(w.all()[0]?.status, 'cancelled');
    },
  },
  {
    name: '"push my peel back an hour" moves it to an hour after the appointment, found once the caller is identified',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'can i push my peel back an hour', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['Tue Dec 1, 11 AM'] },
      { say: 'yes', expect: ['from Tue Dec 1, 10 AM to Tuesday, December 1 at 11 AM'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.equal(local(b[0]?.start ?? 0), '2026-12-01T11:00');
    },
  },
  {
    name: '"same time next week" once the appointment is found moves it seven days on, at its time',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'i need to reschedule my peel', expect: ['name'] },
      { say: 'Olivia Grant', expect: ['What day and time would you like instead'] },
      { say: 'same time next week?', expect: ['Tue Dec 8, 10 AM'] },
      { say: 'yes', expect: ['Shall I go ahead'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      const b = w.booked();
      assert.equal(b.length, 1);
      assert.equal(local(b[0]?.start ?? 0), '2026-12-08T10:00');
    },
  },
  {
    name: 'a day said when the name is asked ("friday is better") is no name, and is kept for the move',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'id like to move my peel to later in the week', expect: ['name'] },
      // "Friday" was skipped as no name, and "better" taken for one ("And your last name?").
      { say: 'friday is better', expect: [/first and last name/] },
      { say: 'Olivia Grant', expect: ['Fri Dec 4'] },
    ],
    check(w) {
      assert.equal(w.booked().length, 1);
      assert.equal(local(w.booked()[0]?.start ?? 0), '2026-12-01T10:00');
    },
  },
  {
    name: 'a cancel with a question joined to it ("..., do I lose my deposit?") answers the question and starts the cancel',
    task: 'cancel',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'hey I have to cancel my peel, will I lose my deposit?', expect: [/deposit/i, 'name'] },
      { say: 'Olivia Grant', expect: ['Chemical Peel'] },
      { say: 'yes' },
    ],
    check(w) {
      assert.equal(w.booked().length, 0);
      assert.equal(w.alerts().length, 0);
    },
  },
  {
    name: 'a move asked before a question ("can I move my appointment? also, ...") answers the question and starts the move',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'can I move my appointment? also, what time do you close on saturdays', expect: [/Saturdays from 9 to 4/, 'name'] },
      { say: 'Olivia Grant', expect: ['Chemical Peel'] },
    ],
    check(w) {
      assert.equal(w.booked().length, 1);
    },
  },
];
