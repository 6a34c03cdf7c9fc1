// One call: who, when, how it ended, the receptionist's summary, the recording, every turn with
// what the caller said and what the box answered (and, for support, how long the box took), and
// the appointments it led to.
import { useApi } from '../hooks.js';
import { dateTime, duration, OUTCOME_NAMES } from '../lib/format.js';
import { callerName, type CallRow } from './calls.js';

interface Turn {
  input: string;
  caller: string;
  reply: string;
  interrupted: boolean;
  latencyMs: { endpoint: number | null; asr: number | null; agent: number | null; tts: number | null; total: number | null };
}

interface CallDetail extends CallRow {
  codec: string | null;
  endReason: string;
  ringMs: number | null;
  recordingError: string | null;
  turns: Turn[];
  appointments: { id: number; status: string; start: string; service: { name: string }; provider: { name: string }; client: string | null }[];
}

const INPUT_NAMES: Record<string, string> = { speech: 'said', dtmf: 'pressed', silence: '(silence)', greeting: '' };

export function CallPage({ id }: { id: number }) {
  const res = useApi<{ call: CallDetail }>(`/api/calls/${id}`);
  const spa = useApi<{ spa: { timeZone: string } }>('/api/spa');
  const zone = spa.data?.spa.timeZone ?? 'UTC';
  const c = res.data?.call;
  return (
    <>
      <p>
        <a href="#/calls">← All calls</a>
      </p>
      {res.error && (
        <>
          <h1>Call</h1>
          <p class="error" role="alert">{res.error}</p>
        </>
      )}
      {!c ? (
        !res.error && <p role="status">Loading…</p>
      ) : (
        <>
          <h1>{callerName(c.caller)}</h1>
          <dl class="facts">
            <div>
              <dt>When</dt>
              <dd>{dateTime(c.invitedAt, zone)}</dd>
            </div>
            <div>
              <dt>Outcome</dt>
              <dd>
                <span class={`badge ${c.outcome ?? 'open'}`}>{c.outcome ? (OUTCOME_NAMES[c.outcome] ?? c.outcome) : 'In progress'}</span>
              </dd>
            </div>
            <div>
              <dt>Length</dt>
              <dd>{c.durationMs === null ? '—' : duration(c.durationMs)}</dd>
            </div>
            <div>
              <dt>Rang for</dt>
              <dd>{c.ringMs === null ? '—' : `${Math.round(c.ringMs / 1000)} s`}</dd>
            </div>
          </dl>
          <section class="card" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <p>{c.summary || <span class="muted">No summary.</span>}</p>
            {c.endReason && <p class="muted small">Ended: {c.endReason}</p>}
          </section>

          <section class="card" aria-labelledby="rec-title">
            <h2 id="rec-title">Recording</h2>
            {c.recording ? (
              <>
                <audio controls preload="metadata" src={`/api/calls/${c.id}/recording`} aria-label="Call recording">
                  <a href={`/api/calls/${c.id}/recording`}>Download the recording</a>
                </audio>
                <p class="small">
                  <a href={`/api/calls/${c.id}/recording`} download={`call-${c.id}.wav`}>
                    Download (WAV: caller left, box right)
                  </a>
                </p>
              </>
            ) : (
              <p class="muted">Not recorded.</p>
            )}
            {c.recordingError && <p class="error">{c.recordingError}</p>}
          </section>

          {c.appointments.length > 0 && (
            <section class="card" aria-labelledby="led-title">
              <h2 id="led-title">Booked on this call</h2>
              <ul>
                {c.appointments.map((a) => (
                  <li key={a.id}>
                    {a.service.name} with {a.provider.name}, {dateTime(a.start, zone)}
                    {a.client ? ` for ${a.client}` : ''} {a.status !== 'booked' && <span class="badge">{a.status}</span>}
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section class="card" aria-labelledby="turns-title">
            <h2 id="turns-title">Conversation</h2>
            {c.turns.length === 0 ? (
              <p class="muted">No conversation (the box did not speak with the caller).</p>
            ) : (
              <ol class="turns">
                {c.turns.map((t, i) => (
                  <li key={i}>
                    {t.input !== 'greeting' && (
                      <p class="caller">
                        <span class="who">Caller {INPUT_NAMES[t.input] ?? ''}</span> {t.input === 'silence' ? '' : t.caller}
                      </p>
                    )}
                    <p class="box">
                      <span class="who">Box</span> {t.reply}
                      {t.interrupted && <span class="muted small"> (interrupted)</span>}
                    </p>
                    {t.latencyMs.total !== null && (
                      <p class="latency small">
                        Answered in {t.latencyMs.total} ms
                        <span class="muted">
                          {' '}
                          (end of turn {t.latencyMs.endpoint ?? '?'} · recognition {t.latencyMs.asr ?? '?'} · reply {t.latencyMs.agent ?? '?'} · voice {t.latencyMs.tts ?? '?'} ms)
                        </span>
                      </p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
}
