// Reception statistics of one remote RTP source for RTCP report blocks: extended highest sequence
// number, loss and interarrival jitter (RFC 3550 appendix A.1, A.3, A.8).
import type { ReportBlock } from './rtcp.js';
import { ntpMiddle32 } from './rtcp.js';

const RTP_SEQ_MOD = 1 << 16;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReceiveStats {
  private ssrc: number | undefined;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitter = 0;
  private lastTransit: number | undefined;
  private lastSrMiddle = 0;
  private lastSrAtMs: number | undefined;

  constructor(private readonly clockRate: number) {}

  /** Records one packet; `arrivalMs` is a monotonic time. Returns false if its sequence number was rejected as a jump. */
  update(ssrc: number, seq: number, rtpTimestamp: number, arrivalMs: number): boolean {
    if (this.ssrc !== ssrc) this.init(ssrc, seq);
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: accept it only if the next packet follows it (the source restarted).
      if (seq === this.badSeq) {
        this.init(ssrc, seq);
      } else {
        this.badSeq = (seq + 1) % RTP_SEQ_MOD;
        return false;
      }
    }
    this.received++;
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - rtpTimestamp;
    if (this.lastTransit !== undefined) {
      let d = Math.abs(transit - this.lastTransit);
      if (d > 0x80000000) d = Math.abs(d - 0x100000000); // timestamp wrapped between the two packets
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
    return true;
  }

  /** Notes a sender report from the remote source, for LSR/DLSR in our next report. */
  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lastSrMiddle = ntpMiddle32(ntpSeconds, ntpFraction);
    this.lastSrAtMs = arrivalMs;
  }

  get packetsReceived(): number {
    return this.received;
  }

  get extendedHighestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  get cumulativeLost(): number {
    return this.ssrc === undefined ? 0 : this.extendedHighestSeq - this.baseSeq + 1 - this.received;
  }

  get jitterTimestampUnits(): number {
    return this.jitter;
  }

  /** A report block for the source and the start of the next reporting interval; undefined before any packet. */
  reportBlock(nowMs: number): ReportBlock | undefined {
    if (this.ssrc === undefined) return undefined;
    const expected = this.extendedHighestSeq - this.baseSeq + 1;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost,
      cumulativeLost: this.cumulativeLost,
      extendedHighestSeq: this.extendedHighestSeq,
      jitter: Math.floor(this.jitter),
      lastSr: this.lastSrAtMs === undefined ? 0 : this.lastSrMiddle,
      delaySinceLastSr: this.lastSrAtMs === undefined ? 0 : Math.floor(((nowMs - this.lastSrAtMs) / 1000) * 65536),
    };
  }

  private init(ssrc: number, seq: number): void {
    this.ssrc = ssrc;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.cycles = 0;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.jitter = 0;
    this.lastTransit = undefined;
  }
}

