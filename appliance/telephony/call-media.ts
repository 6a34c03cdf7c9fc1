// What the call layer needs from media/ for one call: an SDP answer for the caller's offer, RTP
// started and stopped with the call, audio out, DTMF in, and a signal when RTP stops arriving.
// The real implementation wraps media/'s RtpSession; tests may substitute a scripted one.
import type { EventEmitter } from 'node:events';

export interface PlaybackResult {
  playedMs: number;
  interrupted: boolean;
}

export interface CallMediaEvents {
  /** An RFC 4733 digit from the caller. */
  dtmf: [digit: string];
  /** 16 kHz mono frames from the caller (20 ms each). */
  audio: [frame: Int16Array];
  /** No RTP for the configured time (not raised while the call is on hold). */
  timeout: [];
  /** A handler of this call's media threw: the call cannot go on safely and is ended. */
  failed: [err: unknown];
}

export interface CallMedia extends EventEmitter<CallMediaEvents> {
  /** The negotiated codec, e.g. "PCMU/8000". */
  readonly codec: string;
  /** Our answer to the offer the media was created for. */
  readonly answerSdp: string;
  start(): Promise<void>;
  /** A re-INVITE's offer (hold, resume, address change): returns the new answer. Throws SdpNotAcceptable. */
  update(offerSdp: string): string;
  /** Plays 16 kHz mono PCM; resolves when it finished or was cleared. */
  play(pcm: Int16Array | AsyncIterable<Int16Array>): Promise<PlaybackResult>;
  /** Stops playback at once. */
  clear(): void;
  /** Holds playback where it is (the caller hears silence) until resume() or clear(). */
  pause(): void;
  /** Goes on from where pause() held it. */
  resume(): void;
  stop(): Promise<void>;
}

export interface CallMediaFactory {
  /**
   * Builds media for an offer; throws SdpNotAcceptable when no codec matches (-> 488). A recording
   * that cannot be made does not fail it: the call goes on unrecorded.
   * `signalingAddress`: where the INVITE came from (with NAT latching, RTP may come from it too).
   */
  create(offerSdp: string, opts: { callId: number; record: boolean; signalingAddress?: string }): Promise<CallMedia>;
}

/** The offer cannot be answered (no common codec, no audio stream): SIP 488. */
export class SdpNotAcceptable extends Error {
  readonly code = 'SPA_ERR_SDP_NOT_ACCEPTABLE';
  readonly status = 488;
}
