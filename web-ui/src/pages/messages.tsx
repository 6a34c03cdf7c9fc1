// Messages: every text thread in one list, newest first: SMS threads (one per number, from the
// modem's inbox and outbox, each text with its direction, status and times) and the receptionist's
// web chat conversations. Staff read a thread, reply by text (the reply goes through the outbox and
// staff then hold the thread: the receptionist stays quiet on it), take it over without writing,
// and hand it back. SMS and chat share one notion of "held by staff".
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { dateTime } from '../lib/format.js';
import './setup.css';
import './messages.css';

interface Listed {
  id: string;
  channel: 'chat' | 'sms';
  phone: string | null;
  client: string | null;
  heldBy: string | null;
  done: boolean;
  updatedAt: string;
  updatedAtMs: number;
  messages: number;
  last: { role: string; text: string } | null;
}

interface SmsThreadListed {
  id: number;
  phone: string;
  lastAt: string;
  lastBody: string;
  lastDirection: 'in' | 'out';
  messages: number;
  optedOut: boolean;
  heldBy: string | null;
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

interface Text {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  status: string;
  staffUser: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

interface SmsThread {
  id: number;
  phone: string;
  client: string | null;
  heldBy: string | null;
  optedOut: boolean;
  messages: Text[];
}

/** One row of the merged list. */
interface Row {
  key: string;
  href: string;
  who: string;
  kind: string;
  at: string;
  heldBy: string | null;
  preview: string;
}

const STATUS_NAMES: Record<string, string> = {
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  failed: 'failed',
  received: 'received',
  cancelled: 'not sent',
};
const KIND_NAMES: Record<string, string> = {
  'text-back': 'Missed-call text',
  reply: 'Receptionist',
  confirmation: 'Booking confirmation',
  reminder: 'Reminder',
  alert: 'Staff alert',
  compliance: 'Opt-out notice',
  code: 'Identity code',
};

const who = (c: { client: string | null; phone: string | null; channel: string }): string =>
  c.client ?? c.phone ?? (c.channel === 'chat' ? 'Web chat visitor' : 'Unknown number');

export function MessagesPage({ query }: { query: URLSearchParams }) {
  const chats = useApi<{ conversations: Listed[] }>('/api/conversations?channel=chat', 15_000);
  const texts = useApi<{ threads: SmsThreadListed[] }>('/api/messages?limit=100', 15_000);
  const spa = useApi<{ spa: { timeZone: string } }>('/api/spa');
  const zone = spa.data?.spa.timeZone ?? 'UTC';
  const openChat = query.get('c');
  const openText = query.get('t');
  const reload = () => {
    chats.reload();
    texts.reload();
  };
  // Texting may be off (no modem module): the chat list still shows.
  const rows: (Row & { ms: number })[] = [
    ...(texts.data?.threads ?? []).map((t) => ({
      key: `t${t.id}`,
      href: `#/messages?t=${t.id}`,
      who: t.phone,
      kind: t.optedOut ? 'Text · opted out' : 'Text',
      at: t.lastAt,
      ms: Date.parse(t.lastAt),
      heldBy: t.heldBy,
      preview: `${t.lastDirection === 'out' ? 'Sent: ' : ''}${t.lastBody}`,
    })),
    ...(chats.data?.conversations ?? []).map((c) => ({
      key: `c${c.id}`,
      href: `#/messages?c=${c.id}`,
      who: who(c),
      kind: 'Web chat',
      at: c.updatedAt,
      ms: c.updatedAtMs,
      heldBy: c.heldBy,
      preview: c.last ? `${c.last.role === 'caller' ? '' : 'Box: '}${c.last.text}` : '',
    })),
  ].sort((a, b) => b.ms - a.ms);
  const current = openText ? `t${openText}` : openChat ? `c${openChat}` : null;
  return (
    <>
      <h1>Messages</h1>
      <p class="muted small">Texts (SMS) and web chats with the receptionist. Reply by text from a thread: the receptionist then stays quiet on it until you hand it back.</p>
      {chats.error && (
        <p class="error" role="alert">
          {chats.error}
        </p>
      )}
      <div class="messages-layout">
        <section class="card" aria-labelledby="threads-title">
          <h2 id="threads-title">Conversations</h2>
          {!chats.data && !texts.data ? (
            <p role="status">Loading…</p>
          ) : rows.length === 0 ? (
            <p class="muted">No conversations yet.</p>
          ) : (
            <ul class="thread-list">
              {rows.map((r) => (
                <li key={r.key}>
                  <a href={r.href} aria-current={r.key === current ? 'true' : undefined}>
                    <strong>{r.who}</strong> <span class="muted small">{r.kind} · {dateTime(r.at, zone)}</span>
                    {r.heldBy && <span class="badge"> staff: {r.heldBy}</span>}
                    <span class="preview">{r.preview}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
        {openText ? (
          <SmsThreadView id={openText} zone={zone} onChange={reload} />
        ) : openChat ? (
          <ThreadView id={openChat} zone={zone} onChange={reload} />
        ) : (
          <p class="muted">Pick a conversation to read it.</p>
        )}
      </div>
    </>
  );
}

function HeldLine({ heldBy, what }: { heldBy: string | null; what: string }) {
  return heldBy ? (
    <>
      <strong>{heldBy}</strong> has taken this {what} over: the receptionist does not answer it.{' '}
    </>
  ) : (
    <>The receptionist answers this {what}. </>
  );
}

function SmsThreadView({ id, zone, onChange }: { id: string; zone: string; onChange: () => void }) {
  const res = useApi<{ thread: SmsThread }>(`/api/messages/threads/${encodeURIComponent(id)}`, 10_000);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const t = res.data?.thread;
  const post = async (path: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    try {
      await api(`/api/messages/threads/${encodeURIComponent(id)}/${path}`, { method: 'POST', ...(body === undefined ? {} : { body }) });
      setError(null);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
      res.reload();
      onChange();
    }
  };
  const send = async (e: Event) => {
    e.preventDefault();
    if (!draft.trim()) {
      setError('Write the text first.');
      return;
    }
    if (await post('reply', { text: draft })) setDraft('');
  };
  if (!t) return res.error ? <p class="error" role="alert">{res.error}</p> : <p role="status">Loading…</p>;
  const name = t.client ? `${t.client} (${t.phone})` : t.phone;
  return (
    <section class="card" aria-labelledby="thread-title">
      <h2 id="thread-title">{name}</h2>
      <p class="small">
        <HeldLine heldBy={t.heldBy} what="text thread" />
        {t.optedOut && <strong>This number opted out (STOP): only your own replies reach it.</strong>}
      </p>
      <ol class="bubbles" aria-label="Messages">
        {t.messages.map((m) => {
          const cls = m.direction === 'in' ? 'caller' : m.kind === 'staff' ? 'staff' : 'agent';
          const from = m.direction === 'in' ? (t.client ?? t.phone) : m.kind === 'staff' ? (m.staffUser ?? 'Staff') : (KIND_NAMES[m.kind] ?? 'Receptionist');
          const at = m.direction === 'in' ? m.createdAt : (m.deliveredAt ?? m.sentAt ?? m.createdAt);
          return (
            <li key={m.id} class={cls}>
              <span class="who">
                {from} · {dateTime(at, zone)} · <span class={`sms-status ${m.status}`}>{STATUS_NAMES[m.status] ?? m.status}</span>
              </span>
              {m.text}
              {m.status === 'failed' && m.error && <span class="small error"> ({m.error})</span>}
            </li>
          );
        })}
      </ol>
      <form class="sms-reply" onSubmit={(e) => void send(e)}>
        <label for="sms-reply-text">Reply by text</label>
        <textarea id="sms-reply-text" rows={3} maxLength={1000} value={draft} onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Send text
          </button>
          {t.heldBy ? (
            <button type="button" class="secondary" disabled={busy} onClick={() => void post('release')}>
              Hand back to the receptionist
            </button>
          ) : (
            <button type="button" class="secondary" disabled={busy} onClick={() => void post('takeover')}>
              Take over
            </button>
          )}
        </div>
      </form>
      <p class="error" role="alert">
        {error ?? ''}
      </p>
    </section>
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
        <HeldLine heldBy={t.heldBy} what="conversation" />
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
