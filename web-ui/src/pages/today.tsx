// Today: how the day's calls went (box, staff, missed), what the box booked and its value, the
// alerts still waiting (urgent first, each with a Done button), and the next appointments.
// Refreshes itself every 30 s.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { dateTime, money } from '../lib/format.js';
import { lazyPage } from '../lazy-page.js';

// The chart library loads after the figures: Today's numbers do not wait for it.
const HourChart = lazyPage(() => import('../chart.js').then((m) => m.HourChart), null);

interface Today {
  timeZone: string;
  date: string;
  calls: { box: number; staff: number; missed: number; other: number; inProgress: number; total: number; byHour: number[] };
  bookings: {
    count: number;
    cancelled: number;
    valueCents: number;
    unpriced: number;
    items: { id: number; status: string; source: string; start: string; service: string; priceCents: number | null; client: string | null }[];
  };
  alerts: { id: number; kind: string; name: string; phone: string | null; text: string; createdAt: string }[];
  next: { id: number; start: string; end: string; source: string; service: string; provider: string; client: string | null }[];
}

const SOURCE_NAMES: Record<string, string> = { call: 'phone call', sms: 'text message', web: 'web chat', staff: 'staff' };

export function TodayPage() {
  const today = useApi<Today>('/api/today', 30_000);
  const [doneError, setDoneError] = useState<string | null>(null);
  const d = today.data;
  // When the figures first show (after paint): `npm run bench -- web-ui` reads this mark.
  const shown = d !== null;
  useEffect(() => {
    if (shown && performance.getEntriesByName('spa:today-shown').length === 0) performance.mark('spa:today-shown');
  }, [shown]);
  const done = async (id: number) => {
    try {
      await api(`/api/alerts/${id}/done`, { method: 'POST' });
      setDoneError(null);
    } catch (err) {
      setDoneError(err instanceof Error ? err.message : String(err));
    }
    today.reload();
  };
  return (
    <>
      <h1>Today {d && <span class="muted">{new Date(`${d.date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' })}</span>}</h1>
      {today.error && <p class="error" role="alert">{today.error}</p>}
      {!d ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <section aria-labelledby="calls-title" class="tiles">
            <h2 id="calls-title" class="visually-hidden">Calls and bookings</h2>
            <Tile label="Answered by the box" value={d.calls.box} href="#/calls?outcome=ai-handled" />
            <Tile label="Answered by staff" value={d.calls.staff} href="#/calls?outcome=answered-elsewhere" />
            <Tile label="Missed" value={d.calls.missed} href="#/calls?outcome=missed" warn={d.calls.missed > 0} />
            <Tile
              label="Booked by the box"
              value={d.bookings.count}
              detail={`${money(d.bookings.valueCents)}${d.bookings.unpriced > 0 ? ` + ${d.bookings.unpriced} priced at the visit` : ''}`}
            />
          </section>
          {d.calls.inProgress > 0 && <p class="note">{d.calls.inProgress} call{d.calls.inProgress === 1 ? '' : 's'} in progress.</p>}

          <div class="columns">
            <section aria-labelledby="alerts-title" class="card">
              <h2 id="alerts-title">To follow up</h2>
              {doneError && <p class="error" role="alert">{doneError}</p>}
              {d.alerts.length === 0 ? (
                <p class="muted">Nothing waiting.</p>
              ) : (
                <ul class="alerts">
                  {d.alerts.map((a) => (
                    <li key={a.id} class={a.kind === 'urgent' ? 'urgent' : ''}>
                      <div>
                        <span class={`badge ${a.kind}`}>{a.kind === 'no-availability' ? 'no slot' : a.kind}</span>{' '}
                        <strong>{a.name || 'Unknown caller'}</strong> {a.phone && <span class="muted">{a.phone}</span>}
                        <p>{a.text}</p>
                        <span class="muted small">{dateTime(a.createdAt, d.timeZone)}</span>
                      </div>
                      <button type="button" class="secondary" onClick={() => void done(a.id)} aria-label={`Done: ${a.kind} from ${a.name || 'unknown caller'}`}>
                        Done
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section aria-labelledby="next-title" class="card">
              <h2 id="next-title">Next appointments</h2>
              {d.next.length === 0 ? (
                <p class="muted">None in the next 7 days.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Client</th>
                      <th scope="col">Service</th>
                      <th scope="col">With</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.next.map((a) => (
                      <tr key={a.id}>
                        <td>{dateTime(a.start, d.timeZone)}</td>
                        <td>{a.client ?? '—'}</td>
                        <td>{a.service}</td>
                        <td>{a.provider}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>

          <div class="columns">
            <section aria-labelledby="booked-title" class="card">
              <h2 id="booked-title">Booked by the box today</h2>
              {d.bookings.items.length === 0 ? (
                <p class="muted">No bookings yet today.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Client</th>
                      <th scope="col">Service</th>
                      <th scope="col">For</th>
                      <th scope="col">By</th>
                      <th scope="col" class="num">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.bookings.items.map((b) => (
                      <tr key={b.id} class={b.status === 'cancelled' ? 'struck' : ''}>
                        <td>{b.client ?? '—'}</td>
                        <td>{b.service}</td>
                        <td>{dateTime(b.start, d.timeZone)}</td>
                        <td>{SOURCE_NAMES[b.source] ?? b.source}</td>
                        <td class="num">{b.status === 'cancelled' ? 'cancelled' : b.priceCents === null ? 'at visit' : money(b.priceCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="hours-title" class="card">
              <h2 id="hours-title">Calls by hour</h2>
              <HourChart counts={d.calls.byHour} label={`Calls today by hour: ${d.calls.total} in all`} />
              <p class="muted small">
                {d.calls.total} call{d.calls.total === 1 ? '' : 's'} today{d.calls.other > 0 ? `, ${d.calls.other} refused or failed` : ''}. By the hour the call came in, in the spa's time zone.
              </p>
            </section>
          </div>
        </>
      )}
    </>
  );
}

function Tile({ label, value, detail, href, warn }: { label: string; value: number; detail?: string; href?: string; warn?: boolean }) {
  const body = (
    <>
      <span class="tile-value">{value}</span>
      <span class="tile-label">{label}</span>
      {detail && <span class="tile-detail">{detail}</span>}
    </>
  );
  return href ? (
    <a class={`tile${warn ? ' warn' : ''}`} href={href}>
      {body}
    </a>
  ) : (
    <div class={`tile${warn ? ' warn' : ''}`}>{body}</div>
  );
}
