// A fake GSM modem for tests: socat (Debian) makes a pair of linked pseudo-terminals; the driver
// opens one through serialport like a real /dev/ttyUSB2, and this small AT responder answers on
// the other as a Quectel-class modem in PDU mode would. Scriptable: SIM state and PIN, network
// registration, signal, stored messages, +CMTI / +CDS / RING injected at any moment (also in the
// middle of a reply), +CMS errors for AT+CMGS, a hung AT+CMGS, and the modem unplugged (socat
// killed) and plugged back (the same link path made again).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { until } from './until.js';

export interface FakeModemScript {
  sim: 'ready' | 'absent' | 'pin' | 'puk';
  pin: string;
  /** CREG / CEREG stat: 1 home, 5 roaming, 0/2/3 not registered. */
  creg: number;
  cereg: number | 'unsupported';
  csq: number;
  operator: string;
  /** The next AT+CMGS answers this final line instead of +CMGS/OK (e.g. '+CMS ERROR: 330'). */
  cmgsError: string | null;
  /** AT+CMGS gets its prompt, then never an answer. */
  cmgsHangs: boolean;
  /** The AT+CMGS whose PDU is the nth received (1-based) gets no answer (a crash test's moment). */
  cmgsHangAt?: number | null;
  /** Lines sent (as URCs) between the information line and the OK of the next reply. */
  injectMidReply: string[];
}

export class FakeModem {
  readonly script: FakeModemScript = { sim: 'ready', pin: '1234', creg: 1, cereg: 'unsupported', csq: 21, operator: 'Test Mobile', cmgsError: null, cmgsHangs: false, injectMidReply: [] };
  /** Every command line received (without the CR). */
  readonly commands: string[] = [];
  /** PDUs received by AT+CMGS, in order. */
  readonly sent: string[] = [];
  /** ESC received while waiting for a PDU or an answer. */
  cancels = 0;
  /** SIM storage: index -> PDU hex. */
  readonly storage = new Map<number, string>();
  pinAttempts = 0;
  private mr = 0;
  private socat: ChildProcess | null = null;
  private port: SerialPort | null = null;
  private buf = '';
  private awaitingPdu: number | null = null;
  private echo = true;
  private readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'fake-modem-'));
  }

  /** The path the driver opens (a symlink to the pty, as /dev/serial/by-id links are). */
  get device(): string {
    return join(this.dir, 'ttyModem');
  }

  private get responderPath(): string {
    return join(this.dir, 'ttyResponder');
  }

  /** Plugs the modem in: socat makes the pty pair, the responder opens its end. */
  async plug(): Promise<void> {
    this.socat = spawn('socat', [`pty,raw,echo=0,link=${this.device}`, `pty,raw,echo=0,link=${this.responderPath}`], { stdio: 'ignore' });
    await until(() => existsSync(this.device) && existsSync(this.responderPath), 'socat to make the pty pair', 5000);
    const port = new SerialPort({ path: this.responderPath, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => this.onBytes(chunk.toString('latin1')));
    port.on('error', () => undefined);
    this.port = port;
    this.echo = true;
  }

  /** Unplugs the modem: socat goes, both ptys close, the link paths vanish. */
  async unplug(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    const socat = this.socat;
    this.socat = null;
    if (socat && socat.exitCode === null) {
      const exited = new Promise<void>((r) => socat.once('exit', () => r()));
      socat.kill('SIGTERM');
      await exited;
    }
    await until(() => !existsSync(this.device), 'socat to remove its links', 5000);
  }

  async close(): Promise<void> {
    await this.unplug();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A new message lands in storage and the modem announces it with +CMTI. */
  deliver(pduHex: string): number {
    const index = this.nextIndex();
    this.storage.set(index, pduHex);
    this.out(`\r\n+CMTI: "SM",${index}\r\n`);
    return index;
  }

  /** A message that was already in storage before the driver started (no +CMTI). */
  store(pduHex: string): number {
    const index = this.nextIndex();
    this.storage.set(index, pduHex);
    return index;
  }

  /** A delivery report, sent directly (+CDS, as AT+CNMI=2,1,0,1,0 asks). */
  statusReport(pduHex: string): void {
    this.out(`\r\n+CDS: ${pduHex.length / 2 - 1}\r\n${pduHex}\r\n`);
  }

  /** The message reference the last AT+CMGS answered. */
  get lastReference(): number {
    return this.mr;
  }

  raw(text: string): void {
    this.out(text);
  }

  private nextIndex(): number {
    let i = 0;
    while (this.storage.has(i)) i++;
    return i;
  }

  private out(text: string): void {
    this.port?.write(Buffer.from(text, 'latin1'));
  }

  private onBytes(text: string): void {
    for (const ch of text) {
      if (this.awaitingPdu !== null) {
        if (ch === '\x1a') {
          const pdu = this.buf;
          this.buf = '';
          this.awaitingPdu = null;
          this.onPdu(pdu);
        } else if (ch === '\x1b') {
          this.buf = '';
          this.awaitingPdu = null;
          this.cancels++;
          this.out('\r\nOK\r\n');
        } else this.buf += ch;
        continue;
      }
      if (ch === '\x1b') {
        this.cancels++; // cancelling a hung CMGS after its PDU
        continue;
      }
      if (ch === '\r') {
        const line = this.buf.trim();
        this.buf = '';
        if (line) this.onCommand(line);
        continue;
      }
      if (ch !== '\n') this.buf += ch;
    }
  }

  private reply(lines: string[], final = 'OK'): void {
    const mid = this.script.injectMidReply.splice(0);
    let text = lines.map((l) => `\r\n${l}\r\n`).join('');
    for (const m of mid) text += `\r\n${m}\r\n`;
    this.out(`${text}\r\n${final}\r\n`);
  }

  private simError(): string | null {
    if (this.script.sim === 'absent') return '+CME ERROR: SIM not inserted';
    if (this.script.sim === 'pin') return '+CME ERROR: SIM PIN required';
    if (this.script.sim === 'puk') return '+CME ERROR: SIM PUK required';
    return null;
  }

  private onCommand(line: string): void {
    this.commands.push(line);
    if (this.echo) this.out(`${line}\r`);
    const cmd = line.toUpperCase();
    const s = this.script;
    if (cmd === 'AT' || cmd === 'AT+CMEE=2' || cmd === 'AT+CREG=1' || cmd === 'AT+CEREG=1') return this.reply([]);
    if (cmd === 'ATE0') {
      this.echo = false;
      return this.reply([]);
    }
    if (cmd === 'AT+CPIN?') {
      if (s.sim === 'absent') return this.reply([], '+CME ERROR: SIM not inserted');
      return this.reply([`+CPIN: ${s.sim === 'ready' ? 'READY' : s.sim === 'pin' ? 'SIM PIN' : 'SIM PUK'}`]);
    }
    const pin = /^AT\+CPIN="(\d+)"$/.exec(line);
    if (pin) {
      this.pinAttempts++;
      if (s.sim === 'pin' && pin[1] === s.pin) {
        s.sim = 'ready';
        return this.reply([]);
      }
      return this.reply([], '+CME ERROR: incorrect password');
    }
    const simErr = this.simError();
    if (simErr && /^AT\+(CMGF|CPMS|CNMI|CMGS|CMGR|CMGL|CMGD)/.test(cmd)) return this.reply([], simErr);
    if (cmd === 'AT+CMGF=0' || cmd === 'AT+CNMI=2,1,0,1,0') return this.reply([]);
    if (cmd === 'AT+CREG?') return this.reply([`+CREG: 1,${s.creg}`]);
    if (cmd === 'AT+CEREG?') return s.cereg === 'unsupported' ? this.reply([], 'ERROR') : this.reply([`+CEREG: 1,${s.cereg}`]);
    if (cmd === 'AT+CSQ') return this.reply([`+CSQ: ${s.csq},99`]);
    if (cmd === 'AT+COPS?') return this.reply([s.creg === 1 || s.creg === 5 || s.cereg === 1 ? `+COPS: 0,0,"${s.operator}",7` : '+COPS: 0']);
    if (cmd.startsWith('AT+CPMS=')) return this.reply([`+CPMS: ${this.storage.size},30,${this.storage.size},30,${this.storage.size},30`]);
    if (cmd === 'AT+CMGL=4') {
      const lines: string[] = [];
      for (const [i, pdu] of [...this.storage].sort((a, b) => a[0] - b[0])) lines.push(`+CMGL: ${i},0,,${pdu.length / 2 - 1}`, pdu);
      return this.reply(lines);
    }
    const cmgr = /^AT\+CMGR=(\d+)$/.exec(cmd);
    if (cmgr) {
      const pdu = this.storage.get(Number(cmgr[1]));
      return pdu ? this.reply([`+CMGR: 0,,${pdu.length / 2 - 1}`, pdu]) : this.reply([], '+CMS ERROR: 321');
    }
    const cmgd = /^AT\+CMGD=(\d+)$/.exec(cmd);
    if (cmgd) {
      this.storage.delete(Number(cmgd[1]));
      return this.reply([]);
    }
    const cmgs = /^AT\+CMGS=(\d+)$/.exec(cmd);
    if (cmgs) {
      this.awaitingPdu = Number(cmgs[1]);
      this.out('\r\n> ');
      return;
    }
    this.reply([], 'ERROR');
  }

  private onPdu(pdu: string): void {
    this.sent.push(pdu);
    const s = this.script;
    if (s.cmgsHangs || s.cmgsHangAt === this.sent.length) return;
    if (s.cmgsError) {
      const err = s.cmgsError;
      s.cmgsError = null;
      this.reply([], err);
      return;
    }
    if (!(s.creg === 1 || s.creg === 5 || s.cereg === 1 || s.cereg === 5)) return this.reply([], '+CMS ERROR: 331');
    this.mr = (this.mr + 1) % 256;
    this.reply([`+CMGS: ${this.mr}`]);
  }
}
