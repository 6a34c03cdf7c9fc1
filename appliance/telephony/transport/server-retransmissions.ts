// Server transaction reliability over UDP that SIP.js 0.21 leaves out (RFC 3261 17.2):
// - Timer G (17.2.1): a non-2xx final response to INVITE is retransmitted at T1 doubling up to T2
//   until the ACK (same branch and sent-by) arrives, or Timer H (64*T1).
// - Retransmitted requests (17.2.3 matching: branch, sent-by, method) are answered here with the
//   last response sent and not passed to SIP.js again, for 64*T1: SIP.js's Timers I and J are 0,
//   so it would treat a late retransmission (e.g. a BYE whose 200 OK was lost) as a new request.
//   An INVITE retransmitted before a final response gets the latest provisional response; one
//   retransmitted after a 2xx is absorbed (RFC 6026 7.1, the 2xx is resent by SIP.js's dialog).
// - Duplicate ACKs are absorbed (the first one goes to SIP.js).
// 2xx responses to INVITE are NOT retransmitted here: SIP.js's SessionDialog already does it
// (start2xxRetransmissionTimer, RFC 3261 13.3.1.4) and reports a missing ACK to its delegate.
import { ExpiringMap } from './expiring-map.js';
import { serverTransactionKey, type RequestInfo, type ResponseInfo } from './message-info.js';
import type { RetransmissionDeps, Sent, Verdict } from './retransmission-deps.js';
import type { SendTarget } from './routing.js';
import type { TimerHandle } from '../../shared/clock.js';
import { transactionTimeout } from './sip-timer-values.js';
import { sentByKey } from './via.js';

interface ServerRecord {
  invite: boolean;
  provisional?: Sent;
  final?: Sent & { status: number };
  acked: boolean;
  timerG?: TimerHandle;
  intervalG: number;
  /** Timer H deadline. */
  giveUpAt: number;
}

export class ServerRetransmissions {
  private readonly records: ExpiringMap<string, ServerRecord>;
  /** ACKs for 2xx responses already passed up (they have their own branch). */
  private readonly acks: ExpiringMap<string, true>;

  constructor(private readonly deps: RetransmissionDeps) {
    this.records = new ExpiringMap({ clock: deps.clock, capacity: deps.capacity, onRemove: (_k, r) => this.stopTimerG(r) });
    this.acks = new ExpiringMap({ clock: deps.clock, capacity: deps.capacity });
  }

  get size(): number {
    return this.records.size;
  }

  /** A request arrived over UDP: pass it up, or answer it from the cache. */
  requestReceived(info: RequestInfo): Verdict {
    const key = serverTransactionKey(info);
    const record = this.records.get(key);
    const { counters } = this.deps;
    const lifetime = transactionTimeout(this.deps.values);

    if (info.method === 'ACK') {
      if (record?.final && record.final.status >= 300) {
        if (record.acked) {
          counters.duplicatesAbsorbed++;
          return 'absorb';
        }
        record.acked = true; // stops Timer G; SIP.js moves to Confirmed
        this.stopTimerG(record);
        return 'deliver';
      }
      if (record) return 'deliver';
      const ackKey = `${info.branch}|${sentByKey(info.via)}|ACK`;
      if (this.acks.get(ackKey)) {
        counters.duplicatesAbsorbed++;
        return 'absorb';
      }
      this.acks.set(ackKey, true, lifetime);
      return 'deliver';
    }

    if (!record) {
      this.records.set(key, { invite: info.method === 'INVITE', acked: false, intervalG: 0, giveUpAt: 0 }, lifetime);
      return 'deliver';
    }
    counters.duplicatesAbsorbed++;
    const answer = record.final ?? record.provisional;
    const acceptedInvite = record.invite && record.final !== undefined && record.final.status < 300;
    if (answer && !acceptedInvite) {
      this.deps.send(answer.text, answer.target);
      counters.retransmissionsSent++;
    }
    return 'absorb';
  }

  /** SIP.js sent a response over UDP. */
  responseSent(info: ResponseInfo, text: string, target: SendTarget): void {
    const key = serverTransactionKey(info);
    const lifetime = transactionTimeout(this.deps.values);
    let record = this.records.get(key);
    if (!record) {
      record = { invite: info.cseqMethod === 'INVITE', acked: false, intervalG: 0, giveUpAt: 0 };
      this.records.set(key, record, lifetime);
    } else {
      this.records.touch(key, lifetime);
    }
    if (info.status < 200) {
      record.provisional = { text, target };
      return;
    }
    if (record.final?.text === text) {
      // SIP.js resending the same final response (its 2xx retransmission timer).
      this.deps.counters.retransmissionsSent++;
      return;
    }
    this.stopTimerG(record);
    record.final = { text, target, status: info.status };
    if (record.invite && info.status >= 300 && !record.acked) {
      record.intervalG = this.deps.values.t1;
      record.giveUpAt = this.deps.clock.monotonic() + lifetime;
      this.scheduleG(record);
    }
  }

  sweep(): void {
    this.records.sweep();
    this.acks.sweep();
  }

  stop(): void {
    this.records.clear();
    this.acks.clear();
  }

  private scheduleG(record: ServerRecord): void {
    const { clock } = this.deps;
    if (clock.monotonic() + record.intervalG >= record.giveUpAt) return; // Timer H
    record.timerG = clock.setTimeout(() => this.fireG(record), record.intervalG);
  }

  private fireG(record: ServerRecord): void {
    record.timerG = undefined;
    if (record.acked || !record.final) return;
    this.deps.send(record.final.text, record.final.target);
    this.deps.counters.retransmissionsSent++;
    record.intervalG = Math.min(record.intervalG * 2, this.deps.values.t2);
    this.scheduleG(record);
  }

  private stopTimerG(record: ServerRecord): void {
    this.deps.clock.clearTimeout(record.timerG);
    record.timerG = undefined;
  }
}
