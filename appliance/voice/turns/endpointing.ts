// Where a caller turn starts and ends, counted in the caller's 20 ms audio frames (media time, not
// the wall clock: a burst of late packets neither ends a turn early nor stretches it).
// Start: 60 ms of VAD speech (while the box talks, half of bargeInMs, so the ASR has had a look
// by the time the speech is long enough to stop the box). End: the expected silence (hangoverFor)
// after the last frame with speech energy, not after the VAD's own hangover.
import { frameDbfs } from '../energy-vad.js';
import type { Expectation } from './types.js';

export const FRAME_MS = 20;
/** Speech that opens a caller turn while the box is silent. */
const TURN_START_MS = 60;
/** A frame this far below the loudest of its utterance is not speech energy (for the end of speech). */
const TAIL_BELOW_PEAK_DB = 30;
/** ...nor one under this level. */
const SPEECH_FLOOR_DB = -50;
/** How far back from the VAD's last speech frame the end of speech is looked for. */
const MAX_VAD_LAG_MS = 400;

/** End-of-turn silence for what the agent expects: quick for yes/no, patient for digits and spelling. Pure. */
export function hangoverFor(expect: Expectation | undefined, base: number): number {
  switch (expect?.kind ?? 'open') {
    case 'yes-no':
      return Math.round(base * 0.7);
    case 'digits':
    case 'spelling':
      return Math.round(base * 2);
    case 'open':
      return base;
  }
}

/** Speech that opens a caller turn: 60 ms, or half of bargeInMs over the box. Pure. */
export function turnStartMs(boxSpeaking: boolean, bargeInMs: number): number {
  return boxSpeaking ? Math.max(TURN_START_MS, bargeInMs / 2) : TURN_START_MS;
}

/** Counts the caller's frames: runs of speech and silence, the pre-roll, and where speech ended. */
export class Endpointer {
  /** VAD speech in a row before a turn opens; all of the turn's VAD speech once it has. */
  speechRun = 0;
  /** VAD non-speech in a row. */
  silenceRun = 0;
  private frameNo = 0;
  private lastVadSpeechFrame = 0;
  private lastLoudFrame = 0;
  private peakDb = Number.NEGATIVE_INFINITY;
  private preRoll: Int16Array[] = [];

  constructor(private readonly preRollMs: number) {}

  /** One more frame and the VAD's decision on it; `inTurn`: a caller turn is open. */
  count(speech: boolean, inTurn: boolean): void {
    this.frameNo++;
    if (speech) {
      this.speechRun += FRAME_MS;
      this.silenceRun = 0;
      this.lastVadSpeechFrame = this.frameNo;
    } else {
      this.silenceRun += FRAME_MS;
      if (!inTurn) this.speechRun = 0;
    }
  }

  /** Outside a turn: the frame joins the audio kept from before the speech start. */
  keep(frame: Int16Array): void {
    this.preRoll.push(frame);
    if (this.preRoll.length > Math.ceil(this.preRollMs / FRAME_MS)) this.preRoll.shift();
  }

  /** A turn opens: hands over the pre-roll (its first audio); the end of speech is looked for afresh. */
  open(): Int16Array[] {
    const frames = this.preRoll;
    this.preRoll = [];
    this.peakDb = Number.NEGATIVE_INFINITY;
    this.lastLoudFrame = this.frameNo;
    for (const f of frames) this.peakDb = Math.max(this.peakDb, frameDbfs(f));
    return frames;
  }

  /**
   * Inside a turn: a frame the VAD calls speech that has speech energy moves the end of speech.
   * The VAD keeps saying "speech" for its own hangover (energy ~100 ms, Silero ~100-200 ms) after
   * the voice stops, so the last frame with speech energy is where the speech really ended.
   */
  track(frame: Int16Array, speech: boolean): void {
    if (!speech) return;
    const db = frameDbfs(frame);
    if (db > this.peakDb) this.peakDb = db;
    if (db > Math.max(SPEECH_FLOOR_DB, this.peakDb - TAIL_BELOW_PEAK_DB)) this.lastLoudFrame = this.frameNo;
  }

  /**
   * Silence since the end of speech: from the last loud frame when it is at most MAX_VAD_LAG_MS
   * before the VAD's last speech frame, else from the VAD's last speech frame.
   */
  silentMs(): number {
    const lag = this.lastVadSpeechFrame - this.lastLoudFrame;
    const end = lag >= 0 && lag * FRAME_MS <= MAX_VAD_LAG_MS ? this.lastLoudFrame : this.lastVadSpeechFrame;
    return (this.frameNo - end) * FRAME_MS;
  }

  /** The turn closed or was dropped: the next one needs its own run of speech. */
  close(): void {
    this.speechRun = 0;
  }
}

/** A turn's frames as one buffer (for the recogniser). */
export function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}
