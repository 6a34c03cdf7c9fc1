// Insights (owner): the last 30 or 90 days as charts: calls by outcome and by hour of day,
// bookings by source, and the value of the appointments the box booked (its services' prices).
import { useState } from 'preact/hooks';
import { BarChart, HourChart } from '../chart.js';
import { useApi } from '../hooks.js';
import { money } from '../lib/format.js';
import './setup.css';

interface Insights {
  days: number;
  from: string;
  to: string;
  dates: string[];
  calls: { total: number; byOutcome: Record<string, number>; byHour: number[]; byDay: number[] };
  bookings: { bySource: Record<string, number>; box: number; boxByDay: number[] };
  revenue: { cents: number; unpriced: number; byDay: number[] };
}

/** Short enough to sit under a bar; the outcomes with no call are left out. */
const OUTCOME_SHORT: Record<string, string> = {
  'ai-handled': 'Box',
  transferred: 'Transferred',
  'answered-elsewhere': 'Staff',
  missed: 'Missed',
  'rejected-busy': 'Busy',
  'rejected-forbidden': 'Refused',
  failed: 'Failed',
};

const SOURCES: [string, string][] = [
  ['call', 'Phone'],
  ['sms', 'Text'],
  ['web', 'Web chat'],
  ['staff', 'Staff'],
];

export function InsightsPage() {
  const [days, setDays] = useState<30 | 90>(30);
  const res = useApi<Insights>(`/api/insights?days=${days}`);
  const d = res.data;
  const outcomes = d ? Object.entries(d.calls.byOutcome).filter(([k, n]) => k !== 'open' && n > 0) : [];
  const shortDate = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return (
    <>
      <h1>Insights</h1>
      <div class="range-pick" role="group" aria-label="Period">
        {([30, 90] as const).map((n) => (
          <button key={n} type="button" class="secondary" aria-pressed={days === n} onClick={() => setDays(n)}>
            Last {n} days
          </button>
        ))}
      </div>
      {res.error && (
        <p class="error" role="alert">
          {res.error}
        </p>
      )}
      {!d ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <section class="tiles" aria-label="Totals">
            <div class="tile">
              <span class="tile-value">{d.calls.total}</span>
              <span class="tile-label">Calls</span>
            </div>
            <div class="tile">
              <span class="tile-value">{(d.calls.byOutcome['ai-handled'] ?? 0) + (d.calls.byOutcome.transferred ?? 0)}</span>
              <span class="tile-label">Answered by the box</span>
            </div>
            <div class="tile">
              <span class="tile-value">{d.bookings.box}</span>
              <span class="tile-label">Booked by the box</span>
            </div>
            <div class="tile">
              <span class="tile-value">{money(d.revenue.cents)}</span>
              <span class="tile-label">Value booked by the box</span>
              {d.revenue.unpriced > 0 && <span class="tile-detail">+ {d.revenue.unpriced} priced at the visit</span>}
            </div>
          </section>
          <div class="columns">
            <section class="card" aria-labelledby="in-outcome">
              <h2 id="in-outcome">Calls by outcome</h2>
              <BarChart labels={outcomes.map(([k]) => OUTCOME_SHORT[k] ?? k)} values={outcomes.map(([, n]) => n)} label={`Calls by outcome, last ${d.days} days`} unit="Calls" />
            </section>
            <section class="card" aria-labelledby="in-hour">
              <h2 id="in-hour">Calls by hour of day</h2>
              <HourChart counts={d.calls.byHour} label={`Calls by hour of day, last ${d.days} days: ${d.calls.total} in all`} />
            </section>
            <section class="card" aria-labelledby="in-source">
              <h2 id="in-source">Bookings by source</h2>
              <p class="muted small">Phone, text and web chat are the box's; staff are bookings made at the desk.</p>
              <BarChart labels={SOURCES.map(([, name]) => name)} values={SOURCES.map(([k]) => d.bookings.bySource[k] ?? 0)} label={`Bookings made by source, last ${d.days} days`} unit="Bookings" />
            </section>
            <section class="card" aria-labelledby="in-revenue">
              <h2 id="in-revenue">Value booked by the box, by day</h2>
              <BarChart
                labels={d.dates.map(shortDate)}
                values={d.revenue.byDay}
                label={`Value of appointments the box booked by day, last ${d.days} days: ${money(d.revenue.cents)}`}
                unit="Value"
                format={(c) => money(Math.round(c))}
              />
              <p class="muted small">Service prices of the appointments the box booked by phone, text or web chat, by the day it booked them; cancelled ones left out.</p>
            </section>
          </div>
        </>
      )}
    </>
  );
}
