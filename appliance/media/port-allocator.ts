// Hands out even RTP ports (RTCP takes port + 1) from a range. Ports are used round-robin: a freed
// port goes to the back of the line, so a new call does not get the port a finished call's stray
// packets may still be arriving on.

export interface PortRange {
  min: number;
  max: number;
}

export class PortAllocator {
  private readonly free: number[] = [];
  private readonly inUse = new Set<number>();

  constructor(private readonly range: PortRange) {
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

  /** The next free even port, or undefined when all are in use. */
  allocate(): number | undefined {
    const port = this.free.shift();
    if (port !== undefined) this.inUse.add(port);
    return port;
  }

  /** Returns a port to the pool (at the back). Releasing a port not allocated does nothing. */
  release(port: number): void {
    if (!this.inUse.delete(port)) return;
    this.free.push(port);
  }
}
