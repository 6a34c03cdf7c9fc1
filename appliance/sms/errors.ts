// Modem errors: what went wrong with one AT command (ERROR, +CME ERROR, +CMS ERROR, a timeout, the
// port gone) and the clear state each maps to (no SIM, PIN needed, no network, storage full,
// unknown SMSC). Codes from 3GPP TS 27.007 §9.2 (+CME) and 27.005 §3.2.5 (+CMS), numeric or, after
// AT+CMEE=2, verbose.
import { ApplianceError } from '../errors.js';

export type AtErrorKind = 'error' | 'cme' | 'cms' | 'timeout' | 'closed';

/** A state a fault leaves the modem in, as /api/health shows it. */
export type ModemFault =
  | 'no-sim'
  | 'pin-needed'
  | 'sim-locked'
  | 'sim-failure'
  | 'no-network'
  | 'storage-full'
  | 'unknown-smsc'
  | 'rejected-number'
  | 'network-timeout';

const CME: Record<number, ModemFault> = { 10: 'no-sim', 11: 'pin-needed', 12: 'sim-locked', 13: 'sim-failure', 14: 'sim-failure', 15: 'sim-failure', 16: 'pin-needed', 20: 'storage-full', 30: 'no-network', 31: 'network-timeout', 32: 'no-network' };
const CMS: Record<number, ModemFault> = {
  1: 'rejected-number', // unassigned number
  21: 'rejected-number', // short message transfer rejected
  28: 'rejected-number', // unidentified subscriber
  38: 'no-network',
  310: 'no-sim',
  311: 'pin-needed',
  313: 'sim-failure',
  316: 'sim-locked',
  322: 'storage-full',
  330: 'unknown-smsc',
  331: 'no-network',
  332: 'network-timeout',
};
const VERBOSE: ReadonlyArray<[RegExp, ModemFault]> = [
  [/sim not inserted|no sim/i, 'no-sim'],
  [/sim puk|sim blocked|locked/i, 'sim-locked'],
  [/sim pin required|incorrect password/i, 'pin-needed'],
  [/sim (failure|busy|wrong)/i, 'sim-failure'],
  [/memory full|storage full/i, 'storage-full'],
  [/smsc address unknown|sca unknown/i, 'unknown-smsc'],
  [/no network|network not allowed|not registered/i, 'no-network'],
  [/network time-?out/i, 'network-timeout'],
  [/unassigned|unidentified subscriber|transfer rejected/i, 'rejected-number'],
];

export class AtError extends ApplianceError {
  readonly kind: AtErrorKind;
  /** The numeric +CME / +CMS code when the modem gave one. */
  readonly errorCode: number | null;
  /** What the error means for the modem, when it is one of the known faults. */
  readonly fault: ModemFault | null;

  constructor(kind: AtErrorKind, message: string, opts: { errorCode?: number | null; fault?: ModemFault | null } = {}) {
    super(`SPA_ERR_MODEM_${kind.toUpperCase()}`, message, { status: 503, retryable: kind !== 'cms' || opts.fault !== 'rejected-number' });
    this.kind = kind;
    this.errorCode = opts.errorCode ?? null;
    this.fault = opts.fault ?? null;
  }

  /** The error a final result line means ("ERROR", "+CMS ERROR: 330", "+CME ERROR: SIM not inserted"). */
  static fromFinal(command: string, line: string): AtError {
    const m = /^\+(CME|CMS) ERROR:\s*(.*)$/i.exec(line);
    const cmd = command.slice(0, 12);
    if (!m) return new AtError('error', `${cmd}: ${line}`);
    const kind = (m[1] ?? '').toLowerCase() === 'cme' ? 'cme' : 'cms';
    const rest = (m[2] ?? '').trim();
    const numeric = /^\d+$/.test(rest) ? Number(rest) : null;
    const fault = numeric !== null ? ((kind === 'cme' ? CME : CMS)[numeric] ?? null) : (VERBOSE.find(([re]) => re.test(rest))?.[1] ?? null);
    return new AtError(kind, `${cmd}: ${line}`, { errorCode: numeric, fault });
  }
}

/** The modem's serial device is missing or could not be opened. */
export class ModemUnavailableError extends ApplianceError {
  constructor(message: string, cause?: unknown) {
    super('SPA_ERR_MODEM_UNAVAILABLE', message, { status: 503, retryable: true, cause });
  }
}
