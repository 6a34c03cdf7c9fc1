// Energy voice-activity detection: the fallback VAD with no model installed, and how the caller
// simulator hears the box speak. Frame energy in dBFS against a threshold, with an onset
// (speech must last `minSpeechMs`) and a hangover (silence must last `hangoverMs` to end it).

export interface EnergyVadOptions {
  /** Frames louder than this are speech-like (dBFS; -40 suits phone speech over a quiet line). */
  thresholdDb?: number;
  minSpeechMs?: number;
  hangoverMs?: number;
  sampleRate?: number;
}

export type VadEvent = { type: 'speech-start'; atMs: number } | { type: 'speech-end'; atMs: number; speechMs: number };

/** RMS level of a frame in dBFS (full scale = 0 dB, digital silence = -Infinity). */
export function frameDbfs(frame: Int16Array): number {
  if (frame.length === 0) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = (frame[i] as number) / 32768;
    sum += v * v;
  }
  return 10 * Math.log10(sum / frame.length);
}

export class EnergyVad {
  private readonly threshold: number;
  private readonly minSpeechMs: number;
  private readonly hangoverMs: number;
  private readonly sampleRate: number;
  private elapsedMs = 0;
  private loudMs = 0;
  private quietMs = 0;
  private speaking = false;
  private speechStartMs = 0;

  constructor(opts: EnergyVadOptions = {}) {
    this.threshold = opts.thresholdDb ?? -40;
    this.minSpeechMs = opts.minSpeechMs ?? 60;
    this.hangoverMs = opts.hangoverMs ?? 500;
    this.sampleRate = opts.sampleRate ?? 16000;
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Feeds one frame; returns the event it caused, if any. Times are ms since the first frame. */
  push(frame: Int16Array): VadEvent | null {
    const frameMs = (frame.length / this.sampleRate) * 1000;
    const loud = frameDbfs(frame) > this.threshold;
    const start = this.elapsedMs;
    this.elapsedMs += frameMs;
    if (loud) {
      this.loudMs += frameMs;
      this.quietMs = 0;
      if (!this.speaking && this.loudMs >= this.minSpeechMs) {
        this.speaking = true;
        this.speechStartMs = start + frameMs - this.loudMs;
        return { type: 'speech-start', atMs: this.speechStartMs };
      }
    } else {
      this.quietMs += frameMs;
      if (!this.speaking) this.loudMs = 0;
      else if (this.quietMs >= this.hangoverMs) {
        this.speaking = false;
        this.loudMs = 0;
        const endMs = this.elapsedMs - this.quietMs;
        return { type: 'speech-end', atMs: endMs, speechMs: endMs - this.speechStartMs };
      }
    }
    return null;
  }
}
