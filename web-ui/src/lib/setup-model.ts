// The setup wizard's shapes and small pure helpers (the week editor's rows, money fields, ids
// made from names, error text), apart from the pages so they can be unit-tested.

export interface Span {
  weekday: number;
  start: string;
  end: string;
}

export interface SetupService {
  id: string;
  name: string;
  category: string;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  priceCents: number | null;
  priceText: string;
  depositCents: number;
  consultFirst: boolean;
  providerIds: string[];
  aliases: string[];
}

export interface SetupProvider {
  id: string;
  name: string;
  title: string;
  hours: Span[];
  breaks: Span[];
}

export interface SetupState {
  setup: { step: string; finished: boolean };
  steps: string[];
  spa: { name: string; address: string; phone: string; timeZone: string; hours: Span[]; closures: { startDate: string; endDate: string; reason: string }[] };
  services: SetupService[];
  providers: SetupProvider[];
  phone: { mode: 'direct' | 'register'; registrar: string; username: string; passwordSet: boolean; ringTimeoutS: number; transferTo: string | null };
  voice: { greeting: string; disclosure: string; recordingNotice: string; record: boolean };
  health: {
    sip: { listening: boolean; registered: boolean | null; registrationError?: string | null; mode: string };
    engines: { vad: string; asr: string; tts: string; llm: string };
    modem: { driver: string; state: string };
  };
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** One row per weekday (1..7): open or not, and the first span's times (the wizard edits one span a day). */
export interface DayRow {
  weekday: number;
  open: boolean;
  start: string;
  end: string;
}

export function weekRows(spans: readonly Span[], fallback: readonly Span[] = []): DayRow[] {
  return WEEKDAYS.map((_, i) => {
    const weekday = i + 1;
    const s = spans.find((x) => x.weekday === weekday);
    const f = fallback.find((x) => x.weekday === weekday);
    return { weekday, open: s !== undefined, start: s?.start ?? f?.start ?? '09:00', end: s?.end ?? f?.end ?? '17:00' };
  });
}

export function rowsToSpans(rows: readonly DayRow[]): Span[] {
  return rows.filter((r) => r.open).map((r) => ({ weekday: r.weekday, start: r.start, end: r.end }));
}

/** '$1,250.50' / '1250.5' -> 125050; '' -> null; not money -> NaN. */
export function dollarsToCents(text: string): number | null {
  const t = text.replace(/[$,\s]/g, '');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  return Math.round(Number(t) * 100);
}

/** 'Glow Facial (60 min)' -> 'glow-facial-60-min'. */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** An API error as one sentence, with the fields it names. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'fields' in err && 'message' in err) {
    const fields = Object.entries((err as { fields: Record<string, string> }).fields);
    if (fields.length > 0) return `Please check: ${fields.map(([k, v]) => `${k} (${v})`).join('; ')}.`;
    return String((err as { message: string }).message);
  }
  return err instanceof Error ? err.message : String(err);
}
