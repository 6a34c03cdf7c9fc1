// A map whose entries expire after a time-to-live and whose size is capped: when full, the oldest
// entry is evicted. This is what keeps transaction caches bounded under a flood. Expired entries
// are invisible to `get` at once and removed by `sweep` (or when next looked up). Lifetimes run on
// the clock's monotonic time.
import type { Clock } from '../../shared/clock.js';

export type RemovalCause = 'expired' | 'evicted' | 'deleted' | 'cleared';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  /** Entries pushed out because the map was full. */
  evictions = 0;

  constructor(
    private readonly opts: {
      clock: Clock;
      capacity: number;
      onRemove?: (key: K, value: V, cause: RemovalCause) => void;
    },
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.opts.clock.monotonic()) {
      this.remove(key, entry, 'expired');
      return undefined;
    }
    return entry.value;
  }

  /** Inserts or replaces; a replaced value is not reported as removed. */
  set(key: K, value: V, ttlMs: number): void {
    const existing = this.entries.get(key);
    if (existing) this.entries.delete(key);
    else this.makeRoom();
    this.entries.set(key, { value, expiresAt: this.opts.clock.monotonic() + ttlMs });
  }

  /** Gives an existing entry a new time-to-live from now. */
  touch(key: K, ttlMs: number): void {
    const entry = this.entries.get(key);
    if (entry) entry.expiresAt = this.opts.clock.monotonic() + ttlMs;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.remove(key, entry, 'deleted');
    return true;
  }

  /** Removes every expired entry; returns how many. */
  sweep(): number {
    const now = this.opts.clock.monotonic();
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.remove(key, entry, 'expired');
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    for (const [key, entry] of this.entries) this.remove(key, entry, 'cleared');
  }

  private makeRoom(): void {
    while (this.entries.size >= this.opts.capacity) {
      const oldest = this.entries.entries().next();
      if (oldest.done) return;
      const [key, entry] = oldest.value;
      this.evictions++;
      this.remove(key, entry, 'evicted');
    }
  }

  private remove(key: K, entry: Entry<V>, cause: RemovalCause): void {
    this.entries.delete(key);
    this.opts.onRemove?.(key, entry.value, cause);
  }
}
