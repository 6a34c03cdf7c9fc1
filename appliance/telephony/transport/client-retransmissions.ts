// Client transaction reliability over UDP that SIP.js 0.21 leaves out (RFC 3261 17.1):
// - INVITE: Timer A, retransmit at T1, 2T1, 4T1, ... while no response has arrived, up to Timer B
//   (64*T1).
// - non-INVITE (CANCEL included): Timer E, retransmit at T1 doubling up to T2, every T2 once a
//   provisional response arrived, stop on a final response or at Timer F (64*T1).
// - Timer D (17.1.1.2): SIP.js ends the INVITE transaction as soon as it ACKs a non-2xx final
//   response, so the ACK it sent is kept here for 64*T1 and resent when that response is
//   retransmitted. Timer K (17.1.2.2): retransmitted final responses to a completed non-INVITE
//   transaction are absorbed for T4.
// ACKs are never retransmitted on a timer. 2xx responses to INVITE always go up to SIP.js, which
// resends its ACK for each (its Timer M is implemented).
import type { TimerHandle } from '../../shared/clock.js';
import { ExpiringMap } from './expiring-map.js';
import { clientTransactionKey, type RequestInfo, type ResponseInfo } from './message-info.js';
import type { RetransmissionDeps, Sent, Verdict } from './retransmission-deps.js';
import type { SendTarget } from './routing.js';
import { transactionTimeout } from './sip-timer-values.js';

type ClientState = 'calling' | 'trying' | 'proceeding' | 'completed';

interface ClientRecord {
  invite: boolean;
  request: Sent;
  state: ClientState;
  startedAt: number;
  interval: number;
  timer?: TimerHandle;
  /** The ACK SIP.js sent for a non-2xx final response (INVITE only). */
  ack?: Sent;
}

export class ClientRetransmissions {
  private readonly records: ExpiringMap<string, ClientRecord>;

  constructor(private readonly deps: RetransmissionDeps) {
    this.records = new ExpiringMap({
      clock: deps.clock,
      capacity: deps.capacity,
      onRemove: (_key, record) => this.stopTimer(record),
    });
  }

  get size(): number {
    return this.records.size;
  }

  /** A request has been handed to the network over UDP. */
  requestSent(info: RequestInfo, text: string, target: SendTarget): void {
    if (info.method === 'ACK') {
      const invite = this.records.get(`${info.branch}|INVITE`);
      if (invite?.state === 'completed') invite.ack = { text, target };
      return;
    }
    const key = clientTransactionKey(info);
    const invite = info.method === 'INVITE';
    const record: ClientRecord = {
      invite,
      request: { text, target },
      state: invite ? 'calling' : 'trying',
      startedAt: this.deps.clock.monotonic(),
      interval: this.deps.values.t1,
    };
    this.records.delete(key);
    this.records.set(key, record, transactionTimeout(this.deps.values));
    this.schedule(record);
  }

  /** Sending failed: SIP.js ends the transaction, so stop retransmitting it. */
  forget(info: RequestInfo): void {
    if (info.method !== 'ACK') this.records.delete(clientTransactionKey(info));
  }

  /** A response matching one of our requests by branch and CSeq method arrived. */
  responseReceived(info: ResponseInfo): Verdict {
    const key = clientTransactionKey(info);
    const record = this.records.get(key);
    if (!record) return 'deliver';
    const final = info.status >= 200;
    const { counters, values } = this.deps;

    if (record.state === 'completed') {
      if (!final) {
        counters.duplicatesAbsorbed++;
        return 'absorb';
      }
      if (record.invite && info.status < 300) return 'deliver';
      if (record.ack) {
        this.deps.send(record.ack.text, record.ack.target);
        counters.retransmissionsSent++;
      }
      counters.duplicatesAbsorbed++;
      return 'absorb';
    }

    if (record.invite) {
      // Any response stops Timer A (17.1.1.2).
      this.stopTimer(record);
      if (!final) record.state = 'proceeding';
      else if (info.status < 300) this.records.delete(key);
      else {
        record.state = 'completed';
        this.records.touch(key, transactionTimeout(values)); // Timer D
      }
      return 'deliver';
    }
    if (!final) {
      record.state = 'proceeding';
      return 'deliver';
    }
    this.stopTimer(record);
    record.state = 'completed';
    this.records.touch(key, values.t4); // Timer K
    return 'deliver';
  }

  sweep(): void {
    this.records.sweep();
  }

  stop(): void {
    this.records.clear();
  }

  private schedule(record: ClientRecord): void {
    const { clock, values } = this.deps;
    // Timers B and F: no retransmission at or beyond 64*T1.
    if (clock.monotonic() + record.interval >= record.startedAt + transactionTimeout(values)) return;
    record.timer = clock.setTimeout(() => this.fire(record), record.interval);
  }

  private fire(record: ClientRecord): void {
    record.timer = undefined;
    const retransmitting = record.state === 'calling' || record.state === 'trying' || record.state === 'proceeding';
    if (!retransmitting || (record.invite && record.state !== 'calling')) return;
    this.deps.send(record.request.text, record.request.target);
    this.deps.counters.retransmissionsSent++;
    const { t2 } = this.deps.values;
    if (record.invite) record.interval *= 2;
    else record.interval = record.state === 'proceeding' ? t2 : Math.min(record.interval * 2, t2);
    this.schedule(record);
  }

  private stopTimer(record: ClientRecord): void {
    this.deps.clock.clearTimeout(record.timer);
    record.timer = undefined;
  }
}
