import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoSpa } from '../../../booking/demo-spa.js';
import { expandTemplate, generateCallerCorpus, type CallerDomain } from './caller-corpus.js';
import { callerDomainOf } from './caller-lm.js';
import { CALLER_SENTENCES_PATH, callerSentenceSources, makeCallerSentences, NLU_DIR, type CallerSentencesFile } from './caller-sentences.js';
import { FRAMES } from './caller-templates.js';
import { spokenWords } from './spoken.js';

const domain = (): CallerDomain => callerDomainOf(demoSpa());

test('spoken words: lowercase, accents folded, texting shorthand, times, money and dates as a recogniser would write them', () => {
  assert.deepEqual(spokenWords('Can I come in tmrw at 2:30pm for Botox?').join(' '), 'can i come in tomorrow at two thirty pm for botox');
  assert.equal(spokenWords('Lumière Med Spa').join(' '), 'lumiere med spa');
  assert.equal(spokenWords('is $150 ok 2day, w/ Sophie on the 3rd?').join(' '), 'is one hundred fifty dollars okay today with sophie on the third');
  assert.equal(spokenWords('r u open thurs 10am').join(' '), 'are you open thursday ten am');
  assert.deepEqual(spokenWords('  ...  '), []);
});

test('templates: [a|b] picks one, (a|b) is optional, {slot} is filled; nesting works', () => {
  const always = (v: number) => () => v;
  const slot = (name: string): string => `<${name}>`;
  assert.equal(expandTemplate('[hi|hello] there', always(0), slot), 'hi there');
  assert.equal(expandTemplate('[hi|hello] there', always(0.99), slot), 'hello there');
  assert.equal(expandTemplate('i (really) want {svc}', always(0.2), slot), 'i really want <svc>', 'optional kept when the draw is under a half');
  assert.equal(expandTemplate('i (really) want {svc}', always(0.7), slot), 'i want <svc>', 'and left out above it');
  assert.equal(expandTemplate('[book [me|us]|get] {when}', always(0), slot), 'book me <when>');
  for (const f of FRAMES) assert.doesNotThrow(() => expandTemplate(f.text, Math.random, slot), f.text);
});

test('the corpus names every service (name and aliases) and provider of the catalogue, as spoken words', () => {
  const corpus = generateCallerCorpus(domain(), { sentences: 20_000, seed: 1 }).map((s) => ` ${s.join(' ')} `);
  const text = corpus.join('\n');
  for (const s of domain().services) {
    for (const name of [s.name, ...s.aliases]) assert.ok(text.includes(` ${spokenWords(name).join(' ')} `), name);
  }
  for (const p of domain().providers) assert.ok(text.includes(` ${spokenWords(p.name).join(' ')} `), p.name);
  assert.ok(corpus.every((s) => /^[a-z' ]+$/.test(s)), 'only lowercase words');
});

test('the same catalogue and seed give the same corpus; a new service appears in it', () => {
  const a = generateCallerCorpus(domain(), { sentences: 500, seed: 7 });
  const b = generateCallerCorpus(domain(), { sentences: 500, seed: 7 });
  assert.deepEqual(a, b);
  const more = domain();
  more.services.push({ name: 'Kybella', aliases: ['double chin injections'] });
  const text = generateCallerCorpus(more, { sentences: 5000, seed: 7 }).map((s) => s.join(' ')).join('\n');
  assert.match(text, /\bkybella\b/);
  assert.match(text, /\bdouble chin injections\b/);
});

test('knowledge examples and written sentences are added as spoken words, `repeat` times each', () => {
  const d = domain();
  d.knowledge = [{ title: 'Parking', examples: ['Where do I park?'] }];
  const corpus = generateCallerCorpus(d, { sentences: 0, seed: 1, extraTexts: ['Is there a 2pm slot?'], repeat: 3 }).map((s) => s.join(' '));
  assert.deepEqual(corpus, ['where do i park', 'where do i park', 'where do i park', 'is there a two pm slot', 'is there a two pm slot', 'is there a two pm slot']);
});

test('caller-sentences.json is the training split as spoken words, up to date, and holds no dev or test sentence', () => {
  const committed = JSON.parse(readFileSync(CALLER_SENTENCES_PATH, 'utf8')) as CallerSentencesFile;
  const fresh = makeCallerSentences(callerSentenceSources());
  assert.equal(committed.madeFrom, fresh.madeFrom, 'the corpus changed: run npm run lm -- sentences');
  assert.deepEqual(committed.sentences, fresh.sentences);
  const heldOut = new Set(
    ['dev', 'test'].flatMap((s) =>
      readFileSync(join(NLU_DIR, 'split', `${s}.jsonl`), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => spokenWords((JSON.parse(l) as { text: string }).text).join(' ')),
    ),
  );
  assert.ok(committed.sentences.length > 1000);
  assert.deepEqual(committed.sentences.filter((s) => heldOut.has(s)), []);
});

test('nameFrameWeight scales the "my name is" templates: 0 leaves them out, the default keeps the corpus as it was', () => {
  const names = (s: string[][]): number => s.filter((w) => w.join(' ').includes('my name is')).length;
  const base = generateCallerCorpus(domain(), { sentences: 5000, seed: 3 });
  assert.deepEqual(generateCallerCorpus(domain(), { sentences: 5000, seed: 3, nameFrameWeight: 1 }), base);
  assert.ok(names(base) > 5, 'the templates give names');
  assert.equal(names(generateCallerCorpus(domain(), { sentences: 5000, seed: 3, nameFrameWeight: 0 })), 0);
  assert.ok(names(generateCallerCorpus(domain(), { sentences: 5000, seed: 3, nameFrameWeight: 3 })) > 2 * names(base));
});
