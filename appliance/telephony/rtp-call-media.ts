// CallMedia on media/'s RtpSession: binds RTP, answers the caller's SDP, records when asked.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { Logger } from '../log.js';
import {
  answerOffer,
  CallRecorder,
  createOffer,
  readAnswer,
  RtpSession,
  SdpNotAcceptableError,
  type AudioSource,
  type MediaCapabilities,
  type PortAllocator,
  type SdpAnswer,
} from '../media/index.js';
import { SdpNotAcceptable, type CallMedia, type CallMediaEvents, type CallMediaFactory, type PlaybackResult } from './call-media.js';

export interface RtpCallMediaDeps {
  log: Logger;
  ports: PortAllocator;
  /** Address RTP binds to. */
  bindAddress: string;
  /** Address written in our SDP (the one the caller can reach). */
  advertise: () => string;
  /** No RTP for this long (not on hold): the call is dead. */
  rtpTimeoutMs: number;
  /** The phone system is behind NAT: symmetric latching (see media/remote-latch.ts). Default false. */
  natLatching?: boolean;
  /** Where recordings go; null: recording unavailable. */
  recordingsDir: string | null;
  /** Called with the WAV path when a recording starts. */
  onRecording?: (callId: number, path: string) => void;
}

/**
 * The caller's audio feeds the VAD and ASR, not a listener's ear, so every ms between a packet's
 * arrival and its frame reaching the recogniser is a ms added to each turn. Frames are handed out
 * as their packets arrive, in order ('eager': no prefill, no wait for the next 20 ms tick); a
 * packet that does not come is concealed once two frames' worth of ticks or later packets have
 * passed it (the reorder window: ample on the spa's LAN, where jitter is a few ms).
 */
const CALLER_RECEIVE = { receive: 'eager', jitter: { prefillMs: 0 } } as const;

class RtpCallMedia extends EventEmitter<CallMediaEvents> implements CallMedia {
  private answer: SdpAnswer;

  constructor(
    private readonly session: RtpSession,
    answer: SdpAnswer,
    private readonly caps: MediaCapabilities,
    private readonly recorder: CallRecorder | null,
  ) {
    super();
    this.answer = answer;
    session.on('dtmf', (d) => this.emit('dtmf', d.digit));
    session.on('audio', (frame) => this.emit('audio', frame));
    session.on('timeout', () => this.emit('timeout'));
  }

  get codec(): string {
    const m = this.answer.media;
    return m.codec.includes('/') ? m.codec : `${m.codec}/${m.clockRate}`;
  }

  get answerSdp(): string {
    return this.answer.sdp;
  }

  async start(): Promise<void> {
    // The session was started (port bound) to write the answer; nothing more to do.
    return Promise.resolve();
  }

  update(offerSdp: string): string {
    try {
      this.answer = answerOffer(offerSdp, this.caps, { sessionId: this.answer.sessionId, previous: this.answer });
    } catch (err) {
      if (err instanceof SdpNotAcceptableError) throw new SdpNotAcceptable(err.message);
      throw err;
    }
    this.session.configure(this.answer.media);
    return this.answer.sdp;
  }

  async play(pcm: AudioSource): Promise<PlaybackResult> {
    const r = await this.session.play(pcm).done;
    return { playedMs: r.playedMs, interrupted: r.interrupted };
  }

  clear(): void {
    this.session.clear();
  }

  pause(): void {
    this.session.pause();
  }

  resume(): void {
    this.session.resume();
  }

  async stop(): Promise<void> {
    await this.session.stop();
    await this.recorder?.stop();
  }
}

/** Media for a call the box places (the transfer bridge's leg to staff): we offer, they answer. */
export interface OfferingMedia {
  offerSdp: string;
  /** Applies the answer; throws SdpNotAcceptable when it cannot be used. */
  accept(answerSdp: string): CallMedia;
  /** Releases the port when the call was never answered. */
  abandon(): Promise<void>;
}

export class RtpCallMediaFactory implements CallMediaFactory {
  constructor(private readonly deps: RtpCallMediaDeps) {}

  async offering(opts: { callId: number }): Promise<OfferingMedia> {
    const log = this.deps.log.child({ callId: opts.callId, leg: 'staff' });
    const session = new RtpSession({ ports: this.deps.ports, log, config: { bindAddress: this.deps.bindAddress, timeoutMs: this.deps.rtpTimeoutMs, natLatching: this.deps.natLatching ?? false } });
    await session.start();
    const caps: MediaCapabilities = { address: this.deps.advertise(), rtpPort: session.localPort };
    const sessionId = String(randomInt(1, 2 ** 47));
    const offerSdp = createOffer(caps, { sessionId, sessionVersion: 1 });
    return {
      offerSdp,
      accept: (answerSdp) => {
        let media;
        try {
          media = readAnswer(answerSdp, caps);
        } catch (err) {
          if (err instanceof SdpNotAcceptableError) throw new SdpNotAcceptable(err.message);
          throw err;
        }
        session.configure(media);
        const answer: SdpAnswer = { sdp: offerSdp, media, sessionId, sessionVersion: 1, remoteOrigin: undefined };
        return new RtpCallMedia(session, answer, caps, null);
      },
      abandon: () => session.stop(),
    };
  }

  async create(offerSdp: string, opts: { callId: number; record: boolean; signalingAddress?: string }): Promise<CallMedia> {
    const log = this.deps.log.child({ callId: opts.callId });
    let recorder: CallRecorder | null = null;
    if (opts.record && this.deps.recordingsDir) {
      mkdirSync(this.deps.recordingsDir, { recursive: true });
      const path = join(this.deps.recordingsDir, `call-${opts.callId}.wav`);
      recorder = new CallRecorder({ options: { path, sampleRate: 16000 }, log });
      await recorder.start();
      this.deps.onRecording?.(opts.callId, path);
    }
    const session = new RtpSession({
      ports: this.deps.ports,
      log,
      config: {
        bindAddress: this.deps.bindAddress,
        timeoutMs: this.deps.rtpTimeoutMs,
        natLatching: this.deps.natLatching ?? false,
        ...(opts.signalingAddress !== undefined ? { signalingAddress: opts.signalingAddress } : {}),
        ...CALLER_RECEIVE,
      },
      ...(recorder ? { tap: recorder } : {}),
    });
    await session.start();
    const caps: MediaCapabilities = { address: this.deps.advertise(), rtpPort: session.localPort };
    let answer: SdpAnswer;
    try {
      answer = answerOffer(offerSdp, caps, { sessionId: String(randomInt(1, 2 ** 47)) });
    } catch (err) {
      await session.stop();
      await recorder?.stop();
      if (err instanceof SdpNotAcceptableError) throw new SdpNotAcceptable(err.message);
      throw err;
    }
    session.configure(answer.media);
    return new RtpCallMedia(session, answer, caps, recorder);
  }
}
