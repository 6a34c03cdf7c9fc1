// The AT command channel over a byte stream: a byte-level reader (it sees the "> " prompt that
// line parsers never deliver, since no line end follows it), one command in flight with its own
// timeout, and unsolicited result codes (+CMTI, +CDS, RING, +CLIP, +CREG, +CEREG) told apart from
// replies even when they arrive in the middle of one. No serial port here: bytes come in through
// feed() and go out through the `write` dependency, so it runs on a fake clock in tests.
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { AtError } from './errors.js';

export interface AtReply {
  /** The information lines between the command and its final result (echo and URCs removed). */
  lines: string[];
}

export interface AtCommandOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** Sent after the "> " prompt, followed by Ctrl-Z (AT+CMGS in PDU mode). */
  pdu?: string;
  /** Called just before the PDU is written (the moment it is handed to the modem). */
  beforePdu?: () => void;
}

export interface Unsolicited {
  /** "+CMTI", "+CDS", "RING", "+CLIP", "+CREG", "+CEREG", ... */
  code: string;
  /** The text after "CODE: " (empty for RING). */
  value: string;
  /** The PDU line that follows +CDS / +CMT. */
  pdu?: string;
}

export interface AtChannelEvents {
  unsolicited: [urc: Unsolicited];
}

const CTRL_Z = '\x1a';
const ESC = '\x1b';
const URC_CODES = ['+CMTI', '+CDS', '+CMT', 'RING', '+CLIP', '+CREG', '+CEREG', '+CGREG', '+CDSI', 'NO CARRIER'];
/** URCs followed by one line holding a PDU. */
const URC_WITH_PDU = new Set(['+CDS', '+CMT']);
const FINAL_OK = /^OK$/;
const FINAL_ERROR = /^(ERROR|\+CME ERROR:.*|\+CMS ERROR:.*|NO CARRIER|BUSY|NO ANSWER|NO DIALTONE)$/;

interface Pending {
  command: string;
  /** The prefix of the command's own information lines ("+CREG" for AT+CREG?), so its replies are not taken for URCs. */
  prefix: string | null;
  opts: AtCommandOptions;
  lines: string[];
  resolve: (reply: AtReply) => void;
  reject: (err: Error) => void;
  timer: TimerHandle | null;
  promptSeen: boolean;
}

export interface AtChannelDeps {
  clock: Clock;
  write: (data: string) => void;
}

export class AtChannel extends EventEmitter<AtChannelEvents> {
  private line = '';
  private current: Pending | null = null;
  private readonly queue: Pending[] = [];
  /** A +CDS / +CMT whose PDU line comes next. */
  private awaitingPdu: Unsolicited | null = null;
  private closed = false;

  constructor(private readonly deps: AtChannelDeps) {
    super();
  }

  /**
   * Sends one command (without the trailing CR) once every earlier one has finished; resolves with
   * its information lines on OK, rejects with an AtError on ERROR / +CME / +CMS or on timeout (a
   * command waiting at the prompt or on its network answer is cancelled with ESC first).
   */
  run(command: string, opts: AtCommandOptions = {}): Promise<AtReply> {
    if (this.closed) return Promise.reject(new AtError('closed', `${command}: the port is closed`));
    return new Promise<AtReply>((resolve, reject) => {
      const m = /^AT([+^$][A-Z0-9]+)/i.exec(command);
      this.queue.push({ command, prefix: m?.[1]?.toUpperCase() ?? null, opts, lines: [], resolve, reject, timer: null, promptSeen: false });
      this.next();
    });
  }

  /** Bytes from the modem. */
  feed(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    for (const ch of text) {
      if (ch === '\n') {
        this.onLine(this.line.replace(/\r$/, ''));
        this.line = '';
        continue;
      }
      this.line += ch;
      // The prompt: "> " at the start of a line, with nothing after it until we send the PDU.
      if (this.line.replace(/^\r/, '') === '> ' && this.current?.opts.pdu !== undefined && !this.current.promptSeen) {
        this.line = '';
        this.current.promptSeen = true;
        const p = this.current;
        try {
          p.opts.beforePdu?.();
        } catch (err) {
          // Could not record the handoff: the PDU does not go (ESC cancels the prompt).
          this.deps.write(ESC);
          this.finish(p, err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        this.deps.write(`${p.opts.pdu}${CTRL_Z}`);
      }
    }
  }

  /** Fails every command (current and queued) with a 'closed' error: the port went away. */
  close(reason = 'the port closed'): void {
    this.closed = true;
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const p of all) {
      this.deps.clock.clearTimeout(p.timer);
      p.reject(new AtError('closed', `${p.command}: ${reason}`));
    }
    this.line = '';
    this.awaitingPdu = null;
  }

  /** Whether a command is in flight. */
  get busy(): boolean {
    return this.current !== null;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const p = this.queue.shift();
    if (!p) return;
    this.current = p;
    p.timer = this.deps.clock.setTimeout(() => this.onTimeout(p), p.opts.timeoutMs ?? 10_000);
    this.deps.write(`${p.command}\r`);
  }

  private onTimeout(p: Pending): void {
    if (this.current !== p) return;
    // A CMGS waiting at the prompt or for the network is cancelled with ESC so the modem is free again.
    if (p.opts.pdu !== undefined) this.deps.write(ESC);
    this.finish(p, new AtError('timeout', `${p.command.slice(0, 12)}: no answer within ${p.opts.timeoutMs ?? 10_000} ms`));
  }

  private finish(p: Pending, outcome: AtReply | Error): void {
    this.deps.clock.clearTimeout(p.timer);
    this.current = null;
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
    this.next();
  }

  private onLine(raw: string): void {
    const line = raw.trim();
    if (this.awaitingPdu) {
      const urc = this.awaitingPdu;
      this.awaitingPdu = null;
      if (line !== '') {
        this.emit('unsolicited', { ...urc, pdu: line });
        return;
      }
    }
    if (line === '') return;
    const p = this.current;
    const code = codeOf(line);
    // The command's own information lines ("+CREG: 0,1" to AT+CREG?) are replies even though +CREG is also a URC.
    const ownReply = p !== null && p.prefix !== null && code === p.prefix;
    if (!ownReply && URC_CODES.includes(code) && !(p && code === 'NO CARRIER')) {
      const urc: Unsolicited = { code, value: line.slice(code.length).replace(/^:\s*/, '') };
      if (URC_WITH_PDU.has(code)) this.awaitingPdu = urc;
      else this.emit('unsolicited', urc);
      return;
    }
    if (!p) return; // stray output (boot banners like RDY, +QIND): nothing waits for it
    if (line === p.command || (p.opts.pdu !== undefined && line === p.opts.pdu)) return; // echo
    if (FINAL_OK.test(line)) {
      this.finish(p, { lines: p.lines });
      return;
    }
    if (FINAL_ERROR.test(line)) {
      this.finish(p, AtError.fromFinal(p.command, line));
      return;
    }
    p.lines.push(line);
  }
}

/** "+CMTI" of '+CMTI: "SM",3', "RING" of 'RING'. */
function codeOf(line: string): string {
  const colon = line.indexOf(':');
  if (line.startsWith('+') && colon > 0) return line.slice(0, colon).toUpperCase();
  return line.toUpperCase();
}
