// Messages: the receptionist's text conversations by client (web chat now, SMS once the modem is
// in), each thread with what the client wrote and what the receptionist answered, and a button
// to take the thread over (the receptionist stays quiet on it) or hand it back.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { dateTime } from '../lib/format.js';
import './setup.css';

interface Listed {
  id: string;
  channel: 'chat' | 'sms';
  phone: string | null;
  client: string | null;
  heldBy: string | null;
  done: boolean;
  updatedAt: string;
  messages: number;
  last: { role: string; text: string } | null;
}

interface Thread {
  id: string;
  channel: string;
  phone: string | null;
  client: string | null;
  heldBy: string | null;
  done: boolean;
  messages: { role: string; text: string; at: string }[];
}

const CHANNEL_NAMES: Record<string, string> = { chat: 'Web chat', sms: 'Text' };

const who = (c: { client: string | null; phone: string | null; channel: string }): string =>
  c.client ?? c.phone ?? (c.channel === 'chat' ? 'Web chat visitor' : 'Unknown number');

export function MessagesPage({ query }: { query: URLSearchParams }) {
  const list = useApi<{ conversations: Listed[] }>('/api/conversations', 15_000);
  const spa = useApi<{ spa: { timeZone: string } }>('/api/spa');
  const zone = spa.data?.spa.timeZone ?? 'UTC';
  const open = query.get('c');
  return (
    <>
      <h1>Messages</h1>
      <p class="muted small">The receptionist's text conversations. Texts by SMS show here once a modem is connected.</p>
      {list.error && (
        <p class="error" role="alert">
          {list.error}
        </p>
      )}
      <div class="messages-layout">
        <section class="card" aria-labelledby="threads-title">
          <h2 id="threads-title">Conversations</h2>
          {!list.data ? (
            <p role="status">Loading…</p>
          ) : list.data.conversations.length === 0 ? (
            <p class="muted">No conversations yet.</p>
          ) : (
            <ul class="thread-list">
              {list.data.conversations.map((c) => (
                <li key={c.id}>
                  <a href={`#/messages?c=${c.id}`} aria-current={c.id === open ? 'true' : undefined}>
                    <strong>{who(c)}</strong> <span class="muted small">{CHANNEL_NAMES[c.channel] ?? c.channel} · {dateTime(c.updatedAt, zone)}</span>
                    {c.heldBy && <span class="badge"> staff: {c.heldBy}</span>}
                    <span class="preview">{c.last ? `${c.last.role === 'caller' ? '' : 'Box: '}${c.last.text}` : ''}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
        {open ? <ThreadView id={open} zone={zone} onChange={() => list.reload()} /> : <p class="muted">Pick a conversation to read it.</p>}
      </div>
    </>
  );
}

function ThreadView({ id, zone, onChange }: { id: string; zone: string; onChange: () => void }) {
  const res = useApi<{ conversation: Thread }>(`/api/conversations/${encodeURIComponent(id)}`, 10_000);
  const [error, setError] = useState<string | null>(null);
  const t = res.data?.conversation;
  const hold = async (path: 'takeover' | 'release') => {
    try {
      await api(`/api/conversations/${encodeURIComponent(id)}/${path}`, { method: 'POST' });
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    res.reload();
    onChange();
  };
  if (!t) return res.error ? <p class="error" role="alert">{res.error}</p> : <p role="status">Loading…</p>;
  return (
    <section class="card" aria-labelledby="thread-title">
      <h2 id="thread-title">{who(t)}</h2>
      <p class="small">
        {t.heldBy ? (
          <>
            <strong>{t.heldBy}</strong> has taken this conversation over: the receptionist does not answer it.{' '}
          </>
        ) : (
          'The receptionist answers this conversation. '
        )}
        {t.done && <span class="muted">(finished)</span>}
      </p>
      <ol class="bubbles" aria-label="Messages">
        {t.messages.map((m, i) => (
          <li key={i} class={m.role}>
            <span class="who">
              {m.role === 'caller' ? who(t) : 'Receptionist'} · {dateTime(m.at, zone)}
            </span>
            {m.text}
          </li>
        ))}
      </ol>
      <div class="actions">
        {t.heldBy ? (
          <button type="button" class="secondary" onClick={() => void hold('release')}>
            Hand back to the receptionist
          </button>
        ) : (
          <button type="button" onClick={() => void hold('takeover')}>
            Take over
          </button>
        )}
      </div>
      <p class="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}
