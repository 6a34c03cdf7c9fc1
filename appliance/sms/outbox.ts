// The outbox sender: takes due texts from SQLite one at a time and hands them to the modem, at
// most one per `minIntervalMs` and `dailyCap` a day; automated texts (reminders, confirmations)
// wait for the end of quiet hours; failures retry with backoff; a number the network refuses
// (a landline) is remembered and not texted again. Each part is recorded as handed over just
// before its PDU is written and as accepted when the modem answers, so a crash mid-text resumes
// after the last part accepted, and a part caught between handoff and answer is never written
// again (at most once: see SmsStore.settleInDoubt).
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { AtError } from './errors.js';
import type { Modem } from './modem.js';
import { splitText } from './pdu.js';
import { backoffMs, localDayStart, MAX_ATTEMPTS, nextAllowed, type QuietHours } from './policy.js';
import type { SmsMessage, SmsStore } from './sms-store.js';

export interface OutboxPolicy {
  minIntervalMs: number;
  dailyCap: number;
  quiet: QuietHours;
}

export interface OutboxDeps {
  store: SmsStore;
  modem: Modem;
  clock: Clock;
  log: Logger;
  policy: () => OutboxPolicy;
  /** Told after each text leaves the outbox (sent, failed, held), for live views and benches. */
  onChange?: (m: SmsMessage) => void;
}

/** How often the outbox looks anyway (besides waking when the next held text falls due). */
const SCAN_MS = 60_000;
/** While the modem is not ready, a text waits this long without counting a try. */
const MODEM_WAIT_MS = 15_000;
/** Kinds that answer the person now: not held by quiet hours. */
const IMMEDIATE = new Set(['text-back', 'reply', 'staff', 'compliance', 'code']);

export class Outbox {
  private busy = false;
  private stopped = true;
  private scan: TimerHandle | null = null;
  private wake: TimerHandle | null = null;
  private lastHandedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: OutboxDeps) {}

  start(): void {
    // A text a previous run was handing over when it stopped is never written to the modem again.
    const inDoubt = this.deps.store.settleInDoubt();
    if (inDoubt.length > 0) this.deps.log.warn({ smsIds: inDoubt }, 'texts interrupted mid-handoff by a restart are marked failed, not sent twice');
    for (const id of inDoubt) this.changed(id);
    this.deps.store.settleCodes();
    this.stopped = false;
    this.scan = this.deps.clock.setInterval(() => this.kick(), SCAN_MS, { unref: true });
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.deps.clock.clearInterval(this.scan);
    this.deps.clock.clearTimeout(this.wake);
    this.scan = this.wake = null;
  }

  /** Looks at the outbox now (a text was queued). */
  kick(): void {
    if (this.stopped || this.busy) return;
    void this.drain();
  }

  /** Whether a text is being handed to the modem right now. */
  get sending(): boolean {
    return this.busy;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      for (;;) {
        if (this.stopped) return;
        const now = this.deps.clock.now();
        const m = this.deps.store.nextDue(now);
        if (!m) {
          this.wakeAtNextDue(now);
          return;
        }
        const wait = this.lastHandedAt + this.deps.policy().minIntervalMs - this.deps.clock.monotonic();
        if (wait > 0) {
          this.deps.clock.clearTimeout(this.wake);
          this.wake = this.deps.clock.setTimeout(() => this.kick(), wait);
          return;
        }
        if (!this.admit(m, now)) continue;
        const state = this.deps.modem.status().state;
        if (state !== 'ready') {
          this.deps.store.holdUntil(m.id, now + MODEM_WAIT_MS);
          continue;
        }
        await this.send(m);
      }
    } catch (err) {
      this.deps.log.error({ err }, 'the outbox failed; it tries again shortly');
    } finally {
      this.busy = false;
    }
  }

  /** Sets the wake-up for the earliest held or retried text. */
  private wakeAtNextDue(now: number): void {
    const at = this.deps.store.nextDueAt();
    this.deps.clock.clearTimeout(this.wake);
    this.wake = at === null ? null : this.deps.clock.setTimeout(() => this.kick(), Math.max(0, at - now));
  }

  /** Applies opt-outs, unreachable numbers, quiet hours and the daily cap; false when the text does not go now. */
  private admit(m: SmsMessage, now: number): boolean {
    const { store } = this.deps;
    if (m.kind !== 'compliance' && store.isOptedOut(m.phone)) {
      store.cancel(m.id, 'opted out');
      this.changed(m.id);
      return false;
    }
    if (m.partsSent === 0 && store.isUnreachable(m.phone)) {
      store.failed(m.id, 'this number cannot take texts');
      this.changed(m.id);
      return false;
    }
    const policy = this.deps.policy();
    if (m.automated && !IMMEDIATE.has(m.kind) && m.partsSent === 0) {
      const allowed = nextAllowed(now, policy.quiet);
      if (allowed > now) {
        store.holdUntil(m.id, allowed);
        return false;
      }
    }
    const dayStart = localDayStart(now, policy.quiet.zone);
    if (m.partsSent === 0 && store.sentSince(dayStart) >= policy.dailyCap) {
      store.holdUntil(m.id, localDayStart(dayStart + 36 * 3_600_000, policy.quiet.zone));
      this.deps.log.warn({ cap: policy.dailyCap }, 'the daily text cap is reached: texts wait for tomorrow');
      return false;
    }
    return true;
  }

  private async send(m: SmsMessage): Promise<void> {
    const { store, clock } = this.deps;
    const parts = splitText(m.body).pieces.length;
    const ref = m.concatRef ?? Math.floor(Math.random() * 256);
    // Written before the first part goes: a restart finds it 'sending' and resumes after parts_sent.
    store.beginSend(m.id, parts, ref);
    this.lastHandedAt = clock.monotonic();
    try {
      await this.deps.modem.send(m.phone, m.body, {
        statusReport: true,
        fromPart: m.partsSent + 1,
        concatReference: ref,
        beforeHandoff: (part) => store.handing(m.id, part),
        onPart: (p) => store.partHanded(m.id, p.part, p.reference, clock.now()),
      });
      store.sent(m.id, clock.now());
      this.deps.log.info({ smsId: m.id, kind: m.kind, parts, pii: { phone: m.phone } }, 'text handed to the modem');
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const attempts = m.attempts + 1;
      // No final answer to a PDU already written (a timeout, the link gone): the modem may well
      // have sent that part, so it is never written again, as after a restart mid-send. An ERROR /
      // +CMS answer means the modem did not send it, so those retry.
      const answered = err instanceof AtError && (err.kind === 'error' || err.kind === 'cms' || err.kind === 'cme');
      if (!answered && store.handingPart(m.id) !== null) {
        store.failed(m.id, 'the modem gave no answer while sending it: it may have gone out, so it was not sent again');
      } else if (err instanceof AtError && err.fault === 'rejected-number') {
        store.markUnreachable(m.phone, why, clock.now());
        store.failed(m.id, 'the network refused this number (a landline?)');
      } else if (attempts >= MAX_ATTEMPTS) {
        store.failed(m.id, why);
      } else {
        store.retryLater(m.id, why, clock.now() + backoffMs(attempts));
      }
      this.deps.log.warn({ smsId: m.id, attempts, err: why }, 'a text could not be sent');
    }
    if (m.kind === 'code') store.settleCodes(m.id);
    this.changed(m.id);
  }

  private changed(id: number): void {
    const m = this.deps.store.get(id);
    if (m) this.deps.onChange?.(m);
  }
}
