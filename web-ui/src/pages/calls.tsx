// Calls: the call log, newest first, filtered by outcome, dates and caller (the filters live in
// the address, #/calls?outcome=missed, so a filtered list can be bookmarked and Today links to it).
import { useEffect, useState } from 'preact/hooks';
import { field } from '../forms.js';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { dateTime, duration, OUTCOME_NAMES } from '../lib/format.js';

export interface CallRow {
  id: number;
  caller: { phone: string | null; raw: string; name: string; withheld: boolean };
  state: string;
  outcome: string | null;
  invitedAt: string;
  invitedAtMs: number;
  durationMs: number | null;
  recording: boolean;
  summary: string;
}

interface CallList {
  timeZone: string;
  calls: CallRow[];
}

const PAGE = 50;
const FILTERS = ['outcome', 'from', 'to', 'caller'] as const;

export function callerName(c: CallRow['caller']): string {
  if (c.withheld) return 'Number withheld';
  return [c.name, c.phone ?? c.raw].filter((x) => x).join(' · ') || 'Unknown caller';
}

export function CallsPage({ query }: { query: URLSearchParams }) {
  const params = new URLSearchParams();
  for (const k of FILTERS) {
    const v = query.get(k);
    if (v) params.set(k, v);
  }
  params.set('limit', String(PAGE));
  const path = `/api/calls?${params.toString()}`;
  const first = useApi<CallList>(path);
  const [more, setMore] = useState<CallRow[]>([]);
  const [end, setEnd] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => {
    setMore([]);
    setEnd(false);
  }, [path]);
  const rows = [...(first.data?.calls ?? []), ...more];
  const loadMore = async () => {
    const last = rows[rows.length - 1];
    if (!last) return;
    try {
      const p = new URLSearchParams(params);
      p.set('before', String(last.invitedAtMs));
      const page = await api<CallList>(`/api/calls?${p.toString()}`);
      setMore((m) => [...m, ...page.calls]);
      if (page.calls.length < PAGE) setEnd(true);
    } catch (err) {
      setMoreError(err instanceof Error ? err.message : String(err));
    }
  };
  const apply = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      const v = field(form, k).trim();
      if (v) q.set(k, v);
    }
    location.hash = `#/calls${q.size > 0 ? `?${q.toString()}` : ''}`;
  };
  const zone = first.data?.timeZone ?? 'UTC';
  return (
    <>
      <h1>Calls</h1>
      <form class="filters" onSubmit={apply} aria-label="Filter calls">
        <div>
          <label for="f-outcome">Outcome</label>
          <select id="f-outcome" name="outcome" value={query.get('outcome') ?? ''}>
            <option value="">Any</option>
            {Object.entries(OUTCOME_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-from">From</label>
          <input id="f-from" name="from" type="date" value={query.get('from') ?? ''} />
        </div>
        <div>
          <label for="f-to">To</label>
          <input id="f-to" name="to" type="date" value={query.get('to') ?? ''} />
        </div>
        <div>
          <label for="f-caller">Caller</label>
          <input id="f-caller" name="caller" type="search" placeholder="name or number" value={query.get('caller') ?? ''} />
        </div>
        <div class="filter-actions">
          <button type="submit">Show</button>
          <a class="button secondary" href="#/calls">
            Clear
          </a>
        </div>
      </form>
      {first.error && <p class="error" role="alert">{first.error}</p>}
      {!first.data ? (
        <p role="status">Loading…</p>
      ) : rows.length === 0 ? (
        <p class="muted">No calls match.</p>
      ) : (
        <div class="card flush">
          <table class="calls">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Caller</th>
                <th scope="col">Outcome</th>
                <th scope="col" class="num">Length</th>
                <th scope="col" class="wide">Summary</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`#/calls/${c.id}`}>{dateTime(c.invitedAt, zone)}</a>
                  </td>
                  <td>{callerName(c.caller)}</td>
                  <td>
                    <span class={`badge ${c.outcome ?? 'open'}`}>{c.outcome ? (OUTCOME_NAMES[c.outcome] ?? c.outcome) : 'In progress'}</span>
                  </td>
                  <td class="num">{c.durationMs === null ? '—' : duration(c.durationMs)}</td>
                  <td class="wide">{c.summary || <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {moreError && <p class="error" role="alert">{moreError}</p>}
      {first.data && first.data.calls.length === PAGE && !end && (
        <button type="button" class="secondary" onClick={() => void loadMore()}>
          Older calls
        </button>
      )}
    </>
  );
}
