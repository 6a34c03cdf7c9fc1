import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KnowledgeEntry, Service } from '../booking/types.js';
import { demoSpa } from '../booking/demo-spa.js';
import generalWordList from './general-words.json' with { type: 'json' };
import { KnowledgeIndex } from './knowledge.js';
import { ServiceMatcher } from './understand/services.js';

// A small knowledge base of a made-up spa (not the demo spa), so these tests show the mechanism,
// not the demo's wording.
const entries: KnowledgeEntry[] = [
  {
    id: 'kb-exercise',
    topic: 'aftercare',
    title: 'Exercise after a peel',
    body: 'Please avoid strenuous exercise and saunas for 48 hours after a peel. Gentle walks are fine.',
    tags: ['exercise', 'sauna', 'aftercare'],
    examples: ['can i exercise after my peel', 'is a sauna ok after the peel', 'when can i go running again'],
  },
  {
    id: 'kb-deposit',
    topic: 'policy',
    title: 'Deposits',
    body: 'A deposit of $50 holds any appointment and is taken off the price of the visit. It is refunded with 24 hours notice.',
    tags: ['deposit', 'refund', 'hold'],
    examples: ['do i have to pay a deposit', 'is the deposit refundable', 'how much is the deposit to hold a spot'],
  },
  {
    id: 'kb-parking',
    topic: 'location',
    title: 'Parking',
    body: 'Park free in the lot behind the building; the entrance is on Elm Street.',
    tags: ['parking', 'lot', 'entrance'],
    examples: ['where do i park', 'is there parking', 'how do i find the entrance'],
  },
  {
    id: 'kb-gift',
    topic: 'payment',
    title: 'Gift cards',
    body: 'Gift cards are sold at the front desk and online, in any amount, and never expire.',
    tags: ['gift card', 'voucher'],
    examples: ['do you sell gift cards', 'can i buy a voucher for my mom', 'do gift cards expire'],
  },
];

function service(id: string, name: string, aliases: string[], description: string): Service {
  return {
    id,
    name,
    aliases,
    category: 'skin',
    description,
    durationMin: 45,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    priceCents: 10_000,
    priceText: '$100',
    depositCents: 0,
    consultFirst: false,
    active: true,
  } as Service;
}

const services = [
  service('glow-peel', 'Glow Peel', ['peel'], 'A gentle acid peel that brightens dull skin.'),
  service('oxygen-facial', 'Oxygen Facial', ['oxygen'], 'A facial that sprays oxygen-infused serum onto the skin.'),
  service('lash-lift', 'Lash Lift', ['lashes'], 'A perm for your natural lashes that lasts six weeks.'),
];

const index = new KnowledgeIndex(entries, services);

test('a question worded unlike any example question still finds the entry that answers it (synonyms, shared words)', () => {
  assert.equal(index.answer('am I allowed to hit the gym the day after the glow peel?')?.entry.id, 'kb-exercise');
  assert.equal(index.answer('will I have to pay anything up front to hold my appointment?')?.entry.id, 'kb-deposit');
  assert.equal(index.answer('where can I leave my car')?.entry.id, 'kb-parking');
});

test('a question that names a treatment but asks about a policy is answered by the policy, not the treatment', () => {
  assert.equal(index.answer('is there a deposit for the oxygen facial?')?.entry.id, 'kb-deposit');
  assert.equal(index.answer('can I pay for a lash lift with a gift card')?.entry.id, 'kb-gift');
});

test('an entry about one treatment is not read out for a question about another, however sure the classifier is', () => {
  // "Exercise after a peel" says nothing about a lash lift or the oxygen facial: a note for staff.
  assert.equal(index.answer('can i exercise after my lash lift'), null);
  assert.equal(index.answer('can i go running after the oxygen facial'), null);
  assert.equal(index.answer('when can i go running again after the glow peel')?.entry.id, 'kb-exercise');
});

test('with the entry about another treatment set aside, the entry about the treatment asked about answers, however sure the classifier was of the other', () => {
  const lashCare: KnowledgeEntry = {
    id: 'kb-lash-care',
    topic: 'aftercare',
    title: 'After a lash lift',
    body: 'Keep your lashes dry for 24 hours: no steam, no swimming, no sweaty workouts and no mascara.',
    tags: ['lash lift', 'aftercare', 'wet', 'mascara'],
    examples: ['can i wear mascara after my lash lift', 'can my lashes get wet after the lift'],
  };
  const withLashCare = new KnowledgeIndex([...entries, lashCare], services);
  // The classifier reads both as the peel's exercise entry (its examples are about exercise and
  // saunas); of what can answer a question about a lash lift, the lash aftercare holds nearly all.
  assert.equal(withLashCare.answer('can i exercise after my lash lift')?.entry.id, 'kb-lash-care');
  assert.equal(withLashCare.answer('is a sauna ok after my lash lift')?.entry.id, 'kb-lash-care');
  // No entry about the oxygen facial: still a note for staff.
  assert.equal(withLashCare.answer('can i go running after the oxygen facial'), null);
});

test('"what is <treatment>" is answered with that treatment\'s description, for every treatment alike', () => {
  assert.equal(index.answer('what is a lash lift')?.entry.id, 'service:lash-lift');
  assert.equal(index.answer('what does the oxygen facial actually do?')?.entry.id, 'service:oxygen-facial');
  assert.equal(index.answer('tell me about the glow peel')?.entry.id, 'service:glow-peel');
});

test('a question nothing in the knowledge base answers gets no answer rather than the nearest entry', () => {
  assert.equal(index.answer('do you do tattoo removal'), null);
  assert.equal(index.answer('what is the capital of peru'), null);
});

test('a topic restriction answers with the best entry of that topic', () => {
  assert.equal(index.answer('how do I get there', { topics: ['location'] })?.entry.id, 'kb-parking');
  assert.equal(index.answer('anything', { topics: ['no-such-topic'] }), null);
});

test('an entry added with only a title, tags and text (no example questions yet) can answer', () => {
  const withLoyalty = new KnowledgeIndex(
    [...entries, { id: 'kb-loyalty', topic: 'policy', title: 'Loyalty card', body: 'Every visit earns a stamp; the tenth facial is free.', tags: ['loyalty', 'card', 'stamp'] }],
    services,
  );
  assert.equal(withLoyalty.answer('do you have a loyalty card?')?.entry.id, 'kb-loyalty');
});

test('a question about a named team member that the team entry does not state is left for staff; what it does state is answered', () => {
  const team: KnowledgeEntry = {
    id: 'kb-team',
    topic: 'general',
    title: 'Our team',
    body: 'Priya Shah is our registered nurse and does all injections. Tomas Berg is our aesthetician for peels and facials.',
    tags: ['team', 'staff', 'nurse', 'aesthetician'],
    examples: ['who does the injections', 'is priya a nurse', 'who are your staff', 'what does tomas do', 'is tomas an aesthetician', 'who will do my facial', 'is the injector a nurse'],
  };
  const people = [
    { id: 'priya', name: 'Priya Shah', title: 'RN', hours: [], breaks: [], active: true },
    { id: 'tomas', name: 'Tomas Berg', title: 'Aesthetician', hours: [], breaks: [], active: true },
  ];
  const withTeam = new KnowledgeIndex([...entries, team], services, { services: new ServiceMatcher(services), providers: people });
  assert.equal(withTeam.answer('is priya a nurse?')?.entry.id, 'kb-team');
  assert.equal(withTeam.answer('what does tomas do there? Thanks, Gwendolyn')?.entry.id, 'kb-team');
  assert.equal(withTeam.answer('what does tomas do there? Regards, Gwen Harper')?.entry.id, 'kb-team');
  // The entry says who they are, not these: a wrong answer is worse than a follow-up.
  assert.equal(withTeam.answer('does tomas speak portuguese'), null);
  assert.equal(withTeam.answer('is priya certified in kybella'), null);
});

test('a question about a topic no entry, service or team member mentions, in words callers do not use for everything, is left for staff', () => {
  const spa = demoSpa();
  const lex = { services: new ServiceMatcher(spa.services), providers: spa.providers };
  const waitlist = 'do you have a waitlist in case something opens up earlier';
  const female = 'can I request a female provider for my brazilian laser';
  const demo = new KnowledgeIndex(spa.knowledge, spa.services, lex);
  assert.equal(demo.answer(waitlist), null);
  assert.equal(demo.answer(female), null);
  // The same questions, were "waitlist" and "female" words callers use whatever they ask: the
  // nearest entries (the hours, the team) would be read out. The topic word is what leaves them.
  const lenient = new KnowledgeIndex(spa.knowledge, spa.services, lex, new Set([...generalWordList, 'waitlist', 'female']));
  assert.equal(lenient.answer(waitlist)?.entry.id, 'hours');
  assert.equal(lenient.answer(female)?.entry.id, 'our-team');
  // A misspelt word the knowledge base does use is no unknown topic.
  assert.deepEqual(demo.unfamiliarTopics('can i go to the jim after botox'), []);
  assert.deepEqual(demo.unfamiliarTopics('is there a restroom'), ['restroom']);
});

test('in a short question, a long word a letter or two off a known one is a slip, not an unknown topic; a short one still counts', () => {
  const spa = demoSpa();
  const demo = new KnowledgeIndex(spa.knowledge, spa.services, { services: new ServiceMatcher(spa.services), providers: spa.providers });
  // "saturdy", "balanse": typed or heard a letter off; the classifier's entry is the answer.
  assert.equal(demo.answer('saturdy hours')?.entry.id, 'hours');
  assert.equal(demo.answer('giftcard balanse')?.entry.id, 'gift-cards');
  // Four letters a letter off another word ("male" ~ "sale") are still what is asked about.
  assert.equal(demo.answer('any male providers'), null);
});

test('a service description answers only what it says: "does it hurt?" only when it speaks of numbing', () => {
  const withNumbing = [...services, service('micro-pen', 'Micro Pen', ['micro pen'], 'Tiny needles stimulate collagen, with a numbing cream first for comfort.')];
  const numbed = new KnowledgeIndex(entries, withNumbing);
  assert.equal(numbed.answer('does the micro pen hurt?')?.entry.id, 'service:micro-pen');
  // The glow peel's description says nothing of pain: a note for staff, not what a peel is.
  assert.equal(numbed.answer('does the glow peel hurt?'), null);
  assert.equal(numbed.answer('what does the glow peel do?')?.entry.id, 'service:glow-peel');
});

test('a side effect of a named treatment is answered by its description when that speaks of it and the entries preferred do not', () => {
  const spa = demoSpa();
  const demo = new KnowledgeIndex(spa.knowledge, spa.services);
  // Lip filler is given "with a numbing cream first"; the classifier prefers the good-faith exam
  // ("first") and the filler aftercare, neither of which speaks of pain.
  assert.equal(demo.answer('do you numb my lips first for the filler')?.entry.id, 'service:lip-filler');
  assert.equal(demo.answer('will microneedling hurt a lot')?.entry.id, 'service:microneedling');
  // Named by none, the treatment the conversation is about.
  assert.equal(demo.consult('do you numb it first'), null);
  const about = demo.consult('do you numb it first', { about: ['lip-filler'] });
  assert.equal(about && 'hit' in about ? about.hit.entry.id : null, 'service:lip-filler');
  // Laser hair removal's description says nothing of pain: still a note for staff.
  assert.equal(demo.answer('does laser hair removal hurt'), null);
  // Pain after the treatment is aftercare or a warning sign, never what the treatment is.
  assert.notEqual(demo.answer('is it normal to be in pain after lip filler')?.entry.id, 'service:lip-filler');
});

test('an entry whose subject the question never names is no answer unless the classifier is fairly sure: skincare products are not gift cards', () => {
  const spa = demoSpa();
  const demo = new KnowledgeIndex(spa.knowledge, spa.services);
  // The gift cards' text says they buy "any treatment or skincare product"; the question is about products.
  assert.equal(demo.answer('Do you sell the skincare products, like serum for take home?'), null);
  assert.equal(demo.answer('do you sell skincare products'), null);
  assert.equal(demo.answer('do you guys sell gift cards')?.entry.id, 'gift-cards');
  assert.equal(demo.answer('can I use a gift card for skincare products')?.entry.id, 'gift-cards');
});

test('a category word said of a treatment named by name is about that treatment: "what is IPL, is it a laser?"', () => {
  const spa = demoSpa();
  const demo = new KnowledgeIndex(spa.knowledge, spa.services);
  assert.equal(demo.answer('what is IPL, is it a laser?')?.entry.id, 'service:ipl-photofacial');
});

test('a question torn between two entries names the two, and a reply picks one by its words or its place', () => {
  const spa = demoSpa();
  const demo = new KnowledgeIndex(spa.knowledge, spa.services);
  const torn = (q: string): KnowledgeEntry[] | null => {
    const found = demo.consult(q);
    return found && 'torn' in found ? found.torn : null;
  };
  const asked = 'can I drink before or after my botox';
  assert.equal(demo.answer(asked), null);
  const pair = torn(asked);
  assert.deepEqual(pair?.map((e) => e.id).sort(), ['botox-aftercare', 'injectables-preparation']);
  const offered = pair ?? [];
  assert.equal(demo.picked('after', offered)?.id, 'botox-aftercare');
  assert.equal(demo.picked('before, when I prepare', offered)?.id, 'injectables-preparation');
  assert.equal(demo.picked('the second one', offered)?.id, offered[1]?.id);
  assert.equal(demo.picked('neither really', offered), null);
  // Answered outright, or about nothing the knowledge base holds: nothing to ask.
  assert.equal(torn('what are your hours'), null);
  assert.equal(torn('do you do tattoo removal'), null);
});

test('an entry the question could not be answered by is no rival: "what is a hydrafacial?" is not held back by "what is a good faith exam"', () => {
  const spa = demoSpa();
  const demo = new KnowledgeIndex(spa.knowledge, spa.services);
  // The classifier's second class is the good-faith exam (its example "what is a good faith exam"
  // shares "what is a"), close enough to the descriptions to block them as a rival; but the
  // question says no word of its subject, so it could not be the answer either.
  assert.match(demo.answer('what is a hydrafacial')?.entry.id ?? '', /^service:hydrafacial-/);
  // A rival that could answer still holds an answer back.
  assert.equal(demo.answer('can I drink before or after my botox'), null);
  assert.equal(demo.answer('what is a good faith exam')?.entry.id, 'good-faith-exam');
});
