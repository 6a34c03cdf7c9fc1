// Who may reach the SIP stack at all, decided on the source address alone, before a byte of the
// message is read as SIP: a datagram or inbound TCP connection from outside the allowed networks is
// dropped (UDP) or reset (TCP) with no answer. A refused UDP source gets nothing back because
// anything we answer can be aimed at a third party by spoofing the source (a 403 is a reflection),
// tells a scanner a SIP stack lives here, and costs a parse; the log names the source at most a few
// times a minute and counters say how many were dropped.
//
// A flood of INVITEs from one allowed source is shed here too, after our cheap scan and before
// SIP.js's parser (about 1.5 ms an INVITE, so a few hundred a second fill a core): beyond a burst
// of `inviteBurst`, `invitesPerSecond` from one address; trunks and trusted addresses are exempt.
// The call layer's per-source limits (invite-limit.ts, far lower) answer 486; this only sheds what
// would otherwise keep the parser from other callers' INVITEs.
//
// Two kinds of peer outside the allowed networks still get through, each narrowly:
// - trusted addresses the agent sets (the configured registrar, whatever DNS says it is now), for
//   everything: in registered mode calls arrive from it;
// - peers we sent a request to in the last few minutes, for responses only (a datagram starting
//   "SIP/2.0 "; a byte compare, not a parse): a hosted registrar or a staff phone outside the list
//   must be able to answer the box's own REGISTER or INVITE.
import { NetworkAllowList, SourceRateLimiter } from '../allow-list.js';
import type { Logger } from '../../log.js';
import { ExpiringMap } from './expiring-map.js';
import { plainAddress } from '../../ip-address.js';
import type { Clock } from '../../shared/clock.js';

const RESPONSE_START = Buffer.from('SIP/2.0 ');

export type RefusalReason = 'not-allowed' | 'invite-flood' | 'tcp-per-address' | 'tcp-too-many';

export interface SourceFilterDeps {
  log: Logger;
  /** Rate limits and the contacted peers' lifetime (monotonic time). */
  clock: Clock;
  allowNetworks: readonly string[];
  /** How long a peer we sent a request to may answer (a long ring included). */
  contactedTtlMs: number;
  /** Sources (CIDR) exempt from the INVITE flood limit: the PBX or trunk forwarding every caller. */
  trunkNetworks?: readonly string[];
  /** INVITEs one source may send at once before `invitesPerSecond` applies (default 20). */
  inviteBurst?: number;
  /** Default 5: far above any caller's need, far below what would fill the parser. */
  invitesPerSecond?: number;
}

export class SourceFilter {
  private readonly allowed: NetworkAllowList;
  private readonly trunks: NetworkAllowList;
  private readonly invites: SourceRateLimiter;
  private readonly contactedPeers: ExpiringMap<string, true>;
  private readonly logBudget: SourceRateLimiter;
  private readonly totalLogBudget: SourceRateLimiter;
  private trusted: ReadonlySet<string> = new Set();

  /** Throws RangeError on an entry that is not a network (checked again by the settings schema). */
  constructor(private readonly deps: SourceFilterDeps) {
    this.allowed = new NetworkAllowList(deps.allowNetworks);
    this.trunks = new NetworkAllowList(deps.trunkNetworks ?? []);
    this.invites = new SourceRateLimiter({ burst: deps.inviteBurst ?? 20, perMs: 1000 / (deps.invitesPerSecond ?? 5), clock: deps.clock, maxSources: 4096 });
    this.contactedPeers = new ExpiringMap({ clock: deps.clock, capacity: 1024 });
    // Three log lines per source, then one a minute; and 20, then 10 a minute, for all sources
    // together (a flood from spoofed random addresses must not become a flood of log lines).
    this.logBudget = new SourceRateLimiter({ burst: 3, perMs: 60_000, clock: deps.clock, maxSources: 4096 });
    this.totalLogBudget = new SourceRateLimiter({ burst: 20, perMs: 6_000, clock: deps.clock });
  }

  /** Replaces the addresses trusted beyond the allowed networks (e.g. the registrar's). */
  trust(addresses: Iterable<string>): void {
    this.trusted = new Set([...addresses].map(plainAddress));
  }

  /** Networks and trusted addresses: may open a TCP connection, send requests. */
  admitsPeer(address: string): boolean {
    return this.allowed.allows(address) || this.trusted.has(plainAddress(address));
  }

  /** One datagram (or one message framed on a connection we opened), on its source and first bytes. */
  admitsMessage(address: string, bytes: Uint8Array): boolean {
    if (this.admitsPeer(address)) return true;
    return startsWith(bytes, RESPONSE_START) && this.contactedPeers.get(plainAddress(address)) !== undefined;
  }

  /** One INVITE from an admitted source: within its flood budget (trunks and trusted addresses always are)? */
  admitsInvite(address: string): boolean {
    if (this.trunks.allows(address) || this.trusted.has(plainAddress(address))) return true;
    return this.invites.take(plainAddress(address));
  }

  /** We sent a request to `address`: its responses are admitted for a while. */
  contacted(address: string): void {
    this.contactedPeers.set(plainAddress(address), true, this.deps.contactedTtlMs);
  }

  /** Logs a refusal, sparingly per source. */
  noteRefused(address: string, protocol: 'UDP' | 'TCP', reason: RefusalReason): void {
    if (this.logBudget.waitMs(address) > 0 || !this.totalLogBudget.take('*')) return;
    this.logBudget.take(address);
    this.deps.log.warn({ source: address, protocol, reason }, refusalText(reason));
  }

  sweep(): void {
    this.contactedPeers.sweep();
  }
}

function refusalText(reason: RefusalReason): string {
  switch (reason) {
    case 'not-allowed':
      return 'SIP from a network not in telephony.allowNetworks: dropped unread';
    case 'invite-flood':
      return 'INVITE flood from one source: INVITEs beyond its rate dropped before parsing';
    case 'tcp-per-address':
      return 'SIP TCP connection refused: too many from this address';
    case 'tcp-too-many':
      return 'SIP TCP connection refused: connection limit reached';
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
