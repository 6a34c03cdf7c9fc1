// Callers the rules were not written for: one scenario per kind of misunderstanding found when the
// receptionist was tried by outsiders (issue 11), each in words of our own (not corpus lines).
// Default now: Monday 2026-11-30 10:00.
import assert from 'node:assert/strict';
import type { Scenario, ScenarioWorld } from './harness.js';
import { appointment, local } from './fixtures.js';

function nothingBooked(w: ScenarioWorld): void {
  assert.equal(w.all().length, 0, 'no appointment was created');
}

function noAlerts(w: ScenarioWorld): void {
  assert.deepEqual(w.alerts(), [], 'no staff alert');
}

function oneAlert(w: ScenarioWorld, kind: string): void {
  const a = w.alerts();
  assert.equal(a.length, 1, `one staff alert, got ${a.map((x) => x.kind).join(', ') || 'none'}`);
  assert.equal(a[0]?.kind, kind);
}

export const understandingScenarios: Scenario[] = [
  {
    name: 'safety: a pale, throbbing lip the day after filler is urgent, not a booking',
    task: 'urgent',
    turns: [{ say: "hey so I got my lips done yesterday and now there's a pale patch on the top lip and it's throbbing like crazy", expect: [/911/, /nurse/i] }],
    check(w) {
      nothingBooked(w);
      oneAlert(w, 'urgent');
    },
  },
  {
    name: 'safety: a symptom told in the middle of a booking still comes first',
    task: 'urgent',
    turns: [
      { say: 'can I book a chemical peel on thursday morning', expect: ['Thu Dec 3'] },
      { say: 'um actually hold on, the cheek where I had filler last week is going kind of bluish and sore', expect: [/911/] },
    ],
    check(w) {
      nothingBooked(w);
      oneAlert(w, 'urgent');
    },
  },
  {
    name: 'safety without false alarms: a caller whose surname is a colour ("it\'s Grace White") is booked, not escalated',
    task: 'book',
    turns: [
      { say: 'could I get a signature hydrafacial tuesday afternoon', expect: ['Tue Dec 1'] },
      { say: 'the first one works', expect: ['name'] },
      { say: "yeah it's Grace White", expect: ['Grace White', 'Shall I book it'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      assert.equal(w.booked().length, 1);
      assert.equal(w.booked()[0]?.clientName, 'Grace White');
      noAlerts(w);
    },
  },
  {
    name: 'a follow-up keeps the topic: "what about late on thursdays" after the opening hours is about the hours',
    task: 'question',
    turns: [
      { say: 'when are you open on saturdays', expect: [/Saturdays from 9 to 4/] },
      { say: 'what about late on thursdays', expect: [/until 8 on Thursdays/] },
    ],
    check(w) {
      assert.ok(!w.replies.some((r) => /Just so I answer/.test(r)), 'no which-topic question');
      noAlerts(w);
    },
  },
  {
    name: 'a deposit question that mentions booking is answered, and starts no booking',
    task: 'question',
    turns: [{ say: 'if I go ahead and book cheek filler, do I have to put money down up front?', expect: [/deposit/i, /\$100/] }],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'a question in other words than the entry ("hit the gym" for exercise) is answered from it',
    task: 'question',
    turns: [{ say: 'am I allowed to hit the gym the same day I get my tox?', expect: [/exercise|workout/i] }],
    check(w) {
      noAlerts(w);
    },
  },
  {
    name: 'asking for a named provider is a handoff: a message for them, not a booking',
    task: 'handoff',
    turns: [
      { say: 'could you put me through to Maya please', expect: [/Maya Chen/, /message|tell/i] },
      { say: 'tell her Rosa called about the facial she recommended', expect: [/passed that on/] },
    ],
    check(w) {
      nothingBooked(w);
      oneAlert(w, 'message');
    },
  },
  {
    name: 'looking up one\'s own appointment in other words starts the look-up, not a booking',
    task: 'lookup',
    turns: [{ say: 'I totally blanked on when I am supposed to come in', expect: [/name/i] }],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'off-topic questions get a kind no and raise no staff alert',
    task: 'other',
    turns: [
      { say: 'can you help me file a claim on my car insurance?', expect: [/can't help with that|not something/i] },
      { say: 'any good sushi places near you?', expect: [/can't help with that|not something/i] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: "a question about a named provider that the knowledge base does not state is left for staff, not answered with the team's blurb",
    task: 'other',
    turns: [{ say: 'does Jordan speak Italian by any chance? my nonna wants to come in', expect: [/note|follow up/i] }],
    check(w) {
      nothingBooked(w);
      oneAlert(w, 'question');
    },
  },
  {
    name: 'a day told in parts ("next week Thursday afternoon") keeps the weekday',
    task: 'book',
    turns: [
      { say: 'could I get a hydrafacial next week thursday in the afternoon', expect: ['Deluxe HydraFacial'] },
      { say: 'the deluxe', expect: ['Thu Dec 10'] },
    ],
    check(w) {
      nothingBooked(w);
    },
  },
  {
    name: 'a question torn between two knowledge entries is asked back ("before or after?"), and the one picked is read',
    task: 'question',
    turns: [
      { say: 'can I drink before or after my botox', expect: [/is that about/i, /preparing for Botox/, /after Botox/] },
      { say: 'after', expect: [/Stay upright for 4 hours/, 'Anything else'] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'a question torn between two knowledge entries, and the caller says neither: left for staff, not guessed',
    task: 'question',
    turns: [
      { say: 'can I drink before or after my botox', expect: [/is that about/i] },
      { say: 'neither really', expect: [/asked our team/] },
    ],
    check(w) {
      nothingBooked(w);
      oneAlert(w, 'question');
    },
  },
  {
    name: 'a booking asked for in reply to the which-topic question is a booking, not a pick of the entry that shares its word',
    task: 'book',
    turns: [
      { say: 'can I drink before or after my botox', expect: [/is that about/i] },
      { say: 'actually can I just book botox, friday after work', expect: [/Botox/, /Fri/] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: '"tell me about microneedling" is answered, not taken for a booking; "how much is it" next is about it; a booking asked for then starts',
    task: 'book',
    turns: [
      { say: 'tell me about microneedling', expect: ['numbing cream', 'Anything else'] },
      { say: 'and how much is it', expect: ['Microneedling is $'] },
      { say: 'ok can I book one thursday morning', expect: ['Thu Dec 3'] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'a wedding on the 19th and "before that": the times offered are before the wedding, not on its day',
    task: 'book',
    turns: [
      { say: 'I have a wedding on the 19th, can I get a signature hydrafacial sometime before that?', expect: ['Which would you like'] },
      { say: 'the last one', expect: ['name'] },
      { say: 'Lena Park', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const mine = w.booked().filter((a) => a.source === 'web');
      assert.equal(mine.length, 1);
      assert.ok(local(mine[0]?.start ?? 0) < '2026-12-19', `before the wedding: ${local(mine[0]?.start ?? 0)}`);
    },
  },
  {
    name: 'no loop: "okay" twice to "what day?" brings the earliest real times, which can be booked',
    task: 'book',
    turns: [
      { say: 'I want to book microneedling', expect: ['What day and time'] },
      { say: 'okay', expect: ['What day and time'] },
      { say: 'okay', expect: ['earliest times', 'Which would you like'] },
      { say: 'the first one', expect: ['name'] },
      { say: 'Lena Park', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const mine = w.booked().filter((a) => a.source === 'web');
      assert.equal(mine.length, 1);
      assert.equal(mine[0]?.serviceId, 'microneedling');
      assert.ok(local(mine[0]?.start ?? 0) >= '2026-11-30T12:00', 'after the minimum notice');
    },
  },
  {
    name: 'after the earliest times (what day? not understood twice), another day named is an answer that moves the question on: its times, no hand-off',
    task: 'book',
    turns: [
      { say: 'I want to book microneedling', expect: ['What day and time'] },
      { say: 'okay', expect: ['What day and time'] },
      { say: 'okay', expect: ['earliest times', 'Which would you like'] },
      { say: 'wednesday december 2', expect: [/^On Wed Dec 2 I have [^.]*\. Which would you like\?$/] },
      { say: 'the first one', expect: ['name'] },
      { say: 'Lena Park', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const mine = w.booked().filter((a) => a.source === 'web');
      assert.equal(mine.length, 1);
      assert.ok(local(mine[0]?.start ?? 0).startsWith('2026-12-02'), local(mine[0]?.start ?? 0));
    },
  },
  {
    name: 'no loop: "yeah" twice to three offered times asks how to pick, and "whatever\'s earliest" books the first',
    task: 'book',
    turns: [
      { say: 'can I get a signature hydrafacial tuesday afternoon', expect: ['Tue Dec 1', 'Which would you like'] },
      { say: 'yeah', expect: ['Which would you like'] },
      { say: 'yeah sure', expect: ['say the first, the second or the last'] },
      { say: "whatever's earliest", expect: ['name'] },
      { say: 'Lena Park', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const mine = w.booked().filter((a) => a.source === 'web');
      assert.equal(mine.length, 1);
      assert.ok(local(mine[0]?.start ?? 0).startsWith('2026-12-01T1'), 'Tuesday afternoon');
      noAlerts(w);
    },
  },
  {
    name: 'no loop: after two misses on "Signature or Deluxe?" it tells them apart (price, length), keeps the day asked for, and the pick books',
    task: 'book',
    turns: [
      { say: 'can u fit me in for a hydrafacial', expect: ['Signature HydraFacial or Deluxe HydraFacial'] },
      { say: 'anything on saturday?', expect: ['Signature HydraFacial or Deluxe HydraFacial'] },
      { say: 'saturday works', expect: ['$199', '45 minutes', '$279', '60 minutes'] },
      { say: 'the deluxe one', expect: ['Sat Dec 5'] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'a phone number given for the name is thanked, and the name asked for again (the number proves nothing)',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: 'I need to push my appointment back a week', expect: ['first and last name'] },
      { say: 'my number is 512 555 0101', expect: ['Thanks', 'name on the appointment'] },
      { say: 'Olivia Grant', expect: ['Chemical Peel'] },
    ],
    check(w) {
      assert.equal(w.booked().length, 1, 'the appointment stands until a new time is agreed');
    },
  },
  {
    name: 'no loop: after two misses on "which treatment?" it lists the kinds, then offers a message',
    task: 'other',
    turns: [
      { say: 'I want to make an appointment', expect: ['Which treatment'] },
      { say: 'hmm', expect: ['Which treatment'] },
      { say: 'hmm', expect: ['We offer treatments such as', 'Botox'] },
      { say: 'hmm', expect: [/message/i] },
      { say: 'please call me back, I am not sure what I need', expect: [/passed that on/] },
    ],
    check(w) {
      nothingBooked(w);
      oneAlert(w, 'message');
    },
  },
  {
    name: 'asked for the earliest time, "sure" to the times offered takes the earliest, read back before it is booked',
    task: 'book',
    turns: [
      { say: 'whats the earliest you can get me in for laser hair removal on my legs', expect: ['Which would you like'] },
      { say: 'sure', expect: ['name'] },
      { say: 'Priya Patel', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const mine = w.booked();
      assert.equal(mine.length, 1, 'one appointment');
      const a = mine[0] ?? { start: 0, serviceId: '' };
      assert.equal(a.serviceId, 'laser-hair-large');
      const free = w.web.spa.bookings.availability({ serviceId: 'laser-hair-large', from: w.web.spa.clock.now(), to: w.web.spa.clock.now() + 14 * 86_400_000, limit: 50 });
      assert.ok(free.every((s) => s.start > a.start), 'booked the earliest opening');
      noAlerts(w);
    },
  },
  {
    name: 'a complaint about how a treatment turned out goes to the nurse; one about the desk goes to the manager',
    task: 'other',
    turns: [
      { say: 'i got botox 3 days ago and one eyebrow is way higher than the other, is that normal', expect: ['nurse', '911'] },
      { say: 'also the girl at the front desk was rude to me', expect: ['manager'] },
    ],
    check(w) {
      nothingBooked(w);
      const alerts = w.alerts();
      assert.equal(alerts.length, 2, 'two staff alerts');
      const texts = alerts.map((a) => a.text);
      assert.ok(texts.some((x) => /^Concern after a treatment, for the nurse: "i got botox/.test(x)), texts.join(' | '));
      assert.ok(texts.some((x) => /^Complaint from the caller: "also the girl/.test(x)), texts.join(' | '));
    },
  },
  {
    name: 'two days offered as alternatives ("tuesday or thursday") get times on both, and the caller picks by day',
    task: 'book',
    turns: [
      { say: 'can i get a chemical peel tuesday or thursday', expect: ['Tue Dec 1', 'Thu Dec 3'] },
      { say: 'thursday please', expect: ['name'] },
      { say: 'Ana Ruiz', expect: ['Thursday, December 3', 'Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      const mine = w.booked();
      assert.equal(mine.length, 1, 'one appointment');
      assert.ok(local(mine[0]?.start ?? 0).startsWith('2026-12-03'), local(mine[0]?.start ?? 0));
      noAlerts(w);
    },
  },
  {
    name: 'a consult "for Botox" is the injectables consultation, not a choice between the two consultations',
    task: 'book',
    turns: [{ say: "i'd like to book a consult for botox", expect: [/^(?![\s\S]*Complimentary)[\s\S]*Injectables Consultation/] }],
    check(w) {
      nothingBooked(w);
    },
  },
  {
    name: 'a referral "she said to ask for Maya" books with Maya, no message for her',
    task: 'book',
    from: '+12035550142',
    turns: [
      { say: 'hi, I was referred by my friend Jess, she said to ask for Maya', expect: ['Which treatment'] },
      { say: 'a hydrafacial, the signature', expect: ['Signature HydraFacial'] },
      { say: 'thursday afternoon', expect: ['Thu Dec 3'] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'safety without false alarms: "getting rid of my double chin" is a question about treatments, no nurse paged',
    task: 'question',
    turns: [{ say: 'hi im interested in getting rid of my double chin', expect: [/^(?![\s\S]*911)/] }],
    check(w) {
      nothingBooked(w);
      assert.ok(!w.alerts().some((a) => a.kind === 'urgent'), 'no urgent alert');
    },
  },
  {
    name: 'a time asked for and taken is said before the nearest ones are offered',
    task: 'book',
    turns: [{ say: 'book me for a peel thursday at 3:30', expect: ["I'm sorry, 3:30 PM is taken that day", '2:45 PM', '4:15 PM'] }],
    check(w) {
      nothingBooked(w);
    },
  },
  {
    name: 'asked how the Signature and the Deluxe differ, both are described, the plainer first',
    task: 'question',
    turns: [{ say: 'whats the difference between the signature and deluxe', expect: [/Signature HydraFacial\. [\s\S]*Deluxe HydraFacial\. Everything in the Signature/] }],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'misheard speech the model half reads as a goodbye or an unsure complaint neither ends the call nor goes to the manager',
    task: 'other',
    turns: [
      { say: 'hi good i have a good total should i want to two', expect: [/^(?![\s\S]*Have a wonderful day|[\s\S]*Thanks for contacting)/] },
      { say: 'i have no one will one hundred', expect: [/^(?![\s\S]*manager)/] },
      { say: 'thanks, bye', expect: ['Thanks for contacting'] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'a consultation "about laser hair removal" books the complimentary consultation, not a choice of laser areas',
    task: 'book',
    turns: [
      { say: 'could i set up a consultation about laser hair removal', expect: ['Complimentary Consultation'] },
      { say: 'next tuesday afternoon', expect: ['Tue Dec 8'] },
    ],
    check(w) {
      nothingBooked(w);
    },
  },
  {
    name: 'a reschedule to "wednesday or friday" when Friday is full says so and offers Wednesday',
    task: 'reschedule',
    setup: (web) => void appointment(web, { serviceId: 'chemical-peel', start: '2026-12-01T10:00' }),
    turns: [
      { say: "hey it's olivia grant, i can't make my peel tuesday, can we do wednesday or friday instead", expect: ['Fri Dec 4 is fully booked', 'Wed Dec 2'] },
      { say: 'the first one', expect: ['move your Chemical Peel'] },
      { say: 'yes', expect: ['Done'] },
    ],
    check(w) {
      const mine = w.booked();
      assert.equal(mine.length, 1, 'one appointment');
      assert.ok(local(mine[0]?.start ?? 0).startsWith('2026-12-02'), local(mine[0]?.start ?? 0));
    },
  },
  {
    name: 'a booking for three people books the caller and asks staff to set up the others beside it',
    task: 'book',
    turns: [
      { say: 'book me a hydrafacial for 3 people on saturday', expect: ['asked our team', 'the others', 'Signature HydraFacial or Deluxe HydraFacial'] },
      { say: 'the deluxe', expect: ['Sat Dec 5'] },
      { say: 'the first one', expect: ['name'] },
      { say: 'Ana Ruiz', expect: ['Shall I book'] },
      { say: 'yes', expect: ["You're booked"] },
    ],
    check(w) {
      assert.equal(w.booked().length, 1, 'one appointment');
      oneAlert(w, 'message');
      assert.match(w.alerts()[0]?.text ?? '', /^Group booking \(3 people\)/);
    },
  },
];
