// Calendar: a day with a column per provider, or a week; book, move (drag in the day view, or
// the panel's form) and cancel through the same booking rules as the receptionist (the API
// refuses a taken time and names the nearest free ones). The day and view live in the address: #/calendar?date=2026-11-30&view=week.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from '../hooks.js';
import { addDays, clockLabel, dayLabel, gridHours, isoDate, minuteOfDay, ORIGIN_NAMES, weekday, weekStart, wallMinutes } from '../lib/calendar.js';
import type { Appointment, Provider, Service, Spa } from './calendar-types.js';
import { AppointmentPanel, BookForm, type PendingMove } from './appointment-panel.js';
import { targetLabel, useAppointmentDrag, type DropTarget } from './calendar-drag.js';

/** Height of one minute in the day grid, in px (an hour is 64 px). */
const PX = 64 / 60;

export function CalendarPage({ query }: { query: URLSearchParams }) {
  const spa = useApi<Spa>('/api/spa');
  const services = useApi<{ services: Service[] }>('/api/services');
  const today = spa.data?.today ?? null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '') ? (query.get('date') as string) : today;
  const view = query.get('view') === 'week' ? 'week' : 'day';
  const first = date === null ? null : view === 'week' ? weekStart(date) : date;
  const last = first === null ? null : view === 'week' ? addDays(first, 6) : first;
  const list = useApi<{ timeZone: string; appointments: Appointment[] }>(first === null ? null : `/api/appointments?from=${first}&to=${last ?? first}`);
  const [selected, setSelectedId] = useState<number | null>(null);
  const [booking, setBooking] = useState(false);
  // A drop in the day grid: the panel opens on the appointment and tries the move.
  const [pending, setPending] = useState<PendingMove | null>(null);
  const setSelected = (id: number | null) => {
    setPending(null);
    setSelectedId(id);
  };
  const side = useRef<HTMLElement>(null);
  // On the tablet the panel sits under the calendar: bring it into view when it opens.
  useEffect(() => {
    if ((booking || selected !== null) && side.current && side.current.getBoundingClientRect().top > window.innerHeight) side.current.scrollIntoView({ block: 'nearest' });
  }, [booking, selected]);

  const go = (d: string, v: string = view) => {
    location.hash = `#/calendar?date=${d}&view=${v}`;
  };
  const changed = (id: number | null) => {
    list.reload();
    setSelected(id);
  };
  const dropped = (id: number, t: DropTarget) => {
    const a = list.data?.appointments.find((x) => x.id === id);
    if (!a || date === null) return;
    const start = `${date}T${String(Math.floor(t.minute / 60)).padStart(2, '0')}:${String(t.minute % 60).padStart(2, '0')}`;
    if (start === a.start.slice(0, 16) && t.providerId === a.provider.id) return;
    setBooking(false);
    setSelectedId(id);
    setPending({ id, start, provider: t.providerId, seq: Date.now() });
  };

  if (spa.error) return <p class="error" role="alert">{spa.error}</p>;
  if (!spa.data || date === null || first === null) return <p role="status">Loading…</p>;
  const providers = spa.data.providers.filter((p) => p.active);
  const appts = list.data?.appointments ?? [];
  const chosen = appts.find((a) => a.id === selected) ?? null;
  const step = view === 'week' ? 7 : 1;

  return (
    <>
      <h1>
        Calendar <span class="muted">{view === 'week' ? `Week of ${dayLabel(first, 'long')}` : dayLabel(date, 'long')}</span>
      </h1>
      <div class="toolbar">
        <div class="actions" role="group" aria-label="Dates">
          <button type="button" class="secondary" onClick={() => go(addDays(date, -step))}>
            {view === 'week' ? 'Previous week' : 'Previous day'}
          </button>
          <button type="button" class="secondary" onClick={() => go(today ?? date)}>
            Today
          </button>
          <button type="button" class="secondary" onClick={() => go(addDays(date, step))}>
            {view === 'week' ? 'Next week' : 'Next day'}
          </button>
          <label class="inline">
            <span class="visually-hidden">Go to date</span>
            <input type="date" value={date} aria-label="Go to date" onChange={(e) => (e.currentTarget.value ? go(e.currentTarget.value) : undefined)} />
          </label>
        </div>
        <div class="actions" role="group" aria-label="View">
          <button type="button" class={view === 'day' ? '' : 'secondary'} aria-pressed={view === 'day'} onClick={() => go(date, 'day')}>
            Day
          </button>
          <button type="button" class={view === 'week' ? '' : 'secondary'} aria-pressed={view === 'week'} onClick={() => go(date, 'week')}>
            Week
          </button>
          <button type="button" onClick={() => { setBooking(true); setSelected(null); }}>
            New appointment
          </button>
        </div>
      </div>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      <div class="calendar-layout">
        <div class="card flush calendar-view">
          {view === 'day' ? (
            <DayGrid date={date} spa={spa.data} providers={providers} appts={appts} selected={selected} onSelect={(id) => { setSelected(id); setBooking(false); }} onDrop={dropped} />
          ) : (
            <WeekGrid first={first} today={today ?? ''} appts={appts} selected={selected} onSelect={(id) => { setSelected(id); setBooking(false); }} onDay={(d) => go(d, 'day')} />
          )}
        </div>
        {(booking || chosen) && (
          <aside ref={side} class="card calendar-side" aria-label={booking ? 'New appointment' : 'Appointment'}>
            {booking ? (
              <BookForm
                date={date}
                services={services.data?.services ?? []}
                providers={providers}
                onBooked={(a) => { setBooking(false); if (isoDate(a.start) !== date) go(isoDate(a.start)); changed(a.id); }}
                onClose={() => setBooking(false)}
              />
            ) : chosen ? (
              <AppointmentPanel key={chosen.id} appt={chosen} pendingMove={pending?.id === chosen.id ? pending : null} providers={providers} services={services.data?.services ?? []} onChanged={(a) => { if (isoDate(a.start) < first || isoDate(a.start) > (last ?? first)) go(isoDate(a.start)); changed(a.id); }} onClose={() => setSelected(null)} />
            ) : null}
          </aside>
        )}
      </div>
    </>
  );
}

interface GridProps {
  appts: Appointment[];
  selected: number | null;
  onSelect: (id: number) => void;
}

function DayGrid({ date, spa, providers, appts, selected, onSelect, onDrop }: GridProps & { date: string; spa: Spa; providers: Provider[]; onDrop: (id: number, t: DropTarget) => void }) {
  const day = weekday(date);
  const { from, to, open } = gridHours(spa.spa.hours, day);
  const drag = useAppointmentDrag({ gridFrom: from, pxPerMin: PX, onDrop });
  const carried = drag.dragging ? appts.find((a) => a.id === drag.dragging?.id) : undefined;
  const target = drag.dragging?.target ?? null;
  const closure = spa.spa.closures.find((c) => c.startDate <= date && date <= c.endDate);
  const hours: number[] = [];
  for (let m = from; m < to; m += 60) hours.push(m);
  const shown = appts.filter((a) => a.status !== 'cancelled');
  const cancelled = appts.filter((a) => a.status === 'cancelled');
  const height = (to - from) * PX;
  const top = (m: number): number => Math.max(0, (m - from) * PX);
  return (
    <>
      {(closure || !open) && <p class="note day-note">{closure ? `Closed: ${closure.reason}` : 'The spa is closed this day.'}</p>}
      <p class="visually-hidden" aria-live="polite">
        {carried && target ? `Drop to move ${carried.client?.name || 'the appointment'} to ${targetLabel(target)}` : ''}
      </p>
      <div class={`day-grid${drag.dragging ? ' is-dragging' : ''}`} style={{ '--cols': String(providers.length) }}>
        <div class="day-head times" aria-hidden="true" />
        {providers.map((p) => (
          <div key={p.id} class="day-head">
            <strong>{p.name}</strong>
            <span class="muted small">{workingText(p, day)}</span>
          </div>
        ))}
        <div class="times" style={{ height: `${height}px` }} aria-hidden="true">
          {hours.map((m) => (
            <span key={m} style={{ top: `${top(m)}px` }}>
              {clockLabel(m)}
            </span>
          ))}
        </div>
        {providers.map((p) => (
          <section key={p.id} class="column" data-provider={p.id} data-name={p.name} style={{ height: `${height}px` }} aria-label={`${p.name}, ${dayLabel(date)}`}>
            {p.hours
              .filter((h) => h.weekday === day)
              .map((h) => (
                <div key={h.start} class="working" style={{ top: `${top(wallMinutes(h.start))}px`, height: `${(wallMinutes(h.end) - wallMinutes(h.start)) * PX}px` }} />
              ))}
            {hours.map((m) => (
              <div key={m} class="hour-line" style={{ top: `${top(m)}px` }} />
            ))}
            {carried && target?.providerId === p.id && (
              <div class="drop-preview" aria-hidden="true" style={{ top: `${top(target.minute)}px`, height: `${Math.max(24, (minuteOfDay(carried.end) - minuteOfDay(carried.start)) * PX)}px` }}>
                {clockLabel(target.minute)}
              </div>
            )}
            <ul class="appts">
              {shown
                .filter((a) => a.provider.id === p.id)
                .map((a) => {
                  const s = minuteOfDay(a.start);
                  const e = minuteOfDay(a.end);
                  const moving = drag.dragging?.id === a.id ? drag.dragging : null;
                  return (
                    <li
                      key={a.id}
                      class={moving ? 'carried' : a.status === 'booked' ? 'movable' : ''}
                      style={{ top: `${top(s)}px`, height: `${Math.max(24, (e - s) * PX)}px`, ...(moving ? { transform: `translate(${moving.dx}px, ${moving.dy}px)` } : {}) }}
                      onPointerDown={a.status === 'booked' ? (ev) => drag.press(a.id, ev) : undefined}
                    >
                      <AppointmentButton a={a} selected={selected === a.id} onSelect={(id) => (drag.wasDrag() ? undefined : onSelect(id))} />
                    </li>
                  );
                })}
            </ul>
          </section>
        ))}
      </div>
      {cancelled.length > 0 && (
        <div class="cancelled-list">
          <h2>Cancelled</h2>
          <ul class="appts-flat">
            {cancelled.map((a) => (
              <li key={a.id}>
                <AppointmentButton a={a} selected={selected === a.id} onSelect={onSelect} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function workingText(p: Provider, day: number): string {
  const spans = p.hours.filter((h) => h.weekday === day);
  if (spans.length === 0) return 'Off';
  return spans.map((h) => `${clockLabel(wallMinutes(h.start))}–${clockLabel(wallMinutes(h.end))}`).join(', ');
}

function AppointmentButton({ a, selected, onSelect }: { a: Appointment; selected: boolean; onSelect: (id: number) => void }) {
  const time = `${clockLabel(minuteOfDay(a.start))}–${clockLabel(minuteOfDay(a.end))}`;
  return (
    <button type="button" class={`appt ${a.status} src-${a.source}${selected ? ' selected' : ''}`} aria-pressed={selected} onClick={() => onSelect(a.id)}>
      <span class="appt-time">
        {a.confirmedAt && (
          <span class="appt-confirmed" aria-hidden="true">
            ✓{' '}
          </span>
        )}
        {time}
      </span>
      <span class="visually-hidden">, </span>
      <span class="appt-title">{a.client?.name || 'No name'}</span>
      <span class="visually-hidden">, </span>
      <span class="appt-detail">{a.service.name}</span>
      {a.confirmedAt && (
        <span class="appt-confirmed" aria-hidden="true">
          Confirmed
        </span>
      )}
      <span class="visually-hidden">
        , with {a.provider.name}, booked by {(ORIGIN_NAMES[a.source] ?? a.source).toLowerCase()}
        {a.status === 'booked' ? '' : `, ${a.status}`}
        {a.confirmedAt ? ', confirmed by the patient' : ''}
      </span>
    </button>
  );
}

function WeekGrid({ first, today, appts, selected, onSelect, onDay }: GridProps & { first: string; today: string; onDay: (d: string) => void }) {
  const days = [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(first, n));
  return (
    <div class="week-grid">
      {days.map((d) => {
        const mine = appts.filter((a) => isoDate(a.start) === d && a.status !== 'cancelled');
        return (
          <section key={d} class={`week-day${d === today ? ' today' : ''}`} aria-label={dayLabel(d, 'long')}>
            <h2>
              <a
                href={`#/calendar?date=${d}&view=day`}
                onClick={(e) => {
                  e.preventDefault();
                  onDay(d);
                }}
              >
                {dayLabel(d)}
              </a>
            </h2>
            {mine.length === 0 ? (
              <p class="muted small">Nothing booked</p>
            ) : (
              <ul class="appts-flat">
                {mine.map((a) => (
                  <li key={a.id}>
                    <AppointmentButton a={a} selected={selected === a.id} onSelect={onSelect} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
