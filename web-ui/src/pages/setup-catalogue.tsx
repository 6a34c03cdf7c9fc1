// The wizard's services and providers steps: start from the demo catalogue or empty, then add
// or remove services (duration, buffers, price or price text, deposit, consult first, aliases)
// and providers (title, working hours, the services they do).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { field } from '../forms.js';
import { money } from '../lib/format.js';
import { dollarsToCents, errorText, rowsToSpans, slug, weekRows, type DayRow, type SetupState } from '../lib/setup-model.js';
import { WeekEditor } from './setup-week.js';

type Reload = () => void;

export function ServicesStep({ state, reload }: { state: SetupState; reload: Reload }) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const start = async (from: 'demo' | 'empty') => {
    setError(null);
    try {
      await api('/api/setup/catalogue', { method: 'POST', body: { from } });
      setStatus(from === 'demo' ? 'The demo catalogue is loaded.' : 'The catalogue is empty.');
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const remove = async (id: string, name: string) => {
    try {
      await api(`/api/setup/services/${id}`, { method: 'DELETE' });
      setStatus(`${name} removed.`);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const f = new FormData(formEl);
    const name = field(f, 'name').trim();
    const price = dollarsToCents(field(f, 'price'));
    const deposit = dollarsToCents(field(f, 'deposit')) ?? 0;
    if (Number.isNaN(price) || Number.isNaN(deposit)) {
      setError('Please check: price and deposit are amounts in dollars, like 150 or 99.50.');
      return;
    }
    const id = slug(name);
    const existing = state.services.find((s) => s.id === id);
    try {
      await api(`/api/setup/services/${id || 'x'}`, {
        method: 'PUT',
        body: {
          name,
          durationMin: Number(field(f, 'duration')),
          bufferBeforeMin: Number(field(f, 'before') || 0),
          bufferAfterMin: Number(field(f, 'after') || 0),
          priceCents: price,
          priceText: field(f, 'priceText').trim(),
          depositCents: deposit,
          consultFirst: f.get('consultFirst') === 'on',
          aliases: field(f, 'aliases')
            .split(',')
            .map((a) => a.trim())
            .filter((a) => a.length >= 2),
          providerIds: existing?.providerIds ?? [],
        },
      });
      setError(null);
      setStatus(`${name} saved.`);
      formEl.reset();
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <>
      <p>Start from the demo catalogue (fourteen typical med-spa services with prices, three providers) and adjust it, or start empty.</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void start('demo')}>
          Use the demo catalogue
        </button>
        <button type="button" class="secondary" onClick={() => void start('empty')}>
          Start empty
        </button>
      </div>
      <p class="muted small" role="status">
        {status}
      </p>
      {state.services.length === 0 ? (
        <p class="muted">No services yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="setup-list">
            <caption class="visually-hidden">Services</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col" class="num">Minutes</th>
                <th scope="col">Price</th>
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.services.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.name}
                    {s.consultFirst && <span class="muted small"> · consultation first</span>}
                  </td>
                  <td class="num">{s.durationMin}</td>
                  <td>{s.priceCents !== null ? money(s.priceCents) : s.priceText}</td>
                  <td>
                    <button type="button" class="secondary small-button" aria-label={`Remove ${s.name}`} onClick={() => void remove(s.id, s.name)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="card sub" onSubmit={(e) => void add(e)} aria-labelledby="add-service-title">
        <h3 id="add-service-title">Add a service</h3>
        <div class="grid">
          <div>
            <label for="svc-name">Name</label>
            <input id="svc-name" name="name" required maxLength={120} />
          </div>
          <div>
            <label for="svc-duration">Duration (minutes)</label>
            <input id="svc-duration" name="duration" type="number" min={5} max={600} required defaultValue="60" />
          </div>
          <div>
            <label for="svc-before">Buffer before (minutes)</label>
            <input id="svc-before" name="before" type="number" min={0} max={240} defaultValue="0" />
          </div>
          <div>
            <label for="svc-after">Buffer after (minutes)</label>
            <input id="svc-after" name="after" type="number" min={0} max={240} defaultValue="0" />
          </div>
          <div>
            <label for="svc-price">Price ($)</label>
            <input id="svc-price" name="price" inputMode="decimal" aria-describedby="svc-price-hint" />
          </div>
          <div>
            <label for="svc-price-text">Price text</label>
            <input id="svc-price-text" name="priceText" maxLength={200} aria-describedby="svc-price-hint" />
          </div>
          <div>
            <label for="svc-deposit">Deposit ($)</label>
            <input id="svc-deposit" name="deposit" inputMode="decimal" />
          </div>
          <div>
            <label for="svc-aliases">Other names callers use</label>
            <input id="svc-aliases" name="aliases" placeholder="comma separated" />
          </div>
        </div>
        <p id="svc-price-hint" class="muted small">
          Give a price, or a price text the receptionist reads out (for example "$13 per unit"), or both.
        </p>
        <label class="check">
          <input type="checkbox" name="consultFirst" /> New clients need a consultation first
        </label>
        <p class="error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit">Add service</button>
      </form>
    </>
  );
}

export function ProvidersStep({ state, reload }: { state: SetupState; reload: Reload }) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [rows, setRows] = useState<DayRow[]>(() => weekRows(state.spa.hours));
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const remove = async (id: string, name: string) => {
    try {
      await api(`/api/setup/providers/${id}`, { method: 'DELETE' });
      setStatus(`${name} removed.`);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const f = new FormData(formEl);
    const name = field(f, 'name').trim();
    try {
      await api(`/api/setup/providers/${slug(name) || 'x'}`, {
        method: 'PUT',
        body: { name, title: field(f, 'title').trim(), hours: rowsToSpans(rows), services: [...picked] },
      });
      setError(null);
      setStatus(`${name} saved.`);
      formEl.reset();
      setPicked(new Set());
      setRows(weekRows(state.spa.hours));
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };
  const does = (providerId: string) => state.services.filter((s) => s.providerIds.includes(providerId)).length;
  return (
    <>
      <p>The people who do treatments, the hours they work and what they do. The receptionist only offers times when one of them is free.</p>
      <p class="muted small" role="status">
        {status}
      </p>
      {state.providers.length === 0 ? (
        <p class="muted">No providers yet.</p>
      ) : (
        <ul class="setup-people">
          {state.providers.map((p) => (
            <li key={p.id}>
              <span>
                <strong>{p.name}</strong> {p.title && <span class="muted">{p.title}</span>}
                <span class="muted small">
                  {' '}
                  · {p.hours.length} days a week · {does(p.id)} services
                </span>
              </span>
              <button type="button" class="secondary small-button" aria-label={`Remove ${p.name}`} onClick={() => void remove(p.id, p.name)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="card sub" onSubmit={(e) => void add(e)} aria-labelledby="add-provider-title">
        <h3 id="add-provider-title">Add a provider</h3>
        <div class="grid">
          <div>
            <label for="prov-name">Name</label>
            <input id="prov-name" name="name" required maxLength={120} />
          </div>
          <div>
            <label for="prov-title">Title</label>
            <input id="prov-title" name="title" maxLength={120} placeholder="e.g. Nurse injector" />
          </div>
        </div>
        <WeekEditor rows={rows} onChange={setRows} prefix="prov" legend="Working hours" />
        <fieldset class="picks">
          <legend>Services they do</legend>
          {state.services.length === 0 && <p class="muted small">Add services first (the step before).</p>}
          {state.services.map((s) => (
            <label class="check" key={s.id}>
              <input type="checkbox" checked={picked.has(s.id)} onChange={(e) => toggle(s.id, (e.currentTarget).checked)} /> {s.name}
            </label>
          ))}
        </fieldset>
        <p class="error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit">Add provider</button>
      </form>
    </>
  );
}
