// CallMedia on media/'s RtpSession: binds RTP, answers the caller's SDP, records when asked.
// The module boundary for errors: a listener of the call's audio, keys or RTP timeout that throws
// (they run inside socket and timer callbacks) is caught here and ends that call through 'failed';
// a recording that cannot be opened, or whose disk fills, leaves the call going unrecorded.
import { EventEmitter } from 'node:events';
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
  openPrivateRecording,
  type OpenRecordingFile,
  type SdpAnswer,
} from '../media/index.js';
import { ensurePrivateDirSync } from '../store/private-files.js';
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
  /** Called when a recording was asked for and could not be made or stopped early, with why. */
  onRecordingFailed?: (callId: number, why: string) => void;
  /** Opens a recording's file (default: a 0600 file on disk). */
  openRecording?: OpenRecordingFile;
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'no permission to write the recordings folder',
  EPERM: 'no permission to write the recordings folder',
  EIO: 'a disk input/output error',
  ENOTDIR: 'the recordings folder is not a folder',
  EEXIST: 'the recordings folder is not a folder',
};

/** Words for the call log about a file error: the disk is full, read-only, ... */
export function describeFileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code && FILE_ERRORS[code]) ?? code ?? (err instanceof Error ? err.message : String(err));
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

  private failed = false;

  constructor(
    private readonly session: RtpSession,
    answer: SdpAnswer,
    private readonly caps: MediaCapabilities,
    private readonly recorder: CallRecorder | null,
    private readonly log: Logger,
  ) {
    super();
    this.answer = answer;
    session.on('dtmf', (d) => this.forward('dtmf', d.digit));
    session.on('audio', (frame) => this.forward('audio', frame));
    session.on('timeout', () => this.forward('timeout'));
  }

  /** Hands an event to the call's listeners; one that throws ends the call instead of the daemon. */
  private forward<K extends 'dtmf' | 'audio' | 'timeout'>(event: K, ...args: CallMediaEvents[K]): void {
    if (this.failed) return;
    try {
      (this.emit as (e: K, ...a: CallMediaEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.failed = true;
      this.log.error({ err, event }, 'a call media handler failed: ending the call');
      try {
        this.emit('failed', err);
      } catch (inner) {
        this.log.error({ err: inner }, 'the media failure handler failed');
      }
    }
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

  /** Stops RTP (RTCP BYE, port freed) and closes the recording; never rejects. */
  async stop(): Promise<void> {
    try {
      await this.session.stop();
    } catch (err) {
      this.log.warn({ err }, 'RTP session did not stop cleanly');
    }
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
        return new RtpCallMedia(session, answer, caps, null, log);
      },
      abandon: () => session.stop(),
    };
  }

  async create(offerSdp: string, opts: { callId: number; record: boolean; signalingAddress?: string }): Promise<CallMedia> {
    const log = this.deps.log.child({ callId: opts.callId });
    const recorder = opts.record ? await this.startRecording(opts.callId, log) : null;
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
    return new RtpCallMedia(session, answer, caps, recorder, log);
  }

  /** A started recorder, or null when none can be made (the call goes on unrecorded and the owner is told why). */
  private async startRecording(callId: number, log: Logger): Promise<CallRecorder | null> {
    const dir = this.deps.recordingsDir;
    const failed = (why: string): void => {
      try {
        this.deps.onRecordingFailed?.(callId, why);
      } catch (err) {
        log.error({ err }, 'could not note the failed recording in the call log');
      }
    };
    if (!dir) {
      failed('not recorded: no recordings folder');
      return null;
    }
    const path = join(dir, `call-${callId}.wav`);
    const recorder = new CallRecorder({
      options: { path, sampleRate: 16000 },
      log,
      open: this.deps.openRecording ?? openPrivateRecording,
      onError: (err) => failed(`recording stopped early: ${describeFileError(err)}`),
    });
    try {
      ensurePrivateDirSync(dir);
      await recorder.start();
    } catch (err) {
      log.warn({ err }, 'the call recording could not be opened: the call goes on unrecorded');
      failed(`not recorded: ${describeFileError(err)}`);
      return null;
    }
    try {
      this.deps.onRecording?.(callId, path);
    } catch (err) {
      log.error({ err }, 'could not note the recording in the call log');
    }
    return recorder;
  }
}
