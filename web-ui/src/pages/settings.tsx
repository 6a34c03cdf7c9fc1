// Settings (owner): what the receptionist says and where it transfers, the knowledge base, the
// services and prices, the providers and their hours, and a chat to try the result. One section
// at a time (#/settings?tab=knowledge); every change is checked by the server and audited there.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText } from '../save-error.js';
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { KnowledgeSettings } from './settings-knowledge.js';
import { ProvidersEditor, ServicesEditor } from './catalogue-editor.js';
import { TryChat } from './try-chat.js';

const TABS = [
  { id: 'receptionist', title: 'Receptionist' },
  { id: 'knowledge', title: 'Knowledge base' },
  { id: 'services', title: 'Services and prices' },
  { id: 'providers', title: 'Providers and hours' },
  { id: 'try', title: 'Try it' },
] as const;

export function SettingsPage({ query }: { query: URLSearchParams }) {
  const tab = TABS.find((t) => t.id === query.get('tab'))?.id ?? 'receptionist';
  return (
    <>
      <h1>Settings</h1>
      <nav aria-label="Settings sections" class="tabs">
        <ul>
          {TABS.map((t) => (
            <li key={t.id}>
              <a href={`#/settings?tab=${t.id}`} aria-current={tab === t.id ? 'page' : undefined}>
                {t.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'receptionist' && <ReceptionistSettings />}
      {tab === 'knowledge' && <KnowledgeSettings />}
      {tab === 'services' && <ServicesEditor frame="settings" />}
      {tab === 'providers' && <ProvidersEditor frame="settings" />}
      {tab === 'try' && <TryChat />}
    </>
  );
}

interface Shown {
  agent: { greeting: string; disclosure: string; recordingNotice: string; llmBudgetMs: number };
  telephony: { transferTo: string | null; ringTimeoutS: number; record: boolean };
  retention: Record<RetentionKey, number | null>;
}

type RetentionKey = 'recordingsDays' | 'transcriptsDays' | 'conversationsDays' | 'messagesDays';
const RETENTION: { key: RetentionKey; label: string }[] = [
  { key: 'recordingsDays', label: 'Call recordings' },
  { key: 'transcriptsDays', label: 'Call transcripts' },
  { key: 'conversationsDays', label: 'Conversations (calls, texts, chat)' },
  { key: 'messagesDays', label: 'Text messages' },
];

function ReceptionistSettings() {
  const s = useApi<{ settings: Shown }>('/api/settings');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  if (s.error) return <p class="error" role="alert">{s.error}</p>;
  if (!s.data) return <p role="status">Loading…</p>;
  const { agent, telephony, retention } = s.data.settings;
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const transfer = field(f, 'transferTo').trim();
    try {
      const r = await api<{ restartRequired: boolean }>('/api/settings', {
        method: 'PATCH',
        body: {
          agent: { greeting: field(f, 'greeting').trim(), disclosure: field(f, 'disclosure').trim(), recordingNotice: field(f, 'recordingNotice').trim(), llmBudgetMs: Number(field(f, 'llmBudgetMs')) },
          telephony: { transferTo: transfer === '' ? null : transfer, ringTimeoutS: Number(field(f, 'ringTimeoutS')), record: f.get('record') === 'on' },
          retention: Object.fromEntries(RETENTION.map(({ key }) => [key, field(f, key).trim() === '' ? null : Number(field(f, key))])),
        },
      });
      setNote({ ok: true, text: r.restartRequired ? 'Saved. Some of it applies after the next restart.' : 'Saved. It applies to the next call and chat, and to tonight\'s purge.' });
      s.reload();
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    }
  };
  return (
    <form class="card settings-form" onSubmit={(e) => void save(e)} aria-labelledby="rec-title">
      <h2 id="rec-title">What the receptionist says</h2>
      <label for="s-greeting">Greeting</label>
      <input id="s-greeting" name="greeting" required maxLength={300} defaultValue={agent.greeting} aria-describedby="s-greeting-hint" />
      <p id="s-greeting-hint" class="muted small">
        {'{spa}'} is replaced with the spa's name.
      </p>
      <label for="s-disclosure">AI disclosure</label>
      <input id="s-disclosure" name="disclosure" maxLength={300} defaultValue={agent.disclosure} aria-describedby="s-disclosure-hint" />
      <p id="s-disclosure-hint" class="muted small">
        Said after the greeting. Several states require callers to be told they are talking with an automated system (for example California and Utah); leave it on unless you have checked your state's rules.
      </p>
      <label for="s-notice">Recording notice</label>
      <input id="s-notice" name="recordingNotice" maxLength={300} defaultValue={agent.recordingNotice} aria-describedby="s-notice-hint" />
      <p id="s-notice-hint" class="muted small">
        Said when calls are recorded. All-party-consent states (such as California, Florida, Pennsylvania and Washington) need it.
      </p>
      <h2>Calls</h2>
      <div class="check">
        <input id="s-record" name="record" type="checkbox" defaultChecked={telephony.record} />
        <label for="s-record">Record calls</label>
      </div>
      <div class="two">
        <div>
          <label for="s-ring">Ring before the box answers (seconds)</label>
          <input id="s-ring" name="ringTimeoutS" type="number" min={0} max={300} required defaultValue={String(telephony.ringTimeoutS)} />
        </div>
        <div>
          <label for="s-transfer">"A person, please" transfers to</label>
          <input id="s-transfer" name="transferTo" placeholder="extension, number or SIP address" maxLength={200} defaultValue={telephony.transferTo ?? ''} />
        </div>
      </div>
      <label for="s-llm">Time the local LLM may take per turn (ms)</label>
      <input id="s-llm" name="llmBudgetMs" type="number" min={100} max={10000} required defaultValue={String(agent.llmBudgetMs)} />
      <h2>How long personal data is kept</h2>
      <p id="s-keep-hint" class="muted small">
        Days before the nightly purge deletes it (1 to 3650); empty keeps it until deleted by hand. Appointments, clients and the audit log are kept.
      </p>
      <div class="two">
        {RETENTION.map(({ key, label }) => (
          <div key={key}>
            <label for={`s-${key}`}>{label} (days)</label>
            <input id={`s-${key}`} name={key} type="number" min={1} max={3650} aria-describedby="s-keep-hint" defaultValue={retention[key] === null ? '' : String(retention[key])} />
          </div>
        ))}
      </div>
      {note && (
        <p class={note.ok ? 'note' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
      <div class="actions form-actions">
        <button type="submit">Save</button>
      </div>
    </form>
  );
}
