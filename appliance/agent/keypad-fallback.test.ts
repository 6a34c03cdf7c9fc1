// Speech the recogniser rejects on a constrained turn, through the real receptionist: it is never
// an answer, the question comes again, after two rejections in a row it offers the keypad (one on
// a narrowband call), and keys work at any time. Words heard but not understood count too; the
// questions with no numbered answer offer short menus whose keys stand for the caller's words. A
// key at the greeting starts the keypad menus. Fake recogniser, fake time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testReceptionist } from '../../test/helpers/agent.js';
import { at, openTestSpa, type TestSpa } from '../../test/helpers/spa.js';
import { createLogger } from '../log.js';
import { callerExpectations } from '../voice/asr/caller-grammars.js';
import { codeGrammar } from '../voice/asr/grammars.js';
import { CallLog } from '../telephony/call-log.js';
import type { Asr, AsrGrammar, AsrRecognizeOptions, AsrResult } from '../voice/asr/types.js';
import { ToneTts, energyVad, frames, silence, startSession, word, type Running } from '../voice/turn-taking.fixture.js';
import type { TurnRecord } from '../voice/turn-taking.js';
import { KEYPAD_AFTER_REJECTIONS, KEYPAD_AFTER_REJECTIONS_NARROWBAND, VoiceAgent } from './voice-agent.js';

const silent = createLogger({ level: 'silent' });
const YES_NO_KEYS = 'Or press 1 for yes, 2 for no.';

/** A recogniser that answers each caller turn with the next scripted result, whatever was said. */
class ScriptedAsr implements Asr {
  readonly name = 'scripted';
  readonly capabilities = { streaming: false, grammar: true, sampleRate: 16000 as const };
  /** The grammar of each turn recognised. */
  readonly grammars: (AsrGrammar | undefined)[] = [];
  constructor(private readonly results: Omit<AsrResult, 'elapsedMs'>[]) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  recognize(_audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    this.grammars.push(opts.grammar);
    return Promise.resolve({ ...(this.results.shift() ?? { text: '', confidence: null }), elapsedMs: 1 });
  }
}

const heard = (text: string): Omit<AsrResult, 'elapsedMs'> => ({ text, confidence: null });
const rejected = (guess: string): Omit<AsrResult, 'elapsedMs'> => ({ text: guess, confidence: null, rejected: true });

async function call(
  spa: TestSpa,
  results: Omit<AsrResult, 'elapsedMs'>[],
  codec?: string,
  transferTo?: string,
  setup?: (r: ReturnType<typeof testReceptionist>) => void,
): Promise<Running & { turns: TurnRecord[]; asr: ScriptedAsr }> {
  // The call log's row for the fake call (id 1), as the call manager makes it.
  const caller = { phone: '+12035550188', raw: '', displayName: '', source: 'From' as const, withheld: false };
  new CallLog({ db: spa.db }).invited({ sipCallId: 'c1', caller, called: 'spa', sourceAddress: '127.0.0.1', at: spa.clock.now() });
  const receptionist = testReceptionist(spa, transferTo ? { transferTo } : {});
  // The knowledge model is fitted in a worker, in real time: before the call runs on fake time.
  await receptionist.refresh();
  setup?.(receptionist);
  const turns: TurnRecord[] = [];
  const asr = new ScriptedAsr(results);
  const s = startSession({
    vad: energyVad,
    asr,
    tts: new ToneTts(),
    agent: () => new VoiceAgent({ receptionist, expectation: callerExpectations(() => spa.catalogue.services().map((x) => x.name)), log: silent }),
    onTurn: (_id, t) => turns.push(t),
  }, spa.clock, codec);
  return Object.assign(s, { turns, asr });
}

/** The caller says something (the scripted recogniser decides what was heard) and waits for the reply. */
async function say(c: Running & { turns: TurnRecord[] }): Promise<string> {
  const before = c.turns.length;
  await c.media.feedSilenceUntil(() => c.media.results.length >= c.turns.length, 'the box is done talking');
  await c.media.feed([...word('botox', 400), ...frames(30, silence)]);
  await c.media.feedSilenceUntil(() => c.turns.length > before, 'the reply');
  return c.turns.at(-1)?.reply ?? '';
}

async function press(c: Running & { turns: TurnRecord[] }, digit: string): Promise<string> {
  const before = c.turns.length;
  c.media.emit('dtmf', digit);
  await c.media.feedSilenceUntil(() => c.turns.length > before, 'the reply to the key');
  return c.turns.at(-1)?.reply ?? '';
}

test('speech rejected on a yes/no question is never taken for an answer: the question again, and after two rejections in a row the keypad is offered', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard('what are your hours'), rejected('yes'), rejected('yes'), rejected('no')]);
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    const anythingElse = await say(c);
    assert.match(anythingElse, /anything else/i, 'the hours, then a yes/no question');
    const first = await say(c);
    assert.match(first, /^Sorry, I didn't catch that\. .*anything else/i, 'a rejected "yes" is not a yes: the question again');
    assert.ok(!first.includes(YES_NO_KEYS), 'no keypad after one rejection');
    const second = await say(c);
    assert.equal(KEYPAD_AFTER_REJECTIONS, 2);
    assert.ok(second.endsWith(YES_NO_KEYS), `the keypad after two: ${second}`);
    assert.equal(second.split("Sorry, I didn't catch that.").length, 2, `one apology, not one per rejection: ${second}`);
    assert.equal(c.turns[2]?.input.kind === 'speech' && c.turns[2].input.rejected, true, 'the dialog was told the turn was not understood');
    const key = await press(c, '1');
    assert.ok(key.startsWith('Sure, what can I help with? You can also use your keypad. For a booking, press 1.'), `1 is yes, and a caller who uses keys is offered them from then on: ${key}`);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('a turn heard after a rejection resets the count: the keypad is offered only after two rejections in a row', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard('what are your hours'), rejected('no'), heard('where are you located'), rejected('yes')]);
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    await say(c);
    assert.match(await say(c), /didn't catch that/);
    assert.match(await say(c), /anything else/i);
    const again = await say(c);
    assert.match(again, /didn't catch that/);
    assert.ok(!again.includes(YES_NO_KEYS), again);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('keys work on a spoken call at any time: 2 answers a yes/no question with no before any speech was rejected', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard('what are your hours')]);
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    await say(c);
    const reply = await press(c, '2');
    assert.match(reply, /Thank you for calling/, `2 is no to "anything else?": goodbye (${reply})`);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('a key pressed at the greeting starts the keypad menus, and the next key chooses from them', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, []);
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    const menu = await press(c, '5');
    assert.match(menu, /To book an appointment, press 1\. For our hours and address, press 2\./);
    const hours = await press(c, '2');
    assert.match(hours, /open|hours|address/i, hours);
    assert.doesNotMatch(hours, /didn't catch/);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

/** The key the reply gives for an option matching `label` ("For Chemical Peel, press 2."). */
function keyFor(reply: string, label: RegExp): string {
  const m = new RegExp(`For (?:${label.source})[^.]*?, press (\\d)\\.`).exec(reply);
  assert.ok(m?.[1], `no option ${label.source} in: ${reply}`);
  return m[1];
}

test('on a narrowband call one rejected answer is enough to offer the keypad', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard('what are your hours'), rejected('yes')], 'PCMU');
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    await say(c);
    const again = await say(c);
    assert.equal(KEYPAD_AFTER_REJECTIONS_NARROWBAND, 1);
    assert.ok(again.endsWith(YES_NO_KEYS), again);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('a narrowband call\'s greeting gives the front desk\'s key at once, and 0 there hands the call to staff; a wideband greeting does not', async () => {
  for (const codec of ['PCMU', undefined]) {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const c = await call(spa, [], codec, '201');
      await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
      const greeting = c.turns[0]?.reply ?? '';
      if (!codec) {
        assert.ok(greeting.endsWith('How can I help you today?'), greeting);
      } else {
        assert.ok(greeting.endsWith('How can I help you today? For the front desk, press 0.'), greeting);
        assert.match(await press(c, '0'), /front desk/i);
        await c.media.feedSilenceUntil(() => c.call.transfers === 1, 'the transfer');
      }
      await c.hangUp();
    } finally {
      spa.close();
    }
  }
});

test('words heard but not understood count like rejected ones: after two, "how can I help" offers a short menu whose keys stand for the caller\'s words', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard('banana keyboard umbrella'), heard('banana keyboard umbrella')]);
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    const first = await say(c);
    assert.doesNotMatch(first, /keypad/, first);
    const second = await say(c);
    assert.match(second, /You can also use your keypad\. For a booking, press 1\. .*For the front desk, press 0\.$/, second);
    const info = await press(c, keyFor(second, /our hours/));
    assert.match(info, /^For our hours, press 1\. For our address, press 2\. For prices, press 3\.$/, 'a shorter menu under the key');
    const hours = await press(c, '1');
    assert.match(hours, /Saturday/i, `the hours, as if asked: ${hours}`);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('a narrowband caller whose treatment is misheard books by keys through kind (a few at a time), treatment and day, turns down the offered day by key, and can still speak after', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard("i'd like to book an appointment"), heard('banana keyboard umbrella'), heard('the first one')], 'PCMA');
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    assert.doesNotMatch(await say(c), /keypad/, 'no keys before anything failed');
    const which = await say(c);
    assert.match(which, /Which treatment.*You can also use your keypad\./, which);
    assert.ok(which.endsWith('For more treatments, press 8. For something else, press star.'), 'more kinds, and a way out of the treatment menu');
    assert.ok((which.match(/, press /g) ?? []).length <= 5, `a short menu: ${which}`);
    const more = await press(c, '8');
    assert.match(more, /^For [^.]+, press 1\..*For something else, press star\.$/, more);
    const treatments = await press(c, keyFor(more, /[^.]*Chemical Peel/));
    const day = await press(c, keyFor(treatments, /Chemical Peel/));
    assert.match(day, /What day and time work best for your Chemical Peel\?.*For our earliest times, press 9\./, `keys once used are offered with each question: ${day}`);
    const times = await press(c, keyFor(day, /Wednesday/));
    assert.match(times, /Wednesday/, times);
    assert.match(times, /Or press 1 for the first time, 2 for the second\. For another day, press 8\.$/, times);
    const days = await press(c, '8');
    assert.match(days, /^For today, press 1\. For Tuesday, press 2\./, `"no, another day" by key: ${days}`);
    const tuesday = await press(c, keyFor(days, /Tuesday/));
    assert.match(tuesday, /^Tomorrow I have .*Or press 1 for the first time/, `Tuesday is tomorrow: ${tuesday}`);
    const name = await say(c);
    assert.match(name, /name/i, `speech still answers after keys: ${name}`);
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test("pound alone answers the code question: none came, so the day is asked", async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: '+12035550199', name: 'Olivia Grant' }, source: 'staff' });
    const texts: string[] = [];
    const c = await call(spa, [heard('i need to cancel my appointment'), heard('olivia grant')], undefined, undefined, (r) => {
      r.useTexts((_phone, body) => texts.push(body) > 0);
    });
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    await say(c);
    assert.match(await say(c), /I've just texted it a six-digit code\. Please type it on your keypad, or press pound if no code came\.$/);
    assert.match(await press(c, '#'), /^No problem\. Then what day is the appointment on\?/);
    assert.deepEqual(texts, [], 'the calling number is not on file: nothing was texted');
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('a code read out is heard as exactly six digit words, the length of the codes the box texts', async () => {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const c = await call(spa, [heard('i need to cancel my appointment'), heard('olivia grant'), heard('one two three four five six')], undefined, undefined, (r) => {
      r.useTexts(() => true);
    });
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    await say(c);
    assert.match(await say(c), /six-digit code/);
    assert.match(await say(c), /that code doesn't match/);
    assert.deepEqual(c.asr.grammars.at(-1), { ...codeGrammar(6), constrained: true });
    await c.hangUp();
  } finally {
    spa.close();
  }
});

test('the answer to an offer of times is heard with those times in its grammar ("ten o\'clock"), as the box said them', async () => {
  const spa = openTestSpa();
  try {
    const c = await call(spa, [heard('i would like a chemical peel on friday'), heard('the first one')]);
    await c.media.feedSilenceUntil(() => c.turns.length === 1, 'the greeting');
    const offer = await say(c);
    // "The closest I have are Thursday at noon or Saturday at eleven forty five." (Friday is full.)
    const said = /I have (?:are )?(\w+) at ([a-z ]+) or (\w+) at ([a-z ]+)\./i.exec(offer);
    assert.ok(said, offer);
    await say(c);
    const phrases = c.asr.grammars.at(-1)?.phrases ?? [];
    for (const [day, time] of [[said[1], said[2]], [said[3], said[4]]]) {
      for (const p of [`at ${time ?? ''}`, `${(day ?? '').toLowerCase()} at ${time ?? ''}`]) assert.ok(phrases.includes(p), `${p} in ${phrases.join('|')}`);
    }
    assert.ok(phrases.includes('the first one'));
    assert.ok(!(c.asr.grammars[0]?.phrases ?? []).includes(`at ${said[2] ?? ''}`), 'not in the open turn before it');
    await c.hangUp();
  } finally {
    spa.close();
  }
});
