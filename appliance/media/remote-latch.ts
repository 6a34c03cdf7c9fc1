// Symmetric RTP (RFC 4961 in spirit; "NAT latching"): the address a phone behind NAT writes in its
// SDP is often not where its packets come from. The first acceptable packet latches the stream to
// its real source and we send there; packets from any other source are then ignored, unless the
// latched source has been silent for relatchAfterMs (the phone's NAT binding changed).

export interface Endpoint {
  address: string;
  port: number;
}

export type LatchDecision = 'accept' | 'latched' | 'relatched' | 'foreign';

export interface Expected {
  /** RTP address and port from the SDP. */
  address: string;
  port: number;
  /** SSRC from the SDP (a=ssrc), if it gave one. */
  ssrc: number | undefined;
}

export class RemoteLatch {
  private source: Endpoint | undefined;
  private lastSeenMs = 0;

  constructor(private readonly relatchAfterMs = 2000) {}

  get current(): Endpoint | undefined {
    return this.source;
  }

  reset(): void {
    this.source = undefined;
  }

  /** Whether a packet (already known to carry one of our payload types) from `from` is taken. */
  check(from: Endpoint, ssrc: number, expected: Expected, nowMs: number): LatchDecision {
    const s = this.source;
    if (s && s.address === from.address && s.port === from.port) {
      this.lastSeenMs = nowMs;
      return 'accept';
    }
    const fromSdp = from.address === expected.address && from.port === expected.port;
    const plausible = expected.ssrc === undefined || ssrc === expected.ssrc || fromSdp;
    if (!plausible || (s && nowMs - this.lastSeenMs < this.relatchAfterMs)) return 'foreign';
    this.source = { address: from.address, port: from.port };
    this.lastSeenMs = nowMs;
    return s ? 'relatched' : 'latched';
  }
}
