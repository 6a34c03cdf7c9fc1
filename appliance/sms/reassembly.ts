// Multi-part messages put back together: parts keyed by sender and concatenation reference, in
// any order, delivered once all have come; a message still missing parts after the expiry is
// delivered with what arrived (the gap marked) rather than lost. Timing on the Clock.
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { InboundSms } from './modem.js';

export interface IncomingPart {
  from: string;
  text: string;
  sentAt: number;
  concat: { reference: number; parts: number; part: number } | null;
}

interface Pending {
  parts: Map<number, IncomingPart>;
  total: number;
  timer: TimerHandle;
}

export const GAP = '[…]';

export class Reassembler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: { clock: Clock; expiryMs: number; deliver: (sms: InboundSms) => void }) {}

  add(part: IncomingPart): void {
    const c = part.concat;
    if (!c || c.parts <= 1) {
      this.deps.deliver({ from: part.from, text: part.text, sentAt: part.sentAt, parts: 1, complete: true });
      return;
    }
    if (c.part < 1 || c.part > c.parts) return;
    const key = `${part.from}\u0000${c.reference}\u0000${c.parts}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { parts: new Map(), total: c.parts, timer: this.deps.clock.setTimeout(() => this.flush(key), this.deps.expiryMs, { unref: true }) };
      this.pending.set(key, p);
    }
    p.parts.set(c.part, part);
    if (p.parts.size === p.total) this.flush(key);
  }

  /** Parts waiting for the rest. */
  get waiting(): number {
    return [...this.pending.values()].reduce((n, p) => n + p.parts.size, 0);
  }

  stop(): void {
    for (const p of this.pending.values()) this.deps.clock.clearTimeout(p.timer);
    this.pending.clear();
  }

  private flush(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.deps.clock.clearTimeout(p.timer);
    const texts: string[] = [];
    let first: IncomingPart | undefined;
    for (let i = 1; i <= p.total; i++) {
      const part = p.parts.get(i);
      first ??= part;
      texts.push(part ? part.text : GAP);
    }
    if (!first) return;
    this.deps.deliver({ from: first.from, text: texts.join(''), sentAt: first.sentAt, parts: p.total, complete: p.parts.size === p.total });
  }
}
