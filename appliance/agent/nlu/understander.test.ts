// The learned understanding's own rules around the model: what overrides its pick and when not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusWorld } from './lab.js';
import { NluModel } from './model.js';
import { understandLearned } from './understander.js';

const world = corpusWorld();
const model = NluModel.load();
const intentOf = (text: string): string | undefined => understandLearned(text, world.context({ after: 'open' }), model).nlu?.intents[0];

test('a ride to the spa ("what do I tell my lyft driver") is directions; a ride ordered elsewhere is off-topic', () => {
  assert.equal(intentOf('my lyft driver wants the exact street number, what is it'), 'location');
  assert.equal(intentOf('I will come in a cab, which entrance do I use'), 'location');
  assert.equal(intentOf('can you get me a taxi to the airport'), 'off-topic');
});

test('"do you stock ..." asks about the spa\'s shelf; the stock market is off-topic', () => {
  assert.notEqual(intentOf('do you stock that vitamin c serum you use'), 'off-topic');
  assert.equal(intentOf('any hot stock tips for me'), 'off-topic');
});

// Kinds of caller the intent probe found misread, each in words of no training or probe line.
test('directions asked by a landmark nearby are a location question', () => {
  assert.equal(intentOf('is the spa close to the hardware store on elm'), 'location');
});

test('a caller who will not come "after all" and asks to remove the visit is cancelling, not moving it', () => {
  assert.equal(intentOf("i won't be coming to my laser after all, please remove it"), 'cancel');
});

test('a visit moved by the office without a call is a complaint', () => {
  assert.equal(intentOf('your office moved my visit to a different day and never called me'), 'complaint');
});

test('a request joined to a question ("..., and also can I move my appt") is read besides it; one inside the question ("if I move it") is not', () => {
  const intents = (text: string): string[] => understandLearned(text, world.context({ after: 'open' }), model).intents;
  assert.deepEqual(intents('whats your cancellation policy and also can I move my appt'), ['question', 'reschedule']);
  assert.deepEqual(intents('how much is the deposit, and can I book a peel for friday'), ['question', 'book']);
  assert.ok(!intents('whats your cancellation policy if I need to move my appointment').includes('reschedule'));
  assert.ok(!intents('do I lose my deposit if I cancel').includes('cancel'));
});

test('several questions in one turn are each kept, with the words that ask each; one question in two parts is one', () => {
  const read = (text: string) => understandLearned(text, world.context({ after: 'open' }), model);
  const both = read('how much does microneedling run, and where do I park');
  assert.deepEqual([...both.intents].sort(), ['location', 'price']);
  assert.deepEqual(both.asks?.map((a) => [a.intent, a.text]), [
    ['price', 'how much does microneedling run'],
    ['location', 'where do I park'],
  ]);
  // One question, however long: no parts.
  assert.equal(read('what are your hours on saturday').asks, undefined);
  assert.equal(read('how much is a peel? like roughly').asks, undefined);
});

test('a request with a question joined to it keeps both, in either order', () => {
  const read = (text: string) => understandLearned(text, world.context({ after: 'open' }), model);
  const cancel = read('so I have to cancel my facial, is there a fee for that');
  assert.equal(cancel.intents[0], 'cancel');
  assert.ok(cancel.intents.includes('question'));
  assert.deepEqual(cancel.asks?.map((a) => a.text), ['is there a fee for that']);
  const move = read('could I change my appointment time? and where are you located exactly');
  assert.ok(move.intents.includes('reschedule') && move.intents.includes('location'));
  // A request alone has no questions to keep.
  assert.equal(read('I need to cancel my appointment on friday').asks, undefined);
});
