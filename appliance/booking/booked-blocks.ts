// Booked appointment blocks sorted by start, for fast range queries during slot searches.
import type { BusyBlock } from './types.js';

const MAX_BLOCK_MS = 24 * 3_600_000;

export class BookedBlocks {
  /**
   * @param rows booked blocks sorted by start
   * @param coversFrom the earliest instant these rows are complete for
   */
  constructor(
    private readonly rows: (BusyBlock & { id: number })[],
    private readonly coversFrom: number,
  ) {}

  get size(): number {
    return this.rows.length;
  }

  add(row: BusyBlock & { id: number }): void {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.rows[mid] as BusyBlock).start <= row.start) lo = mid + 1;
      else hi = mid;
    }
    this.rows.splice(lo, 0, row);
  }

  remove(id: number): void {
    const i = this.rows.findIndex((r) => r.id === id);
    if (i >= 0) this.rows.splice(i, 1);
  }

  /** Blocks overlapping [from, to), except appointment `exceptId`; null when [from, to) is not covered. */
  between(from: number, to: number, exceptId = -1): BusyBlock[] | null {
    if (from - MAX_BLOCK_MS < this.coversFrom) return null;
    const lowest = from - MAX_BLOCK_MS;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.rows[mid] as BusyBlock).start < lowest) lo = mid + 1;
      else hi = mid;
    }
    const out: BusyBlock[] = [];
    for (let i = lo; i < this.rows.length; i++) {
      const r = this.rows[i] as BusyBlock & { id: number };
      if (r.start >= to) break;
      if (r.end > from && r.id !== exceptId) out.push(r);
    }
    return out;
  }
}
