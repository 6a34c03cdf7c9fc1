import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generalWords, tokens } from './knowledge-words.js';

test('synonyms and set phrases become one word: the gym, working out and hot yoga are all exercise; champagne is alcohol', () => {
  assert.deepEqual(tokens('can I hit the gym'), ['exercise']);
  assert.deepEqual(tokens('working out'), ['exercise']);
  assert.deepEqual(tokens('champagne'), ['alcohol']);
});

test('a baby is a pregnancy only on its way, and lifting is exercise only with weights', () => {
  assert.ok(tokens("we're trying for a baby").includes('pregnan'));
  assert.ok(!tokens('can I bring my baby').includes('pregnan'));
  assert.ok(!tokens('I take a baby aspirin').includes('pregnan'));
  assert.ok(tokens('lifting weights').includes('exercise'));
  assert.ok(!tokens('will cheek filler lift my face').includes('exercise'));
  assert.deepEqual(tokens('do you do thread lifts'), ['threadlift']);
});

test('a pronoun\'s contraction is no word: "I\'d" is not a photo ID, "I\'ll" not ill; "trained" is the team, not exercise', () => {
  assert.ok(!tokens("I'd like to give my friend a gift card").includes('id'));
  assert.ok(tokens('do I need to bring my ID').includes('id'));
  assert.ok(!tokens("I'll be there at 3").includes('ill'));
  assert.deepEqual(tokens('is the laser tech trained'), ['laser', 'tech', 'team']);
  assert.ok(!tokens('coming off the train from the city').includes('exercise'));
});

test('how long a team member has done the work is its own word, not their name or their treatments', () => {
  assert.deepEqual(tokens('how long has Sophie been injecting?'), ['tenure']);
  assert.ok(tokens('how many years has Maya been doing facials').includes('tenure'));
});

test('general words are the ones callers use across intents, not the topic of one kind of line', () => {
  const lines = [
    { text: 'hang on, my husband is calling', intents: ['inform'] },
    { text: 'can my husband book botox', intents: ['book'] },
    { text: 'my husband asks where you are', intents: ['location'] },
    { text: 'can I bring my ferret', intents: ['question'] },
    { text: 'is a ferret allowed inside', intents: ['question'] },
    { text: 'my ferret bites', intents: ['off-topic'] },
  ];
  const general = generalWords(lines);
  assert.ok(general.includes('husband'));
  assert.ok(!general.includes('ferret'), 'two intents are not enough');
});

test('skin concerns in everyday words become the words the treatments are described with; cancelling spelt any way is cancelling', () => {
  assert.deepEqual(tokens('freckles'), ['spot']);
  assert.deepEqual(tokens('pigmentation'), ['spot']);
  assert.deepEqual(tokens('wrinkles'), ['line']);
  assert.deepEqual(tokens('pimples'), ['acne']);
  assert.deepEqual(tokens('breakout'), ['acne']);
  assert.deepEqual(tokens('cancelation'), ['cancel']);
  assert.deepEqual(tokens('resched'), ['cancel']);
});
