// The interface the voice layer plays through, independent of the transport (RTP here; a test
// double or another transport elsewhere). Modelled on LiveKit's AudioOutput.
import type { AudioSource, PlayOptions, PlaybackHandle, PlaybackResult } from './playback-queue.js';

export type { AudioSource, PlayOptions, PlaybackHandle, PlaybackResult };

export interface AudioOutput {
  /** Sample rate of the PCM that play() takes (mono, 16-bit). */
  readonly sampleRate: number;
  /** Queues audio; playbacks run in order. */
  play(source: AudioSource, opts?: PlayOptions): PlaybackHandle;
  /** Stops the current playback within one frame and drops the queued ones; all resolve as interrupted. */
  clear(): void;
  /** Holds playback at the current frame (silence is sent) until resume() or clear(). */
  pause(): void;
  /** Goes on from where pause() held it. */
  resume(): void;
}
