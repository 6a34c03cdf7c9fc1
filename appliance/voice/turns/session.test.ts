// The turn-taking state machine driven by its typed events alone (caller frames carry the VAD's
// decision: no VAD here), on fake time: the phases a call goes through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../log.js';
import { FakeClock } from '../../shared/fake-clock.js';
import { frameDbfs } from '../energy-vad.js';
import { FakeMedia, RecordingAgent, SlowWordsAsr, ToneTts, fakeCall, frames, silence, word, type FakeCall } from '../turn-taking.fixture.js';
import { TurnSession } from './session.js';
import type { Phase } from './states.js';
import { DEFAULT_TURN_SETTINGS, type ConversationAgent } from './types.js';

const log = createLogger({ level: 'silent' });

/** A session on a fake call, the phases it went through, and a caller who speaks frame by frame. */
function machine(agent: ConversationAgent): { clock: FakeClock; media: FakeMedia; call: FakeCall; session: TurnSession; phases: Phase[]; say(list: Int16Array[]): Promise<void>; wait(done: () => boolean): Promise<void>; end(): void } {
  const clock = new FakeClock();
  const media = new FakeMedia(clock);
  const call = fakeCall(media);
  const session = new TurnSession({ log, clock, asr: new SlowWordsAsr(400), tts: new ToneTts(), agent, settings: DEFAULT_TURN_SETTINGS, call });
  const phases: Phase[] = [];
  const note = (): void => {
    if (phases.at(-1) !== session.phase) phases.push(session.phase);
  };
  return {
    clock,
    media,
    call,
    session,
    phases,
    say: async (list) => {
      for (const frame of list) {
        session.dispatch({ type: 'frame', frame, speech: frameDbfs(frame) > -40 });
        note();
        await clock.advanceAsync(20);
        note();
      }
    },
    wait: async (done) => {
      for (let i = 0; i < 3000 && !done(); i++) {
        await clock.advanceAsync(20);
        note();
      }
      assert.ok(done(), 'within a minute of fake time');
    },
    end: () => {
      session.dispatch({ type: 'call-ended' });
      note();
    },
  };
}

test('a call goes box-speaking, listening, caller-speaking, thinking, box-speaking, caller-speaking over it, paused for a possible backchannel, box-speaking again, ending', async () => {
  const agent = new RecordingAgent([{ text: `Sure. ${Array.from({ length: 30 }, () => 'word').join(' ')}.` }]);
  const m = machine(agent);
  m.session.greet();
  m.phases.push(m.session.phase);
  await m.wait(() => m.media.results.length === 1);
  await m.say([...word('botox', 500), ...frames(30, silence)]);
  await m.say(frames(10, silence));
  // "okay" over the reply, which the recogniser can name only after 400 ms: the box is held.
  await m.say([...word('okay', 500), ...frames(15, silence)]);
  m.end();
  assert.deepEqual(m.phases, ['box-speaking', 'listening', 'caller-speaking', 'thinking', 'box-speaking', 'caller-speaking', 'paused', 'box-speaking', 'ending']);
  assert.deepEqual(m.media.resumedAtFrame.length, 1, 'the held reply went on');
});

test('a reply that transfers: transferring while the transfer rings; when no one takes it the box says so and hangs up', async () => {
  let ring!: (taken: boolean) => void;
  const agent = new RecordingAgent([], { greeting: { text: 'Connecting you.', transfer: true } });
  const m = machine(agent);
  m.call.transferTo = new Promise<boolean>((resolve) => (ring = resolve));
  m.session.greet();
  m.phases.push(m.session.phase);
  await m.wait(() => m.call.transfers === 1);
  assert.equal(m.session.phase, 'transferring');
  ring(false);
  await m.wait(() => m.call.hangups.length > 0);
  m.end();
  assert.deepEqual(m.phases, ['box-speaking', 'transferring', 'box-speaking', 'listening', 'ending']);
  assert.deepEqual(m.call.hangups, ['conversation ended']);
});

test('while a transfer is under way (ringing staff, or bridged to them) the box neither answers the caller nor reprompts', async () => {
  const agent = new RecordingAgent([], { greeting: { text: 'Connecting you.', transfer: true } });
  const m = machine(agent);
  m.call.transferTo = new Promise<boolean>(() => undefined); // bridged: settles only when the call ends
  m.session.greet();
  await m.wait(() => m.call.transfers === 1);
  const cleared = m.media.clears.length;
  await m.say([...word('botox', 500), ...frames(30, silence)]);
  for (let ms = 0; ms < 9000; ms += 250) {
    m.session.dispatch({ type: 'no-input-check' });
    await m.clock.advanceAsync(250);
  }
  m.media.emit('dtmf', '1');
  assert.deepEqual(agent.inputs, [], 'the caller is talking to staff');
  assert.equal(m.media.clears.length, cleared, 'the bridge\'s audio to the caller was never cleared');
  assert.equal(m.session.phase, 'transferring');
  m.end();
});
