// The box's voice on one call (the voice region in states.ts): speaks replies sentence by
// sentence, holds, resumes or stops them for speech over it, and when a reply's playback ends
// records it with how much the caller heard, then transfers or hangs up if the reply asked to.
import type { Logger } from '../../log.js';
import type { Clock } from '../../shared/clock.js';
import type { PlaybackResult } from '../../telephony/call-media.js';
import type { ActiveCall } from '../../telephony/call-manager.js';
import type { Tts } from '../tts/types.js';
import { noMarks, SpokenReply, type Exchange } from './exchange.js';
import type { TurnEvent, VoiceState } from './states.js';
import type { AgentReply, Expectation, Heard, TurnRecord } from './types.js';

const TRANSFER_FAILED = 'Sorry, no one can take your call right now. Someone will call you back soon.';

/** Starts work that runs on its own: what it yields becomes an event; its failure ends the call, named `what`. */
export type Launch = <T>(what: string, work: Promise<T>, toEvent: (result: T) => TurnEvent) => void;

export interface BoxVoiceDeps {
  log: Logger;
  clock: Clock;
  tts: Tts;
  call: ActiveCall;
  onTurn?: (callId: number, turn: TurnRecord) => void;
  launch: Launch;
}

export class BoxVoice {
  state: VoiceState = { state: 'silent' };
  /** What the agent expects next (each reply sets it as it starts). */
  expect: Expectation | undefined;
  /** How much of the last reply to end was heard: told to the agent with the next input. */
  heard: Heard = { interrupted: false, heardText: '' };
  /** Monotonic ms when the box last stopped talking (null: not yet). */
  quietSince: number | null = null;
  /** The reply started last. */
  private latest: SpokenReply | null = null;

  constructor(private readonly deps: BoxVoiceDeps) {}

  /** A reply is playing (or held). */
  get speaking(): boolean {
    return this.state.state === 'speaking' || this.state.state === 'paused';
  }

  /** Speaks a reply; its end comes back as a playback-ended event. */
  say(reply: AgentReply, x: Exchange): void {
    this.expect = reply.expect;
    const spoken = new SpokenReply(reply, x);
    this.state = { state: 'speaking', reply: spoken };
    this.latest = spoken;
    this.deps.launch(x.what, this.play(spoken), (r) => ({ type: 'playback-ended', reply: spoken, ...r }));
  }

  /** A new reply replaces whatever was still playing: its synthesis stops and its audio is cleared. */
  replace(): void {
    this.abort();
    this.deps.call.media.clear();
  }

  /** Speech over the box (or a key) stops the reply playing now, if any. */
  interrupt(why?: string): void {
    if (!this.speaking) return;
    if (why) this.deps.log.info({ why }, 'barge-in');
    this.deps.call.media.clear();
  }

  /** Holds the reply where it is while speech over it is judged. */
  pause(): void {
    if (this.state.state !== 'speaking' && this.state.state !== 'paused') return;
    this.state = { state: 'paused', reply: this.state.reply };
    this.deps.log.info('barge-in: paused while the caller speaks');
    this.deps.call.media.pause();
  }

  /** The speech over the box was a backchannel or noise: the reply goes on from where it paused. */
  resume(): void {
    if (this.state.state === 'paused') this.state = { state: 'speaking', reply: this.state.reply };
    this.deps.log.info('barge-in: resumed');
    this.deps.call.media.resume();
  }

  /** Runs `then` once the reply started last has ended (at once if it has, or if there was none). */
  afterLatest(then: () => void): void {
    if (this.latest) this.latest.afterEnd(then);
    else then();
  }

  /** The call ended: the reply playing stops being synthesised. */
  abort(): void {
    if (this.state.state === 'speaking' || this.state.state === 'paused') this.state.reply.abort.abort();
  }

  handle(e: Extract<TurnEvent, { type: 'playback-ended' | 'transfer-ended' }>): void {
    switch (e.type) {
      case 'playback-ended':
        return this.ended(e.reply, { playedMs: e.playedMs, interrupted: e.interrupted });
      case 'transfer-ended':
        if (!e.transferred) this.say({ text: TRANSFER_FAILED, hangup: true }, { ...e.exchange, marks: noMarks(this.deps.clock.now()) });
        return;
    }
  }

  private async play(spoken: SpokenReply): Promise<PlaybackResult> {
    try {
      return await this.deps.call.media.play(spoken.audio(this.deps.tts, this.deps.clock));
    } catch (err) {
      this.deps.log.warn({ err }, 'could not speak the reply');
      return { playedMs: 0, interrupted: false };
    }
  }

  private ended(spoken: SpokenReply, result: PlaybackResult): void {
    const { call, clock, log } = this.deps;
    if ((this.state.state === 'speaking' || this.state.state === 'paused') && this.state.reply === spoken) this.state = { state: 'silent' };
    this.heard = spoken.heard(result);
    this.quietSince = clock.monotonic();
    try {
      this.deps.onTurn?.(call.id, spoken.record(result));
    } catch (err) {
      // The transcript row is lost (a full or read-only disk); the caller is still talking to the box.
      log.error({ err }, 'could not store the turn in the call log; the call goes on');
    }
    if (!result.interrupted && spoken.reply.transfer) {
      if (this.state.state === 'silent') this.state = { state: 'transferring' };
      const x = spoken.exchange;
      this.deps.launch(x.what, call.transfer(), (transferred) => ({ type: 'transfer-ended', exchange: x, transferred }));
    } else if (!result.interrupted && spoken.reply.hangup) {
      call.hangup('conversation ended');
    }
    // A caller turn waiting to know what was heard goes on.
    spoken.end();
  }
}
