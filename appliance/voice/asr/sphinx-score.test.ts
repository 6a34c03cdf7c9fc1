import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillerDictionary, garbageFor, GARBAGE_WORDS } from './garbage.js';
import { buildJsgf, parseDictionary } from './jsgf.js';
import { judge, parseBacktrace, scorePath, type PathScore, type RejectionRule } from './sphinx-score.js';

// Backtraces pocketsphinx_continuous (5prealpha, Debian's en-us model) wrote with -backtrace yes
// for a yes/no grammar without a garbage path: flite kal16 saying "yes please", and saying
// "um I'm not sure", which the grammar forced onto "no".
const SAID_YES_PLEASE = `INFO: fsg_search.c(870): fsg 0.03 wall 0.026 xRT
INFO: pocketsphinx.c(1168): yes please (-3254)
word                 start end   pprob ascr       lscr       lback
<sil>                0     19    1.000 -496       -337       1
yes                  20    57    1.000 -881       0          1
please               58    126   1.000 -1540      0          1
INFO: fsg_search.c(263): TOTAL fsg 0.02 CPU 0.015 xRT
`;
const SAID_NOT_SURE = `INFO: pocketsphinx.c(1168): no (-5972)
word                 start end   pprob ascr       lscr       lback
<sil>                0     21    1.000 -584       -337       1
no                   22    66    1.000 -2134      0          1
<sil>                67    106   1.000 -2580      -337       1
INFO: fsg_search.c(263): TOTAL fsg 0.02 CPU 0.016 xRT
`;

const rule: RejectionRule = { garbage: new Set(['um', 'uh', 'ah']), minWordsPerFrame: -35 };

test('parseBacktrace reads the best path of every segment from a decoder log, pronunciation variants folded', () => {
  const path = parseBacktrace(`${SAID_YES_PLEASE}INFO: noise\n${SAID_NOT_SURE.replace('no  ', 'no(2)')}`);
  assert.deepEqual(path.map((w) => w.word), ['<sil>', 'yes', 'please', '<sil>', 'no', '<sil>']);
  assert.deepEqual(path[1], { word: 'yes', startFrame: 20, endFrame: 57, ascr: -881 });
  assert.deepEqual(parseBacktrace('INFO: nothing here\n'), []);
});

// The same decoder with a grammar whose first part is optional ("[my name is] nancy taylor"),
// flite slt saying "nancy taylor": the path opens with a null transition.
const SAID_NANCY_TAYLOR = `word                 start end   pprob ascr       lscr       lback
(NULL)               -1    -1    1.000 0          0          1
<sil>                0     20    1.000 -364       -337       1
nancy                21    75    1.000 -576       0          1
taylor               76    139   1.000 -481       0          1
<sil>                140   147   1.000 -134       -337       1
INFO: fsg_search.c(263): TOTAL fsg 0.02 CPU 0.016 xRT
`;

test('parseBacktrace reads past the null transition a grammar with an optional part opens with, and a name so heard is believed', () => {
  const path = parseBacktrace(SAID_NANCY_TAYLOR);
  assert.deepEqual(path.map((w) => w.word), ['<sil>', 'nancy', 'taylor', '<sil>']);
  const score = scorePath(path);
  assert.equal(score.wordFrames, 55 + 64);
  assert.deepEqual(judge(['nancy', 'taylor'], score, { garbage: new Set(), minWordsPerFrame: -Infinity }), { rejected: false });
});

test('scorePath gives the words\' acoustic score per frame without the silences, and the whole path\'s with them', () => {
  const yes = scorePath(parseBacktrace(SAID_YES_PLEASE));
  assert.equal(yes.wordFrames, 38 + 69);
  assert.ok(Math.abs((yes.wordsPerFrame ?? 0) - (-881 - 1540) / 107) < 1e-9);
  assert.ok(Math.abs((yes.allPerFrame ?? 0) - (-496 - 881 - 1540) / 127) < 1e-9);
  assert.deepEqual(scorePath([]), { wordsPerFrame: null, allPerFrame: null, wordFrames: 0 });
});

test('judge believes a real "yes please" and rejects "um I\'m not sure" forced onto "no" by its poor fit', () => {
  const yes = scorePath(parseBacktrace(SAID_YES_PLEASE)); // -22.6 per frame
  const notSure = scorePath(parseBacktrace(SAID_NOT_SURE)); // -47.4 per frame
  assert.deepEqual(judge(['yes', 'please'], yes, rule), { rejected: false });
  assert.deepEqual(judge(['no'], notSure, rule), { rejected: true, why: 'poor-fit' });
});

test('judge rejects a hypothesis on the garbage path or with no words, whatever its score', () => {
  const good = { wordsPerFrame: -5, allPerFrame: -5, wordFrames: 50 };
  assert.deepEqual(judge(['um', 'ah'], good, rule), { rejected: true, why: 'out-of-grammar' });
  assert.deepEqual(judge(['yes', 'uh'], good, rule), { rejected: true, why: 'out-of-grammar' });
  assert.deepEqual(judge([], good, rule), { rejected: true, why: 'no-words' });
  assert.deepEqual(judge(['yes'], { wordsPerFrame: null, allPerFrame: -5, wordFrames: 0 }, rule), { rejected: true, why: 'poor-fit' });
  assert.deepEqual(judge(['yes'], { ...good, wordsPerFrame: -35 }, rule), { rejected: false }, 'the floor itself passes');
});

const PRON = new Map<string, string[]>([
  ['no', ['no N OW']], ['know', ['know N OW']], ['yes', ['yes Y EH S']], ['um', ['um AH M']], ['uh', ['uh AH']],
  ['it', ['it IH T']], ['the', ['the DH AH', 'the(2) DH IY']], ['a', ['a AH', 'a(2) EY']],
]);

test('garbageFor leaves out words the dictionary lacks, the turn\'s own words and words that sound like them', () => {
  const words = garbageFor(['no', 'yes', 'a'], new Map([...PRON, ['who', ['who HH UW']]]));
  assert.ok(!words.includes('a'), 'a word of the turn');
  assert.ok(!words.includes('uh'), "sounds like the turn's 'a' (AH)");
  assert.ok(words.includes('um') && words.includes('it') && words.includes('who'));
  assert.ok(words.every((w) => GARBAGE_WORDS.includes(w)));
  assert.ok(!GARBAGE_WORDS.includes('know') && !GARBAGE_WORDS.includes('yes') && !GARBAGE_WORDS.includes('no'), 'no answer word is garbage');
});

test('buildJsgf with orNothing also allows no answer at all, and word loops that cannot run into the other alternatives', () => {
  const dict = parseDictionary(['yes Y EH S', 'no N OW', 'please P L IY Z', 'one W AH N', 'two T UW'].join('\n'));
  const closed = buildJsgf({ phrases: ['yes', 'yes please', 'no'], closed: true }, { dictionary: dict, orNothing: true });
  assert.match(closed.jsgf, /public <utterance> = <phrase> \| <NULL>;/);
  assert.deepEqual(closed.vocabulary, ['no', 'please', 'yes']);
  const loop = buildJsgf({ words: ['one', 'two'] }, { dictionary: dict, orNothing: true });
  assert.match(loop.jsgf, /public <utterance> = <word> <word>\* \| <NULL>;/, 'no `+`: pocketsphinx loops it back to the start');
  const plain = buildJsgf({ phrases: ['yes', 'no'], closed: true }, { dictionary: dict });
  assert.doesNotMatch(plain.jsgf, /NULL/, 'an answer is required unless asked otherwise');
});

test('fillerDictionary keeps the model\'s fillers and adds each garbage word as ++word++ with its first pronunciation', () => {
  const out = fillerDictionary('<s> SIL\n</s> SIL\n[NOISE] +NSN+\n', ['um', 'the'], PRON);
  assert.equal(out, '<s> SIL\n</s> SIL\n[NOISE] +NSN+\n++um++ AH M\n++the++ DH AH\n');
});

test('judge holds a committing answer (a yes) to its stricter floor and the others to the loose one', () => {
  const rule: RejectionRule = { garbage: new Set(), minWordsPerFrame: -50, committing: { phrases: new Set(['yes', 'yes please']), minWordsPerFrame: -45 } };
  const at = (wordsPerFrame: number): PathScore => ({ wordsPerFrame, allPerFrame: wordsPerFrame, wordFrames: 30 });
  assert.deepEqual(judge(['yes', 'please'], at(-47), rule), { rejected: true, why: 'poor-fit' }, 'a yes between the floors');
  assert.deepEqual(judge(['no'], at(-47), rule), { rejected: false }, 'a no between the floors');
  assert.deepEqual(judge(['yes'], at(-44), rule), { rejected: false });
  assert.deepEqual(judge(['no'], at(-51), rule), { rejected: true, why: 'poor-fit' });
  const looser: RejectionRule = { ...rule, committing: { phrases: new Set(['yes']), minWordsPerFrame: -60 } };
  assert.deepEqual(judge(['yes'], at(-55), looser), { rejected: true, why: 'poor-fit' }, 'a committing floor never loosens the general one');
});
