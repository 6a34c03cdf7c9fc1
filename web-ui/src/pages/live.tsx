// Live: the calls the box is on now, each with its running transcript (server-sent events from
// /api/live/events), and buttons to transfer the caller to the front desk or end the call.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useNow } from '../hooks.js';
import { duration } from '../lib/format.js';
import { callerName } from './calls.js';
import './setup.css';

export interface LiveCall {
  id: number;
  caller: { phone: string | null; raw: string; name: string; withheld: boolean };
  state: 'ringing' | 'answered';
  invitedAt: string;
  answeredAt: string | null;
  turns: { input: string; caller: string; reply: string }[];
}

export function LivePage() {
  const [calls, setCalls] = useState<LiveCall[] | null>(null);
  const [connected, setConnected] = useState(false);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const now = useNow(1000);
  useEffect(() => {
    const events = new EventSource('/api/live/events');
    events.addEventListener('calls', (e) => {
      setConnected(true);
      setCalls((JSON.parse((e as MessageEvent<string>).data) as { calls: LiveCall[] }).calls);
    });
    events.addEventListener('signed-out', () => events.close());
    events.onerror = () => setConnected(false);
    return () => events.close();
  }, []);
  const act = async (id: number, what: 'transfer' | 'end') => {
    setNotes((n) => ({ ...n, [id]: what === 'transfer' ? 'Transferring…' : 'Ending…' }));
    try {
      await api(`/api/live/${id}/${what}`, { method: 'POST' });
      setNotes((n) => ({ ...n, [id]: what === 'transfer' ? 'Transferred to the front desk.' : 'Call ended.' }));
    } catch (err) {
      setNotes((n) => ({ ...n, [id]: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <>
      <h1>Live calls</h1>
      <p class="muted small" role="status">
        {calls === null ? 'Connecting…' : connected ? 'Updating as calls happen.' : 'Reconnecting…'}
      </p>
      {calls !== null && calls.length === 0 && (
        <p>
          No calls in progress. Finished calls are on the <a href="#/calls">Calls</a> page.
        </p>
      )}
      <div class="live-calls">
        {(calls ?? []).map((c) => (
          <section class="card" key={c.id} aria-labelledby={`live-${c.id}`}>
            <div class="live-head">
              <h2 id={`live-${c.id}`}>{callerName(c.caller)}</h2>
              <span class="muted">
                {c.state === 'ringing' ? 'Ringing' : `On the line ${duration(now - Date.parse(c.answeredAt ?? c.invitedAt))}`} ·{' '}
                <a href={`#/calls/${c.id}`}>Call page</a>
              </span>
            </div>
            <ol class="turns" aria-label={`Transcript of the call with ${callerName(c.caller)}`}>
              {c.turns.map((t, i) => (
                <li key={i}>
                  {t.input !== 'greeting' && (
                    <p class="caller">
                      <span class="who">Caller</span> {t.input === 'silence' ? '(silence)' : t.caller}
                    </p>
                  )}
                  <p class="box">
                    <span class="who">Box</span> {t.reply}
                  </p>
                </li>
              ))}
            </ol>
            <div class="actions">
              <button type="button" onClick={() => void act(c.id, 'transfer')} disabled={c.state !== 'answered'}>
                Transfer to front desk
              </button>
              <button type="button" class="secondary" onClick={() => void act(c.id, 'end')} disabled={c.state !== 'answered'}>
                End call
              </button>
            </div>
            <p class="small" role="status">
              {notes[c.id] ?? ''}
            </p>
          </section>
        ))}
      </div>
    </>
  );
}
