// The speech models the box can install (owner): each with what it improves and its state, an
// Install button, and while one installs a progress bar fed by polling GET /api/models. A failed
// install says why (no connection, a checksum that does not match) and can be tried again.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { useApi } from './hooks.js';

interface ModelRow {
  name: string;
  role: 'vad' | 'asr' | 'tts' | 'llm';
  description: string;
  size: string;
  state: 'not installed' | 'verified' | 'unverified' | 'partial' | 'changed';
}
interface InstallJob {
  model: string;
  state: 'downloading' | 'installed' | 'failed';
  file: number;
  files: number;
  received: number;
  total: number | null;
  error: string | null;
}
interface Listing {
  models: ModelRow[];
  install: InstallJob | null;
}

export const IMPROVES: Record<ModelRow['role'], string> = {
  vad: 'hears sooner when a caller stops talking, and ignores background noise',
  asr: 'understands more of what callers say, in their own words',
  tts: 'a more natural voice',
  llm: 'copes with unusual requests and long sentences',
};

const STATE_TEXT: Record<ModelRow['state'], string> = {
  'not installed': 'not installed',
  verified: 'installed',
  unverified: 'installed (no published checksum)',
  partial: 'partly installed',
  changed: 'changed on disk: install again',
};

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

export function ModelsPanel() {
  const [polling, setPolling] = useState(false);
  const listing = useApi<Listing>('/api/models', polling ? 500 : undefined);
  const [startError, setStartError] = useState<string | null>(null);
  const job = listing.data?.install ?? null;
  const running = job?.state === 'downloading';
  useEffect(() => setPolling(running), [running]);

  const install = async (name: string): Promise<void> => {
    setStartError(null);
    try {
      await api('/api/models/' + encodeURIComponent(name) + '/install', { method: 'POST' });
      setPolling(true);
      listing.reload();
    } catch (err) {
      setStartError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    }
  };

  if (!listing.data) return listing.error ? <p class="error" role="alert">{listing.error}</p> : <p role="status">Loading models…</p>;
  return (
    <>
      <table class="setup-list">
        <caption class="visually-hidden">Models the box can install</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">It improves</th>
            <th scope="col">Size</th>
            <th scope="col">State</th>
            <th scope="col">
              <span class="visually-hidden">Install</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {listing.data.models.map((m) => (
            <tr key={m.name}>
              <td>
                <strong>{m.name}</strong>
                <div class="muted small">{m.description}</div>
              </td>
              <td>{IMPROVES[m.role]}</td>
              <td>{m.size}</td>
              <td>{STATE_TEXT[m.state]}</td>
              <td>
                {m.state !== 'verified' && m.state !== 'unverified' && (
                  <button type="button" class="secondary" disabled={running} onClick={() => void install(m.name)} aria-label={`Install ${m.name}`}>
                    Install
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {startError && (
        <p class="error" role="alert">
          {startError}
        </p>
      )}
      {job && <InstallStatus job={job} />}
    </>
  );
}

function InstallStatus({ job }: { job: InstallJob }) {
  if (job.state === 'failed') {
    return (
      <p class="error" role="alert">
        Installing {job.model} failed: {job.error}
      </p>
    );
  }
  if (job.state === 'installed') {
    return (
      <p role="status">
        {job.model} is installed; the box uses it from its next restart.
      </p>
    );
  }
  const of = job.total === null ? '' : ` of ${mb(job.total)}`;
  const files = job.files > 1 ? ` (file ${job.file} of ${job.files})` : '';
  return (
    <div class="model-progress">
      <label for="model-progress">
        Installing {job.model}
        {files}
      </label>
      <progress id="model-progress" max={job.total ?? undefined} value={job.total === null ? undefined : job.received} />
      <span role="status" class="small">
        {mb(job.received)}
        {of}
      </span>
    </div>
  );
}
