// Whose RTP a call takes. By default only the address and port the SDP names: a packet from
// anywhere else is foreign, so a host on the LAN cannot inject audio into a call (into the
// recogniser and the recording) or, by latching first, have the call's audio sent to itself.
//
// With latching on (telephony.natLatching: the phone system is behind NAT, where the address in
// its SDP is not where its packets come from), symmetric RTP (RFC 4961 in spirit): the first
// packet from the SDP's address or the call's signalling address, on any port, latches the stream
// and we send there; other sources are then ignored unless the latched one has been silent for
// relatchAfterMs (the NAT binding changed), and even then only those two addresses may take over.
// An SSRC the SDP announces must match, except from the SDP's own address and port.
import { plainAddress } from '../ip-address.js';

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

export interface RemoteLatchOptions {
  /** Take RTP from another port (and the signalling address) than the SDP's: NAT. Default false. */
  latching?: boolean;
  /** Where the call's SIP came from; with latching, RTP may come from it too. */
  signalingAddress?: string;
  /** With latching, a new source may take over once the latched one has been silent this long. */
  relatchAfterMs?: number;
}

export class RemoteLatch {
  private source: Endpoint | undefined;
  private lastSeenMs = 0;

  constructor(private readonly opts: RemoteLatchOptions = {}) {}

  get current(): Endpoint | undefined {
    return this.source;
  }

  get latching(): boolean {
    return this.opts.latching ?? false;
  }

  reset(): void {
    this.source = undefined;
  }

  /** Whether an address may send this call's media at all (RTP or RTCP), on some port. */
  addressAllowed(address: string, expected: { address: string }): boolean {
    const from = plainAddress(address);
    if (from === plainAddress(expected.address)) return true;
    const signaling = this.opts.signalingAddress;
    return this.latching && signaling !== undefined && from === plainAddress(signaling);
  }

  /** Whether a packet (already known to carry one of our payload types) from `from` is taken. */
  check(from: Endpoint, ssrc: number, expected: Expected, nowMs: number): LatchDecision {
    const s = this.source;
    // Per packet: a socket reports one sender the same way every time, so the plain comparison
    // settles it; the dual-stack normalising runs only when the two spellings differ.
    if (s && s.port === from.port && (s.address === from.address || plainAddress(s.address) === plainAddress(from.address))) {
      this.lastSeenMs = nowMs;
      return 'accept';
    }
    const fromSdp = plainAddress(from.address) === plainAddress(expected.address) && from.port === expected.port;
    if (!this.latching) {
      // Strict: the SDP's endpoint only. The first packet "latches" to it (for the 'latched' event).
      if (!fromSdp) return 'foreign';
      this.source = { address: from.address, port: from.port };
      this.lastSeenMs = nowMs;
      return 'latched';
    }
    if (!this.addressAllowed(from.address, expected)) return 'foreign';
    const plausible = expected.ssrc === undefined || ssrc === expected.ssrc || fromSdp;
    if (!plausible || (s && nowMs - this.lastSeenMs < (this.opts.relatchAfterMs ?? 2000))) return 'foreign';
    this.source = { address: from.address, port: from.port };
    this.lastSeenMs = nowMs;
    return s ? 'relatched' : 'latched';
  }
}
