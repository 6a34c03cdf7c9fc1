// The judge of one burst of caller speech that began while the box talked: a backchannel
// ("mm-hm", "okay") or a cough lets the box go on; anything else stops it (barge-in). It decides
// from the ASR - the live partial when the engine gives one, else a quick look at the speech so
// far every PROBE_EVERY_MS - and from the burst's length: speech past backchannelMaxMs stops the
// box regardless. Voiced sound the ASR cannot name yet holds the box (paused) until the look at
// the whole burst decides. The judge only decides; the session does (media, ASR, logs).
import { hasVoicedSpeech } from '../asr/voicing.js';
import { isBackchannel, isFillerOnly } from '../backchannel.js';
import { FRAME_MS } from './endpointing.js';
import type { TurnTakingSettings } from './types.js';

/** While speech over the box is undecided, the ASR looks at it again after this much more speech. */
const PROBE_EVERY_MS = 100;
/** Silence after speech over the box that ends the burst (longer than the closure of a stop consonant). */
const BURST_OVER_MS = 200;

/** What the box must do about the burst, in the order given. */
export type OverBoxStep =
  | { do: 'interrupt'; why: string }
  /** Hold the reply where it is while the burst is judged. */
  | { do: 'pause' }
  /** Have the ASR look at the burst so far (and call heard() with what it made of it). */
  | { do: 'probe' };

/** What a look at the burst decides: stop the box, or (`drop`) the burst was a backchannel or noise and is over: the box goes on and no turn is made of it. */
export type LookVerdict = Extract<OverBoxStep, { do: 'interrupt' }> | { do: 'drop' } | null;

/** What the session knows about the burst when the judge needs it. */
export interface BurstView {
  /** The box's reply is playing (or held). */
  boxSpeaking: boolean;
  /** Whether the burst so far has voiced speech in it (a hum, a word; not a cough). */
  voiced(): boolean;
  /** The live ASR's partial text of the burst ('' without a live ASR). */
  partial(): string;
}

export class OverBoxJudge {
  /** VAD speech since the burst began. */
  speechMs: number;
  /** The box's playback is held while the burst is judged. */
  paused = false;
  /** The burst stopped the box (or would have, had it still been talking): no more judging. */
  interrupted = false;
  private probing = false;
  private probedAtMs = 0;
  /** The ASR heard a word that is not a backchannel. */
  private heardWords = false;
  /** The ASR's latest look heard words, all of them backchannels. */
  private heardBackchannel = false;
  /** Speech length when the burst's voicing was last judged (0: not yet). */
  private voicingAtMs = 0;

  constructor(
    private readonly s: Pick<TurnTakingSettings, 'bargeInMs' | 'backchannelMaxMs' | 'backchannels'>,
    /** The speech that opened the burst. */
    speechMs: number,
  ) {
    this.speechMs = speechMs;
  }

  /** One more frame of the burst. */
  frame(speech: boolean, view: BurstView): OverBoxStep[] {
    if (this.interrupted) return [];
    if (speech) this.speechMs += FRAME_MS;
    if (this.speechMs >= this.s.backchannelMaxMs) return [this.interrupt('long speech over the box')];
    const steps: OverBoxStep[] = [];
    // At bargeInMs the box stops unless the ASR has already heard this speech as only a backchannel
    // (or nothing: a cough). A check still running does not hold the box: a real interruption
    // must not wait for a slow engine.
    if (this.speechMs >= this.s.bargeInMs && !this.heardBackchannel) {
      // No backchannel heard: words stop the box now; voiced sound not yet recognised holds it
      // (paused) until the ASR or the burst's length decides; unvoiced noise (a cough, a rustle)
      // lets it talk on. Judged on the burst so far, every PROBE_EVERY_MS.
      if (this.heardWords) return [this.interrupt('speech over the box')];
      if (!this.paused && (this.speechMs - this.voicingAtMs >= PROBE_EVERY_MS || this.voicingAtMs === 0)) {
        this.voicingAtMs = this.speechMs;
        if (view.voiced() && view.boxSpeaking) {
          this.paused = true;
          steps.push({ do: 'pause' });
        }
      }
    }
    if (this.speechMs >= this.s.bargeInMs && this.heardWords) return [...steps, this.interrupt('speech over the box')];
    // While the box is held, guesses at part of the burst do not decide: the look at all of it does.
    const partial = this.paused ? '' : view.partial();
    if (partial && !isBackchannel(partial, this.s.backchannels) && !isFillerOnly(partial)) {
      this.heardWords = true;
      if (this.speechMs >= this.s.bargeInMs) return [...steps, this.interrupt('speech over the box')];
    }
    if (this.probing || this.probedAtMs === Number.POSITIVE_INFINITY) return steps;
    const ended = !speech;
    if (!ended && this.speechMs - this.probedAtMs < PROBE_EVERY_MS && this.probedAtMs > 0) return steps;
    this.probing = true;
    this.probedAtMs = this.speechMs;
    return [...steps, { do: 'probe' }];
  }

  /** A look came back or failed: the next one may start. */
  lookDone(): void {
    this.probing = false;
  }

  /** The look failed: no more looks at this burst; its length and its final words decide. */
  lookFailed(): void {
    this.probedAtMs = Number.POSITIVE_INFINITY;
  }

  /**
   * What a look at the burst heard. `heardUpTo`: frames of the burst it covered; `frames` and
   * `silenceMs`: the burst now, and the silence at its end.
   */
  heard(look: { text: string; heardUpTo: number; audio: Int16Array; frames: number; silenceMs: number }): LookVerdict {
    // Nothing recognised in voiced audio is no evidence either way (a grammar-bound engine often
    // returns nothing, or a filler like "a", for the first tenth of a second of speech or for a
    // hum); in unvoiced noise it is a cough. Only words that are all backchannels hold the box.
    const empty = look.text.trim() === '' || isFillerOnly(look.text);
    // Once the caller has been quiet for a while (not the closure of a "k" inside "okay") and the
    // look covered the whole burst, what it heard, or that it heard nothing, is the answer.
    const quiet = look.silenceMs >= BURST_OVER_MS;
    const wholeBurst = quiet && look.heardUpTo >= look.frames - look.silenceMs / FRAME_MS;
    if (empty && !wholeBurst && hasVoicedSpeech(look.audio, 16000, { minVoicedFrames: 3 })) return null;
    if (!empty) this.heardBackchannel = isBackchannel(look.text, this.s.backchannels);
    if (!empty && !this.heardBackchannel) {
      // A held box waits for the look at the whole burst: a recogniser's guess at the first part of
      // a hum or an "okay" ("am", "where") is not yet words.
      if (this.paused && !wholeBurst) return null;
      // Words: the box stops once the speech is long enough not to be a click or a cough.
      this.heardWords = true;
      return this.speechMs >= this.s.bargeInMs ? this.interrupt('speech over the box') : null;
    }
    // Only a backchannel (or nothing) so far. If the caller has gone quiet since and the look saw
    // the whole burst, that was all: drop it and let the box talk on.
    return wholeBurst ? { do: 'drop' } : null;
  }

  /** The burst is a turn after all (or the box must stop for it): no more judging. */
  interrupt(why: string): Extract<OverBoxStep, { do: 'interrupt' }> {
    this.interrupted = true;
    return { do: 'interrupt', why };
  }

  /** Lets go of a held box (the burst was nothing); false when it holds none or stopped it. */
  letGo(): boolean {
    if (!this.paused || this.interrupted) return false;
    this.paused = false;
    return true;
  }
}
