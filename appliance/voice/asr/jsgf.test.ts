import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGrammar, digitsGrammar, openGrammar, serviceAnswerGrammar, serviceGrammar, yesNoGrammar } from './grammars.js';
import { buildJsgf, digitsToWords, fitToDictionary, normalizeText, numberToWords, ordinalToWords, parseDictionary, splitCompound } from './jsgf.js';

const DICT = parseDictionary(
  ['a AH', 'how HH AW', 'much M AH CH', 'is IH Z', 'hydra HH AY D R AH', 'facial F EY SH AH L', 'botox B OW T AO K S',
    'yes Y EH S', 'no N OW', 'please P L IY Z', 'thanks TH AE NG K S', 'micro M AY K R OW', 'needling N IY D L IH NG',
    'lip L IH P', 'filler F IH L ER', "i'd AY D", 'two T UW', 'thirty TH ER D IY', "o'clock AH K L AA K", 'at AE T',
    'to T UW', 'to(2) T IH', 'hyd HH AY D', 'rafacial R AH'].join('\n'),
);

test('numbers become words: cardinals, hundreds, thousands, and digit strings read one by one', () => {
  assert.equal(numberToWords(0), 'zero');
  assert.equal(numberToWords(15), 'fifteen');
  assert.equal(numberToWords(40), 'forty');
  assert.equal(numberToWords(125), 'one hundred twenty five');
  assert.equal(numberToWords(2024), 'two thousand twenty four');
  assert.equal(digitsToWords('5550142'), 'five five five zero one four two');
  assert.equal(ordinalToWords(3), 'third');
  assert.equal(ordinalToWords(21), 'twenty first');
  assert.equal(ordinalToWords(40), 'fortieth');
});

test('normalizeText lowercases, spells out numbers, times and money, and removes punctuation but keeps inner apostrophes', () => {
  assert.equal(normalizeText("I'd like Botox, please!"), "i'd like botox please");
  assert.equal(normalizeText('At 2:30 or 3:00?'), "at two thirty or three o'clock");
  assert.equal(normalizeText('9:05'), 'nine oh five');
  assert.equal(normalizeText('on the 3rd'), 'on the third');
  assert.equal(normalizeText('It is $150 (20% off)'), 'it is one hundred fifty dollars twenty percent off');
  assert.equal(normalizeText('Call 5550142'), 'call five five five zero one four two');
  assert.equal(normalizeText('Lip-filler & ‘peel’'), 'lip filler and peel');
});

test('parseDictionary keeps head words once, without the (2) alternate-pronunciation markers', () => {
  assert.ok(DICT.has('to'));
  assert.ok(!DICT.has('to(2)'));
});

test('splitCompound splits an unknown word into dictionary words of at least three letters, preferring balanced parts', () => {
  assert.deepEqual(splitCompound('hydrafacial', DICT), ['hydra', 'facial']);
  assert.deepEqual(splitCompound('microneedling', DICT), ['micro', 'needling']);
  assert.equal(splitCompound('dysport', DICT), null);
  assert.equal(splitCompound('botox', DICT), null, 'a known word alone is not a compound');
});

test('fitToDictionary keeps known words, splits compounds and drops the rest while keeping the phrase', () => {
  assert.deepEqual(fitToDictionary('How much is a HydraFacial?', DICT), { words: ['how', 'much', 'is', 'a', 'hydra', 'facial'], dropped: [] });
  assert.deepEqual(fitToDictionary('Dysport please', DICT), { words: ['please'], dropped: ['dysport'] });
  assert.deepEqual(fitToDictionary("HydraFacial's", DICT).words, ['hydra', 'facial']);
});

test('a closed grammar allows exactly its phrases and nothing else', () => {
  const { jsgf } = buildJsgf({ phrases: ['Yes please', 'No thanks', 'yes'], closed: true }, { dictionary: DICT, vocabulary: ['botox'] });
  assert.equal(jsgf, '#JSGF V1.0;\ngrammar turn;\npublic <utterance> = <phrase>;\n<phrase> = yes please | no thanks | yes;\n');
});

test('an open grammar allows its phrases or any sequence of phrase words, slot words and the standing vocabulary', () => {
  const built = buildJsgf({ phrases: ['how much is a HydraFacial'], words: ['Dysport', 'lip filler'] }, { dictionary: DICT, vocabulary: ['Botox'] });
  assert.match(built.jsgf, /^public <utterance> = <phrase> \| <word>\+;$/m);
  assert.match(built.jsgf, /^<phrase> = how much is a hydra facial;$/m);
  assert.match(built.jsgf, /^<word> = a \| botox \| facial \| filler \| how \| hydra \| is \| lip \| much;$/m);
  assert.deepEqual(built.dropped, ['dysport']);
});

test('a grammar with no pronounceable word is refused with a typed invalid-input error', () => {
  assert.throws(() => buildJsgf({ phrases: ['Dysport'], closed: true }, { dictionary: DICT }), { code: 'SPA_ERR_INVALID_INPUT' });
  assert.throws(() => buildJsgf({}, { dictionary: DICT }), { code: 'SPA_ERR_INVALID_INPUT' });
});

test('grammar presets: yes/no and the answer to which of two services are closed, digits and services open, open speech carries the catalogue', () => {
  assert.equal(yesNoGrammar().closed, true);
  assert.ok(yesNoGrammar().phrases?.includes('yes please'));
  assert.ok(digitsGrammar().words?.includes('seven'));
  assert.equal(digitsGrammar().closed, undefined);
  assert.deepEqual(serviceGrammar(['Botox']).phrases, ['Botox']);
  const service = serviceAnswerGrammar([['Signature HydraFacial', 'hydrafacial', 'classic hydrafacial'], ['Deluxe HydraFacial', 'hydrafacial', 'hydrafacial with booster']]);
  assert.equal(service.closed, true);
  for (const p of ['signature hydrafacial', 'the deluxe hydrafacial', 'just the classic hydrafacial', 'hydrafacial with booster please', 'deluxe', 'the deluxe one', 'just the signature one', 'the booster one']) assert.ok(service.phrases?.includes(p), p);
  for (const p of ['hydrafacial', 'the hydrafacial', 'the hydrafacial one', 'with', 'the with one']) assert.ok(!service.phrases?.includes(p), `${p}: tells neither apart`);
  assert.ok(openGrammar({ catalogue: ['HydraFacial'] }).words?.includes('HydraFacial'));
});

test('a turn dictionary holds every pronunciation of exactly the words the grammar uses', async () => {
  const { turnDictionary } = await import('./pocketsphinx.js');
  const pron = new Map<string, string[]>([
    ['yes', ['yes Y EH S']],
    ['no', ['no N OW']],
    ['are', ['are AA R', 'are(2) ER']],
    ['unused', ['unused AH N Y UW Z D']],
  ]);
  const jsgf = '#JSGF V1.0;\ngrammar turn;\npublic <turn> = yes | no | <more>;\n<more> = are;\n';
  assert.equal(turnDictionary(jsgf, pron), 'yes Y EH S\nno N OW\nare AA R\nare(2) ER\n');
  assert.equal(turnDictionary('#JSGF V1.0;\ngrammar turn;\npublic <turn> = maybe;\n', pron), null, 'a word with no pronunciation: use the full dictionary');
});

test('a grammar with a count takes exactly that many of its words: a six-digit code is six digit words, no fewer, no more', () => {
  const dict = parseDictionary(['one W AH N', 'two T UW', 'three TH R IY', 'oh OW'].join('\n'));
  const { jsgf } = buildJsgf({ ...codeGrammar(6), constrained: true }, { dictionary: dict, orNothing: true });
  assert.match(jsgf, /^public <utterance> = <word> <word> <word> <word> <word> <word> \| <NULL>;$/m);
  assert.match(jsgf, /^<word> = oh \| one \| three \| two;$/m);
  assert.match(buildJsgf(digitsGrammar(), { dictionary: dict }).jsgf, /^public <utterance> = <word>\+;$/m, 'without a count: any number of digits');
});

test('a sequence holds its parts in order, optional parts in brackets, options the dictionary cannot say left out', () => {
  const dict = parseDictionary(['my M AY', 'name N EY M', 'is IH Z', 'jane JH EY N', 'john JH AA N', 'smith S M IH TH', 'brown B R AW N'].join('\n'));
  const built = buildJsgf({ phrases: [], sequence: [{ options: ['my name is', "it's"], optional: true }, { options: ['Jane', 'John', 'Zyx'] }, { options: ['smith', 'brown'], optional: true }], closed: true }, { dictionary: dict, vocabulary: ['botox'] });
  assert.match(built.jsgf, /^public <utterance> = \[<part0>\] <part1> \[<part2>\];$/m);
  assert.match(built.jsgf, /^<part0> = my name is;$/m);
  assert.match(built.jsgf, /^<part1> = jane \| john;$/m);
  assert.match(built.jsgf, /^<part2> = smith \| brown;$/m);
  assert.deepEqual(built.vocabulary, ['brown', 'is', 'jane', 'john', 'my', 'name', 'smith'], 'closed: no standing vocabulary; every word of the parts');
  assert.deepEqual(built.dropped, ["it's", 'zyx']);
  // A required part with nothing pronounceable leaves no sequence: only the phrases, else refused.
  const noFirst = { sequence: [{ options: ['Zyx'] }, { options: ['smith'], optional: true }], closed: true };
  assert.match(buildJsgf({ ...noFirst, phrases: ['jane'] }, { dictionary: dict }).jsgf, /^public <utterance> = <phrase>;$/m);
  assert.throws(() => buildJsgf(noFirst, { dictionary: dict }), { code: 'SPA_ERR_INVALID_INPUT' });
  // Beside the other alternatives and the garbage's "no answer".
  assert.match(buildJsgf({ phrases: ['jane'], sequence: [{ options: ['john'] }], closed: true }, { dictionary: dict, orNothing: true }).jsgf, /^public <utterance> = <phrase> \| <part0> \| <NULL>;$/m);
});
