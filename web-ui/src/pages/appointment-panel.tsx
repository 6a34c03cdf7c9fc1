// The calendar's side panel: the form that books, and one appointment with its origin, history,
// a form to move it and a button to cancel it. A time the booking rules refuse shows why, and
// the nearest free times as buttons that take one.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { field } from '../forms.js';
import { clockLabel, dayLabel, HISTORY_NAMES, isoDate, minuteOfDay, ORIGIN_NAMES, STATUS_NAMES } from '../lib/calendar.js';
import type { Appointment, Nearest, Provider, Service } from './calendar-types.js';

/** A move asked for by dragging in the day grid (tried as soon as the panel has it). */
export interface PendingMove {
  id: number;
  /** Local wall time, 2026-12-01T14:00. */
  start: string;
  provider: string;
  /** A new drop is a new object: each is tried once. */
  seq: number;
}

interface Refusal {
  message: string;
  nearest: Nearest[];
}

/** The API's refusal, with the nearest free times when it named them. */
async function attempt<T>(fn: () => Promise<T>, refused: (r: Refusal | null) => void): Promise<T | null> {
  try {
    const out = await fn();
    refused(null);
    return out;
  } catch (err) {
    if (err instanceof ApiError) {
      const fields = Object.entries(err.fields).map(([k, v]) => `${k}: ${v}`);
      refused({ message: fields.length > 0 ? `${err.message} (${fields.join('; ')})` : err.message, nearest: nearestOf(err) });
    } else {
      refused({ message: err instanceof Error ? err.message : String(err), nearest: [] });
    }
    return null;
  }
}

/**
 * Asks the server whether the time would be accepted (a 200 either way, so a taken time is no
 * failed request): null when free, else why not with the nearest free times.
 */
async function precheck(q: { service: string; provider?: string; start: string; appointment?: number }): Promise<Refusal | null> {
  const p = new URLSearchParams({ service: q.service, start: q.start });
  if (q.provider) p.set('provider', q.provider);
  if (q.appointment !== undefined) p.set('appointment', String(q.appointment));
  const r = await api<{ free: boolean; message?: string; nearest?: Nearest[] }>(`/api/appointments/check?${p.toString()}`);
  return r.free ? null : { message: `Not possible: ${r.message ?? 'that time is not free'}`, nearest: r.nearest ?? [] };
}

function nearestOf(err: ApiError): Nearest[] {
  const n = err.details.nearest;
  return Array.isArray(n) ? (n as Nearest[]) : [];
}

const when = (iso: string): string => `${dayLabel(isoDate(iso))}, ${clockLabel(minuteOfDay(iso))}`;
const localStart = (iso: string): string => iso.slice(0, 16);

function RefusalNote({ refusal, verb, onPick }: { refusal: Refusal; verb: string; onPick: (n: Nearest) => void }) {
  return (
    <div class="refusal" role="alert">
      <p class="error">{refusal.message.replace(/^slot not available: /, 'Not possible: ')}</p>
      {refusal.nearest.length > 0 && (
        <>
          <p>Nearest free times:</p>
          <ul class="nearest">
            {refusal.nearest.map((n) => (
              <li key={`${n.start}-${n.provider.id}`}>
                <button type="button" class="secondary" onClick={() => onPick(n)}>
                  {verb} {when(n.start)} with {n.provider.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function BookForm({ date, services, providers, onBooked, onClose }: { date: string; services: Service[]; providers: Provider[]; onBooked: (a: Appointment) => void; onClose: () => void }) {
  const [serviceId, setServiceId] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<Record<string, unknown> | null>(null);
  const service = services.find((s) => s.id === serviceId);
  const eligible = service ? providers.filter((p) => service.providers.some((sp) => sp.id === p.id)) : providers;

  const book = async (body: Record<string, unknown>) => {
    setBusy(true);
    setLast(body);
    const made = await attempt(async () => {
      const no = await precheck({ service: String(body.service), start: String(body.start), ...(typeof body.provider === 'string' ? { provider: body.provider } : {}) });
      return no ?? (await api<{ appointment: Appointment }>('/api/appointments', { method: 'POST', body }));
    }, setRefusal);
    setBusy(false);
    if (made && 'nearest' in made) setRefusal(made);
    else if (made) onBooked(made.appointment);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const provider = field(f, 'provider');
    const notes = field(f, 'notes').trim();
    void book({
      service: field(f, 'service'),
      ...(provider ? { provider } : {}),
      start: `${field(f, 'date')}T${field(f, 'time')}`,
      client: { name: field(f, 'name').trim(), phone: field(f, 'phone').trim() },
      ...(notes ? { notes } : {}),
      source: 'staff',
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="book-title">
      <h2 id="book-title">New appointment</h2>
      <label for="b-service">Service</label>
      <select id="b-service" name="service" required value={serviceId} onChange={(e) => setServiceId(e.currentTarget.value)}>
        <option value="">Choose a service</option>
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.durationMin} min)
          </option>
        ))}
      </select>
      <label for="b-provider">Provider</label>
      <select id="b-provider" name="provider">
        <option value="">Anyone free</option>
        {eligible.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <div class="two">
        <div>
          <label for="b-date">Date</label>
          <input id="b-date" name="date" type="date" required defaultValue={date} />
        </div>
        <div>
          <label for="b-time">Time</label>
          <input id="b-time" name="time" type="time" required step={300} />
        </div>
      </div>
      <label for="b-name">Client name</label>
      <input id="b-name" name="name" required autoComplete="off" />
      <label for="b-phone">Client phone</label>
      <input id="b-phone" name="phone" type="tel" required autoComplete="off" />
      <label for="b-notes">Notes</label>
      <input id="b-notes" name="notes" autoComplete="off" />
      {refusal && (
        <RefusalNote
          refusal={refusal}
          verb="Book"
          onPick={(n) => void book({ ...(last ?? {}), start: n.start, provider: n.provider.id })}
        />
      )}
      <div class="actions form-actions">
        <button type="submit" disabled={busy}>
          Book
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

export function AppointmentPanel({ appt, pendingMove, providers, services, onChanged, onClose }: { appt: Appointment; pendingMove?: PendingMove | null; providers: Provider[]; services: Service[]; onChanged: (a: Appointment) => void; onClose: () => void }) {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const service = services.find((s) => s.id === appt.service.id);
  const eligible = service ? providers.filter((p) => service.providers.some((sp) => sp.id === p.id)) : providers;
  const editable = appt.status === 'booked';
  // A drop in the day grid fills the form, so a refused time is there to change by keyboard too.
  const asked = pendingMove?.id === appt.id ? pendingMove : null;

  const act = async (path: string, body: Record<string, unknown>) => {
    setBusy(true);
    const out = await attempt(async () => {
      const no =
        path === 'move'
          ? await precheck({ service: appt.service.id, start: String(body.start), appointment: appt.id, ...(typeof body.provider === 'string' ? { provider: body.provider } : {}) })
          : null;
      return no ?? (await api<{ appointment: Appointment }>(`/api/appointments/${appt.id}/${path}`, { method: 'POST', body }));
    }, setRefusal);
    setBusy(false);
    setConfirming(false);
    if (out && 'nearest' in out) setRefusal(out);
    else if (out) onChanged(out.appointment);
  };
  useEffect(() => {
    if (pendingMove && pendingMove.id === appt.id) void act('move', { start: pendingMove.start, provider: pendingMove.provider });
    // Each drop once: the drop is what changes (`act` is new every render).
  }, [pendingMove]);
  const move = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    void act('move', { start: `${field(f, 'date')}T${field(f, 'time')}`, provider: field(f, 'provider') });
  };

  return (
    <div>
      <h2>
        {appt.service.name} <span class={`badge ${appt.status}`}>{STATUS_NAMES[appt.status] ?? appt.status}</span>
        {appt.confirmedAt && <span class="badge confirmed">✓ Confirmed by patient</span>}
      </h2>
      <dl class="facts stacked">
        <div>
          <dt>Client</dt>
          <dd>{appt.client ? <a href={`#/clients/${appt.client.id}`}>{appt.client.name || appt.client.phone}</a> : '—'}</dd>
        </div>
        {appt.client && (
          <div>
            <dt>Phone</dt>
            <dd>{appt.client.phone}</dd>
          </div>
        )}
        <div>
          <dt>When</dt>
          <dd>
            {when(appt.start)}–{clockLabel(minuteOfDay(appt.end))}
          </dd>
        </div>
        <div>
          <dt>With</dt>
          <dd>{appt.provider.name}</dd>
        </div>
        {appt.confirmedAt && (
          <div>
            <dt>Patient reply</dt>
            <dd>Confirmed: replied YES to the reminder text, {when(appt.confirmedAt)}</dd>
          </div>
        )}
        <div>
          <dt>Booked by</dt>
          <dd>{ORIGIN_NAMES[appt.source] ?? appt.source}</dd>
        </div>
        {appt.notes && (
          <div>
            <dt>Notes</dt>
            <dd>{appt.notes}</dd>
          </div>
        )}
      </dl>
      <h3>History</h3>
      <ol class="history">
        {appt.history.map((h, i) => (
          <li key={i}>
            <strong>{HISTORY_NAMES[h.kind] ?? h.kind}</strong> by {(ORIGIN_NAMES[h.source] ?? h.source).toLowerCase()} <span class="muted small">{when(h.at)}</span>
            {h.kind === 'rescheduled' && h.fromStart && h.toStart && (
              <span class="small">
                {' '}
                from {when(h.fromStart)} to {when(h.toStart)}
              </span>
            )}
            {h.note && <span class="small"> — {h.note}</span>}
          </li>
        ))}
      </ol>
      {editable && (
        <form onSubmit={move} aria-labelledby={`move-${appt.id}`}>
          <h3 id={`move-${appt.id}`}>Move</h3>
          <div class="two">
            <div>
              <label for="m-date">New date</label>
              <input id="m-date" name="date" type="date" required defaultValue={asked ? asked.start.slice(0, 10) : isoDate(appt.start)} />
            </div>
            <div>
              <label for="m-time">New time</label>
              <input id="m-time" name="time" type="time" required step={300} defaultValue={asked ? asked.start.slice(11) : localStart(appt.start).slice(11)} />
            </div>
          </div>
          <label for="m-provider">Provider</label>
          <select id="m-provider" name="provider" defaultValue={asked ? asked.provider : appt.provider.id}>
            {eligible.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {refusal && <RefusalNote refusal={refusal} verb="Move to" onPick={(n) => void act('move', { start: n.start, provider: n.provider.id })} />}
          <div class="actions form-actions">
            <button type="submit" disabled={busy}>
              Move
            </button>
          </div>
        </form>
      )}
      <div class="actions form-actions">
        {editable &&
          (confirming ? (
            <>
              <button type="button" class="danger" disabled={busy} onClick={() => void act('cancel', {})}>
                Yes, cancel it
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirming(true)}>
              Cancel appointment
            </button>
          ))}
        <button type="button" class="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
