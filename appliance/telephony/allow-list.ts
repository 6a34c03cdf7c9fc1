// Which networks may send SIP to the box. Default: loopback and the private LAN ranges (RFC 1918,
// RFC 6598 CGNAT, IPv6 ULA and link-local). The transport applies the list to the source address
// of every datagram and TCP connection before reading a byte of SIP (transport/source-filter.ts):
// everything else is dropped without an answer. The token bucket below limits per-source work
// (log lines for refused sources, new INVITEs from allowed ones).
import { BlockList, isIP } from 'node:net';
import { plainAddress } from '../ip-address.js';
import type { Clock } from '../shared/clock.js';

export const DEFAULT_ALLOWED_NETWORKS = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
] as const;

export class NetworkAllowList {
  private readonly list = new BlockList();

  constructor(cidrs: readonly string[] = DEFAULT_ALLOWED_NETWORKS) {
    for (const cidr of cidrs) {
      const [addr, bits] = cidr.split('/');
      const family = isIP(addr ?? '');
      if (!addr || family === 0) throw new RangeError(`not a network: ${cidr}`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, Number(bits), type);
    }
  }

  allows(address: string): boolean {
    // IPv4-mapped IPv6 (::ffff:10.0.0.5) is checked as IPv4.
    const addr = plainAddress(address);
    const family = isIP(addr);
    if (family === 0) return false;
    return this.list.check(addr, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Token bucket per source address: `burst` answers, then one per `perMs` of the clock's monotonic time. Bounded memory. */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly opts: { burst: number; perMs: number; clock: Clock; maxSources?: number }) {}

  take(source: string): boolean {
    const now = this.opts.clock.monotonic();
    let b = this.buckets.get(source);
    if (!b) {
      if (this.buckets.size >= (this.opts.maxSources ?? 10_000)) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      b = { tokens: this.opts.burst, at: now };
      this.buckets.set(source, b);
    }
    b.tokens = Math.min(this.opts.burst, b.tokens + (now - b.at) / this.opts.perMs);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** How long until `source` has a token again (0 if it has one now). Does not take one. */
  waitMs(source: string): number {
    const b = this.buckets.get(source);
    if (!b) return 0;
    const tokens = Math.min(this.opts.burst, b.tokens + (this.opts.clock.monotonic() - b.at) / this.opts.perMs);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * this.opts.perMs);
  }
}
