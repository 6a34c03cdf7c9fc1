import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALLER_PHRASES, callerExpectation, nameGrammar, offeredTimePhrases, type CallerExpects } from './caller-grammars.js';
import { codeGrammar, dayTimeGrammar, digitsGrammar, yesNoGrammar } from './grammars.js';

const ALL: CallerExpects[] = ['open', 'yes-no', 'when', 'service', 'choice', 'name', 'digits', 'menu'];
const catalogue = (): string[] => ['botox', 'hydrafacial', 'chemical peel'];

test('what the dialog expects sets the end-of-turn wait: quick for yes/no, patient for digits, open for the rest', () => {
  assert.deepEqual(
    ALL.map((e) => callerExpectation(e, catalogue).kind),
    ['open', 'yes-no', 'open', 'open', 'open', 'open', 'digits', 'open'],
  );
});

test('yes/no is the closed yes/no grammar and digits the digit words; "when" is days and times plus "as soon as possible" and corrections', () => {
  assert.deepEqual(callerExpectation('yes-no', catalogue).grammar, { ...yesNoGrammar(), constrained: true });
  assert.deepEqual(callerExpectation('digits', catalogue).grammar, { ...digitsGrammar(), constrained: true });
  assert.deepEqual(callerExpectation('menu', catalogue).grammar, { ...digitsGrammar(), constrained: true }, 'a menu key said as a digit');
  const when = callerExpectation('when', catalogue).grammar;
  assert.deepEqual(when?.phrases?.slice(0, dayTimeGrammar().phrases?.length), dayTimeGrammar().phrases);
  assert.deepEqual(when?.phrases?.slice(dayTimeGrammar().phrases?.length), ['as soon as possible', 'next week', 'the first available', 'no wednesday', 'actually thursday']);
  assert.deepEqual(when?.words?.slice(dayTimeGrammar().words?.length), ['no', 'actually', 'instead', 'soon', 'possible', 'as', 'earliest']);
});

test('the spa\'s catalogue is in the service and open grammars, with the callers\' phrases in the open one; a name is a first name then a last name', () => {
  const service = callerExpectation('service', catalogue).grammar;
  assert.deepEqual(service?.phrases, catalogue());
  const open = callerExpectation('open', catalogue).grammar;
  assert.deepEqual(open?.phrases, CALLER_PHRASES);
  for (const w of catalogue()) assert.ok(open?.words?.includes(w), w);
  const name = callerExpectation('name', catalogue).grammar;
  assert.deepEqual(name, nameGrammar());
  assert.equal(name?.closed, true);
  assert.equal(name?.words, undefined, 'no loop of name words in any order and number');
  const [lead, first, last] = name?.sequence ?? [];
  assert.equal(name?.sequence?.length, 3);
  assert.ok(lead?.optional && lead.options.includes('my name is'));
  assert.ok(!first?.optional && first?.options.includes('olivia') && !first.options.includes('smith'));
  assert.ok(last?.optional && last.options.includes('smith') && !last.options.includes('olivia'));
  assert.ok(callerExpectation('choice', catalogue).grammar?.phrases?.includes('the earlier one'));
});

test('the catalogue is read only for the turns whose grammar or retry grammar holds it (service, open; yes/no and choice through their retry)', () => {
  const asked: CallerExpects[] = [];
  for (const e of ALL) callerExpectation(e, () => (asked.push(e), catalogue()));
  assert.deepEqual([...new Set(asked)], ['open', 'yes-no', 'service', 'choice']);
});

test('a rejected yes/no, check or choice is decoded again as an open turn (a question or correction said there); the other turns have no retry', () => {
  assert.deepEqual(
    ALL.map((e) => callerExpectation(e, catalogue).retry?.free === true),
    ALL.map((e) => e === 'yes-no' || e === 'choice'),
  );
  assert.equal(callerExpectation('check', catalogue).retry?.free, true);
  assert.deepEqual(callerExpectation('yes-no', catalogue).retry, callerExpectation('open', catalogue).grammar);
});

test('open questions and the answers to "when?" and "which treatment?" are free (decoded with a language model when the recogniser has one); yes/no, choices, names and digits keep their grammars', () => {
  assert.deepEqual(
    ALL.map((e) => callerExpectation(e, catalogue).grammar?.free === true),
    [true, false, true, true, false, false, false, false],
  );
});

test('the constrained turns (yes/no, a choice, digits, a menu key) ask the recogniser to reject what fits none of their answers; free turns and the name do not', () => {
  assert.deepEqual(
    ALL.map((e) => callerExpectation(e, catalogue).grammar?.constrained === true),
    [false, true, false, false, true, false, true, true],
  );
});

test('a check ("Was that Botox?") is closed and quick like yes/no: natural confirmations commit under the check\'s own floor, a no may name the right day or treatment', () => {
  const e = callerExpectation('check', catalogue);
  assert.equal(e.kind, 'yes-no');
  const g = e.grammar;
  assert.equal(g?.closed, true);
  assert.equal(g?.constrained, true);
  assert.equal(g?.check, true);
  for (const yes of ['correct', 'yes', 'yeah', "that's right", 'yep']) assert.ok(g?.committing?.includes(yes), yes);
  for (const answer of ['no', 'no thursday', 'no botox', 'actually chemical peel']) {
    assert.ok(g?.phrases?.includes(answer), answer);
    assert.ok(!g?.committing?.includes(answer), `${answer} commits nothing`);
  }
  assert.ok(!g?.phrases?.includes('nope'), 'no "nope": a short "no" would be heard as it');
  assert.equal(callerExpectation('yes-no', catalogue).grammar?.check, undefined, "a booking's yes keeps the strict floor");
});

test('a choice of times takes the times offered as callers name them, beside "the first one"; without offers it is the plain list', () => {
  const friday = [{ time: 'ten' }, { time: 'six fifteen' }];
  assert.deepEqual(offeredTimePhrases(friday), [
    'ten', 'at ten', 'ten please', 'the ten', 'ten works', "ten o'clock", "ten o'clock please", "at ten o'clock",
    'six fifteen', 'at six fifteen', 'six fifteen please', 'the six fifteen', 'six fifteen works',
  ]);
  assert.deepEqual(offeredTimePhrases([{ time: 'noon', day: 'thursday' }]), [
    'noon', 'at noon', 'noon please', 'the noon', 'noon works', 'thursday', 'thursday at noon', 'thursday please', 'the thursday one',
  ], 'offers on several days: the day names one; no "noon o\'clock"');
  const plain = callerExpectation('choice', catalogue).grammar;
  const offered = callerExpectation('choice', catalogue, { times: friday }).grammar;
  assert.ok(plain?.closed && offered?.closed && offered.constrained);
  assert.deepEqual(offered?.phrases, [...(plain?.phrases ?? []), ...offeredTimePhrases(friday)]);
  assert.ok(plain?.phrases?.includes('the first one') && !plain.phrases.includes("ten o'clock"));
});

test('"which of these two treatments?" is a closed list of what tells the offered apart, rejecting other speech, which is heard again as an open turn', () => {
  const offered = { services: [['Signature HydraFacial', 'hydrafacial'], ['Deluxe HydraFacial', 'hydrafacial']] };
  const e = callerExpectation('service', catalogue, offered);
  assert.equal(e.grammar?.closed, true);
  assert.equal(e.grammar?.constrained, true);
  assert.equal(e.grammar?.free, undefined);
  for (const p of ['the deluxe hydrafacial', 'just the signature one', 'deluxe']) assert.ok(e.grammar?.phrases?.includes(p), p);
  assert.ok(!e.grammar?.phrases?.includes('hydrafacial'), 'what both are called answers nothing');
  assert.deepEqual(e.retry, callerExpectation('open', catalogue).grammar);
  assert.deepEqual(callerExpectation('service', catalogue, { services: [] }), callerExpectation('service', catalogue), 'nothing offered: the free service turn');
});

test('a texted code is heard as exactly its digits when the question says how many, else as any digits; its wait is a number\'s', () => {
  assert.deepEqual(callerExpectation('code', catalogue, { digits: 6 }), { kind: 'digits', grammar: { ...codeGrammar(6), constrained: true } });
  assert.deepEqual(callerExpectation('code', catalogue), { kind: 'digits', grammar: { ...digitsGrammar(), constrained: true } });
});
