// The first-run setup wizard (owner): the spa, its hours, services, providers, the phone
// connection, what the receptionist says, the modem and the speech models. Each step is saved
// when the owner continues, and the wizard opens at the step they reached (it opens by itself at
// sign-in until finished).
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api } from '../api.js';
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { IMPROVES, ModelsPanel } from '../models-panel.js';
import { errorText, rowsToSpans, weekRows, type DayRow, type SetupState } from '../lib/setup-model.js';
import { ProvidersEditor } from './catalogue-editor.js';
import { ServicesStep } from './setup-services.js';
import { WeekEditor } from './setup-week.js';
import './setup.css';

const TITLES: Record<string, string> = {
  spa: 'Your spa',
  hours: 'Opening hours',
  services: 'Services',
  providers: 'Providers',
  phone: 'Phone connection',
  voice: 'Greeting',
  modem: 'Text messages',
  models: 'Speech models',
};

export function SetupPage() {
  const res = useApi<SetupState>('/api/setup');
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = res.data;
  if (!state) return res.error ? <p class="error" role="alert">{res.error}</p> : <p role="status">Loading…</p>;
  const steps = state.steps;
  const current = chosen ?? (steps.includes(state.setup.step) ? state.setup.step : (steps[0] ?? 'spa'));
  const index = steps.indexOf(current);
  const go = (step: string) => {
    setError(null);
    setChosen(step);
    document.getElementById('step-title')?.focus();
  };
  /** Saves the step (when it has a save), then records the next one as where to resume. */
  const next = async (save?: () => Promise<unknown>) => {
    try {
      if (save) await save();
      const last = index === steps.length - 1;
      const to = steps[index + 1] ?? current;
      await api('/api/setup/progress', { method: 'PUT', body: { step: to, ...(last ? { finished: true } : {}) } });
      if (last) {
        location.hash = '#/today';
        return;
      }
      res.reload();
      go(to);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const props: StepProps = { state, next, reload: () => res.reload() };
  return (
    <>
      <h1>Set up the box</h1>
      <p class="muted">
        {state.setup.finished ? 'Setup is finished; you can change any step here.' : 'Each step is saved when you continue; you can leave and come back to where you were.'}
      </p>
      <div class="wizard">
        <nav aria-label="Setup steps">
          <ol class="steps">
            {steps.map((s, i) => (
              <li key={s}>
                <button type="button" class={`step${s === current ? ' current' : ''}`} aria-current={s === current ? 'step' : undefined} onClick={() => go(s)}>
                  <span class="step-n" aria-hidden="true">
                    {i + 1}
                  </span>{' '}
                  {TITLES[s] ?? s}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <section class="card step-body" aria-labelledby="step-title">
          <h2 id="step-title" tabIndex={-1}>
            Step {index + 1} of {steps.length}: {TITLES[current] ?? current}
          </h2>
          <Step step={current} {...props} />
          <p class="error" role="alert">
            {error ?? ''}
          </p>
          {index > 0 && (
            <button type="button" class="secondary" onClick={() => go(steps[index - 1] ?? current)}>
              Back
            </button>
          )}
        </section>
      </div>
    </>
  );
}

interface StepProps {
  state: SetupState;
  next: (save?: () => Promise<unknown>) => Promise<void>;
  reload: () => void;
}

function Step(p: StepProps & { step: string }) {
  switch (p.step) {
    case 'spa':
      return <SpaStep {...p} />;
    case 'hours':
      return <HoursStep {...p} />;
    case 'services':
      return (
        <>
          <ServicesStep reload={p.reload} />
          <Continue onClick={() => void p.next()} />
        </>
      );
    case 'providers':
      return (
        <>
          <p>The people who do treatments, the hours they work and what they do. The receptionist only offers times when one of them is free.</p>
          <ProvidersEditor frame="wizard" onChange={p.reload} />
          <Continue onClick={() => void p.next()} />
        </>
      );
    case 'phone':
      return <PhoneStep {...p} />;
    case 'voice':
      return <VoiceStep {...p} />;
    case 'modem':
      return <ModemStep {...p} />;
    default:
      return <ModelsStep {...p} />;
  }
}

function Continue({ onClick, label = 'Save and continue' }: { onClick?: () => void; label?: string }) {
  return (
    <div class="actions continue">
      <button type={onClick ? 'button' : 'submit'} onClick={onClick}>
        {label}
      </button>
    </div>
  );
}

function StepForm({ onSubmit, children, label = 'Save and continue' }: { onSubmit: (f: FormData) => Promise<unknown>; children: ComponentChildren; label?: string }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(new FormData(e.currentTarget));
      }}
    >
      {children}
      <Continue label={label} />
    </form>
  );
}

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];

function SpaStep({ state, next }: StepProps) {
  const s = state.spa;
  const zones = ZONES.includes(s.timeZone) ? ZONES : [s.timeZone, ...ZONES];
  return (
    <StepForm
      onSubmit={(f) =>
        next(() => api('/api/setup/spa', { method: 'PUT', body: { name: field(f, 'name'), address: field(f, 'address'), phone: field(f, 'phone'), timeZone: field(f, 'timeZone') } }))
      }
    >
      <label for="spa-name">Spa name</label>
      <input id="spa-name" name="name" required maxLength={120} defaultValue={s.name} />
      <label for="spa-address">Address</label>
      <input id="spa-address" name="address" maxLength={300} defaultValue={s.address} class="wide-input" />
      <label for="spa-phone">Phone number</label>
      <input id="spa-phone" name="phone" type="tel" maxLength={40} defaultValue={s.phone} />
      <label for="spa-zone">Time zone</label>
      <select id="spa-zone" name="timeZone">
        {zones.map((z) => (
          <option key={z} value={z} selected={z === s.timeZone}>
            {z.replace('_', ' ')}
          </option>
        ))}
      </select>
    </StepForm>
  );
}

function HoursStep({ state, next }: StepProps) {
  const [rows, setRows] = useState<DayRow[]>(() => weekRows(state.spa.hours));
  const [closures, setClosures] = useState(state.spa.closures.map((c) => ({ startDate: c.startDate, endDate: c.endDate, reason: c.reason })));
  const addClosure = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const startDate = field(f, 'start');
    setClosures([...closures, { startDate, endDate: field(f, 'end') || startDate, reason: field(f, 'reason') }].sort((a, b) => a.startDate.localeCompare(b.startDate)));
    (e.currentTarget as HTMLFormElement).reset();
  };
  return (
    <>
      <WeekEditor rows={rows} onChange={setRows} prefix="open" legend="Open on" />
      <h3>Closures</h3>
      {closures.length === 0 ? (
        <p class="muted">No closures.</p>
      ) : (
        <ul class="setup-people">
          {closures.map((c, i) => (
            <li key={`${c.startDate}-${i}`}>
              <span>
                {c.startDate}
                {c.endDate !== c.startDate ? ` to ${c.endDate}` : ''} {c.reason && <span class="muted">{c.reason}</span>}
              </span>
              <button type="button" class="secondary small-button" aria-label={`Remove the closure of ${c.startDate}`} onClick={() => setClosures(closures.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={addClosure} aria-label="Add a closure">
        <div>
          <label for="cl-start">Closed from</label>
          <input id="cl-start" name="start" type="date" required />
        </div>
        <div>
          <label for="cl-end">to</label>
          <input id="cl-end" name="end" type="date" />
        </div>
        <div>
          <label for="cl-reason">Reason</label>
          <input id="cl-reason" name="reason" maxLength={120} />
        </div>
        <button type="submit" class="secondary">
          Add closure
        </button>
      </form>
      <Continue onClick={() => void next(() => api('/api/setup/hours', { method: 'PUT', body: { hours: rowsToSpans(rows), closures } }))} />
    </>
  );
}

function PhoneStep({ state, next }: StepProps) {
  const p = state.phone;
  const [mode, setMode] = useState(p.mode);
  const health = useApi<SetupState['health']>('/api/health', 3000);
  const sip = (health.data ?? state.health).sip;
  const status = sip.registered === null ? 'not registering (direct mode)' : sip.registered ? 'registered' : `not registered${sip.registrationError ? `: ${sip.registrationError}` : ''}`;
  return (
    <StepForm
      onSubmit={(f) =>
        next(() =>
          api('/api/setup/phone', {
            method: 'PUT',
            body: {
              mode,
              ringTimeoutS: Number(field(f, 'ring')),
              transferTo: field(f, 'transfer').trim() || null,
              ...(mode === 'register'
                ? { registrar: field(f, 'registrar'), username: field(f, 'username'), ...(field(f, 'password') ? { password: field(f, 'password') } : {}) }
                : {}),
            },
          }),
        )
      }
    >
      <fieldset>
        <legend>How calls reach the box</legend>
        <label class="check">
          <input type="radio" name="mode" value="direct" checked={mode === 'direct'} onChange={() => setMode('direct')} /> Direct: the phone system rings the box's address (ring group or forward)
        </label>
        <label class="check">
          <input type="radio" name="mode" value="register" checked={mode === 'register'} onChange={() => setMode('register')} /> As an extension that registers with the phone system
        </label>
      </fieldset>
      {mode === 'register' && (
        <div class="grid">
          <div>
            <label for="ph-registrar">Phone system (server)</label>
            <input id="ph-registrar" name="registrar" required defaultValue={p.registrar} placeholder="pbx.local:5060" />
          </div>
          <div>
            <label for="ph-user">Extension user</label>
            <input id="ph-user" name="username" required defaultValue={p.username} autoComplete="off" />
          </div>
          <div>
            <label for="ph-password">Extension password</label>
            <input id="ph-password" name="password" type="password" autoComplete="new-password" placeholder={p.passwordSet ? 'unchanged' : ''} />
          </div>
        </div>
      )}
      <p class="note" role="status">
        Registration now: <strong>{status}</strong>. New connection settings apply when the box restarts.
      </p>
      <div class="grid">
        <div>
          <label for="ph-ring">Ring for (seconds) before the box answers</label>
          <input id="ph-ring" name="ring" type="number" min={0} max={300} required defaultValue={String(p.ringTimeoutS)} />
        </div>
        <div>
          <label for="ph-transfer">"A person, please" goes to</label>
          <input id="ph-transfer" name="transfer" defaultValue={p.transferTo ?? ''} placeholder="extension, number or SIP address" />
        </div>
      </div>
    </StepForm>
  );
}

function VoiceStep({ state, next }: StepProps) {
  const v = state.voice;
  return (
    <StepForm
      onSubmit={(f) =>
        next(() =>
          api('/api/setup/voice', {
            method: 'PUT',
            body: { greeting: field(f, 'greeting'), disclosure: field(f, 'disclosure'), recordingNotice: field(f, 'notice'), record: f.get('record') === 'on' },
          }),
        )
      }
    >
      <label for="v-greeting">Greeting ({'{spa}'} is your spa's name)</label>
      <input id="v-greeting" name="greeting" required maxLength={300} defaultValue={v.greeting} class="wide-input" />
      <label for="v-disclosure">AI disclosure</label>
      <input id="v-disclosure" name="disclosure" maxLength={300} defaultValue={v.disclosure} class="wide-input" aria-describedby="v-law" />
      <label class="check">
        <input type="checkbox" name="record" defaultChecked={v.record} /> Record calls (kept on the box)
      </label>
      <label for="v-notice">Recording notice</label>
      <input id="v-notice" name="notice" maxLength={300} defaultValue={v.recordingNotice} class="wide-input" aria-describedby="v-law" />
      <p id="v-law" class="note small">
        Several US states require all parties' consent to record a call (among them California, Florida, Illinois, Maryland, Massachusetts, Pennsylvania and
        Washington): keep the recording notice if you record. Some states require telling callers they are speaking with an AI. Check what your state asks;
        an empty text leaves that sentence out.
      </p>
    </StepForm>
  );
}

function ModemStep({ state, next }: StepProps) {
  const m = state.health.modem;
  const none = m.driver === 'sim' || m.state === 'not started' || m.state === 'absent';
  return (
    <>
      <p>
        Modem: <strong>{none ? 'no modem' : `${m.driver} (${m.state})`}</strong>
      </p>
      <p class="muted">
        With a USB GSM modem and a SIM card the box texts confirmations and reminders and answers texts. Without one, everything else works and no texts are
        sent.
      </p>
      <Continue label="Continue" onClick={() => void next()} />
    </>
  );
}

const ENGINE_ROLES: { key: keyof SetupState['health']['engines']; name: string }[] = [
  { key: 'vad', name: 'Voice activity' },
  { key: 'asr', name: 'Speech recognition' },
  { key: 'tts', name: 'Voice' },
  { key: 'llm', name: 'Language model' },
];

function ModelsStep({ state, next }: StepProps) {
  const e = state.health.engines;
  return (
    <>
      <p>The box works with its built-in engines; each installed model improves one part.</p>
      <table class="setup-list">
        <caption class="visually-hidden">Speech engines in use</caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col">In use</th>
            <th scope="col">A model improves</th>
          </tr>
        </thead>
        <tbody>
          {ENGINE_ROLES.map((r) => (
            <tr key={r.key}>
              <td>{r.name}</td>
              <td>{e[r.key]}</td>
              <td>{IMPROVES[r.key]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Install a model</h3>
      <ModelsPanel />
      <Continue label="Finish setup" onClick={() => void next()} />
    </>
  );
}
