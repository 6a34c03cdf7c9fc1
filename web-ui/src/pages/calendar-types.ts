// The shapes the calendar reads from the API (appliance/web/routes/appointments.ts, catalogue.ts).
export interface Appointment {
  id: number;
  status: string;
  source: string;
  start: string;
  end: string;
  service: { id: string; name: string };
  provider: { id: string; name: string };
  client: { id: number; name: string; phone: string; email: string | null; isNew: boolean } | null;
  notes: string;
  /** When the client confirmed it (a YES to the reminder text), or null. */
  confirmedAt: string | null;
  history: { kind: string; source: string; at: string; fromStart: string | null; toStart: string | null; note: string }[];
}

export interface Span {
  weekday: number;
  start: string;
  end: string;
}

export interface Provider {
  id: string;
  name: string;
  title: string;
  hours: Span[];
  breaks: Span[];
  active: boolean;
}

export interface Spa {
  spa: { name: string; timeZone: string; hours: Span[]; closures: { startDate: string; endDate: string; reason: string }[] };
  providers: Provider[];
  today: string;
}

export interface Service {
  id: string;
  name: string;
  durationMin: number;
  priceCents: number | null;
  priceText: string;
  active: boolean;
  providers: { id: string; name: string }[];
}

/** A free time the server offers when the one asked for is not free. */
export interface Nearest {
  start: string;
  end: string;
  provider: { id: string; name: string };
}
