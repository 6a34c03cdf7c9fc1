// The simulated modem (SPA_MODEM=sim, and the box without hardware): the same interface as the AT
// driver; what it "sends" is kept (the outbox shows it as sent, with delivery reports), and
// receive() is an SMS arriving (POST /api/sim/sms).
import { EventEmitter } from 'node:events';
import type { Clock } from '../shared/clock.js';
import type { InboundSms, Modem, ModemEvents, ModemStatus, SendOptions } from './modem.js';
import { encodeSubmit } from './pdu.js';

export interface SimSent {
  to: string;
  text: string;
  parts: number;
  references: number[];
  at: number;
}

export class SimModem extends EventEmitter<ModemEvents> implements Modem {
  /** Every text handed over, oldest first (bounded). */
  readonly sent: SimSent[] = [];
  private mr = 0;
  private running = false;

  constructor(private readonly deps: { clock: Clock; deliveryReports?: boolean }) {
    super();
  }

  async start(): Promise<void> {
    this.running = true;
    this.emit('state', this.status());
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  status(): ModemStatus {
    return {
      driver: 'sim',
      device: null,
      state: this.running ? 'ready' : 'stopped',
      operator: 'Simulated',
      signal: { dBm: -71, bars: 4 },
      sim: 'ready',
      registered: this.running,
      lastError: null,
    };
  }

  async send(to: string, text: string, opts: SendOptions): Promise<{ references: number[] }> {
    if (!this.running) throw new Error('the simulated modem is stopped');
    // The real encoder runs, so a text it cannot encode fails here as it would on hardware.
    const parts = encodeSubmit(to, text, { reference: opts.concatReference ?? 0, statusReport: opts.statusReport });
    const references: number[] = [];
    for (const p of parts.slice(Math.max(0, (opts.fromPart ?? 1) - 1))) {
      opts.beforeHandoff?.(p.part);
      this.mr = (this.mr + 1) % 256;
      references.push(this.mr);
      opts.onPart?.({ part: p.part, parts: p.parts, reference: this.mr });
    }
    this.sent.push({ to, text, parts: parts.length, references, at: this.deps.clock.now() });
    if (this.sent.length > 1000) this.sent.shift();
    if (opts.statusReport && this.deps.deliveryReports !== false) {
      for (const reference of references) queueMicrotask(() => this.emit('report', { reference, recipient: to, status: 'delivered' }));
    }
    return { references };
  }

  /** An SMS arriving at the simulated modem. */
  receive(from: string, text: string): void {
    const sms: InboundSms = { from, text, sentAt: this.deps.clock.now(), parts: 1, complete: true };
    this.emit('message', sms);
  }
}
