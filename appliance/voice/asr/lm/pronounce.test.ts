import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { pronunciationsOf } from './caller-lm-build.js';
import { dictionaryPronunciations, espeakIpa, ipaToCmu, pronounceMissing } from './pronounce.js';

/** The phones of pocketsphinx's en-us acoustic model (its dictionary's phone set). */
const CMU = new Set('AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' '));

test("espeak-ng's IPA maps to CMU phones, r-coloured vowels and affricates included", () => {
  assert.equal(ipaToCmu('dˈɪspoːɹt'), 'D IH S P AO R T');
  assert.equal(ipaToCmu('dʒˈuːvɪdˌɜːm'), 'JH UW V IH D ER M');
  assert.equal(ipaToCmu('lˌuːmiˈɛɹ'), 'L UW M IY EH R');
  assert.equal(ipaToCmu('vˈɛnmoʊ'), 'V EH N M OW');
  assert.equal(ipaToCmu('tʃˈiːz'), 'CH IY Z');
  assert.equal(ipaToCmu('d☃g'), null, 'an unknown symbol: no guess');
});

test('compounds of dictionary words and vowel-less letter runs are pronounced from the dictionary', () => {
  const dict = new Map([
    ['hydra', ['hydra HH AY D R AH']],
    ['facial', ['facial F EY SH AH L']],
    ['p', ['p P IY']],
    ['r', ['r AA R']],
    ['botox', ['botox B OW T AA K S', 'botox(2) B OW T AO K S']],
  ]);
  assert.deepEqual(dictionaryPronunciations('hydrafacial', dict), ['HH AY D R AH F EY SH AH L']);
  assert.deepEqual(dictionaryPronunciations('prp', dict), ['P IY AA R P IY']);
  assert.deepEqual(dictionaryPronunciations('botox', dict), ['B OW T AA K S', 'B OW T AO K S'], 'a known word keeps its own lines');
  assert.deepEqual(dictionaryPronunciations('zzz', dict), []);
});

test('catalogue words missing from the CMU dictionary get dictionary lines in its phone set, the compound first', async () => {
  const dict = pronunciationsOf(await readFile('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict', 'utf8'));
  const { lines, unpronounceable } = await pronounceMissing(['dysport', 'hydrafacial', 'lumiere', 'botox', 'prp'], dict);
  assert.deepEqual(unpronounceable, []);
  assert.equal(lines.has('botox'), false, 'words the dictionary has are not redone');
  for (const [word, entries] of lines) {
    entries.forEach((line, i) => {
      const [head, ...phones] = line.split(' ');
      assert.equal(head, i === 0 ? word : `${word}(${i + 1})`);
      assert.ok(phones.length > 1 && phones.every((p) => CMU.has(p)), line);
    });
  }
  assert.equal(lines.get('hydrafacial')?.[0], 'hydrafacial HH AY D R AH F EY SH AH L');
  assert.ok((lines.get('dysport') ?? []).some((l) => l.startsWith('dysport D IH S P')), String(lines.get('dysport')));
  const noEspeak = await pronounceMissing(['dysport'], dict, () => Promise.resolve(new Map()));
  assert.deepEqual(noEspeak.unpronounceable, ['dysport'], 'without espeak-ng a word nothing else covers is listed, not guessed');
});

test('espeakIpa with a program that exits without reading its input gives no pronunciations and no uncaught EPIPE', async () => {
  // Far more than a pipe holds, to a program that never reads it: the write fails with EPIPE.
  const words = Array.from({ length: 50_000 }, (_, i) => `word${i}`);
  const got = await espeakIpa(words, { binary: '/bin/false' });
  assert.equal(got.size, 0);
});
