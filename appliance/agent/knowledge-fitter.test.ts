// The knowledge classifier fitted in a worker thread: the same model as fitted in-thread, fitted once
// per content, and the event loop keeps turning while it is fitted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KnowledgeEntry, Service } from '../booking/types.js';
import { KnowledgeClassifier, questionFeatures, trainKnowledgeModel, type KnowledgeLexicon } from './knowledge-classifier.js';
import { ServiceMatcher } from './understand/services.js';

function service(id: string, name: string, aliases: string[], description: string): Service {
  return { id, name, aliases, category: 'skin', description, durationMin: 45, bufferBeforeMin: 0, bufferAfterMin: 0, priceCents: 10_000, priceText: '$100', depositCents: 0, consultFirst: false, active: true } as Service;
}

const services = [
  service('glow-peel', 'Glow Peel', ['peel'], 'A gentle acid peel that brightens dull skin.'),
  service('lash-lift', 'Lash Lift', ['lashes'], 'A perm for your natural lashes that lasts six weeks.'),
];

function entries(tag: string): KnowledgeEntry[] {
  return [
    { id: 'kb-deposit', topic: 'policy', title: 'Deposits', body: `A deposit of $50 holds any appointment (${tag}). It is refunded with 24 hours notice.`, tags: ['deposit', 'refund'], examples: ['do i have to pay a deposit', 'is the deposit refundable'] },
    { id: 'kb-parking', topic: 'location', title: 'Parking', body: 'Park free in the lot behind the building; the entrance is on Elm Street.', tags: ['parking', 'lot'], examples: ['where do i park', 'is there parking'] },
    { id: 'kb-gift', topic: 'payment', title: 'Gift cards', body: 'Gift cards are sold at the front desk and never expire.', tags: ['gift card', 'voucher'], examples: ['do you sell gift cards', 'do gift cards expire'] },
    { id: 'service:glow-peel', topic: 'service', title: 'Glow Peel', body: 'A gentle acid peel that brightens dull skin.', tags: ['Glow Peel', 'peel'], examples: ['what is glow peel', 'how does glow peel work'] },
    { id: 'service:lash-lift', topic: 'service', title: 'Lash Lift', body: 'A perm for your natural lashes.', tags: ['Lash Lift', 'lashes'], examples: ['what is lash lift', 'does lash lift hurt'] },
  ];
}

/** A knowledge base big enough that its fit takes a while: many entries with many examples. */
function bigEntries(tag: string): KnowledgeEntry[] {
  const words = ['parking', 'deposit', 'refund', 'voucher', 'aftercare', 'sauna', 'exercise', 'makeup'];
  return words.flatMap((w, i) =>
    Array.from({ length: 3 }, (_, j) => ({
      id: `kb-${w}-${j}`,
      topic: 'policy',
      title: `${w} rule ${j} ${tag}`,
      body: `Our ${w} policy number ${j} says one thing. Another sentence about ${w} and visit ${i}. A third about the ${w} fee.`,
      tags: [w, `${w} ${j}`],
      examples: Array.from({ length: 15 }, (_, k) => `question ${k} about ${w} rule ${j}, is ${words[(i + k) % words.length] ?? ''} ok`),
    })),
  );
}

const questions = ['is the deposit refundable if i cancel', 'where can i leave my car', 'what is a lash lift', 'can i buy a voucher for my mom', 'glow peel?'];

function lexicon(): KnowledgeLexicon {
  return { services: new ServiceMatcher(services), providers: [] };
}

test('the model fitted in the worker ranks every question with exactly the probabilities of the in-thread fit', async () => {
  const kb = entries('exact');
  const lex = lexicon();
  const fromWorker = await KnowledgeClassifier.fitOffThread(kb, services, lex);
  const inThread = trainKnowledgeModel(kb, lex);
  for (const q of questions) {
    const want = [...inThread.probabilities(questionFeatures(q, lex)).entries()].map(([id, p]) => ({ id, p })).sort((a, b) => b.p - a.p);
    assert.deepEqual(fromWorker.rank(q), want, q);
  }
  assert.equal(fromWorker.rank('where can i leave my car')[0]?.id, 'kb-parking');
});

test('the event loop keeps turning while the worker fits, and the same content is not fitted a second time', async () => {
  const kb = bigEntries('ticks');
  let ticks = 0;
  let running = true;
  const spin = (): void => {
    ticks++;
    if (running) setTimeout(spin, 1);
  };
  setTimeout(spin, 1);
  const first = await KnowledgeClassifier.fitOffThread(kb, services, lexicon());
  const during = ticks;
  running = false;
  assert.ok(during > 0, 'timer callbacks ran while the fit was under way');

  // The memoised model is handed back in microtasks: no worker round trip, so not one tick.
  let again = 0;
  setImmediate(() => again++);
  const second = await KnowledgeClassifier.fitOffThread(kb, services, lexicon());
  assert.equal(again, 0, 'answered from the memo without a worker round trip');
  assert.deepEqual(second.rank('question 3 about sauna rule 2'), first.rank('question 3 about sauna rule 2'));
});
