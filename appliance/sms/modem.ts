// What every modem driver offers the SMS module: the real one over AT (at-modem.ts) and the
// simulated one (sim-modem.ts, SPA_MODEM=sim) have the same interface, so the outbox, the inbox
// and the text-back policy never know which one they drive.
import type { EventEmitter } from 'node:events';
import type { ModemFault } from './errors.js';

export type ModemState = 'starting' | 'ready' | 'unplugged' | 'stopped' | 'error' | ModemFault;

export interface ModemStatus {
  driver: 'at' | 'sim';
  /** The serial device (the /dev/serial/by-id path when found that way); null for the simulated modem. */
  device: string | null;
  state: ModemState;
  operator: string | null;
  /** dBm from AT+CSQ and 0-4 bars; null before the first reading or when the modem does not know. */
  signal: { dBm: number; bars: number } | null;
  sim: 'ready' | 'absent' | 'pin-needed' | 'locked' | 'failure' | 'unknown';
  /** Registered on the network (CREG or CEREG: home or roaming). */
  registered: boolean;
  lastError: string | null;
}

export interface InboundSms {
  from: string;
  text: string;
  /** The service centre's time stamp of the (first) part. */
  sentAt: number;
  /** Parts reassembled; `complete` false when the expiry passed with parts missing. */
  parts: number;
  complete: boolean;
}

export interface DeliveryReport {
  /** TP-MR of the part, as +CMGS answered it. */
  reference: number;
  recipient: string;
  status: 'delivered' | 'pending' | 'failed';
}

export interface SendOptions {
  /** Ask for delivery reports. */
  statusReport: boolean;
  /** Parts already handed to the modem by an earlier try (resume after a failure or a restart). */
  fromPart?: number;
  /**
   * Called just before each part's PDU is written to the modem (the handoff): the outbox records
   * it, so a crash before the modem's answer leaves the part known to be in doubt.
   */
  beforeHandoff?: (part: number) => void;
  /** Called as each part is accepted by the modem, with its message reference (TP-MR). */
  onPart?: (part: { part: number; parts: number; reference: number }) => void;
  /** Concatenation reference; the driver picks one when absent. */
  concatReference?: number;
}

export interface ModemEvents {
  message: [sms: InboundSms];
  report: [report: DeliveryReport];
  state: [status: ModemStatus];
  /** An incoming voice call the modem itself rang for (RING/+CLIP); the number when shown. */
  ring: [from: string | null];
}

export interface Modem extends EventEmitter<ModemEvents> {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends a text (as many parts as it needs); resolves with the parts' references once all are accepted. */
  send(to: string, text: string, opts: SendOptions): Promise<{ references: number[] }>;
  status(): ModemStatus;
}

/** AT+CSQ's rssi (0-31, 99 unknown) as dBm (27.007: -113 + 2 * rssi) and bars. */
export function signalFromCsq(rssi: number): { dBm: number; bars: number } | null {
  if (!Number.isInteger(rssi) || rssi < 0 || rssi > 31) return null;
  const dBm = -113 + 2 * rssi;
  const bars = rssi >= 20 ? 4 : rssi >= 15 ? 3 : rssi >= 10 ? 2 : rssi >= 2 ? 1 : 0;
  return { dBm, bars };
}
