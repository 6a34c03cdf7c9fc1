// Clients: find one by name, number or email; a client's page lists their visits (booked,
// completed, cancelled, no-show) with where each booking came from.
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { clockLabel, dayLabel, isoDate, minuteOfDay, ORIGIN_NAMES, STATUS_NAMES } from '../lib/calendar.js';
import { money } from '../lib/format.js';

interface ClientSummary {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  visits: number;
  nextStart: string | null;
  lastStart: string | null;
}

interface Visit {
  id: number;
  start: string;
  status: string;
  source: string;
  service: { id: string; name: string; priceCents: number | null };
  provider: { id: string; name: string };
}

const when = (iso: string | null): string => (iso === null ? '—' : `${dayLabel(isoDate(iso))}, ${clockLabel(minuteOfDay(iso))}`);

export function ClientsPage({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const list = useApi<{ clients: ClientSummary[] }>(`/api/clients?q=${encodeURIComponent(q)}`);
  const search = (e: Event) => {
    e.preventDefault();
    const v = field(new FormData(e.currentTarget as HTMLFormElement), 'q').trim();
    location.hash = v ? `#/clients?q=${encodeURIComponent(v)}` : '#/clients';
  };
  return (
    <>
      <h1>Clients</h1>
      <form class="filters" onSubmit={search} role="search" aria-label="Find a client">
        <div>
          <label for="c-q">Name, phone or email</label>
          <input id="c-q" name="q" defaultValue={q} key={q} />
        </div>
        <div class="filter-actions">
          <button type="submit">Find</button>
        </div>
      </form>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {list.data &&
        (list.data.clients.length === 0 ? (
          <p class="muted">No client matches.</p>
        ) : (
          <div class="card flush">
            <table class="clients">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Phone</th>
                  <th scope="col" class="num">Visits</th>
                  <th scope="col">Next</th>
                  <th scope="col" class="wide">Last</th>
                </tr>
              </thead>
              <tbody>
                {list.data.clients.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`#/clients/${c.id}`}>{c.name || 'No name'}</a>
                    </td>
                    <td>{c.phone}</td>
                    <td class="num">{c.visits}</td>
                    <td>{when(c.nextStart)}</td>
                    <td class="wide">{when(c.lastStart)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

export function ClientPage({ id }: { id: number }) {
  const one = useApi<{ client: ClientSummary; visits: Visit[] }>(`/api/clients/${id}`);
  if (one.error) return <p class="error" role="alert">{one.error}</p>;
  if (!one.data) return <p role="status">Loading…</p>;
  const { client, visits } = one.data;
  return (
    <>
      <p>
        <a href="#/clients">All clients</a>
      </p>
      <h1>{client.name || 'No name'}</h1>
      <dl class="facts">
        <div>
          <dt>Phone</dt>
          <dd>{client.phone}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{client.email ?? '—'}</dd>
        </div>
        <div>
          <dt>Completed visits</dt>
          <dd>{client.visits}</dd>
        </div>
        <div>
          <dt>Next</dt>
          <dd>{when(client.nextStart)}</dd>
        </div>
      </dl>
      <section class="card flush" aria-labelledby="visits-title">
        <h2 id="visits-title" class="card-title">
          Visits
        </h2>
        {visits.length === 0 ? (
          <p class="muted card-title">None yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Service</th>
                <th scope="col">With</th>
                <th scope="col">Status</th>
                <th scope="col">Booked by</th>
                <th scope="col" class="num wide">Price</th>
              </tr>
            </thead>
            <tbody>
              {visits.map((v) => (
                <tr key={v.id} class={v.status === 'cancelled' ? 'struck' : ''}>
                  <td>
                    <a href={`#/calendar?date=${isoDate(v.start)}&view=day`}>{when(v.start)}</a>
                  </td>
                  <td>{v.service.name}</td>
                  <td>{v.provider.name}</td>
                  <td>{STATUS_NAMES[v.status] ?? v.status}</td>
                  <td>{ORIGIN_NAMES[v.source] ?? v.source}</td>
                  <td class="num wide">{v.service.priceCents === null ? 'varies' : money(v.service.priceCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
