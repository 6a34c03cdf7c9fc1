// The RFC 3261 reliability SIP.js 0.21 leaves to the transport, for UDP only: over TCP every
// method here does nothing (the transport is reliable and SIP.js's zero timers are correct).
// Client side: Timers A, E and the Timer D ACK cache (client-retransmissions.ts).
// Server side: Timer G and the response cache that answers retransmitted requests
// (server-retransmissions.ts). Memory is bounded: every cache expires and has a capacity.
import type { Clock, TimerHandle } from '../../shared/clock.js';
import { ClientRetransmissions } from './client-retransmissions.js';
import type { MessageInfo } from './message-info.js';
import type { ReliabilityCounters, Verdict } from './retransmission-deps.js';
import type { SendTarget, SipProtocol } from './routing.js';
import { ServerRetransmissions } from './server-retransmissions.js';
import { RFC3261_TIMERS, type SipTimerValues } from './sip-timer-values.js';

export interface ReliabilityDeps {
  clock: Clock;
  /** Sends a retransmission or a cached answer over UDP; fire-and-forget. */
  send: (text: string, target: SendTarget) => void;
  values?: Partial<SipTimerValues>;
  /** Most server / client transactions remembered at once (default 8192 / 2048). */
  capacity?: { server?: number; client?: number };
}

export interface ReliabilityStats extends ReliabilityCounters {
  serverTransactions: number;
  clientTransactions: number;
}

export class Reliability {
  private readonly counters: ReliabilityCounters = { retransmissionsSent: 0, duplicatesAbsorbed: 0 };
  private readonly client: ClientRetransmissions;
  private readonly server: ServerRetransmissions;
  private readonly values: SipTimerValues;
  private sweepTimer: TimerHandle | undefined;

  constructor(private readonly deps: ReliabilityDeps) {
    this.values = { ...RFC3261_TIMERS, ...deps.values };
    const common = { clock: deps.clock, values: this.values, send: deps.send, counters: this.counters };
    this.client = new ClientRetransmissions({ ...common, capacity: deps.capacity?.client ?? 2048 });
    this.server = new ServerRetransmissions({ ...common, capacity: deps.capacity?.server ?? 8192 });
  }

  /** Starts the periodic sweep of expired cache entries. */
  start(): void {
    this.scheduleSweep();
  }

  /** Stops every timer and forgets every transaction. */
  stop(): void {
    this.deps.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.client.stop();
    this.server.stop();
  }

  /** A message SIP.js asked to send, about to be written to `target`. */
  outgoing(info: MessageInfo, text: string, target: SendTarget): void {
    if (target.protocol !== 'UDP') return;
    if (info.kind === 'request') this.client.requestSent(info, text, target);
    else this.server.responseSent(info, text, target);
  }

  /** Writing a request failed: SIP.js gives up on that transaction, so do we. */
  sendFailed(info: MessageInfo): void {
    if (info.kind === 'request') this.client.forget(info);
  }

  /** A parsed message arrived: should it go up to SIP.js? */
  incoming(info: MessageInfo, protocol: SipProtocol): Verdict {
    if (protocol !== 'UDP') return 'deliver';
    return info.kind === 'request' ? this.server.requestReceived(info) : this.client.responseReceived(info);
  }

  stats(): ReliabilityStats {
    return { ...this.counters, serverTransactions: this.server.size, clientTransactions: this.client.size };
  }

  private scheduleSweep(): void {
    this.sweepTimer = this.deps.clock.setTimeout(() => {
      this.client.sweep();
      this.server.sweep();
      this.scheduleSweep();
    }, this.values.t4);
  }
}
