// Hands out even RTP ports (RTCP takes port + 1) from a range, each one picked at random among the
// free ones: a host on the LAN cannot guess the next call's port from the last one (to aim audio
// at it before the caller's first packet), and a freed port is seldom handed out again at once,
// so a new call rarely gets the port a finished call's stray packets may still be arriving on.
import { randomInt } from 'node:crypto';

export interface PortRange {
  min: number;
  max: number;
}

export class PortAllocator {
  private readonly free: number[] = [];
  private readonly inUse = new Set<number>();

  constructor(
    private readonly range: PortRange,
    private readonly deps: {
      /** A whole number from 0 to below `n` (default: crypto.randomInt). */
      pick?: (n: number) => number;
    } = {},
  ) {
    const first = range.min % 2 === 0 ? range.min : range.min + 1;
    for (let p = first; p + 1 <= range.max; p += 2) this.free.push(p);
    if (this.free.length === 0) throw new RangeError(`RTP port range ${range.min}-${range.max} holds no even/odd pair`);
  }

  get capacity(): number {
    return this.free.length + this.inUse.size;
  }

  get available(): number {
    return this.free.length;
  }

  /** A free even port chosen at random, or undefined when all are in use. */
  allocate(): number | undefined {
    if (this.free.length === 0) return undefined;
    const i = (this.deps.pick ?? randomInt)(this.free.length);
    const port = this.free[i];
    if (port === undefined) return undefined;
    // Swap-remove: O(1), order does not matter when picks are random.
    const last = this.free.pop() as number;
    if (i < this.free.length) this.free[i] = last;
    this.inUse.add(port);
    return port;
  }

  /** Returns a port to the pool. Releasing a port not allocated does nothing. */
  release(port: number): void {
    if (!this.inUse.delete(port)) return;
    this.free.push(port);
  }
}
