// The sending half of an RTP stream: sequence numbers, timestamps that follow the pacer's ticks
// (so a skipped tick leaves a timestamp gap, like real time), the marker bit at talkspurt start,
// 16 kHz -> codec-rate conversion with continuous filter state, and RFC 4733 digits that replace
// the audio while they play. It builds packets; the session sends them.
import type { Codec } from './codecs.js';
import { Downsampler2x } from './resampler.js';
import { serializeRtp } from './rtp-packet.js';
import { planDtmfPackets, type DtmfPacket } from './telephone-event.js';

export interface RtpSenderStats {
  packets: number;
  /** Payload octets sent (for RTCP sender reports). */
  octets: number;
  dtmfDigits: number;
}

export interface DtmfSendOptions {
  durationMs?: number;
  /** Pause between digits. */
  gapMs?: number;
  volume?: number;
}

interface DtmfJob {
  digits: string[];
  opts: DtmfSendOptions;
  resolve: () => void;
}

interface ActiveDigit {
  packets: DtmfPacket[];
  next: number;
  timestamp: number;
}

export class RtpSender {
  readonly stats: RtpSenderStats = { packets: 0, octets: 0, dtmfDigits: 0 };
  private codec: Codec | undefined;
  private telephoneEvent: { payloadType: number; clockRate: number } | undefined;
  private readonly downsampler = new Downsampler2x();
  private seq: number;
  /** timestamp = base + tick * frameTs, rebased when the codec's clock rate changes. */
  private base: number;
  private frameTs = 0;
  private rebaseFrom: number | undefined;
  private lastTimestamp: number;
  private lastWasAudio = false;
  private sentAny = false;
  private readonly dtmfJobs: DtmfJob[] = [];
  private digit: ActiveDigit | undefined;
  private gapTicks = 0;

  constructor(
    readonly ssrc: number,
    initialSeq: number,
    initialTimestamp: number,
    private readonly ptimeMs = 20,
  ) {
    this.seq = initialSeq & 0xffff;
    this.base = initialTimestamp >>> 0;
    this.lastTimestamp = this.base;
  }

  /** Timestamp of the last packet sent (or the initial one). */
  get timestamp(): number {
    return this.lastTimestamp;
  }

  /** True while a digit (or the pause after it) is being sent: audio waits. */
  get dtmfActive(): boolean {
    return this.digit !== undefined || this.gapTicks > 0 || this.dtmfJobs.length > 0;
  }

  configure(codec: Codec, telephoneEvent: { payloadType: number; clockRate: number } | undefined): void {
    const rateChanged = this.codec?.clockRate !== codec.clockRate;
    if (this.codec && rateChanged) this.rebaseFrom = this.lastTimestamp;
    if (rateChanged) this.downsampler.reset();
    this.codec = codec;
    this.frameTs = codec.samplesPerFrame(this.ptimeMs);
    this.telephoneEvent = telephoneEvent;
  }

  get canSendDtmf(): boolean {
    return this.telephoneEvent !== undefined;
  }

  /** Queues digits; resolves when the last end packet of the last digit is built. */
  queueDtmf(digits: string[], opts: DtmfSendOptions): Promise<void> {
    return new Promise((resolve) => this.dtmfJobs.push({ digits, opts, resolve }));
  }

  /** Drops queued digits (resolving their promises); a digit in progress finishes its end packets. */
  cancelDtmf(): void {
    for (const job of this.dtmfJobs.splice(0)) job.resolve();
  }

  /**
   * The packet for pacer tick `tick`: the next DTMF update if a digit is playing, else the audio
   * frame (16 kHz, 20 ms), or silence when `frame16k` is undefined. Undefined before configure().
   */
  packetForTick(tick: number, frame16k: Int16Array | undefined): Buffer | undefined {
    const codec = this.codec;
    if (!codec) return undefined;
    if (this.rebaseFrom !== undefined) {
      this.base = this.rebaseFrom + this.frameTs - tick * this.frameTs;
      this.rebaseFrom = undefined;
    }
    const timestamp = (this.base + tick * this.frameTs) >>> 0;
    const dtmf = this.nextDtmf(timestamp);
    if (dtmf) return dtmf;
    const pcm = codec.clockRate === 16000 ? (frame16k ?? new Int16Array(this.frameTs)) : this.downsampler.process(frame16k ?? new Int16Array(2 * this.frameTs));
    const isAudio = frame16k !== undefined;
    const marker = !this.sentAny || (isAudio && !this.lastWasAudio);
    this.lastWasAudio = isAudio;
    return this.emit(codec.payloadType, timestamp, marker, codec.encode(pcm));
  }

  private nextDtmf(timestamp: number): Buffer | undefined {
    const te = this.telephoneEvent;
    if (!this.digit && this.gapTicks > 0) {
      this.gapTicks--;
      return undefined;
    }
    if (!this.digit) {
      const job = this.dtmfJobs[0];
      if (!job || !te) return undefined;
      const d = job.digits.shift();
      if (d === undefined) return undefined;
      this.digit = { packets: planDtmfPackets(d, { clockRate: te.clockRate, packetMs: this.ptimeMs, durationMs: job.opts.durationMs, volume: job.opts.volume }), next: 0, timestamp };
      this.stats.dtmfDigits++;
    }
    const digit = this.digit;
    const p = digit.packets[digit.next++];
    if (!p || !te) {
      this.digit = undefined;
      return undefined;
    }
    if (digit.next >= digit.packets.length) {
      this.digit = undefined;
      const job = this.dtmfJobs[0];
      if (job) {
        this.gapTicks = Math.ceil((job.opts.gapMs ?? 60) / this.ptimeMs);
        if (job.digits.length === 0) {
          this.dtmfJobs.shift();
          this.gapTicks = 1;
          job.resolve();
        }
      }
    }
    this.lastWasAudio = false;
    return this.emit(te.payloadType, digit.timestamp, p.marker, p.payload);
  }

  private emit(payloadType: number, timestamp: number, marker: boolean, payload: Buffer): Buffer {
    const packet = serializeRtp({ payloadType, sequenceNumber: this.seq, timestamp, ssrc: this.ssrc, marker, payload });
    this.seq = (this.seq + 1) & 0xffff;
    this.lastTimestamp = timestamp;
    this.sentAny = true;
    this.stats.packets++;
    this.stats.octets += payload.length;
    return packet;
  }
}
