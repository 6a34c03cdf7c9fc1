// Questions, handoff, urgent symptoms, off-topic talk and silence: answers come from the spa's
// knowledge base, and what the receptionist cannot answer becomes a note for staff.
import assert from 'node:assert/strict';
import type { Scenario, ScenarioWorld } from './harness.js';

function nothingBooked(w: ScenarioWorld): void {
  assert.equal(w.all().length, 0, 'no appointment was created');
}

function noAlerts(w: ScenarioWorld): void {
  assert.deepEqual(w.alerts(), [], 'no staff alert');
}

function storedTurns(w: ScenarioWorld, n: number): void {
  const conv = w.web.receptionist.conversation(w.conversation);
  assert.equal(conv.messages.filter((m) => m.role === 'caller').length, n, 'every caller turn is stored');
}

const question = (name: string, say: string, expect: (string | RegExp)[]): Scenario => ({
  name,
  task: 'question',
  turns: [{ say, expect }],
  check(w) {
    nothingBooked(w);
    noAlerts(w);
    storedTurns(w, 1);
  },
});

export const infoScenarios: Scenario[] = [
  question('price of Botox comes from the catalogue', 'How much is Botox?', ['$13 per unit']),
  question('price of lip filler', "what's the price for lip filler", ['$700 per syringe']),
  question('price of a HydraFacial said as "hydro facial"', 'how much does a hydro facial cost', ['Signature HydraFacial is']),
  question('price of two services in one question', 'how much are dysport and the chemical peel', ['Dysport is', 'Chemical Peel is']),
  question('opening hours', 'What are your hours?', [/Monday through Friday/]),
  question('open on Saturday', 'are you open on saturday', [/Saturdays? from 9 to 4/]),
  question('address', "what's your address", ['350 Harbor View Drive']),
  question('parking', 'is there parking?', [/parking/i]),
  question('aftercare after Botox', 'can I work out after botox?', [/exercise|workout|lie down/i]),
  question('preparing for laser hair removal', 'how should I prepare for laser hair removal', [/shave/i]),
  question('pregnancy policy', 'can I get botox while pregnant?', [/pregnan/i]),
  question('payment methods', 'do you take apple pay?', [/Apple Pay/i]),
  question('financing', 'do you offer financing or payment plans?', [/financ|Cherry|CareCredit/i]),
  question('gift cards', 'do you sell gift cards?', [/gift card/i]),
  question('how to check a gift card balance', 'how do I check my gift card balance?', [/To check the balance on a gift card/]),
  question('cancellation policy is a question, not a cancel', "what's your cancellation policy?", [/24 hours/]),
  question('deposit policy', 'is there a deposit?', [/deposit/i]),
  question('what a treatment is', 'what is microneedling?', [/Microneedling|collagen|needles/i]),
  question('a category word said of a treatment: IPL is not read as laser hair removal', 'what is IPL, is it a laser?', [/Intense pulsed light/]),
  {
    name: 'a gift card balance asked without saying "gift card" is a payment question for staff, not a lookup of an appointment',
    task: 'question',
    turns: [{ say: 'how do I check the balance?', expect: [/team|follow up/i] }],
    check(w) {
      nothingBooked(w);
      assert.equal(w.alerts().length, 1, 'one note for staff');
    },
  },
  question('whether a team member works on a day comes from the calendar, not a note for staff', 'is Maya working Saturday?', [/Maya works on Saturday from nine to four/]),
  question('a team member not in that day', 'will Sophie be in on Sunday?', [/Sophie isn't in on Sunday/]),
  {
    name: 'a side effect asked of "it" is answered from the description of the treatment talked about',
    task: 'question',
    turns: [
      { say: 'what is microneedling?', expect: [/collagen/] },
      { say: 'does it hurt?', expect: [/numbing cream/] },
    ],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'price asked without a service: asks which, then answers',
    task: 'question',
    turns: [{ say: 'how much does it cost?', expect: ['Which treatment'] }, { say: 'IPL', expect: ['IPL Photofacial is'] }],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'unknown question about the spa: no guessing, a note for staff',
    task: 'question',
    turns: [{ say: 'do you do tattoo removal?', expect: [/team|follow up/i] }],
    check(w) {
      nothingBooked(w);
      const a = w.alerts();
      assert.equal(a.length, 1);
      assert.equal(a[0]?.kind, 'question');
      assert.match(a[0]?.text ?? '', /tattoo/);
      assert.equal(a[0]?.phone, '+12035550188');
    },
  },
  {
    name: 'off-topic question: kind redirect, no staff note',
    task: 'other',
    turns: [{ say: "what's the weather going to be like tomorrow?", expect: [/book|treatments/i] }],
    check(w) {
      nothingBooked(w);
      noAlerts(w);
    },
  },
  {
    name: 'off-topic chatter three times: offers to take a message',
    task: 'other',
    turns: [{ say: 'tell me a joke' }, { say: 'who won the game last night' }, { say: 'blah blah', expect: [/message/i] }, { say: 'please ask Sophie to call me about my results' }],
    check(w) {
      nothingBooked(w);
      const a = w.alerts();
      assert.equal(a.length, 1);
      assert.equal(a[0]?.kind, 'message');
      assert.match(a[0]?.text ?? '', /results/);
    },
  },
  {
    name: 'urgent: vision change after filler -> 911 advice and an urgent alert',
    task: 'urgent',
    turns: [{ say: 'I got lip filler yesterday and now my vision is blurry', expect: ['911', /alerted/i] }],
    check(w) {
      nothingBooked(w);
      const a = w.alerts();
      assert.equal(a.length, 1);
      assert.equal(a[0]?.kind, 'urgent');
    },
  },
  {
    name: 'urgent: severe pain and white skin after filler',
    task: 'urgent',
    turns: [{ say: 'my cheek is in severe pain and the skin is turning white since my filler this morning', expect: ['911'] }],
    check(w) {
      assert.equal(w.alerts()[0]?.kind, 'urgent');
    },
  },
  {
    name: 'urgent: swollen lips after treatment',
    task: 'urgent',
    turns: [{ say: 'hi, my lips are really swollen after my treatment', expect: ['911'] }],
    check(w) {
      assert.equal(w.alerts()[0]?.kind, 'urgent');
    },
  },
  {
    name: 'a question about normal swelling is answered, not an emergency',
    task: 'question',
    turns: [{ say: 'is swelling normal after lip filler?', expect: [/swell/i] }],
    check(w) {
      noAlerts(w);
    },
  },
  {
    name: 'asks for a person by text: takes a message for staff',
    task: 'handoff',
    turns: [{ say: 'can I talk to a real person?', expect: [/tell them|pass/i] }, { say: 'I have a question about my invoice', expect: ['passed that on'] }],
    check(w) {
      nothingBooked(w);
      const a = w.alerts();
      assert.equal(a.length, 1);
      assert.equal(a[0]?.kind, 'message');
      assert.match(a[0]?.text ?? '', /invoice/);
    },
  },
  {
    name: 'after hours: asking for the front desk takes a message',
    task: 'handoff',
    now: '2026-11-30T21:30',
    transferTo: '201',
    turns: [{ say: 'front desk please' }, { say: 'please call me back about a membership' }],
    check(w) {
      assert.equal(w.alerts()[0]?.kind, 'message');
    },
  },
  {
    name: 'after hours: booking still works at night',
    task: 'book',
    now: '2026-11-30T23:15',
    turns: [{ say: 'book a chemical peel tomorrow at 10' }, { say: 'yes' }, { say: 'Nia Park' }, { say: 'yes', expect: ["You're booked"] }],
    check(w) {
      assert.equal(w.booked().length, 1);
    },
  },
  {
    name: 'silence three times ends the conversation politely',
    task: 'other',
    turns: [{ say: '' , expect: [/Still there/i] }, { say: '' }, { say: '', expect: [/Thanks/i] }],
    check(w) {
      assert.equal(w.done, true);
      const conv = w.web.receptionist.conversation(w.conversation);
      assert.equal(conv.done, true);
      assert.match(conv.summary, /no action/);
      nothingBooked(w);
    },
  },
  {
    name: 'silence in the middle of booking re-asks the question and the booking completes',
    task: 'book',
    turns: [{ say: 'chemical peel saturday at 10' }, { say: '', expect: [/Still there/i] }, { say: 'yes' }, { say: 'Liv Ames' }, { say: 'yes' }],
    check(w) {
      assert.equal(w.booked().length, 1);
    },
  },
  {
    name: 'greeting, thanks and goodbye: the conversation ends with a summary',
    task: 'other',
    turns: [{ say: 'hello', expect: [/help/i] }, { say: 'what are your hours' }, { say: "no that's all, thanks bye" }],
    check(w) {
      assert.equal(w.done, true);
      const conv = w.web.receptionist.conversation(w.conversation);
      assert.match(conv.summary, /opening hours/);
      nothingBooked(w);
    },
  },
  {
    name: 'summary of a booking names the client, the service and the appointment',
    task: 'book',
    turns: [{ say: 'chemical peel saturday at 10' }, { say: 'yes' }, { say: 'Kai Young' }, { say: 'yes' }, { say: 'no thanks, bye' }],
    check(w) {
      const conv = w.web.receptionist.conversation(w.conversation);
      assert.equal(conv.done, true);
      assert.match(conv.summary, /Kai Young/);
      assert.match(conv.summary, /booked Chemical Peel with Maya Chen/);
      assert.equal(w.booked().length, 1);
    },
  },
  {
    name: 'several questions in one turn are each answered, each looked up in its own words',
    task: 'question',
    turns: [
      // Worded apart from the corpus: a price and the way in, then the hours and parking.
      { say: 'how much is botox and where are you located', expect: [/\$13 per unit/, /Harbor View Drive/] },
      { say: 'what time do you open on saturday? oh and is there somewhere to park', expect: [/Saturdays from 9 to 4/, /free parking/] },
    ],
    check(w) {
      assert.equal(w.alerts().length, 0);
      nothingBooked(w);
    },
  },
  {
    name: 'which days a team member works is said from their hours in the calendar, not the team blurb or a note for staff',
    task: 'question',
    turns: [
      { say: 'which days does sophie see clients', expect: [/^Sophie usually works Tuesday from 10 AM until 7 PM, [^.]*Saturday from 9 AM until 3 PM\./] },
      { say: 'and is jordan ever in on weekends', expect: [/Jordan usually works Monday/] },
      { say: 'ok thanks, texting is fine: ya' },
    ],
    check(w) {
      assert.equal(w.alerts().length, 0);
      nothingBooked(w);
    },
  },
];
