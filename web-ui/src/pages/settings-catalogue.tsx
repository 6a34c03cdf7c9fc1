// Services and prices, providers and their hours. New searches and the receptionist's next turn
// use a saved change; appointments already booked keep their times.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { money } from '../lib/format.js';
import { hoursToText, textToHours } from '../lib/hours-text.js';
import type { Provider } from './calendar-types.js';
import { errorText } from '../save-error.js';

interface FullService {
  id: string;
  name: string;
  aliases: string[];
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  priceCents: number | null;
  priceText: string;
  depositCents: number;
  active: boolean;
  providerIds: string[];
}

const commas = (text: string): string[] => text.split(',').map((l) => l.trim()).filter((l) => l !== '');
/** '$199' or '199.50' -> cents; '' -> null; anything else -> NaN (the server refuses it). */
function cents(text: string): number | null {
  const t = text.replace(/[$,\s]/g, '');
  if (t === '') return null;
  return /^\d+(\.\d{1,2})?$/.test(t) ? Math.round(Number(t) * 100) : NaN;
}
/** A long price text cut for the table (the form shows it whole). */
const shortText = (t: string): string => (t.length > 40 ? `${t.slice(0, 38).trimEnd()}…` : t);
const dollars = (c: number | null): string => (c === null ? '' : (c / 100).toFixed(c % 100 === 0 ? 0 : 2));

export function ServicesSettings() {
  const list = useApi<{ services: FullService[] }>('/api/services/all');
  const spa = useApi<{ providers: Provider[] }>('/api/spa');
  const [editing, setEditing] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  if (list.error) return <p class="error" role="alert">{list.error}</p>;
  if (!list.data || !spa.data) return <p role="status">Loading…</p>;
  const chosen = list.data.services.find((s) => s.id === editing);
  return (
    <>
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      {chosen && (
        <ServiceForm
          key={chosen.id}
          service={chosen}
          providers={spa.data.providers}
          onDone={(n) => {
            setEditing(null);
            setNote(n);
            list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <section class="card flush" aria-labelledby="svc-title">
        <h2 id="svc-title" class="card-title">
          Services
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col" class="num">Minutes</th>
              <th scope="col" class="price">Price</th>
              <th scope="col" class="wide">Offered</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.services.map((s) => (
              <tr key={s.id} class={s.active ? '' : 'struck'}>
                <td>{s.name}</td>
                <td class="num">{s.durationMin}</td>
                <td class="price">{s.priceCents === null ? shortText(s.priceText) || '—' : money(s.priceCents)}</td>
                <td class="wide">{s.active ? 'Yes' : 'No'}</td>
                <td class="num">
                  <button type="button" class="secondary" aria-label={`Edit ${s.name}`} onClick={() => { setEditing(s.id); setNote(null); }}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function ServiceForm({ service, providers, onDone, onCancel }: { service: FullService; providers: Provider[]; onDone: (note: string) => void; onCancel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const body = {
      name: field(f, 'name').trim(),
      durationMin: Number(field(f, 'durationMin')),
      bufferBeforeMin: Number(field(f, 'bufferBeforeMin')),
      bufferAfterMin: Number(field(f, 'bufferAfterMin')),
      priceCents: cents(field(f, 'price')),
      priceText: field(f, 'priceText').trim(),
      depositCents: cents(field(f, 'deposit')) ?? 0,
      active: f.get('active') === 'on',
      providerIds: f.getAll('providers').filter((p): p is string => typeof p === 'string'),
      aliases: commas(field(f, 'aliases')),
    };
    try {
      await api(`/api/services/${encodeURIComponent(service.id)}`, { method: 'PUT', body });
      onDone(`Saved ${body.name}. New bookings and the receptionist use it now.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="card settings-form" onSubmit={(e) => void save(e)} aria-labelledby="svc-form-title">
      <h2 id="svc-form-title">Edit: {service.name}</h2>
      <label for="v-name">Name</label>
      <input id="v-name" name="name" required maxLength={80} defaultValue={service.name} />
      <div class="three">
        <div>
          <label for="v-dur">Minutes</label>
          <input id="v-dur" name="durationMin" type="number" min={5} max={720} required defaultValue={String(service.durationMin)} />
        </div>
        <div>
          <label for="v-before">Buffer before</label>
          <input id="v-before" name="bufferBeforeMin" type="number" min={0} max={240} required defaultValue={String(service.bufferBeforeMin)} />
        </div>
        <div>
          <label for="v-after">Buffer after</label>
          <input id="v-after" name="bufferAfterMin" type="number" min={0} max={240} required defaultValue={String(service.bufferAfterMin)} />
        </div>
      </div>
      <div class="three">
        <div>
          <label for="v-price">Price ($)</label>
          <input id="v-price" name="price" inputMode="decimal" defaultValue={dollars(service.priceCents)} aria-describedby="v-price-hint" />
        </div>
        <div>
          <label for="v-deposit">Deposit ($)</label>
          <input id="v-deposit" name="deposit" inputMode="decimal" defaultValue={dollars(service.depositCents)} />
        </div>
        <div class="check">
          <input id="v-active" name="active" type="checkbox" defaultChecked={service.active} />
          <label for="v-active">Offered</label>
        </div>
      </div>
      <p id="v-price-hint" class="muted small">
        Leave the price empty when it varies, and say how in the price text.
      </p>
      <label for="v-text">Price as the receptionist says it</label>
      <input id="v-text" name="priceText" maxLength={200} defaultValue={service.priceText} />
      <fieldset>
        <legend>Who performs it</legend>
        {providers.map((p) => (
          <div class="check" key={p.id}>
            <input id={`v-p-${p.id}`} name="providers" type="checkbox" value={p.id} defaultChecked={service.providerIds.includes(p.id)} />
            <label for={`v-p-${p.id}`}>{p.name}</label>
          </div>
        ))}
      </fieldset>
      <label for="v-aliases">Other names callers use, separated by commas</label>
      <input id="v-aliases" name="aliases" maxLength={1000} defaultValue={service.aliases.join(', ')} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions form-actions">
        <button type="submit">Save service</button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ProvidersSettings() {
  const spa = useApi<{ providers: Provider[] }>('/api/spa');
  if (spa.error) return <p class="error" role="alert">{spa.error}</p>;
  if (!spa.data) return <p role="status">Loading…</p>;
  return (
    <>
      {spa.data.providers.map((p) => (
        <ProviderForm key={p.id} provider={p} onSaved={() => spa.reload()} />
      ))}
    </>
  );
}

function ProviderForm({ provider, onSaved }: { provider: Provider; onSaved: () => void }) {
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const id = provider.id;
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const hours = textToHours(field(f, 'hours'));
    const breaks = textToHours(field(f, 'breaks'));
    if ('error' in hours) return setNote({ ok: false, text: `Not saved: working hours, ${hours.error}` });
    if ('error' in breaks) return setNote({ ok: false, text: `Not saved: breaks, ${breaks.error}` });
    try {
      await api(`/api/providers/${encodeURIComponent(id)}`, {
        method: 'PUT',
        body: { name: field(f, 'name').trim(), title: field(f, 'title').trim(), active: f.get('active') === 'on', hours: hours.spans, breaks: breaks.spans },
      });
      setNote({ ok: true, text: 'Saved. Slots offered from now on follow these hours.' });
      onSaved();
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    }
  };
  return (
    <form class="card settings-form" onSubmit={(e) => void save(e)} aria-labelledby={`pv-${id}`}>
      <h2 id={`pv-${id}`}>{provider.name}</h2>
      <div class="two">
        <div>
          <label for={`pv-${id}-name`}>Name</label>
          <input id={`pv-${id}-name`} name="name" required maxLength={80} defaultValue={provider.name} />
        </div>
        <div>
          <label for={`pv-${id}-title`}>Title</label>
          <input id={`pv-${id}-title`} name="title" maxLength={120} defaultValue={provider.title} />
        </div>
      </div>
      <div class="check">
        <input id={`pv-${id}-active`} name="active" type="checkbox" defaultChecked={provider.active} />
        <label for={`pv-${id}-active`}>Takes bookings</label>
      </div>
      <div class="two">
        <div>
          <label for={`pv-${id}-hours`}>Working hours, one day a line</label>
          <textarea id={`pv-${id}-hours`} name="hours" rows={6} defaultValue={hoursToText(provider.hours)} aria-describedby={`pv-${id}-hint`} />
        </div>
        <div>
          <label for={`pv-${id}-breaks`}>Breaks</label>
          <textarea id={`pv-${id}-breaks`} name="breaks" rows={6} defaultValue={hoursToText(provider.breaks)} />
        </div>
      </div>
      <p id={`pv-${id}-hint`} class="muted small">
        Like "Mon 09:00-17:00"; a split day takes two lines.
      </p>
      {note && (
        <p class={note.ok ? 'note' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
      <div class="actions form-actions">
        <button type="submit">Save {provider.name}</button>
      </div>
    </form>
  );
}
