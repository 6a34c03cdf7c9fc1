// CallMedia on media/'s RtpSession: binds RTP, answers the caller's SDP, records when asked.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { Logger } from '../log.js';
import {
  answerOffer,
  CallRecorder,
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
  /** Where recordings go; null: recording unavailable. */
  recordingsDir: string | null;
  /** Called with the WAV path when a recording starts. */
  onRecording?: (callId: number, path: string) => void;
}

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

  async stop(): Promise<void> {
    await this.session.stop();
    await this.recorder?.stop();
  }
}

export class RtpCallMediaFactory implements CallMediaFactory {
  constructor(private readonly deps: RtpCallMediaDeps) {}

  async create(offerSdp: string, opts: { callId: number; record: boolean }): Promise<CallMedia> {
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
      config: { bindAddress: this.deps.bindAddress, timeoutMs: this.deps.rtpTimeoutMs },
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
