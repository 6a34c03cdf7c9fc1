// The USB GSM/LTE modem (Quectel EC25, SIMCom SIM7600 class) over AT commands in PDU mode: the
// start-up sequence (echo off, verbose errors, SIM and PIN, registration on CREG and CEREG,
// signal, storage, new-message indications), sending through our PDU encoder, receiving
// (+CMTI -> AT+CMGR -> deliver -> AT+CMGD, storage swept at start, multi-part reassembly),
// delivery reports (+CDS), faults mapped to clear states, and re-opening the device after an
// unplug. Every timer is on the Clock.
import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { AtChannel, type Unsolicited } from './at-channel.js';
import { AtError, type ModemFault } from './errors.js';
import { signalFromCsq, type Modem, type ModemEvents, type ModemState, type ModemStatus, type SendOptions } from './modem.js';
import { decodePdu, encodeSubmit, PduError } from './pdu.js';
import { Reassembler } from './reassembly.js';
import type { OpenSerialLink, SerialLink } from './serial-link.js';

export interface AtModemOptions {
  /** The SIM PIN, tried at most once per process: three wrong tries lock the SIM. */
  pin?: string | null;
  /** How long parts of a multi-part message wait for the rest (default 15 min). */
  reassemblyMs?: number;
  /** Between attempts to re-open an unplugged device (default 5 s). */
  reopenMs?: number;
  /** Between signal and registration checks, and start-up retries while not ready (default 60 s). */
  pollMs?: number;
  /** AT+CMGS may wait this long for the network (default 120 s). */
  sendTimeoutMs?: number;
}

export interface AtModemDeps {
  clock: Clock;
  log: Logger;
  device: string;
  openLink: OpenSerialLink;
  options?: AtModemOptions;
}

const STARTUP_TIMEOUT_MS = 5_000;

export class AtModem extends EventEmitter<ModemEvents> implements Modem {
  private link: SerialLink | null = null;
  private channel: AtChannel | null = null;
  private stopped = true;
  private pinTried = false;
  private reopenTimer: TimerHandle | null = null;
  private pollTimer: TimerHandle | null = null;
  private reassembler: Reassembler | null = null;
  private concatRef = 0;
  private readonly st: ModemStatus;
  /** Storage indexes announced by +CMTI (or found at start) still to read. */
  private readonly toRead: number[] = [];
  private reading = false;

  constructor(private readonly deps: AtModemDeps) {
    super();
    this.st = { driver: 'at', device: deps.device, state: 'stopped', operator: null, signal: null, sim: 'unknown', registered: false, lastError: null };
  }

  status(): ModemStatus {
    return { ...this.st, signal: this.st.signal ? { ...this.st.signal } : null };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.concatRef = Math.floor(this.deps.clock.now() / 1000) % 256;
    this.reassembler = new Reassembler({ clock: this.deps.clock, expiryMs: this.opt('reassemblyMs', 15 * 60_000), deliver: (sms) => this.emit('message', sms) });
    this.pollTimer = this.deps.clock.setInterval(() => void this.poll(), this.opt('pollMs', 60_000), { unref: true });
    // Start-up never fails the appliance: a missing or broken modem is a state, shown in health.
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.clock.clearInterval(this.pollTimer);
    this.deps.clock.clearTimeout(this.reopenTimer);
    this.pollTimer = this.reopenTimer = null;
    this.reassembler?.stop();
    this.channel?.close('stopping');
    this.channel = null;
    const link = this.link;
    this.link = null;
    await link?.close();
    this.setState('stopped');
  }

  async send(to: string, text: string, opts: SendOptions): Promise<{ references: number[] }> {
    const ch = this.channel;
    if (!ch || this.st.state === 'unplugged' || this.st.state === 'stopped') throw new AtError('closed', 'the modem is not connected');
    const ref = opts.concatReference ?? (this.concatRef = (this.concatRef + 1) % 256);
    const parts = encodeSubmit(to, text, { reference: ref, statusReport: opts.statusReport });
    const references: number[] = [];
    for (const p of parts.slice(Math.max(0, (opts.fromPart ?? 1) - 1))) {
      try {
        const reply = await ch.run(`AT+CMGS=${p.tpduLength}`, {
          pdu: p.hex,
          timeoutMs: this.opt('sendTimeoutMs', 120_000),
          ...(opts.beforeHandoff ? { beforePdu: () => opts.beforeHandoff?.(p.part) } : {}),
        });
        const mr = Number(/\+CMGS:\s*(\d+)/.exec(reply.lines.join('\n'))?.[1] ?? -1);
        references.push(mr);
        opts.onPart?.({ part: p.part, parts: p.parts, reference: mr });
      } catch (err) {
        this.noteError(err);
        throw err;
      }
    }
    if (this.st.lastError && this.st.state === 'ready') this.st.lastError = null;
    return { references };
  }

  private opt<K extends keyof AtModemOptions>(key: K, fallback: NonNullable<AtModemOptions[K]>): NonNullable<AtModemOptions[K]> {
    return this.deps.options?.[key] ?? fallback;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('starting');
    let link: SerialLink;
    try {
      link = await this.deps.openLink(this.deps.device);
    } catch (err) {
      this.st.lastError = err instanceof Error ? err.message : String(err);
      this.setState('unplugged');
      this.scheduleReopen();
      return;
    }
    if (this.stopped) {
      await link.close();
      return;
    }
    const channel = new AtChannel({ clock: this.deps.clock, write: (d) => link.write(d) });
    this.link = link;
    this.channel = channel;
    link.onData((chunk) => channel.feed(chunk));
    link.onClose(() => this.onUnplugged(channel));
    channel.on('unsolicited', (u) => this.onUnsolicited(u));
    await this.initialise(channel);
  }

  private onUnplugged(channel: AtChannel): void {
    if (this.channel !== channel || this.stopped) return;
    this.deps.log.warn({ device: this.deps.device }, 'the modem went away; re-opening its device when it is back');
    channel.close('the modem was unplugged');
    this.channel = null;
    this.link = null;
    this.st.registered = false;
    this.st.signal = null;
    this.setState('unplugged');
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.reopenTimer);
    this.reopenTimer = this.deps.clock.setTimeout(() => void this.connect(), this.opt('reopenMs', 5_000), { unref: true });
  }

  /** The start-up sequence; leaves the state at ready or at the fault that stopped it. */
  private async initialise(ch: AtChannel): Promise<void> {
    try {
      await this.sync(ch);
      await ch.run('ATE0', { timeoutMs: STARTUP_TIMEOUT_MS });
      await ch.run('AT+CMEE=2', { timeoutMs: STARTUP_TIMEOUT_MS });
      if (!(await this.unlockSim(ch))) return;
      await ch.run('AT+CMGF=0', { timeoutMs: STARTUP_TIMEOUT_MS });
      await this.readNetwork(ch);
      await ch.run('AT+CPMS="SM","SM","SM"', { timeoutMs: STARTUP_TIMEOUT_MS }).catch((err: unknown) => this.noteError(err));
      await ch.run('AT+CNMI=2,1,0,1,0', { timeoutMs: STARTUP_TIMEOUT_MS });
      await ch.run('AT+CREG=1', { timeoutMs: STARTUP_TIMEOUT_MS }).catch(() => undefined);
      await ch.run('AT+CEREG=1', { timeoutMs: STARTUP_TIMEOUT_MS }).catch(() => undefined);
      await this.sweep(ch);
      this.setState(this.st.registered ? 'ready' : 'no-network');
      this.deps.log.info({ operator: this.st.operator, dBm: this.st.signal?.dBm ?? null, state: this.st.state }, 'modem ready');
    } catch (err) {
      if (ch !== this.channel) return; // unplugged meanwhile: that path owns the state
      this.noteError(err);
      if (!isFaultState(this.st.state)) this.setState('error');
    }
  }

  /** A few bare ATs until the modem answers (it may still be booting or mid-echo). */
  private async sync(ch: AtChannel): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await ch.run('AT', { timeoutMs: 2_000 });
        return;
      } catch (err) {
        if (i >= 2 || !(err instanceof AtError) || err.kind !== 'timeout') throw err;
      }
    }
  }

  /** SIM state and PIN: the PIN goes once per process, never again after a refusal. */
  private async unlockSim(ch: AtChannel): Promise<boolean> {
    let state: string;
    try {
      state = (await ch.run('AT+CPIN?', { timeoutMs: STARTUP_TIMEOUT_MS })).lines.join(' ');
    } catch (err) {
      this.noteError(err);
      if (err instanceof AtError && err.fault) {
        this.st.sim = simOf(err.fault);
        this.setState(err.fault);
        return false;
      }
      throw err;
    }
    if (/READY/.test(state)) {
      this.st.sim = 'ready';
      return true;
    }
    if (/PUK/.test(state)) {
      this.st.sim = 'locked';
      this.setState('sim-locked');
      return false;
    }
    if (/SIM PIN/.test(state)) {
      const pin = this.deps.options?.pin;
      if (!pin || this.pinTried) {
        this.st.sim = 'pin-needed';
        this.st.lastError = pin ? 'the SIM refused its PIN; it is not tried again (three wrong tries lock the SIM)' : 'the SIM needs a PIN and none is set';
        this.setState('pin-needed');
        return false;
      }
      this.pinTried = true;
      try {
        await ch.run(`AT+CPIN="${pin}"`, { timeoutMs: STARTUP_TIMEOUT_MS });
      } catch (err) {
        this.noteError(err);
        this.st.sim = 'pin-needed';
        this.setState('pin-needed');
        return false;
      }
      this.st.sim = 'ready';
      return true;
    }
    this.st.sim = 'unknown';
    return true;
  }

  /** Registration (CREG, and CEREG for LTE-only networks), signal and operator. */
  private async readNetwork(ch: AtChannel): Promise<void> {
    const stat = async (cmd: string): Promise<number | null> => {
      try {
        const line = (await ch.run(cmd, { timeoutMs: STARTUP_TIMEOUT_MS })).lines.join(' ');
        const m = /:\s*\d+\s*,\s*(\d+)/.exec(line);
        return m ? Number(m[1]) : null;
      } catch {
        return null; // a 2G/3G modem without CEREG
      }
    };
    const creg = await stat('AT+CREG?');
    const cereg = await stat('AT+CEREG?');
    this.st.registered = [creg, cereg].some((s) => s === 1 || s === 5);
    const csq = (await ch.run('AT+CSQ', { timeoutMs: STARTUP_TIMEOUT_MS })).lines.join(' ');
    const rssi = /\+CSQ:\s*(\d+)/.exec(csq);
    this.st.signal = rssi ? signalFromCsq(Number(rssi[1])) : null;
    const cops = await ch.run('AT+COPS?', { timeoutMs: STARTUP_TIMEOUT_MS }).catch(() => ({ lines: [] as string[] }));
    this.st.operator = /\+COPS:\s*\d+,\d+,"([^"]*)"/.exec(cops.lines.join(' '))?.[1] ?? null;
  }

  /** Reads and deletes every message left in storage (arrived while the appliance was off). */
  private async sweep(ch: AtChannel): Promise<void> {
    const list = await ch.run('AT+CMGL=4', { timeoutMs: 30_000 });
    for (let i = 0; i < list.lines.length; i++) {
      const m = /^\+CMGL:\s*(\d+)/.exec(list.lines[i] ?? '');
      const pdu = list.lines[i + 1];
      if (!m || pdu === undefined) continue;
      this.handlePdu(pdu);
      i++;
      await ch.run(`AT+CMGD=${m[1]}`, { timeoutMs: STARTUP_TIMEOUT_MS }).catch((err: unknown) => this.noteError(err));
    }
  }

  private async poll(): Promise<void> {
    const ch = this.channel;
    if (!ch || this.stopped || this.st.state === 'starting') return;
    if (this.st.state === 'ready' || this.st.state === 'no-network') {
      try {
        await this.readNetwork(ch);
        this.setState(this.st.registered ? 'ready' : 'no-network');
      } catch (err) {
        this.noteError(err);
      }
    } else if (this.st.state !== 'sim-locked') {
      // no SIM, PIN, storage, error: try the start-up again (a SIM put in, unlocked elsewhere,
      // storage freed); a PIN that was refused is never sent again (unlockSim keeps to that)
      this.setState('starting');
      await this.initialise(ch);
    }
  }

  private onUnsolicited(u: Unsolicited): void {
    switch (u.code) {
      case '+CMTI': {
        const index = Number(/,\s*(\d+)/.exec(u.value)?.[1] ?? NaN);
        if (Number.isInteger(index)) {
          this.toRead.push(index);
          void this.readStored();
        }
        return;
      }
      case '+CDS':
      case '+CMT':
        if (u.pdu) this.handlePdu(u.pdu);
        return;
      case 'RING':
        this.emit('ring', null);
        return;
      case '+CLIP':
        this.emit('ring', /^"([^"]*)"/.exec(u.value)?.[1] ?? null);
        return;
      case '+CREG':
      case '+CEREG': {
        const stat = Number(u.value.split(',')[0]);
        if (u.code === '+CREG' || stat === 1 || stat === 5) {
          this.st.registered = stat === 1 || stat === 5;
          if (this.st.state === 'ready' || this.st.state === 'no-network') this.setState(this.st.registered ? 'ready' : 'no-network');
        }
        return;
      }
      default:
        return;
    }
  }

  /** Reads the announced messages one at a time: AT+CMGR, hand it on, AT+CMGD. */
  private async readStored(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      for (let index = this.toRead.shift(); index !== undefined; index = this.toRead.shift()) {
        const ch = this.channel;
        if (!ch) return;
        try {
          const reply = await ch.run(`AT+CMGR=${index}`, { timeoutMs: 10_000 });
          const pdu = reply.lines.find((l) => !l.startsWith('+CMGR'));
          if (pdu) this.handlePdu(pdu);
          await ch.run(`AT+CMGD=${index}`, { timeoutMs: 10_000 });
        } catch (err) {
          this.noteError(err);
        }
      }
    } finally {
      this.reading = false;
    }
  }

  private handlePdu(hex: string): void {
    let pdu;
    try {
      pdu = decodePdu(hex);
    } catch (err) {
      this.deps.log.warn({ err: err instanceof PduError ? err.message : String(err) }, 'an unreadable PDU from the modem was dropped');
      return;
    }
    if (pdu.type === 'status-report') {
      this.emit('report', { reference: pdu.reference, recipient: pdu.recipient, status: pdu.status });
      return;
    }
    if (pdu.class0 || pdu.applicationPort !== null || pdu.coding === 'binary') {
      this.deps.log.info({ class0: pdu.class0, port: pdu.applicationPort }, 'a class-0, WAP push or binary SMS was ignored');
      return;
    }
    this.reassembler?.add({ from: pdu.from, text: pdu.text, sentAt: pdu.sentAt, concat: pdu.concat });
  }

  private noteError(err: unknown): void {
    this.st.lastError = err instanceof Error ? err.message : String(err);
    if (err instanceof AtError && err.fault && err.fault !== 'rejected-number' && err.fault !== 'network-timeout') {
      if (err.fault === 'no-sim' || err.fault === 'sim-locked' || err.fault === 'pin-needed' || err.fault === 'sim-failure') this.st.sim = simOf(err.fault);
      if (err.fault === 'no-network') this.st.registered = false;
      this.setState(err.fault);
    }
  }

  private setState(state: ModemState): void {
    if (this.st.state === state) return;
    this.st.state = state;
    this.emit('state', this.status());
  }
}

const SIM_OF_FAULT: Partial<Record<ModemFault, ModemStatus['sim']>> = { 'no-sim': 'absent', 'pin-needed': 'pin-needed', 'sim-locked': 'locked', 'sim-failure': 'failure' };

function simOf(fault: ModemFault): ModemStatus['sim'] {
  return SIM_OF_FAULT[fault] ?? 'unknown';
}

function isFaultState(state: ModemState): boolean {
  return !['starting', 'ready', 'unplugged', 'stopped', 'error'].includes(state);
}
