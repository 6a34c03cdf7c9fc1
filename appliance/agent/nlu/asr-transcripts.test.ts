import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test/helpers/spa.js';
import { demoSpa } from '../../booking/demo-spa.js';
import { intentCues, keepsMeaning, slotsHeard, transcriptLine } from './asr-labels.js';
import { parseCorpus, type CorpusUtterance } from './corpus.js';
import { ASR_DIR, corpusWorld, fittedOnHash, readSplit, readTraining, textKey } from './lab.js';

const world = corpusWorld();
const spa = demoSpa();
const vocab = { services: spa.services, providers: spa.providers };
const line = (text: string, slots: CorpusUtterance['slots'], after: CorpusUtterance['after'] = 'open'): CorpusUtterance => ({ text, intents: ['book'], after, slots, topics: [], source: 'x:1' });

test('a transcript keeps the slots whose words were heard, however the recogniser split them, and drops those whose words are gone', () => {
  const u = line('Can I book a HydraFacial with Sophie on Friday at 3pm?', { service: ['hydrafacial-signature', 'hydrafacial-deluxe'], provider: 'sophie-bennett', day: '2026-12-04', time: '15:00' });
  assert.deepEqual(slotsHeard(u, 'can i book a hydra facial with sophie on friday at three pm', vocab), u.slots);
  assert.deepEqual(slotsHeard(u, 'can i look at hydra facial with so the on friday at the', vocab), { service: u.slots.service, day: '2026-12-04' });
  assert.deepEqual(slotsHeard(u, 'can i', vocab), {});
});

test('a slot no word of which can be told apart (asap, a choice) stays with its line', () => {
  const u: CorpusUtterance = { ...line('the soonest you have', { asap: true }), intents: ['book'] };
  assert.deepEqual(slotsHeard(u, 'the sooner you half', vocab), { asap: true });
});

test('the cue words of an intent are words of several of its lines that the other intents seldom use', () => {
  const l = (text: string, intent: CorpusUtterance['intents'][number]): Pick<CorpusUtterance, 'text' | 'intents'> => ({ text, intents: [intent] });
  const services = ['botox', 'filler', 'peel', 'facial', 'laser', 'wax'];
  const lines = [
    ...services.map((s) => l(`how much is ${s}`, 'price')),
    ...services.map((s) => l(`is ${s} safe`, 'question')),
    ...services.map((s) => l(`can i book ${s}`, 'book')),
    l('what does a peel cost', 'price'),
  ];
  const cues = intentCues(lines);
  assert.deepEqual([...(cues.get('price') ?? [])].sort(), ['how', 'much']);
  assert.deepEqual([...(cues.get('question') ?? [])], ['safe']);
  assert.deepEqual([...(cues.get('book') ?? [])].sort(), ['book', 'can', 'i']);
  assert.ok(!cues.get('price')?.has('cost'), 'in one line only: no cue');
  assert.ok(![...cues.values()].some((c) => c.has('is')), 'said with two intents: no cue');
});

test('a transcript keeps the meaning of its line when most of the cue words of its intents are heard and not mostly other words; a line with no cue words, when most of its words are', () => {
  const cues = new Map([['price', new Set(['much', 'cost'])], ['question', new Set(['safe'])]]);
  const price: CorpusUtterance = { text: 'How much does a chemical peel cost?', intents: ['price'], after: 'open', slots: {}, topics: [], source: 'x:1' };
  assert.equal(keepsMeaning(price, 'plum much doesn\'t chemical peel past', cues), true, 'one cue of two and three words of seven');
  assert.equal(keepsMeaning(price, 'how many does a chemical peel cause', cues), false, 'no cue heard, though five words of seven are');
  assert.equal(keepsMeaning(price, 'much the plum of the tree is what i said', cues), false, 'a cue in mostly the recogniser\'s words');
  const hello: CorpusUtterance = { ...price, text: 'hello there my friend', intents: ['greeting'] };
  assert.equal(keepsMeaning(hello, 'hello there my fiend', cues), true);
  assert.equal(keepsMeaning(hello, 'hello bear my fiend', cues), false, 'no cue words: most words needed');
});

test('a transcript line keeps the intents, context and topics of the line it was heard from, says where it came from, and is null when nothing or too little was heard', () => {
  const cues = new Map([['question', new Set(['safe'])]]);
  const u: CorpusUtterance = { text: 'Is Botox safe for me?', intents: ['question'], after: 'service', slots: { service: ['botox'] }, topics: ['service:botox'], source: 'polite:3' };
  const t = transcriptLine(u, '  is both ox  safe for me ', 'asr:flite:slt:clean:polite:3', vocab, cues);
  assert.deepEqual(t, { text: 'is both ox safe for me', intents: ['question'], after: 'service', topics: ['service:botox'], from: 'asr:flite:slt:clean:polite:3' });
  // and it is a valid corpus line
  assert.equal(parseCorpus(JSON.stringify(t), 'asr', world.ids)[0]?.source, 'asr:flite:slt:clean:polite:3');
  assert.equal(transcriptLine(u, '   ', 'asr:x', vocab, cues), null);
  assert.equal(transcriptLine(u, 'is it good for me', 'asr:x', vocab, cues), null, 'the cue word is gone');
  assert.equal(transcriptLine(u, 'safe', 'asr:x', vocab, cues), null, 'one word of five');
  assert.deepEqual(transcriptLine(u, 'is botox safe or', 'asr:x', vocab, cues)?.slots, { service: ['botox'] }, 'three of five heard, the cue among them');
});

test('transcripts join training after the extra lines, never one whose text is in dev or test or already read, and change what the model is fitted on', () => {
  const dir = tempDir();
  try {
    const split = join(dir.path, 'split');
    const extra = join(dir.path, 'extra');
    const asr = join(dir.path, 'asr');
    for (const d of [split, extra, asr]) mkdirSync(d);
    const l = (text: string, intent: string): string => JSON.stringify({ text, intents: [intent] });
    writeFileSync(join(split, 'train.jsonl'), `${l('hello there', 'greeting')}\n`);
    writeFileSync(join(split, 'dev.jsonl'), `${l('bye now', 'goodbye')}\n`);
    writeFileSync(join(split, 'test.jsonl'), `${l('yes please', 'yes')}\n`);
    writeFileSync(join(extra, 'a.jsonl'), `${l('no thanks', 'no')}\n`);
    writeFileSync(join(asr, 'transcripts.jsonl'), [l('yes please', 'yes'), l('bye now', 'goodbye'), l('no thanks', 'no'), l('hello their', 'greeting'), l('Hello  their', 'greeting')].join('\n'));
    const without = fittedOnHash({ split, extra });
    assert.deepEqual(readTraining(world, { split, extra }).train.map((u) => u.text), ['hello there', 'no thanks']);
    const t = readTraining(world, { split, extra, asr });
    assert.deepEqual(t.train.map((u) => u.text), ['hello there', 'no thanks', 'hello their']);
    assert.equal(t.train[2]?.source, 'asr/transcripts:4');
    assert.equal(fittedOnHash({ split, extra, asr: null }), without);
    assert.notEqual(fittedOnHash({ split, extra, asr }), without, 'the transcripts change what the model is fitted on');
  } finally {
    dir.remove();
  }
});

test('the committed transcripts are labelled corpus lines heard by the recogniser, none of them a dev or test text', () => {
  const path = join(ASR_DIR, 'transcripts.jsonl');
  assert.ok(existsSync(path), 'test/nlu/asr/transcripts.jsonl: run npm run nlu -- asr-transcripts');
  const lines = parseCorpus(readFileSync(path, 'utf8'), 'asr/transcripts', world.ids);
  assert.ok(lines.length >= 100, `${lines.length} transcripts`);
  const split = readSplit(world);
  const heldOut = new Set([...split.dev, ...split.test].map(textKey));
  for (const u of lines) {
    assert.match(u.source, /^asr:(?:flite|espeak):/, `no voice named: ${u.text}`);
    assert.ok(!/:(?:flite:(?:rms|awb)|espeak:en-us\+(?:m3|f2)):/.test(u.source), `a test voice spoke it: ${u.source}`);
    assert.ok(!heldOut.has(textKey(u)), `a dev or test text: ${u.text}`);
    assert.match(u.text, /^[a-z' ]+$/, 'what a recogniser writes: lowercase words');
  }
  assert.equal(new Set(lines.map(textKey)).size, lines.length, 'a transcript twice');
  // Every one of them reaches training (none dropped as a duplicate of a written line).
  const train = readTraining(world).train.filter((u) => u.source.startsWith('asr:'));
  assert.ok(train.length >= lines.length * 0.9, `${train.length} of ${lines.length} transcripts reach training`);
});
