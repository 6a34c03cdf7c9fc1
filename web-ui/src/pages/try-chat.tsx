// "Try the receptionist": a chat with the receptionist as a client would text it, using the
// settings, services and knowledge as they are now.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { field } from '../forms.js';

interface Line {
  who: 'you' | 'box';
  text: string;
}

export function TryChat() {
  const [conversation, setConversation] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLOListElement>(null);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [lines.length]);

  const send = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const text = field(new FormData(form), 'text').trim();
    if (!text) return;
    setBusy(true);
    setLines((l) => [...l, { who: 'you', text }]);
    form.reset();
    try {
      const r = await api<{ conversation: string; reply: string; done: boolean }>('/api/agent/chat', { method: 'POST', body: { ...(conversation ? { conversation } : {}), text } });
      setConversation(r.done ? null : r.conversation);
      setLines((l) => [...l, { who: 'box', text: r.reply }]);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    setBusy(false);
    input.current?.focus();
  };

  return (
    <section class="card" aria-labelledby="try-title">
      <h2 id="try-title">Try the receptionist</h2>
      <p class="muted small">Chat as a client would. It answers from the services, prices and knowledge above as they are now; bookings made here are real (source: chat).</p>
      <ol class="chat" ref={log} aria-live="polite" aria-label="Conversation">
        {lines.map((l, i) => (
          <li key={i} class={l.who}>
            <span class="who">{l.who === 'you' ? 'You' : 'Receptionist'}:</span> {l.text}
          </li>
        ))}
      </ol>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form class="chat-form" onSubmit={(e) => void send(e)}>
        <label for="chat-text" class="visually-hidden">
          Your message
        </label>
        <input id="chat-text" name="text" ref={input} autoComplete="off" placeholder="e.g. Do you have parking?" maxLength={2000} />
        <button type="submit" disabled={busy}>
          Send
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setConversation(null);
            setLines([]);
          }}
        >
          Start over
        </button>
      </form>
    </section>
  );
}
