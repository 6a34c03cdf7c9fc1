// Urgent symptoms are recognised whatever the wording and whatever the receptionist had just asked:
// every urgent line of the corpus's held-out test split is a test of its own, in every dialog state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTEXTS } from './corpus.js';
import { corpusWorld, readSplit } from './lab.js';
import { NluModel } from './model.js';
import { understandLearned } from './understander.js';
import { urgentByLexicon } from './urgent.js';

const world = corpusWorld();
const model = NluModel.load();
const split = readSplit(world);

for (const u of split.test.filter((x) => x.intents.includes('urgent'))) {
  test(`urgent in every dialog state: "${u.text}"`, () => {
    for (const after of CONTEXTS) {
      const got = understandLearned(u.text, world.context({ after }), model);
      assert.equal(got.intents[0], 'urgent', `after "${after}" it was read as ${got.intents.join('+') || 'nothing'}`);
    }
  });
}

test('the lexicon escalates complications reported as happening now, in everyday words', () => {
  for (const t of [
    'the spot where she injected has gone kind of grey and blotchy',
    "i can't breathe very well and my tongue feels thick",
    'since this morning my vision in one eye is blurry',
    'my cheek is hot and there is pus coming out',
    'after the laser i have blisters all over my legs',
    'my eyelid is drooping since the botox on monday',
    'my lips swelled up huge and it is getting worse',
    'does it hurt this much for everyone? my lip has been throbbing since yesterday',
    'will it hurt this badly for long? my lip is still throbbing two days after filler',
    'there is a hard bump in my lip that really hurts',
  ]) {
    assert.equal(urgentByLexicon(t), true, t);
  }
});

test('the lexicon leaves general questions and mild expected effects to the knowledge base', () => {
  for (const t of [
    'is bruising normal after filler?',
    'how long does swelling usually last after lips',
    'what are the warning signs after filler',
    'my forehead is a little sore where the needle went in',
    'do you take blue cross insurance',
    'i have a small bump where they injected, slight',
    'does microneedling hurt a lot? I am really scared of needles',
    'will it hurt very much the first time',
    'what counts as an emergency after filler? asking before I book',
    'can you bump my filler up to an earlier day, really want it before the party',
  ]) {
    assert.equal(urgentByLexicon(t), false, t);
  }
});

test('a colour in a misheard name is no symptom ("my name is gray this hill")', () => {
  assert.equal(urgentByLexicon('my name is gray this hill'), false);
  assert.equal(urgentByLexicon('the name is rose white'), false);
});

test('a worry before a visit is a question, not an emergency; the same worry after a treatment escalates', () => {
  for (const text of [
    'will my lips be swollen for the wedding on saturday',
    'is my lip going to swell a lot',
    'how swollen will my lips be after filler',
    'i have a cold sore, should i move my filler',
    'i have a rash from a new cream, can i still get a facial',
    'i have a black tie event saturday, can i get a facial before',
  ]) {
    assert.equal(urgentByLexicon(text), false, text);
    const got = understandLearned(text, world.context({ after: 'open' }), model);
    assert.ok(!got.intents.includes('urgent'), `${text}: ${got.intents.join('+')}`);
  }
  for (const text of [
    'i had filler yesterday and my lip is so swollen, will it stay like this',
    'will my lip stay this swollen, it really hurts since yesterday',
    'my lip is really swollen since the filler, should i cancel my next appointment',
    'is it going to get better? my cheek went white after the filler',
    'can i still come in today, my lip has been throbbing since the injection',
  ]) {
    assert.equal(urgentByLexicon(text), true, text);
  }
});

test('nerves about a treatment not yet had ("nervous about the pain") are no emergency; a worry about a sign the caller has still escalates', () => {
  for (const text of [
    'hi im interested in getting my lips done but im nervous about the pain',
    'i want lip filler but i am worried about swelling',
    "i'm scared it will hurt",
    'considering botox but scared of needles',
    'thinking of a chemical peel, how much downtime, im worried about the side effects',
  ]) {
    assert.equal(urgentByLexicon(text), false, text);
    const got = understandLearned(text, world.context({ after: 'open' }), model);
    assert.ok(!got.intents.includes('urgent'), `${text}: ${got.intents.join('+')}`);
  }
  for (const text of [
    'im worried about the swelling in my lip',
    "i'm worried about the swelling",
    'i had filler and im nervous about the pain, it keeps getting worse',
    'im thinking about getting it checked, my lip really hurts',
    'considering coming in, my cheek went white after the filler',
  ]) {
    assert.equal(urgentByLexicon(text), true, text);
  }
});

test('a caller whose surname is a colour ("it\'s Sarah White") is named, not escalated; a colour that is a sign still is', () => {
  for (const [text, after, name] of [
    ["it's Sarah White", 'name', 'Sarah White'],
    ['this is Karen White', 'name', 'Karen White'],
    ["yeah it's emily gray", 'name', 'Emily Gray'],
    ['its mary grey', 'name', 'Mary Grey'],
    ["it's Jane Black", 'name', 'Jane Black'],
    ['white ross', 'name', 'White Ross'],
    ["Hi, this is Karen White, I'd like to book a facial", 'open', 'Karen White'],
  ] as const) {
    const got = understandLearned(text, world.context({ after }), model);
    assert.ok(!got.intents.includes('urgent'), `${text}: ${got.intents.join('+')}`);
    assert.equal(got.name, name, text);
  }
  for (const [text, after] of [
    ["it's turning white", 'name'],
    ["it's white and it really hurts", 'name'],
    ["it's gone blue since this morning", 'name'],
    ["it's lips gone grey", 'name'],
    ["it's pale blue", 'name'],
    ['white and swollen', 'name'],
    ['this is Karen White, my lip looks white since yesterday', 'open'],
    ["it's Sarah White and my lip went white after the filler", 'name'],
    ['this is Jane Black, my cheek is turning dark and really hurts', 'open'],
  ] as const) {
    assert.equal(understandLearned(text, world.context({ after }), model).intents[0], 'urgent', text);
  }
});

test('an emergency that is not medical is a reason to move a visit, not a complication; a medical one still escalates', () => {
  for (const [text, intent] of [
    ['need to cancel sorry, family emergency', 'cancel'],
    ['i have a work emergency, can we move my botox to next week', 'reschedule'],
    ['babysitter emergency, I have to cancel today', 'cancel'],
  ] as const) {
    assert.equal(urgentByLexicon(text), false, text);
    const got = understandLearned(text, world.context({ after: 'open' }), model);
    assert.equal(got.intents[0], intent, `${text}: ${got.intents.join('+')}`);
    assert.ok(!got.intents.includes('urgent'), `${text}: ${got.intents.join('+')}`);
  }
  for (const text of ['this is an emergency, my lip is white', "it's an emergency", 'family emergency and my lip went white after filler']) {
    assert.equal(understandLearned(text, world.context({ after: 'open' }), model).intents[0], 'urgent', text);
  }
});

test('numbing as something the spa does ("do you numb my lips first") is a question; numbness the caller has still escalates', () => {
  for (const text of ['do you numb my lips first for the filler', 'will they numb my face before microneedling', 'do u numb my lips', 'is numbing cream used on my lips']) {
    const got = understandLearned(text, world.context({ after: 'open' }), model);
    assert.ok(!got.intents.includes('urgent'), `${text}: ${got.intents.join('+')}`);
  }
  for (const text of ['my lip is still numb since the filler yesterday', 'do you know why my face is numb after the filler', 'my face is numb and droopy since the injection']) {
    assert.equal(understandLearned(text, world.context({ after: 'open' }), model).intents[0], 'urgent', text);
  }
});
