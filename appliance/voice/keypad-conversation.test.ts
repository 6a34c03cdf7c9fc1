// The keypad conversation on fake time: prompts, keys, and the wait for a key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { KeypadConversation, type KeypadDialog, type KeypadReply } from './keypad-conversation.js';
import { FakeMedia, ToneTts, fakeCall, runFor, runUntil } from './turn-taking.fixture.js';

const log = createLogger({ level: 'silent' });

/** A menu that records each press (null: no key came) with the fake time it came at. */
class RecordingMenu implements KeypadDialog {
  presses: { key: string | null; at: number }[] = [];
  ends = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly replies: KeypadReply[] = [],
  ) {}
  greeting(): KeypadReply {
    return { text: 'Press one.' };
  }
  press(key: string | null): KeypadReply {
    this.presses.push({ key, at: this.clock.monotonic() });
    return this.replies.shift() ?? { text: 'Press one again.' };
  }
  end(): void {
    this.ends++;
  }
}

function keypadCall(opts: { noInputMs?: number; replies?: KeypadReply[] } = {}): { clock: FakeClock; media: FakeMedia; call: ReturnType<typeof fakeCall>; menu: RecordingMenu; tts: ToneTts; running: Promise<void> } {
  const clock = new FakeClock();
  const media = new FakeMedia(clock);
  const call = fakeCall(media);
  const menu = new RecordingMenu(clock, opts.replies);
  const tts = new ToneTts();
  const handler = new KeypadConversation({ log, clock, tts, dialog: () => menu, ...(opts.noInputMs === undefined ? {} : { noInputMs: opts.noInputMs }) });
  const running = handler.handle(call);
  return { clock, media, call, menu, tts, running };
}

test('no key for 10 s after a prompt ends goes to the menu as none, at 10 s and not 20 ms sooner', async () => {
  const k = keypadCall();
  // "Press one." is 200 ms of audio: the wait starts when it ends.
  await runUntil(k.clock, () => k.media.results.length === 1, 'the greeting plays');
  assert.equal(k.clock.monotonic(), 200);
  await k.clock.advanceAsync(9980);
  assert.deepEqual(k.menu.presses, [], 'no report at 9980 ms');
  await k.clock.advanceAsync(20);
  assert.deepEqual(k.menu.presses, [{ key: null, at: 10_200 }]);
  k.call.end();
  await runFor(k.clock, k.running, 'the call ends');
});

test('the wait for a key is the one configured (noInputMs), counted again from the end of each prompt', async () => {
  const k = keypadCall({ noInputMs: 3000 });
  await runUntil(k.clock, () => k.menu.presses.length === 2, 'two waits ran out');
  // Greeting ends at 200; "Press one again." (300 ms) plays from 3200 to 3500.
  assert.deepEqual(k.menu.presses, [
    { key: null, at: 3200 },
    { key: null, at: 6500 },
  ]);
  k.call.end();
  await runFor(k.clock, k.running, 'the call ends');
});

test('a key stops the prompt at once and is the menu\'s input; after a goodbye no wait is left armed', async () => {
  const k = keypadCall({ noInputMs: 3000, replies: [{ text: 'You chose one. Goodbye.', hangup: true }] });
  await k.clock.advanceAsync(100);
  k.media.emit('dtmf', '1');
  await runUntil(k.clock, () => k.call.hangups.length > 0, 'the goodbye');
  assert.deepEqual(k.media.results[0], { playedMs: 100, interrupted: true }, 'the greeting stopped at the key');
  // The prompt's playback reports its end at its next 20 ms frame; the key goes to the menu then.
  assert.deepEqual(k.menu.presses, [{ key: '1', at: 120 }]);
  assert.deepEqual(k.tts.said, ['Press one.', 'You chose one.', 'Goodbye.']);
  assert.deepEqual(k.call.hangups, ['goodbye']);
  await runFor(k.clock, k.running, 'the call ends');
  assert.equal(k.clock.pendingTimers, 0, 'no wait left armed');
});

test('a key pressed while the box waits cancels that wait: the next one counts from the end of the answer', async () => {
  const k = keypadCall({ noInputMs: 3000 });
  await runUntil(k.clock, () => k.media.results.length === 1, 'the greeting plays');
  await k.clock.advanceAsync(1000);
  k.media.emit('dtmf', '1');
  // The key at 1200 is answered with "Press one again." (300 ms), which ends at 1500.
  await runUntil(k.clock, () => k.menu.presses.length === 2, 'the next wait runs out');
  assert.deepEqual(k.menu.presses, [
    { key: '1', at: 1200 },
    { key: null, at: 4500 },
  ]);
  k.call.end();
  await runFor(k.clock, k.running, 'the call ends');
});

test("the menu's end() runs once when the call ends, whoever ended it", async () => {
  const byCaller = keypadCall();
  await byCaller.clock.advanceAsync(100);
  assert.equal(byCaller.menu.ends, 0, 'not while the call goes on');
  byCaller.call.end();
  await runFor(byCaller.clock, byCaller.running, 'the call ends');
  assert.equal(byCaller.menu.ends, 1);
  const byBox = keypadCall({ replies: [{ text: 'Goodbye.', hangup: true }] });
  byBox.media.emit('dtmf', '9');
  await runFor(byBox.clock, byBox.running, 'the box hangs up');
  assert.deepEqual(byBox.call.hangups, ['goodbye']);
  assert.equal(byBox.menu.ends, 1);
});

test('each keypad turn is logged when its answer is chosen: the greeting, the key with its answer, and no key with its answer', async () => {
  const clock = new FakeClock();
  const media = new FakeMedia(clock);
  const call = fakeCall(media);
  const menu = new RecordingMenu(clock, [{ text: 'You chose two.' }]);
  const logged: { callId: number; kind: string; caller: string; reply: string; endpoint: number | null; chosen: number | null }[] = [];
  const handler = new KeypadConversation({
    log,
    clock,
    tts: new ToneTts(),
    dialog: () => menu,
    noInputMs: 1000,
    onTurn: (callId, t) => logged.push({ callId, kind: t.inputKind, caller: t.callerText, reply: t.replyText, endpoint: t.endpoint, chosen: t.replyChosen }),
  });
  const start = clock.now();
  const running = handler.handle(call);
  await runUntil(clock, () => logged.length === 1, 'the greeting is logged');
  assert.deepEqual(logged[0], { callId: call.id, kind: 'greeting', caller: '', reply: 'Press one.', endpoint: null, chosen: start });
  await runUntil(clock, () => media.results.length === 1, 'the greeting plays');
  media.emit('dtmf', '2');
  await runUntil(clock, () => logged.length === 2, 'the key is logged');
  await runUntil(clock, () => logged.length === 3, 'no key within the wait is logged');
  assert.deepEqual(
    logged.slice(1).map((t) => [t.kind, t.caller, t.reply]),
    [
      ['dtmf', '2', 'You chose two.'],
      ['silence', '', 'Press one again.'],
    ],
  );
  assert.ok(logged.every((t) => t.chosen !== null && (t.endpoint === null || t.endpoint <= t.chosen)), 'the key came before the answer was chosen');
  call.end();
  await runFor(clock, running, 'the call ends');
});
