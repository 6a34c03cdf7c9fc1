// The receiving half of an RTP stream, after the session has accepted a packet: audio goes through
// the jitter buffer, loss concealment and 8 -> 16 kHz conversion into steady 20 ms frames;
// telephone-events become digits; RTCP statistics are kept.
import type { Codec } from './codecs.js';
import { JitterBuffer, type JitterBufferOptions, type JitterBufferStats } from './jitter-buffer.js';
import { LossConcealer } from './loss-concealer.js';
import { ReceiveStats } from './receive-stats.js';
import { Upsampler2x } from './resampler.js';
import type { RtpPacket } from './rtp-packet.js';
import { DtmfReceiver, type ReceivedDigit } from './telephone-event.js';

/** Comfort noise (RFC 3389): accepted and treated as silence. */
const PT_COMFORT_NOISE = 13;

export type FrameStatus = 'audio' | 'concealed' | 'silence';

export interface RtpReceiverStats {
  audioPackets: number;
  dtmfPackets: number;
  comfortNoisePackets: number;
  undecodable: number;
  jitter: JitterBufferStats;
}

export type JitterSettings = Omit<JitterBufferOptions, 'clockRate'>;

export class RtpReceiver {
  private codec: Codec | undefined;
  private telephoneEventPt: number | undefined;
  private jitter: JitterBuffer | undefined;
  private concealer: LossConcealer | undefined;
  private upsampler: Upsampler2x | undefined;
  private dtmf: DtmfReceiver | undefined;
  private rtcpStats: ReceiveStats | undefined;
  private codecFrame = new Int16Array(0);
  private counters = { audioPackets: 0, dtmfPackets: 0, comfortNoisePackets: 0, undecodable: 0 };
  private retiredJitter: JitterBufferStats = { buffered: 0, late: 0, duplicates: 0, resets: 0, ssrcChanges: 0, lostFrames: 0, overflowSkips: 0 };

  constructor(
    private readonly jitterSettings: JitterSettings = {},
    private readonly frameMs = 20,
  ) {}

  /** Sets (or on a re-INVITE changes) the codec and telephone-event payload type. A new codec restarts the pipeline. */
  configure(codec: Codec, telephoneEvent: { payloadType: number; clockRate: number } | undefined): void {
    const same = this.codec?.name === codec.name && this.codec.payloadType === codec.payloadType;
    this.telephoneEventPt = telephoneEvent?.payloadType;
    if (telephoneEvent && this.dtmf === undefined) this.dtmf = new DtmfReceiver(telephoneEvent.clockRate);
    if (same) return;
    if (this.jitter) this.retire(this.jitter.stats);
    this.codec = codec;
    this.jitter = new JitterBuffer({ ...this.jitterSettings, clockRate: codec.clockRate });
    this.codecFrame = new Int16Array(codec.samplesPerFrame(this.frameMs));
    this.concealer = new LossConcealer(this.codecFrame.length);
    this.upsampler = codec.clockRate === 8000 ? new Upsampler2x() : undefined;
    this.rtcpStats = new ReceiveStats(codec.clockRate);
  }

  /** True if the payload type belongs to this stream (audio, telephone-event, comfort noise). */
  accepts(payloadType: number): boolean {
    return payloadType === this.codec?.payloadType || payloadType === this.telephoneEventPt || payloadType === PT_COMFORT_NOISE;
  }

  get reception(): ReceiveStats | undefined {
    return this.rtcpStats;
  }

  /** Takes one accepted packet; returns the digits it completed. */
  onPacket(p: RtpPacket, nowMs: number): ReceivedDigit[] {
    const codec = this.codec;
    if (!codec || !this.jitter) return [];
    this.rtcpStats?.update(p.ssrc, p.sequenceNumber, p.timestamp, nowMs);
    if (p.payloadType === codec.payloadType) {
      this.counters.audioPackets++;
      const samples = codec.decode(p.payload);
      if (samples.length === 0) {
        this.counters.undecodable++;
        return [];
      }
      this.jitter.push({ ssrc: p.ssrc, sequenceNumber: p.sequenceNumber, timestamp: p.timestamp, samples });
      return [];
    }
    if (p.payloadType === this.telephoneEventPt && this.dtmf) {
      this.counters.dtmfPackets++;
      return this.dtmf.push(p.timestamp, p.payload, nowMs);
    }
    this.counters.comfortNoisePackets++;
    return [];
  }

  /** Closes a digit whose end packets never came. */
  pollDtmf(nowMs: number): ReceivedDigit | undefined {
    return this.dtmf?.poll(nowMs);
  }

  /** True when the next frame's audio has all arrived (see JitterBuffer.hasFrame). */
  get frameReady(): boolean {
    return this.jitter?.hasFrame(this.codecFrame.length) ?? false;
  }

  /** Whole frames buffered ahead of the playout point (behind a gap, if there is one). */
  get framesBuffered(): number {
    return this.jitter && this.codecFrame.length > 0 ? Math.floor(this.jitter.depth / this.codecFrame.length) : 0;
  }

  /** Whether playout has started (false before the first packet and after a long underrun). */
  get playing(): boolean {
    return this.jitter?.isPlaying ?? false;
  }

  /** The next 20 ms of received audio at 16 kHz (320 samples), and what it is. */
  nextFrame(): { frame: Int16Array; status: FrameStatus } {
    const jitter = this.jitter;
    const concealer = this.concealer;
    if (!jitter || !concealer) return { frame: new Int16Array(Math.round(16 * this.frameMs)), status: 'silence' };
    const pcm = this.codecFrame;
    const read = jitter.read(pcm);
    let status: FrameStatus;
    switch (read) {
      case 'audio':
      case 'partial':
        concealer.good(pcm);
        status = 'audio';
        break;
      case 'missing':
        concealer.conceal(pcm);
        status = 'concealed';
        break;
      case 'idle':
        pcm.fill(0);
        status = 'silence';
        break;
    }
    const frame = this.upsampler ? this.upsampler.process(pcm) : pcm.slice();
    return { frame, status };
  }

  get stats(): RtpReceiverStats {
    const j = this.jitter?.stats;
    const jitter = { ...this.retiredJitter };
    if (j) for (const k of Object.keys(jitter) as (keyof JitterBufferStats)[]) jitter[k] += j[k];
    return { ...this.counters, jitter };
  }

  private retire(s: JitterBufferStats): void {
    for (const k of Object.keys(this.retiredJitter) as (keyof JitterBufferStats)[]) this.retiredJitter[k] += s[k];
  }
}
