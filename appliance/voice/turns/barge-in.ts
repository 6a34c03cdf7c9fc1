// Carries out what the over-the-box judge (over-box.ts) decides about a burst of caller speech
// that began while the box talked: stops, holds or lets go of the box's reply, and has the ASR
// look at the burst so far (a barge-in check; its answer comes back as a probe-result event).
import type { Logger } from '../../log.js';
import type { Asr } from '../asr/types.js';
import { hasVoicedSpeech } from '../asr/voicing.js';
import type { BoxVoice } from './box-voice.js';
import { concat, FRAME_MS } from './endpointing.js';
import type { OverBoxJudge, OverBoxStep } from './over-box.js';
import type { TurnEvent, Utterance } from './states.js';

export interface BargeInDeps {
  log: Logger;
  asr: Asr;
  voice: BoxVoice;
  /** Hands a look's answer back to the session as an event (guarded: a failure ends the call). */
  report: (e: TurnEvent) => void;
}

export class BargeIn {
  constructor(private readonly deps: BargeInDeps) {}

  /** One more frame of the burst `u`. */
  frame(u: Utterance, judge: OverBoxJudge, speech: boolean): void {
    const steps = judge.frame(speech, {
      boxSpeaking: this.deps.voice.speaking,
      voiced: () => hasVoicedSpeech(concat(u.frames), 16000, { minVoicedFrames: 3 }),
      partial: () => u.stream?.partial() ?? '',
    });
    for (const step of steps) this.act(step, u, judge);
  }

  /**
   * A look at the burst came back. `u`: the caller's turn now (null when none is open);
   * `silenceMs`: the silence at its end. True when the burst was only a backchannel and is over:
   * the box talks on, and the session drops the burst.
   */
  heard(u: Utterance | null, judge: OverBoxJudge, look: { text: string; heardUpTo: number; audio: Int16Array; silenceMs: number }): boolean {
    judge.lookDone();
    if (u?.overBox !== judge || judge.interrupted) return false;
    const { text, heardUpTo } = look;
    this.deps.log.debug({ pii: { text }, speechMs: judge.speechMs, heardMs: heardUpTo * FRAME_MS }, 'barge-in check');
    const step = judge.heard({ ...look, frames: u.frames.length });
    if (step?.do !== 'drop') {
      if (step) this.act(step, u, judge);
      return false;
    }
    this.deps.log.debug({ pii: { text } }, 'backchannel: the box talks on');
    this.letGo(judge);
    return true;
  }

  /** The burst was nothing (a cough, a backchannel): a reply it held goes on. */
  letGo(judge: OverBoxJudge | null): void {
    if (judge?.letGo()) this.deps.voice.resume();
  }

  /** The burst is a turn: the reply it held stops for good. */
  stop(judge: OverBoxJudge): void {
    this.act(judge.interrupt('speech over the box'), null, judge);
  }

  private act(step: OverBoxStep, u: Utterance | null, judge: OverBoxJudge): void {
    switch (step.do) {
      case 'interrupt':
        return this.deps.voice.interrupt(step.why);
      case 'pause':
        return this.deps.voice.pause();
      case 'probe':
        if (u) this.probe(u, judge);
        return;
    }
  }

  /** A quick look by the ASR at the burst so far. */
  private probe(u: Utterance, judge: OverBoxJudge): void {
    const heardUpTo = u.frames.length;
    const audio = concat(u.frames);
    void this.deps.asr.recognize(audio, u.grammar ? { grammar: u.grammar } : {}).then(
      // A rejected look (no answer of the turn: "um", a cough) names no word yet.
      (r) => this.deps.report({ type: 'probe-result', judge, text: r.rejected ? '' : r.text, heardUpTo, audio }),
      (err: unknown) => this.deps.report({ type: 'probe-failed', judge, err }),
    );
  }
}
