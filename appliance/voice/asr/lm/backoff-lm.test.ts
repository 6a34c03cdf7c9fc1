import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { synthesizeFlite } from '../../flite.js';
import { PocketsphinxAsr } from '../pocketsphinx.js';
import { BackoffLm, BOS, EOS, packLm, parseArpa, sentenceLogProb, unpackLm, Vocabulary, writeArpa } from './backoff-lm.js';
import { pronunciationsOf } from './caller-lm-build.js';
import { estimateKneserNey } from './kneser-ney.js';

const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spa-lm-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('back-off: an unseen n-gram takes its context\'s back-off weight times the shorter history\'s probability', () => {
  const lm = new BackoffLm(2);
  const [a, b, c] = ['a', 'b', 'c'].map((w) => lm.vocab.id(w)) as [number, number, number];
  lm.set([a], Math.log10(0.5), Math.log10(0.4));
  lm.set([b], Math.log10(0.3));
  lm.set([c], Math.log10(0.2));
  lm.set([a, b], Math.log10(0.6));
  assert.ok(Math.abs(10 ** lm.logProb(['a'], 'b') - 0.6) < 1e-12);
  assert.ok(Math.abs(10 ** lm.logProb(['a'], 'c') - 0.4 * 0.2) < 1e-12);
  assert.ok(Math.abs(10 ** lm.logProb(['b'], 'c') - 0.2) < 1e-12, 'no back-off weight: 1');
  assert.equal(lm.logProb(['a'], 'z'), -Infinity);
  assert.throws(() => lm.set([c, a, b], 0), /order-2/);
  assert.throws(() => lm.set([lm.vocab.id('z'), c], 0), /without its prefix/);
});

test('ARPA text round-trips: the same n-grams, probabilities and back-off weights', () => {
  const lm = estimateKneserNey(['i would like botox', 'a peel please', 'i would like a peel'].map((s) => s.split(' ')), { order: 3 });
  const text = writeArpa(lm);
  assert.match(text, /^\\data\\\nngram 1=\d+\nngram 2=\d+\nngram 3=\d+\n/);
  const back = parseArpa(text);
  assert.deepEqual(back.counts(), lm.counts());
  for (const s of ['i would like a peel', 'botox please', 'a peel would like i']) {
    assert.ok(Math.abs(sentenceLogProb(back, s.split(' ')) - sentenceLogProb(lm, s.split(' '))) < 1e-4, s);
  }
  assert.throws(() => parseArpa('no data here'), /no \\data\\/);
  assert.throws(() => parseArpa(text.replace('ngram 1=', 'ngram 1=9')), /counts disagree/);
});

test('the packed form round-trips too, into another model\'s word numbering', () => {
  const lm = estimateKneserNey(['i would like botox', 'a peel please', 'i would like a peel'].map((s) => s.split(' ')), { order: 3 });
  const vocab = new Vocabulary();
  vocab.id('zebra'); // numbers already taken
  const back = unpackLm(JSON.parse(JSON.stringify(packLm(lm))) as ReturnType<typeof packLm>, vocab);
  assert.equal(back.vocab, vocab);
  assert.deepEqual(back.counts(), lm.counts());
  for (const s of ['i would like a peel', 'botox please']) assert.ok(Math.abs(sentenceLogProb(back, s.split(' ')) - sentenceLogProb(lm, s.split(' '))) < 1e-4, s);
});

test('pocketsphinx decodes a free turn with the language model it is given, and a free turn without one falls back to its phrases', async () => {
  const sentences = ['yes please', 'no thanks', 'yes thanks', 'no please'].map((s) => s.split(' '));
  const lm = estimateKneserNey(sentences, { order: 2 });
  const pronunciations = pronunciationsOf(await readFile(join(MODEL_DIR, 'cmudict-en-us.dict'), 'utf8'));
  await writeFile(join(dir, 'tiny.lm'), writeArpa(lm));
  await writeFile(join(dir, 'tiny.dict'), `${lm.words().filter((w) => w !== BOS && w !== EOS).flatMap((w) => pronunciations.get(w) ?? []).join('\n')}\n`);
  const noThanks = (await synthesizeFlite('No thanks', { voice: 'kal16' })).samples;
  const botox = (await synthesizeFlite('Botox please', { voice: 'kal16' })).samples;
  let files: { lm: string; dict: string; key: string } | null = { lm: join(dir, 'tiny.lm'), dict: join(dir, 'tiny.dict'), key: 'tiny' };
  const asr = new PocketsphinxAsr({ log: pino({ level: 'silent' }), config: { tmpDir: dir, warmDecoders: 0, languageModel: { current: () => files } } });
  const grammar = { phrases: ['botox please', 'no problem'], closed: true, free: true };
  try {
    const heard = await asr.recognize(noThanks, { grammar });
    assert.equal(heard.text, 'no thanks', 'words outside the phrase list, from the model');
    assert.notEqual(heard.confidence, null, 'a language-model decode reports word posteriors');
    assert.notEqual((await asr.recognize(botox, { grammar })).text, 'botox please', 'the model has no "botox"');
    files = null;
    assert.equal((await asr.recognize(botox, { grammar })).text, 'botox please', 'without a model, the phrase grammar');
  } finally {
    await asr.stop();
  }
});
