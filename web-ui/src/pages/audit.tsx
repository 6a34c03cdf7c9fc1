// The audit log (owner): who viewed or changed personal data, newest first, filtered by action.
import { useEffect, useState } from 'preact/hooks';
import { field } from '../forms.js';
import { api } from '../api.js';
import { useApi } from '../hooks.js';

interface Entry {
  id: number;
  at: string;
  username: string;
  sourceAddress: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  status: number;
  detail: string;
}

const PAGE = 100;

export function AuditPage({ query }: { query: URLSearchParams }) {
  const action = query.get('action') ?? '';
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (action) params.set('action', action);
  const path = `/api/audit?${params.toString()}`;
  const first = useApi<{ entries: Entry[] }>(path);
  const [more, setMore] = useState<Entry[]>([]);
  useEffect(() => setMore([]), [path]);
  const rows = [...(first.data?.entries ?? []), ...more];
  const older = async () => {
    const last = rows[rows.length - 1];
    if (!last) return;
    const p = new URLSearchParams(params);
    p.set('before', String(last.id));
    const page = await api<{ entries: Entry[] }>(`/api/audit?${p.toString()}`);
    setMore((m) => [...m, ...page.entries]);
  };
  const apply = (e: Event) => {
    e.preventDefault();
    const v = field(new FormData(e.currentTarget as HTMLFormElement), 'action').trim();
    location.hash = v ? `#/audit?action=${encodeURIComponent(v)}` : '#/audit';
  };
  return (
    <>
      <h1>Audit log</h1>
      <form class="filters" onSubmit={apply} aria-label="Filter the audit log">
        <div>
          <label for="f-action">Action</label>
          <input id="f-action" name="action" placeholder="e.g. call.view" value={action} />
        </div>
        <div class="filter-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      {first.error && <p class="error" role="alert">{first.error}</p>}
      {first.data && (
        <div class="card flush">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col" class="num">Status</th>
                <th scope="col" class="wide">From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
                  <td>{e.username || '—'}</td>
                  <td>{e.action}</td>
                  <td>
                    {e.subjectKind} {e.subjectId} {e.detail && <span class="muted">{e.detail}</span>}
                  </td>
                  <td class="num">{e.status}</td>
                  <td class="wide">{e.sourceAddress}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {first.data && first.data.entries.length === PAGE && (
        <button type="button" class="secondary" onClick={() => void older()}>
          Older entries
        </button>
      )}
    </>
  );
}
