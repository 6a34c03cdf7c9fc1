// Per-source limits on new calls, so one LAN host cannot occupy every AI line: at most
// `maxCallsPerSource` calls (ringing or answered) from one address, and new INVITEs from one
// address at `invitesPerMinute` after a burst. Trunks (the PBX that forwards every caller: the
// configured registrar, and telephony.trunkNetworks) are held only to maxCalls, as before.
//
// Over a limit the INVITE gets 486 Busy Here (RFC 3261 21.4.24: this end system is not able to take
// another call; "MAY indicate a better time to call in the Retry-After header field"), with
// Retry-After when the rate is what refused it. Not 503: RFC 3261 21.5.4 tells the client (the
// PBX) to send no further requests to a server that answered 503 for the Retry-After time, which
// would turn one host's flood into every caller's outage; 486 refuses this call only, and a PBX
// ring group moves on to its next member or voicemail.
import type { Clock } from '../shared/clock.js';
import { NetworkAllowList, SourceRateLimiter } from './allow-list.js';

export interface InviteLimitSettings {
  /** All the box's lines. */
  maxCalls: number;
  /** Calls one non-trunk source may hold; null: all lines but one (at least one). */
  maxCallsPerSource: number | null;
  invitesPerMinute: number;
  /** Networks (CIDR) whose sources are trunks. */
  trunkNetworks: readonly string[];
}

export type InviteVerdict =
  | { ok: true }
  | { ok: false; reason: 'source-calls'; limit: number }
  | { ok: false; reason: 'source-rate'; retryAfterS: number };

/** New INVITEs one source may send at once before the per-minute rate applies. */
export const INVITE_BURST = 10;

export class InviteLimiter {
  private readonly trunkNetworks: NetworkAllowList;
  private readonly rate: SourceRateLimiter;

  constructor(
    private readonly deps: {
      clock: Clock;
      settings: InviteLimitSettings;
      /** Trunks known at run time (the registrar's addresses). */
      isTrunk?: (address: string) => boolean;
    },
  ) {
    const { settings } = deps;
    this.trunkNetworks = new NetworkAllowList(settings.trunkNetworks);
    this.rate = new SourceRateLimiter({
      burst: Math.min(INVITE_BURST, settings.invitesPerMinute),
      perMs: 60_000 / settings.invitesPerMinute,
      clock: deps.clock,
    });
  }

  /** The most calls a non-trunk source may hold. */
  get perSourceLimit(): number {
    const { maxCalls, maxCallsPerSource } = this.deps.settings;
    return Math.min(maxCalls, maxCallsPerSource ?? Math.max(1, maxCalls - 1));
  }

  isTrunk(address: string): boolean {
    return this.trunkNetworks.allows(address) || (this.deps.isTrunk?.(address) ?? false);
  }

  /**
   * Whether a new INVITE from `address`, which already holds `callsFromSource` calls, may ring.
   * Takes one from the source's rate budget when it may.
   */
  check(address: string, callsFromSource: number): InviteVerdict {
    if (this.isTrunk(address)) return { ok: true };
    const limit = this.perSourceLimit;
    if (callsFromSource >= limit) return { ok: false, reason: 'source-calls', limit };
    if (!this.rate.take(address)) return { ok: false, reason: 'source-rate', retryAfterS: Math.max(1, Math.ceil(this.rate.waitMs(address) / 1000)) };
    return { ok: true };
  }
}
