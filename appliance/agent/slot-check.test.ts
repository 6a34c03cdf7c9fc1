// Repair on calls: a critical slot heard with low word confidence is checked in one short yes/no
// question before it is used, a no drops it and a correction replaces it, never the same slot twice;
// text turns (no word confidences) are never checked; corrections during the choose and confirm
// steps replace the slot in text and on calls alike. The caller lines here are worded apart from
// the understanding's rules.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { at, openTestSpa, type TestSpa } from '../../test/helpers/spa.js';
import { testReceptionist } from '../../test/helpers/agent.js';
import type { Receptionist } from './receptionist.js';
import type { HeardWord } from './slot-confidence.js';
import { phraseConfidence, slotConfidence, whenWords } from './slot-confidence.js';
import type { Understanding } from './types.js';

/** The words of `text` as the recogniser would give them: those in `doubtful` barely heard. */
function heard(text: string, doubtful: readonly string[] = []): HeardWord[] {
  return text.split(' ').map((word) => ({ word, confidence: doubtful.includes(word) ? 0.05 : 0.97 }));
}

async function onCall(fn: (say: (text: string, doubtful?: readonly string[]) => Promise<{ reply: string; expect: string }>, spa: TestSpa) => Promise<void>): Promise<void> {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const r: Receptionist = testReceptionist(spa);
    const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
    await fn((text, doubtful) => r.turn(conversation, text, undefined, doubtful ? heard(text, doubtful) : undefined), spa);
  } finally {
    spa.close();
  }
}

async function inChat(lines: readonly string[]): Promise<string[]> {
  const spa = openTestSpa({ now: at('2026-11-30T10:00') });
  try {
    const r = testReceptionist(spa);
    let conversation: string | undefined;
    const replies: string[] = [];
    for (const text of lines) {
      const t = await r.chat({ conversation, text, from: '+12035550188' });
      conversation = t.conversation;
      replies.push(t.reply);
    }
    return replies;
  } finally {
    spa.close();
  }
}

describe('slot confidence from the words a slot came from', () => {
  test('a slot is as sure as its weakest word; words not found fall back to the whole turn', () => {
    const words = heard('a chemical peel on friday', ['peel']);
    assert.equal(phraseConfidence('chemical peel', words), 0.05);
    assert.equal(phraseConfidence('friday', words), 0.97);
    assert.ok(Math.abs((phraseConfidence('2:30', words) ?? 0) - (0.97 * 4 + 0.05) / 5) < 1e-9);
    assert.equal(phraseConfidence('friday', [{ word: 'friday', confidence: null }]), null, 'a grammar decode gives no confidence');
  });

  test("a when's confidence comes from its day and time words, not from the rest of the sentence", () => {
    assert.equal(whenWords('could you fit me in sometime next tuesday around 3'), 'next tuesday 3');
  });

  test('a service heard by a sound-alike counts for less than one heard by its name', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const ctx = { service: (id: string) => spa.catalogue.service(id), providerName: (id: string) => id };
      const u = (serviceWords: string): Understanding => ({ intents: ['book'], yes: false, no: false, services: ['botox'], serviceWords, correction: false, question: false, text: '' });
      const byName = slotConfidence(u('botox'), heard('botox'), ctx);
      const bySound = slotConfidence(u('boat ox'), heard('boat ox'), ctx);
      assert.ok((bySound?.service ?? 1) < (byName?.service ?? 0));
      assert.equal(slotConfidence(u('botox'), [], ctx), undefined, 'no words, no confidence: taken as said');
    } finally {
      spa.close();
    }
  });
});

describe('checking a doubtful slot on a call', () => {
  test('a barely heard treatment is asked about on a yes/no turn before any time is offered; yes keeps it', async () => {
    await onCall(async (say) => {
      const check = await say('could i come in for a chemical peel this thursday', ['peel']);
      assert.equal(check.reply, 'Was that Chemical Peel?');
      assert.equal(check.expect, 'check');
      const offer = await say('yep');
      assert.match(offer.reply, /^On Thursday I have .* Which would you like\?$/);
    });
  });

  test('a no drops the treatment and asks for it again; the new one is not checked a second time', async () => {
    await onCall(async (say) => {
      assert.equal((await say('could i come in for a chemical peel this thursday', ['peel'])).reply, 'Was that Chemical Peel?');
      const again = await say('nope');
      assert.match(again.reply, /^Sorry about that\. Which treatment/);
      assert.equal(again.expect, 'service');
      const offer = await say('microneedling', ['microneedling']);
      assert.match(offer.reply, /^On Thursday I have /, 'no second check of the treatment');
    });
  });

  test('a correction in the answer to a day check replaces the day', async () => {
    await onCall(async (say) => {
      const check = await say('could i come in for a chemical peel this thursday', ['thursday']);
      assert.equal(check.reply, 'Thursday, is that right?');
      const offer = await say('no sorry, wednesday');
      assert.match(offer.reply, /^On Wednesday I have /);
    });
  });

  test('a doubtful provider is checked as "with <name>, is that right?"', async () => {
    await onCall(async (say) => {
      assert.equal((await say('would maya be free to do a chemical peel thursday', ['maya'])).reply, 'With Maya Chen, is that right?');
      assert.match((await say('yes it is')).reply, /^On Thursday I have /);
    });
  });

  test('words heard clearly are used without a question, and the read-back before booking stays', async () => {
    await onCall(async (say) => {
      assert.match((await say('could i come in for a chemical peel this thursday', [])).reply, /^On Thursday I have /);
      await say('the earlier one works');
      await say('my name is jane smith');
      const readBack = await say('yes it is');
      assert.match(readBack.reply, /^So that's Chemical Peel with .* Shall I book it\?$/);
    });
  });

  test('an answer that is neither yes, no nor a new value lets the detail stand: the check is never asked twice', async () => {
    await onCall(async (say) => {
      await say('could i come in for a chemical peel this thursday', ['peel']);
      const next = await say('hmm');
      assert.match(next.reply, /^On Thursday I have .* Which would you like\?$/);
      assert.doesNotMatch(next.reply, /Was that/);
    });
  });

  test('an answer to a check the recogniser rejected lets the detail stand and the call moves on', async () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = testReceptionist(spa);
      const { conversation } = r.startCall({ callId: null, callerPhone: '+12035550188' });
      const said = 'could i come in for a chemical peel this thursday';
      assert.equal((await r.turn(conversation, said, undefined, heard(said, ['peel']))).reply, 'Was that Chemical Peel?');
      const next = r.notUnderstood(conversation);
      assert.match(next.reply, /^On Thursday I have /);
      assert.equal(next.expect, 'choice');
    } finally {
      spa.close();
    }
  });

  test('"no thursday" (the check grammar\'s correction) to a day check replaces the day at once, unchecked', async () => {
    await onCall(async (say) => {
      assert.equal((await say('could i come in for a chemical peel this wednesday', ['wednesday'])).reply, 'Wednesday, is that right?');
      const offer = await say('no thursday', ['thursday']);
      assert.match(offer.reply, /^On Thursday I have /);
    });
  });

  test('"no filler" to a treatment check replaces the treatment at once', async () => {
    await onCall(async (say) => {
      assert.equal((await say('could i come in for a chemical peel this thursday', ['peel'])).reply, 'Was that Chemical Peel?');
      const next = await say('no filler', ['filler']);
      assert.doesNotMatch(next.reply, /Chemical Peel|Was that/);
      assert.match(next.reply, /Filler/);
    });
  });
});

describe('corrections at any point', () => {
  test('a text dialog is never checked: the same words by chat go straight to the offers', async () => {
    const [offer] = await inChat(['could i come in for a chemical peel this thursday']);
    assert.match(offer ?? '', /^On Thu Dec 3 I have /);
    assert.doesNotMatch(offer ?? '', /is that right|Was that/);
  });

  test('another day said while choosing an offered time replaces the day (text)', async () => {
    const [first, other] = await inChat(['chemical peel thursday afternoon please', 'hmm no, wednesday would suit me better']);
    assert.match(first ?? '', /^On Thu Dec 3 I have /);
    assert.match(other ?? '', /^On Wed Dec 2 I have /);
  });

  test('"oh wait, make that 4" at the read-back looks for a time near four on the same day (call)', async () => {
    await onCall(async (say) => {
      await say('chemical peel thursday at 2:30');
      await say('that works for me');
      await say('my name is jane smith');
      assert.match((await say('yes it is')).reply, /two thirty.*Shall I book it\?$/);
      const moved = await say('oh wait, make that 4');
      assert.equal(moved.expect, 'choice');
      assert.match(moved.reply, /Thursday I have .*four/);
      assert.doesNotMatch(moved.reply, /two thirty/);
    });
  });

  test('another provider named while choosing replaces the first (text)', async () => {
    const [first, second] = await inChat(['a deluxe hydrafacial with maya on saturday', "sorry, not maya, i'd rather see sophie"]);
    assert.match(first ?? '', /Sat/);
    assert.match(second ?? '', /Sophie Bennett/);
  });

  test('another treatment said at the read-back replaces it (call)', async () => {
    await onCall(async (say) => {
      await say('microneedling on thursday please');
      await say('the first of those');
      await say('my name is jane smith');
      assert.match((await say('yes it is')).reply, /^So that's Microneedling/);
      const changed = await say('hang on, not microneedling, a chemical peel');
      assert.doesNotMatch(changed.reply, /Microneedling/);
      assert.match(changed.reply, /Thursday/);
    });
  });
});
