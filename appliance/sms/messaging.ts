// What the box does with texts: an arriving SMS is stored, checked for STOP / START / HELP, and
// otherwise handed to the receptionist over its text channel (its answer goes back by SMS) unless
// staff took the thread over; a missed call gets one text-back per caller per day (never to
// staff, opted-out numbers, numbers that cannot take texts, or callers the box served live);
// bookings get a confirmation and a reminder before the appointment.
import type { ChatTurn } from '../agent/receptionist.js';
import type { Appointment } from '../booking/types.js';
import type { Logger } from '../log.js';
import type { Clock } from '../shared/clock.js';
import type { InboundSms } from './modem.js';
import { keywordOf, reminderAnswer } from './policy.js';
import type { SmsMessage, SmsStore } from './sms-store.js';

export interface MessagingSettings {
  textBack: string;
  reminderHours: number;
  staffNumbers: readonly string[];
}

export interface SpaFacts {
  name: string;
  phone: string;
  zone: string;
}

export interface BookingsView {
  /** Appointments booked in [from, to). */
  bookedBetween(from: number, to: number): Appointment[];
  /** Appointments starting in [from, to). */
  list(from: number, to: number): Appointment[];
  clientPhone(clientId: number): string | null;
  describe(a: Appointment): string;
  /** The appointment now, or null when it is gone. */
  get(id: number): Appointment | null;
  /** The booking engine's atomic cancel; throws when the appointment is no longer booked. */
  cancel(id: number, note: string): Appointment;
}

export interface MessagingDeps {
  store: SmsStore;
  clock: Clock;
  log: Logger;
  /** The receptionist's text channel. */
  chat: (req: { from: string; text: string; channel: 'sms' }) => Promise<ChatTurn>;
  spa: () => SpaFacts;
  settings: () => MessagingSettings;
  /** Whether the box (or staff) spoke with this number live since `since`. */
  servedLiveSince: (phone: string, since: number) => boolean;
  bookings?: BookingsView;
  /** A text was queued: the outbox looks now. */
  queued: (m: SmsMessage) => void;
}

export type TextBackSkip = 'no-number' | 'disabled' | 'staff' | 'opted-out' | 'unreachable' | 'recent' | 'served-live';

const DAY_MS = 86_400_000;
/** A YES or NO answers the latest reminder when it comes within this of the reminder (and before the appointment). */
export const REMINDER_ANSWER_WINDOW_MS = 2 * DAY_MS;
/** The same staff alert text to the same number within this goes once. */
export const ALERT_DEDUP_MS = 60 * 60_000;

export class Messaging {
  constructor(private readonly deps: MessagingDeps) {}

  /** An SMS arrived (from the modem, after reassembly). Never throws. */
  async onInbound(sms: InboundSms): Promise<SmsMessage | null> {
    const { store, clock, log } = this.deps;
    const now = clock.now();
    const phone = sms.from;
    let row: SmsMessage;
    try {
      row = store.received({ phone, body: sms.text, now, sentAt: sms.sentAt });
    } catch (err) {
      log.error({ err }, 'an arriving text could not be stored');
      return null;
    }
    const keyword = keywordOf(sms.text);
    const spa = this.deps.spa();
    if (keyword === 'stop') {
      const already = store.isOptedOut(phone);
      store.optOut(phone, sms.text.trim().slice(0, 40), now);
      if (!already) this.queue(phone, 'compliance', `You are unsubscribed from ${spa.name} texts and will get no more. Reply START to subscribe again.`, false);
      log.info({ smsId: row.id, pii: { phone } }, 'a number opted out of texts');
      return row;
    }
    if (keyword === 'start') {
      store.optIn(phone);
      this.queue(phone, 'compliance', `You are subscribed to ${spa.name} texts again. Reply STOP to unsubscribe, HELP for help.`, false);
      return row;
    }
    if (keyword === 'help') {
      this.queue(phone, 'compliance', `${spa.name}${spa.phone ? `: call us at ${spa.phone}` : ''}. Text us to ask or book. Reply STOP to unsubscribe.`, false);
      return row;
    }
    if (store.isOptedOut(phone)) return row; // kept for staff, not answered
    if (store.isPaused(phone)) return row; // staff have this thread (a YES or NO too: staff may have asked something else)
    if (this.answerReminder(phone, sms.text, row)) return row;
    try {
      const turn = await this.deps.chat({ from: phone, text: sms.text, channel: 'sms' });
      if (turn.reply.trim()) this.queue(phone, 'reply', turn.reply, false);
    } catch (err) {
      log.error({ err, smsId: row.id }, 'the receptionist could not answer a text; staff see it in Messages');
    }
    return row;
  }

  /**
   * A one-time code for a caller on the line (agent/identity-code.ts), to the number they call
   * from: it goes at once, whatever the hour; false when the number opted out of texts.
   */
  identityCode(phone: string, body: string): boolean {
    if (this.deps.store.isOptedOut(phone)) return false;
    this.queue(phone, 'code', body, false);
    return true;
  }

  /** A call rang out unanswered: decides on the text-back and queues it (it goes at once). */
  onMissedCall(phone: string | null): { queued: SmsMessage | null; skipped: TextBackSkip | null } {
    const { store, clock } = this.deps;
    const skip = (why: TextBackSkip): { queued: null; skipped: TextBackSkip } => {
      this.deps.log.info({ why }, 'no text-back for this missed call');
      return { queued: null, skipped: why };
    };
    if (!phone) return skip('no-number');
    const settings = this.deps.settings();
    if (!settings.textBack.trim()) return skip('disabled');
    if (settings.staffNumbers.includes(phone)) return skip('staff');
    if (store.isOptedOut(phone)) return skip('opted-out');
    if (store.isUnreachable(phone)) return skip('unreachable');
    const now = clock.now();
    const last = store.lastOut(phone, 'text-back');
    if (last && last.createdAt > now - DAY_MS) return skip('recent');
    if (this.deps.servedLiveSince(phone, now - DAY_MS)) return skip('served-live');
    const body = settings.textBack.replaceAll('{spa}', this.deps.spa().name);
    return { queued: this.queue(phone, 'text-back', body, true), skipped: null };
  }

  /** Staff reply by hand: the text goes out through the outbox and staff hold the thread (the receptionist stops answering it). */
  staffReply(phone: string, body: string, staffUser: string | null): SmsMessage {
    this.deps.store.pause(phone, staffUser, this.deps.clock.now());
    return this.queue(phone, 'staff', body, false, { staffUser });
  }

  /** Staff take the thread over without writing yet. */
  takeOver(phone: string, staffUser: string | null): void {
    this.deps.store.pause(phone, staffUser, this.deps.clock.now());
  }

  /** Hands the thread back to the receptionist; false when staff did not hold it. */
  resumeAgent(phone: string): boolean {
    return this.deps.store.resume(phone);
  }

  /**
   * A staff alert the receptionist raised: urgent ones (symptoms after treatment) text every staff
   * number at once, even in quiet hours; handoffs (a message or call-back for staff) wait for the
   * end of quiet hours like other automated texts. Only what staff need to act goes in the text
   * (the kind and the number to call back), never the caller's words or name. The same text to
   * the same staff number within ALERT_DEDUP_MS goes once; numbers that opted out get none.
   */
  staffAlert(alert: { kind: string; phone: string | null }): SmsMessage[] {
    const urgent = alert.kind === 'urgent';
    if (!urgent && alert.kind !== 'message') return [];
    const { store, clock } = this.deps;
    const callBack = alert.phone ? ` Call back ${alert.phone}.` : ' No number was left: see the alerts on the box.';
    const body = urgent
      ? `Urgent: a caller reported symptoms after treatment.${callBack}`
      : `${this.deps.spa().name}: a caller asked for staff to get back to them.${callBack}`;
    const now = clock.now();
    const queued: SmsMessage[] = [];
    for (const to of new Set(this.deps.settings().staffNumbers)) {
      if (store.isOptedOut(to) || store.sentSameSince(to, 'alert', body, now - ALERT_DEDUP_MS)) continue;
      queued.push(this.queue(to, 'alert', body, !urgent));
    }
    if (queued.length > 0) this.deps.log.info({ kind: alert.kind, texts: queued.length }, 'staff alert texted');
    return queued;
  }

  /**
   * Confirmations for appointments booked in [since, now) and reminders for those starting
   * `reminderHours` ahead (booked before that window opened). Each is queued once per appointment.
   */
  scanBookings(since: number): void {
    const b = this.deps.bookings;
    if (!b) return;
    const now = this.deps.clock.now();
    for (const a of b.bookedBetween(since, now)) {
      if (a.status !== 'booked') continue;
      this.once(a, 'confirmation', (d) => `${this.deps.spa().name}: you're booked for ${d}. Reply here with any question. Reply STOP to opt out.`);
    }
    const hours = this.deps.settings().reminderHours;
    if (hours <= 0) return;
    const ahead = hours * 3_600_000;
    for (const a of b.list(now, now + ahead)) {
      if (a.status !== 'booked' || a.createdAt > a.start - ahead) continue;
      this.once(a, 'reminder', (d) => `Reminder from ${this.deps.spa().name}: ${d}. Reply YES to confirm or NO to cancel this appointment.`);
    }
  }

  /**
   * A whole-message YES or NO right after a reminder (the last text we sent this number, within
   * the window, the appointment still booked and ahead): YES confirms it, NO cancels it through
   * the booking engine and says how to rebook. True when handled; anything else goes to the receptionist.
   */
  private answerReminder(phone: string, text: string, row: SmsMessage): boolean {
    const b = this.deps.bookings;
    const answer = reminderAnswer(text);
    if (!b || !answer) return false;
    const { store, clock, log } = this.deps;
    const now = clock.now();
    const last = store.lastConversational(phone);
    if (!last || last.kind !== 'reminder' || last.appointmentId === null || last.sentAt === null || last.sentAt < now - REMINDER_ANSWER_WINDOW_MS) return false;
    const appt = b.get(last.appointmentId);
    if (!appt || appt.status !== 'booked' || appt.start <= now) return false;
    const spa = this.deps.spa();
    const described = b.describe(appt);
    if (answer === 'yes') {
      store.confirmAppointment(appt.id, now, 'sms');
      this.queue(phone, 'reply', `Thank you, you're confirmed for ${described}. See you then!`, false, { appointmentId: appt.id });
      log.info({ smsId: row.id, appointmentId: appt.id }, 'a client confirmed an appointment by text');
      return true;
    }
    try {
      b.cancel(appt.id, 'cancelled by a NO to the reminder text');
    } catch (err) {
      log.warn({ err, appointmentId: appt.id }, 'a NO to a reminder could not cancel the appointment; the receptionist answers instead');
      return false;
    }
    const rebook = `To book again, reply here with a day and time${spa.phone ? ` or call us at ${spa.phone}` : ''}.`;
    this.queue(phone, 'reply', `Your ${described} is cancelled. ${rebook}`, false, { appointmentId: appt.id });
    log.info({ smsId: row.id, appointmentId: appt.id }, 'a client cancelled an appointment by text');
    return true;
  }

  private once(a: Appointment, kind: 'confirmation' | 'reminder', text: (described: string) => string): void {
    const b = this.deps.bookings;
    if (!b) return;
    const phone = b.clientPhone(a.clientId);
    if (!phone || this.deps.store.isOptedOut(phone) || this.deps.store.hasForAppointment(a.id, kind)) return;
    this.queue(phone, kind, text(b.describe(a)), true, { appointmentId: a.id });
  }

  private queue(phone: string, kind: SmsMessage['kind'], body: string, automated: boolean, extra: { appointmentId?: number; staffUser?: string | null } = {}): SmsMessage {
    const m = this.deps.store.enqueue({ phone, kind, body, automated, now: this.deps.clock.now(), ...extra });
    this.deps.queued(m);
    return m;
  }
}
