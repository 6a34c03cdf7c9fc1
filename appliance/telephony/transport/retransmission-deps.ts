// What the client and server retransmission machines share: time, timer values, a way to send,
// and counters.
import type { Clock } from '../../shared/clock.js';
import type { SendTarget } from './routing.js';
import type { SipTimerValues } from './sip-timer-values.js';

/** A message as handed to the network, kept for resending. */
export interface Sent {
  text: string;
  target: SendTarget;
}

export interface ReliabilityCounters {
  retransmissionsSent: number;
  duplicatesAbsorbed: number;
}

export interface RetransmissionDeps {
  /** Timers A, E, G and the caches' lifetimes (monotonic time). */
  clock: Clock;
  values: SipTimerValues;
  /** Sends a retransmission (or a cached answer); fire-and-forget. */
  send: (text: string, target: SendTarget) => void;
  counters: ReliabilityCounters;
  /** Most transactions remembered at once; the oldest is forgotten first. */
  capacity: number;
}

/** Whether an incoming message goes up to SIP.js or was dealt with (absorbed) by the transport. */
export type Verdict = 'deliver' | 'absorb';
