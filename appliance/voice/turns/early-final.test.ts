// The end of a caller turn with early recognition (early-final.ts), on fake time with synthetic
// frames: a whole answer ends the turn 300 ms into the silence, a caller who stops on a word that
// leads on keeps the full wait, and one who speaks again is heard as one turn, never cut off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delay } from '../../shared/clock.js';
import type { FakeClock } from '../../shared/fake-clock.js';
import type { Asr, AsrResult, AsrStream } from '../asr/types.js';
import { FRAME_MS, RecordingAgent, ToneTts, energyVad, frames, runUntil, silence, startSession, tone } from '../turn-taking.fixture.js';
import { looksComplete } from './early-final.js';
import type { Expectation, TurnRecord } from './types.js';

/**
 * A live-fed recogniser that hears the caller's bursts of tone as the first N of `phrases` (one
 * phrase per burst: a pause between them is a pause mid-turn), `rejected` when told, after
 * `finishMs` of fake time.
 */
class BurstsAsr implements Asr {
  readonly name = 'bursts';
  readonly capabilities = { streaming: true, grammar: true, sampleRate: 16000 as const };
  streams: { frames: number; finished: boolean; cancelled: boolean; text: string | null }[] = [];
  wholeTurns = 0;
  clock: FakeClock | null = null;
  constructor(
    private readonly phrases: string[],
    private readonly opts: { finishMs?: number; rejected?: boolean } = {},
  ) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  recognize(): Promise<AsrResult> {
    this.wholeTurns++;
    return Promise.resolve({ text: '', confidence: null, elapsedMs: 0 });
  }
  stream(): AsrStream {
    const rec = { frames: 0, finished: false, cancelled: false, text: null as string | null };
    const loud: boolean[] = [];
    this.streams.push(rec);
    return {
      write: (a) => {
        for (let o = 0; o + 320 <= a.length; o += 320) loud.push(Math.abs(a[o + 1] ?? 0) > 1000);
        rec.frames = loud.length;
      },
      partial: () => '',
      finish: async () => {
        rec.finished = true;
        const bursts = loud.filter((l, i) => l && !loud[i - 1]).length;
        if (this.opts.finishMs && this.clock) await delay(this.clock, this.opts.finishMs);
        rec.text = this.phrases.slice(0, bursts).join(' ');
        return { text: rec.text, confidence: null, elapsedMs: this.opts.finishMs ?? 0, ...(this.opts.rejected ? { rejected: true } : {}) };
      },
      cancel: () => {
        rec.cancelled = true;
      },
    };
  }
}

const speech = (ms: number): Int16Array[] => frames(ms / FRAME_MS, () => tone(6000));

async function call(asr: BurstsAsr, expect?: Expectation): Promise<{ s: ReturnType<typeof startSession>; agent: RecordingAgent; turns: TurnRecord[] }> {
  const agent = new RecordingAgent([], { greeting: { text: 'Hello.', ...(expect ? { expect } : {}) } });
  const turns: TurnRecord[] = [];
  const s = startSession({ vad: energyVad, asr, tts: new ToneTts(), agent: () => agent, onTurn: (_id, t) => turns.push(t) });
  asr.clock = s.clock;
  await runUntil(s.clock, () => s.media.results.length === 1, 'the greeting plays');
  await s.media.feed(frames(20, silence));
  return { s, agent, turns };
}

/** Silence after the caller's last loud frame until the turn was decided, from its record. */
const waited = (t: TurnRecord | undefined): number => (t?.marks.endpoint ?? Number.NaN) - (t?.marks.endOfSpeech ?? Number.NaN);

test('a whole answer ("how much is botox") ends the turn 300 ms into the silence (not 500), its words already recognised', async () => {
  const asr = new BurstsAsr(['how much is botox']);
  const { s, agent, turns } = await call(asr);
  await s.media.feed([...speech(600), ...frames(14, silence)]);
  assert.equal(agent.inputs.length, 0, 'not at 280 ms');
  assert.equal(asr.streams[0]?.finished, true, 'recognised early, 200 ms into the silence');
  await s.media.feed(frames(1, silence));
  assert.deepEqual(agent.inputs[0]?.input, { kind: 'speech', text: 'how much is botox', confidence: null });
  await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
  await s.hangUp();
  assert.equal(waited(turns[1]), 300);
  assert.equal(turns[1]?.marks.asrFinal, turns[1]?.marks.endpoint, 'no recognition left after the endpoint');
  assert.equal(asr.streams.length, 1);
  assert.equal(asr.wholeTurns, 0);
});

test('a caller who stops on a word that leads on ("I would like to book a") keeps the full 500 ms wait', async () => {
  const asr = new BurstsAsr(['i would like to book a']);
  const { s, agent, turns } = await call(asr);
  await s.media.feed([...speech(800), ...frames(24, silence)]);
  assert.equal(agent.inputs.length, 0, 'not cut off at 300 ms, nor at 480');
  await s.media.feed(frames(1, silence));
  assert.equal(agent.inputs.length, 1, 'the turn ends at 500 ms');
  await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
  await s.hangUp();
  assert.equal(waited(turns[1]), 500);
});

test('a caller who pauses 400 ms mid-sentence and goes on is one turn: the early result is dropped and a new stream hears the whole turn', async () => {
  const asr = new BurstsAsr(['i would like to book a', 'facial on friday']);
  const { s, agent, turns } = await call(asr);
  await s.media.feed([...speech(800), ...frames(20, silence)]);
  assert.equal(agent.inputs.length, 0, 'not cut off in the pause');
  assert.equal(asr.streams[0]?.text, 'i would like to book a', 'recognised early in the pause');
  await s.media.feed([...speech(600), ...frames(15, silence)]);
  assert.equal(asr.streams.length, 2, 'a new stream once the caller spoke again');
  // Pre-roll 15 frames (the first 3 of speech in it), the other 37 of the first part, the 20 of the
  // pause, the 30 of the second part and 10 of silence, when it was finished early in its turn.
  assert.equal(asr.streams[1]?.frames, 15 + 37 + 20 + 30 + 10, 'fed the whole turn, the first part and the pause too');
  await runUntil(s.clock, () => agent.inputs.length === 1, 'the turn ends');
  await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
  await s.hangUp();
  assert.deepEqual(
    agent.inputs.map((i) => i.input),
    [{ kind: 'speech', text: 'i would like to book a facial on friday', confidence: null }],
  );
  assert.equal(waited(turns[1]), 300, 'a whole sentence by then');
});

test('a caller who speaks again 240 ms after a whole-looking phrase (the early decode already begun) is not cut off', async () => {
  const asr = new BurstsAsr(['on friday', 'in the morning']);
  const { s, agent } = await call(asr);
  await s.media.feed([...speech(600), ...frames(12, silence), ...speech(600), ...frames(30, silence)]);
  await runUntil(s.clock, () => agent.inputs.length === 1, 'the turn ends');
  await s.hangUp();
  assert.equal(asr.streams[0]?.finished, true, 'the first stream was finished early');
  assert.deepEqual(
    agent.inputs.map((i) => i.input),
    [{ kind: 'speech', text: 'on friday in the morning', confidence: null }],
  );
});

test('an early decode slower than the wait: the turn ends at 500 ms and uses that decode (no second recognition)', async () => {
  const asr = new BurstsAsr(['how much is botox'], { finishMs: 400 });
  const { s, agent, turns } = await call(asr);
  await s.media.feed([...speech(600), ...frames(24, silence)]);
  assert.equal(agent.inputs.length, 0, 'no result yet: not ended early');
  await s.media.feed(frames(1, silence));
  await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
  await s.hangUp();
  assert.equal(waited(turns[1]), 500);
  assert.equal((turns[1]?.marks.asrFinal ?? 0) - (turns[1]?.marks.endpoint ?? 0), 100, 'started 200 ms in, 400 ms long');
  assert.equal(asr.streams.length, 1);
  assert.equal(asr.wholeTurns, 0);
});

test('yes/no: an accepted answer ends the turn at 300 ms, a rejected one keeps the 350 ms wait (360 in frames)', async () => {
  const yes = new BurstsAsr(['yes']);
  const a = await call(yes, { kind: 'yes-no' });
  await a.s.media.feed([...speech(400), ...frames(40, silence)]);
  await runUntil(a.s.clock, () => a.turns.length === 2, 'the reply plays');
  await a.s.hangUp();
  assert.equal(waited(a.turns[1]), 300);
  const um = new BurstsAsr(['um'], { rejected: true });
  const b = await call(um, { kind: 'yes-no' });
  await b.s.media.feed([...speech(600), ...frames(40, silence)]);
  await runUntil(b.s.clock, () => b.turns.length === 2, 'the reply plays');
  await b.s.hangUp();
  assert.equal(waited(b.turns[1]), 360);
});

test('a name (a word loop, "jane" so far) keeps the full 500 ms wait: a pause before the last name does not end the turn', async () => {
  const asr = new BurstsAsr(['jane', 'smith']);
  const { s, agent, turns } = await call(asr, { kind: 'open', grammar: { words: ['jane', 'smith'], constrained: true } });
  await s.media.feed([...speech(400), ...frames(22, silence), ...speech(400), ...frames(40, silence)]);
  await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
  await s.hangUp();
  assert.deepEqual(
    agent.inputs.map((i) => i.input),
    [{ kind: 'speech', text: 'jane smith', confidence: null }],
  );
  assert.equal(waited(turns[1]), 500);
});

test('digits keep their patient 1000 ms wait whatever was heard early', async () => {
  const asr = new BurstsAsr(['five five five']);
  const { s, turns } = await call(asr, { kind: 'digits' });
  await s.media.feed([...speech(600), ...frames(60, silence)]);
  await runUntil(s.clock, () => turns.length === 2, 'the reply plays');
  await s.hangUp();
  assert.equal(waited(turns[1]), 1000);
});

test('looksComplete: whole answers by what the box expects; no words, rejected words, a last word that leads on or a name (word loop) are not', () => {
  assert.equal(looksComplete({ text: 'what are your hours' }, undefined), true);
  assert.equal(looksComplete({ text: 'yes please' }, { kind: 'open' }), true);
  assert.equal(looksComplete({ text: 'i would like to book a' }, { kind: 'open' }), false);
  assert.equal(looksComplete({ text: 'on friday and' }, { kind: 'open' }), false);
  assert.equal(looksComplete({ text: 'my name is' }, { kind: 'open' }), false);
  assert.equal(looksComplete({ text: 'i want um' }, { kind: 'open' }), false);
  assert.equal(looksComplete({ text: '' }, { kind: 'open' }), false);
  // A closed list of answers ("the first one") ends with the answer; a name's word loop may go on.
  assert.equal(looksComplete({ text: 'the first one' }, { kind: 'open', grammar: { phrases: ['the first one'], closed: true, constrained: true } }), true);
  assert.equal(looksComplete({ text: 'my name is jane' }, { kind: 'open', grammar: { words: ['jane', 'smith'], constrained: true } }), false);
  assert.equal(looksComplete({ text: 'yes' }, { kind: 'yes-no' }), true);
  assert.equal(looksComplete({ text: 'yes', rejected: true }, { kind: 'yes-no' }), false);
  assert.equal(looksComplete({ text: 'five five five' }, { kind: 'digits' }), false);
  assert.equal(looksComplete({ text: 'j o h n' }, { kind: 'spelling' }), false);
});
