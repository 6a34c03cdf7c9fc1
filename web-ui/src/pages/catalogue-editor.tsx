// The one editor of services and providers, used by the setup wizard (in its simpler frame: the
// services on offer, no "offered" switch) and by the settings. Each writes through the same
// owner routes (POST/PUT/DELETE /api/services and /api/providers), which check and audit every
// change; new searches and the receptionist's next turn use it, booked appointments keep their times.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { money } from '../lib/format.js';
import { hoursToText, textToHours } from '../lib/hours-text.js';
import { dollarsToCents, type SetupService } from '../lib/setup-model.js';
import { errorText } from '../save-error.js';
import './setup.css';
import type { Provider, Span } from './calendar-types.js';

export type Frame = 'wizard' | 'settings';

/** A service as `/api/services/all` gives it: the wizard's shape plus whether it is on offer. */
type FullService = SetupService & { active: boolean };

interface Props {
  frame: Frame;
  /** Told after each saved change (the wizard reloads its own summary). */
  onChange?: () => void;
}

const commas = (text: string): string[] => text.split(',').map((l) => l.trim()).filter((l) => l !== '');
/** A long price text cut for the table (the form shows it whole). */
const shortText = (t: string): string => (t.length > 40 ? `${t.slice(0, 38).trimEnd()}…` : t);
const dollars = (c: number | null): string => (c === null ? '' : (c / 100).toFixed(c % 100 === 0 ? 0 : 2));
const path = (kind: 'services' | 'providers', id?: string): string => `/api/${kind}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;

/** The status line and the error of a list editor (the wizard's catalogue step shows them too). */
export function Notes({ status, error }: { status: string; error: string | null }) {
  return (
    <>
      <p class="muted small" role="status">
        {status}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

interface Editor {
  /** Adding (null) or changing one (its id). */
  editing: string | null;
  choose: (id: string | null) => void;
  /** The form's first field: it comes into view and takes focus when the form opens. */
  first: RefObject<HTMLInputElement | null>;
  /** A new blank form after each save or cancel. */
  formKey: string;
  status: string;
  setStatus: (note: string) => void;
  error: string | null;
  setError: (error: string | null) => void;
  /** After a saved change: the form closes, `note` is said, the lists reload, the owner is told. */
  saved: (note: string) => void;
  /** Takes a service or provider off (retired while appointments name it). */
  remove: (item: { id: string; name: string }) => Promise<void>;
}

/** The state both editors share: which one is open, the status line and error, saving and removing. */
function useEditor(kind: 'services' | 'providers', reload: () => void, onChange?: () => void): Editor {
  const [editing, setEditing] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing === null) return;
    first.current?.focus();
    first.current?.scrollIntoView({ block: 'nearest' });
  }, [editing]);
  const choose = (id: string | null) => {
    setEditing(id);
    setRound((r) => r + 1);
  };
  const saved = (note: string) => {
    choose(null);
    setError(null);
    setStatus(note);
    reload();
    onChange?.();
  };
  const remove = async (item: { id: string; name: string }) => {
    try {
      await api(path(kind, item.id), { method: 'DELETE' });
      saved(`${item.name} removed.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return { editing, choose, first, formKey: `${editing ?? 'new'}-${round}`, status, setStatus, error, setError, saved, remove };
}

export function ServicesEditor({ frame, onChange }: Props) {
  const list = useApi<{ services: FullService[] }>('/api/services/all');
  const spa = useApi<{ providers: Provider[] }>('/api/spa');
  const ed = useEditor('services', () => list.reload(), onChange);
  if (list.error || spa.error) return <p class="error" role="alert">{list.error ?? spa.error}</p>;
  if (!list.data || !spa.data) return <p role="status">Loading…</p>;
  const settings = frame === 'settings';
  const services = list.data.services.filter((s) => settings || s.active);
  const chosen = services.find((s) => s.id === ed.editing) ?? null;
  const table = (
    <div class="table-scroll">
      <table class="setup-list">
        <caption class={settings ? 'card-title' : 'visually-hidden'}>Services</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col" class="num">Minutes</th>
            <th scope="col" class="price">Price</th>
            {settings && <th scope="col" class="wide">Offered</th>}
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.id} class={s.active ? '' : 'struck'}>
              <td>
                {s.name}
                {s.consultFirst && <span class="muted small"> · consultation first</span>}
              </td>
              <td class="num">{s.durationMin}</td>
              <td class="price">{s.priceCents === null ? shortText(s.priceText) || '—' : money(s.priceCents)}</td>
              {settings && <td class="wide">{s.active ? 'Yes' : 'No'}</td>}
              <td class="num row-actions">
                <button type="button" class="secondary small-button" aria-label={`Edit ${s.name}`} onClick={() => { ed.choose(s.id); ed.setStatus(''); }}>
                  Edit
                </button>
                {s.active && (
                  <button type="button" class="secondary small-button" aria-label={`Remove ${s.name}`} onClick={() => void ed.remove(s)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <>
      <Notes status={ed.status} error={ed.error} />
      {services.length === 0 ? <p class="muted">No services yet.</p> : settings ? <section class="card flush">{table}</section> : table}
      <ServiceForm
        key={ed.formKey}
        frame={frame}
        service={chosen}
        providers={spa.data.providers.filter((p) => p.active)}
        firstField={ed.first}
        onSaved={ed.saved}
        onCancel={() => ed.choose(null)}
      />
    </>
  );
}

function ServiceForm({ frame, service, providers, firstField, onSaved, onCancel }: { frame: Frame; service: FullService | null; providers: Provider[]; firstField: RefObject<HTMLInputElement | null>; onSaved: (note: string) => void; onCancel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const priceCents = dollarsToCents(field(f, 'price'));
    const depositCents = dollarsToCents(field(f, 'deposit')) ?? 0;
    if (Number.isNaN(priceCents) || Number.isNaN(depositCents)) return setError('Not saved: price and deposit are amounts in dollars, like 150 or 99.50.');
    const body = {
      name: field(f, 'name').trim(),
      durationMin: Number(field(f, 'durationMin')),
      bufferBeforeMin: Number(field(f, 'bufferBeforeMin') || 0),
      bufferAfterMin: Number(field(f, 'bufferAfterMin') || 0),
      priceCents,
      priceText: field(f, 'priceText').trim(),
      depositCents,
      consultFirst: f.get('consultFirst') === 'on',
      ...(service ? { active: f.get('active') === 'on' } : {}),
      providerIds: f.getAll('providers').filter((p): p is string => typeof p === 'string'),
      aliases: commas(field(f, 'aliases')),
    };
    try {
      if (service) await api(path('services', service.id), { method: 'PUT', body });
      else await api(path('services'), { method: 'POST', body });
      onSaved(`${body.name} saved. New bookings and the receptionist use it now.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const title = service ? `Edit: ${service.name}` : 'Add a service';
  return (
    <form class={frame === 'settings' ? 'card settings-form' : 'card sub'} onSubmit={(e) => void save(e)} aria-labelledby="svc-form-title">
      <h3 id="svc-form-title">{title}</h3>
      <div class="grid">
        <div>
          <label for="svc-name">Name</label>
          <input id="svc-name" ref={firstField} name="name" required maxLength={120} defaultValue={service?.name ?? ''} />
        </div>
        <div>
          <label for="svc-duration">Duration (minutes)</label>
          <input id="svc-duration" name="durationMin" type="number" min={5} max={720} required defaultValue={String(service?.durationMin ?? 60)} />
        </div>
        <div>
          <label for="svc-before">Buffer before (minutes)</label>
          <input id="svc-before" name="bufferBeforeMin" type="number" min={0} max={240} defaultValue={String(service?.bufferBeforeMin ?? 0)} />
        </div>
        <div>
          <label for="svc-after">Buffer after (minutes)</label>
          <input id="svc-after" name="bufferAfterMin" type="number" min={0} max={240} defaultValue={String(service?.bufferAfterMin ?? 0)} />
        </div>
        <div>
          <label for="svc-price">Price ($)</label>
          <input id="svc-price" name="price" inputMode="decimal" defaultValue={dollars(service?.priceCents ?? null)} aria-describedby="svc-price-hint" />
        </div>
        <div>
          <label for="svc-deposit">Deposit ($)</label>
          <input id="svc-deposit" name="deposit" inputMode="decimal" defaultValue={service && service.depositCents > 0 ? dollars(service.depositCents) : ''} />
        </div>
      </div>
      <label for="svc-price-text">Price as the receptionist says it</label>
      <input id="svc-price-text" name="priceText" maxLength={200} defaultValue={service?.priceText ?? ''} aria-describedby="svc-price-hint" />
      <p id="svc-price-hint" class="muted small">
        Give a price, or a price text the receptionist reads out (for example "$13 per unit"), or both. Leave the price empty when it varies.
      </p>
      <label for="svc-aliases">Other names callers use, separated by commas</label>
      <input id="svc-aliases" name="aliases" maxLength={1000} defaultValue={service?.aliases.join(', ') ?? ''} />
      <fieldset class="picks">
        <legend>Who performs it</legend>
        {providers.length === 0 && <p class="muted small">No providers yet: add them, then tick the services they do.</p>}
        {providers.map((p) => (
          <label class="check" key={p.id}>
            <input name="providers" type="checkbox" value={p.id} defaultChecked={service?.providerIds.includes(p.id) ?? false} /> {p.name}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input type="checkbox" name="consultFirst" defaultChecked={service?.consultFirst ?? false} /> New clients need a consultation first
      </label>
      {service && (
        <label class="check">
          <input type="checkbox" name="active" defaultChecked={service.active} /> Offered
        </label>
      )}
      <p class="error" role="alert">
        {error ?? ''}
      </p>
      <div class="actions form-actions">
        <button type="submit">{service ? 'Save service' : 'Add service'}</button>
        {service && (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function ProvidersEditor({ frame, onChange }: Props) {
  const spa = useApi<{ spa: { hours: Span[] }; providers: Provider[] }>('/api/spa');
  const list = useApi<{ services: FullService[] }>('/api/services/all');
  const ed = useEditor(
    'providers',
    () => {
      spa.reload();
      list.reload();
    },
    onChange,
  );
  if (list.error || spa.error) return <p class="error" role="alert">{list.error ?? spa.error}</p>;
  if (!list.data || !spa.data) return <p role="status">Loading…</p>;
  const settings = frame === 'settings';
  const providers = spa.data.providers.filter((p) => settings || p.active);
  const services = list.data.services.filter((s) => s.active);
  const chosen = providers.find((p) => p.id === ed.editing) ?? null;
  const does = (id: string) => services.filter((s) => s.providerIds.includes(id)).map((s) => s.id);
  return (
    <>
      <Notes status={ed.status} error={ed.error} />
      {providers.length === 0 ? (
        <p class="muted">No providers yet.</p>
      ) : (
        <ul class="setup-people" aria-label="Providers">
          {providers.map((p) => (
            <li key={p.id} class={p.active ? '' : 'struck'}>
              <span>
                <strong>{p.name}</strong> {p.title && <span class="muted">{p.title}</span>}
                <span class="muted small">
                  {' '}
                  · {new Set(p.hours.map((h) => h.weekday)).size} days a week · {does(p.id).length} services{p.active ? '' : ' · takes no bookings'}
                </span>
              </span>
              <span class="row-actions">
                <button type="button" class="secondary small-button" aria-label={`Edit ${p.name}`} onClick={() => { ed.choose(p.id); ed.setStatus(''); }}>
                  Edit
                </button>
                {p.active && (
                  <button type="button" class="secondary small-button" aria-label={`Remove ${p.name}`} onClick={() => void ed.remove(p)}>
                    Remove
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ProviderForm
        key={ed.formKey}
        frame={frame}
        provider={chosen}
        openingHours={spa.data.spa.hours}
        services={services}
        doing={chosen ? does(chosen.id) : []}
        firstField={ed.first}
        onSaved={ed.saved}
        onCancel={() => ed.choose(null)}
      />
    </>
  );
}

function ProviderForm(p: { frame: Frame; provider: Provider | null; openingHours: Span[]; services: FullService[]; doing: string[]; firstField: RefObject<HTMLInputElement | null>; onSaved: (note: string) => void; onCancel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const who = p.provider;
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const hours = textToHours(field(f, 'hours'));
    const breaks = textToHours(field(f, 'breaks'));
    if ('error' in hours) return setError(`Not saved: working hours, ${hours.error}`);
    if ('error' in breaks) return setError(`Not saved: breaks, ${breaks.error}`);
    const body = {
      name: field(f, 'name').trim(),
      title: field(f, 'title').trim(),
      ...(who ? { active: f.get('active') === 'on' } : {}),
      hours: hours.spans,
      breaks: breaks.spans,
      services: f.getAll('services').filter((s): s is string => typeof s === 'string'),
    };
    try {
      if (who) await api(path('providers', who.id), { method: 'PUT', body });
      else await api(path('providers'), { method: 'POST', body });
      p.onSaved(`${body.name} saved. Slots offered from now on follow these hours.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class={p.frame === 'settings' ? 'card settings-form' : 'card sub'} onSubmit={(e) => void save(e)} aria-labelledby="prov-form-title">
      <h3 id="prov-form-title">{who ? `Edit: ${who.name}` : 'Add a provider'}</h3>
      <div class="grid">
        <div>
          <label for="prov-name">Name</label>
          <input id="prov-name" ref={p.firstField} name="name" required maxLength={120} defaultValue={who?.name ?? ''} />
        </div>
        <div>
          <label for="prov-title">Title</label>
          <input id="prov-title" name="title" maxLength={120} placeholder="e.g. Nurse injector" defaultValue={who?.title ?? ''} />
        </div>
      </div>
      <div class="grid">
        <div>
          <label for="prov-hours">Working hours, one day a line</label>
          <textarea id="prov-hours" name="hours" rows={7} defaultValue={hoursToText(who ? who.hours : p.openingHours)} aria-describedby="prov-hours-hint" />
        </div>
        <div>
          <label for="prov-breaks">Breaks</label>
          <textarea id="prov-breaks" name="breaks" rows={7} defaultValue={hoursToText(who?.breaks ?? [])} aria-describedby="prov-hours-hint" />
        </div>
      </div>
      <p id="prov-hours-hint" class="muted small">
        Like "Mon 09:00-17:00"; a split day takes two lines.{who ? '' : ' A new provider starts with the opening hours.'}
      </p>
      <fieldset class="picks">
        <legend>Services they do</legend>
        {p.services.length === 0 && <p class="muted small">No services yet.</p>}
        {p.services.map((s) => (
          <label class="check" key={s.id}>
            <input type="checkbox" name="services" value={s.id} defaultChecked={p.doing.includes(s.id)} /> {s.name}
          </label>
        ))}
      </fieldset>
      {who && (
        <label class="check">
          <input type="checkbox" name="active" defaultChecked={who.active} /> Takes bookings
        </label>
      )}
      <p class="error" role="alert">
        {error ?? ''}
      </p>
      <div class="actions form-actions">
        <button type="submit">{who ? 'Save provider' : 'Add provider'}</button>
        {who && (
          <button type="button" class="secondary" onClick={p.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
