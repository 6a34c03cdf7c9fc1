// The booking domain's shapes. Instants are epoch milliseconds (UTC); wall-clock times
// in the spa's zone are "HH:MM" strings and local dates are "YYYY-MM-DD".

/** ISO weekday: 1 = Monday ... 7 = Sunday (luxon's numbering). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A span of wall-clock time on one local day, "HH:MM" to "HH:MM" (end exclusive, "24:00" allowed). */
export interface WallSpan {
  start: string;
  end: string;
}

/** Opening hours or working hours for one weekday: several spans allowed (split shifts). */
export interface WeeklySpan extends WallSpan {
  weekday: Weekday;
}

/** A spa-wide closure (holiday, training day) over whole local dates, inclusive. */
export interface Closure {
  id?: number;
  startDate: string;
  endDate: string;
  reason: string;
}

export interface SpaProfile {
  name: string;
  address: string;
  phone: string;
  timeZone: string;
  hours: WeeklySpan[];
  closures: Closure[];
}

export interface Service {
  id: string;
  name: string;
  /** What callers say: "Botox", "tox", "wrinkle relaxer". */
  aliases: string[];
  category: string;
  description: string;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  /** Price in cents when there is one price; null when only priceText applies. */
  priceCents: number | null;
  /** How a receptionist states the price: "$13 per unit, most visits 20-40 units". */
  priceText: string;
  depositCents: number;
  /** New clients must first have a consultation / good-faith exam. */
  consultFirst: boolean;
  /** The service new clients are booked into first when consultFirst is set. */
  consultServiceId: string | null;
  providerIds: string[];
  active: boolean;
}

/** A span of time a provider is unavailable: absolute instants (vacation, sick day). */
export interface TimeOff {
  id?: number;
  providerId: string;
  start: number;
  end: number;
  reason: string;
}

export interface Provider {
  id: string;
  name: string;
  title: string;
  hours: WeeklySpan[];
  breaks: WeeklySpan[];
  active: boolean;
}

export interface Client {
  id: number;
  /** E.164, e.g. +15551234567. */
  phone: string;
  name: string;
  email: string | null;
  /** True until the client has a completed visit. */
  isNew: boolean;
  smsOptOut: boolean;
  createdAt: number;
}

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'completed', 'no-show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_SOURCES = ['call', 'sms', 'staff', 'web'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];

export interface Appointment {
  id: number;
  clientId: number;
  serviceId: string;
  providerId: string;
  /** The treatment itself. */
  start: number;
  end: number;
  /** start - bufferBefore .. end + bufferAfter: the time the provider is taken. */
  blockStart: number;
  blockEnd: number;
  status: AppointmentStatus;
  source: AppointmentSource;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

export type AppointmentEventKind = 'booked' | 'rescheduled' | 'cancelled' | 'completed' | 'no-show';

export interface AppointmentEvent {
  appointmentId: number;
  at: number;
  kind: AppointmentEventKind;
  source: AppointmentSource;
  fromStart: number | null;
  toStart: number | null;
  note: string;
}

/** A short-lived claim on a slot while a caller decides. */
export interface SlotHold {
  id: string;
  serviceId: string;
  providerId: string;
  start: number;
  end: number;
  blockStart: number;
  blockEnd: number;
  holder: string;
  expiresAt: number;
}

/** A time the provider is taken: an appointment's or a hold's block. */
export interface BusyBlock {
  providerId: string;
  start: number;
  end: number;
}

export interface Slot {
  start: number;
  end: number;
  providerId: string;
}

export interface KnowledgeEntry {
  id: string;
  topic: string;
  title: string;
  body: string;
  tags: string[];
  /** Questions this entry answers, in callers' words (staff add more in the settings). */
  examples?: string[];
}
