// RFC 3261 17.1.1.1 / Table 4 timer values, in milliseconds. SIP.js 0.21 sets Timers D, I, J and K
// to 0 (it assumes a reliable transport) and implements neither A, E nor G; the transport's
// reliability layer uses these values instead.

export interface SipTimerValues {
  /** RTT estimate; the first retransmission interval. */
  t1: number;
  /** Maximum retransmission interval for non-INVITE requests and INVITE responses. */
  t2: number;
  /** Maximum time a message can stay in the network. */
  t4: number;
}

export const RFC3261_TIMERS: Readonly<SipTimerValues> = { t1: 500, t2: 4000, t4: 5000 };

/** 64*T1: Timers B, F, H and the Timer D/J lifetime on UDP. */
export function transactionTimeout(values: SipTimerValues): number {
  return 64 * values.t1;
}
