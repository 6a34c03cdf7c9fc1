// Health: is the phone line up, which speech engines and models run, the modem, disk space,
// database and recordings sizes, version and uptime. Refreshes every 15 s.
import type { ComponentChildren } from 'preact';
import { useApi } from '../hooks.js';
import { uptime } from '../lib/format.js';
import { ModelsPanel } from '../models-panel.js';
import { currentUser } from '../session.js';

interface Health {
  db: string;
  sip: { listening: boolean; registered: boolean | null; registrationError?: string | null; mode: string };
  engines: Record<string, string>;
  modem: { driver: string; state: string };
  https: { port: number; fingerprint: string; custom: boolean; expiresAt: string } | null;
  ops?: {
    backup: { last: { at: string; file: string; bytes: number; usb?: string } | null; error: string | null; next: string | null };
    purge: { last: { at: string; deleted: Record<string, number> } | null; error: string | null; next: string | null };
  };
  version: string;
  uptimeS: number;
}

interface Details {
  storage: { disk: { freeBytes: number; totalBytes: number } | null; databaseBytes: number; recordings: { count: number; bytes: number } };
}

const bytes = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i] ?? 'B'}`;
};

const ENGINE_NAMES: Record<string, string> = { vad: 'Voice detection', asr: 'Speech recognition', tts: 'Voice', llm: 'Language model' };

export function HealthPage() {
  const h = useApi<Health>('/api/health', 15_000);
  const d = useApi<Details>('/api/health/details', 15_000);
  const health = h.data;
  const storage = d.data?.storage;
  const lowDisk = storage?.disk ? storage.disk.freeBytes < 2 * 1024 ** 3 || storage.disk.freeBytes / storage.disk.totalBytes < 0.05 : false;
  return (
    <>
      <h1>Health</h1>
      {(h.error ?? d.error) && <p class="error" role="alert">{h.error ?? d.error}</p>}
      {!health ? (
        <p role="status">Loading…</p>
      ) : (
        <div class="columns">
          <section class="card" aria-labelledby="phone-title">
            <h2 id="phone-title">Phone</h2>
            <dl class="facts stacked">
              <Fact label="SIP" ok={health.sip.listening}>
                {health.sip.listening ? 'listening' : 'not listening'} ({health.sip.mode})
              </Fact>
              <Fact label="Registration" ok={health.sip.registered !== false}>
                {health.sip.registered === null ? 'not used (direct)' : health.sip.registered ? 'registered' : 'not registered'}
              </Fact>
              {health.sip.registrationError && (
                <Fact label="Last error" ok={false}>
                  {health.sip.registrationError}
                </Fact>
              )}
              <Fact label="Modem" ok={health.modem.state !== 'error'}>
                {health.modem.driver}: {health.modem.state}
              </Fact>
            </dl>
          </section>
          <section class="card" aria-labelledby="engines-title">
            <h2 id="engines-title">Speech engines</h2>
            <dl class="facts stacked">
              {Object.entries(health.engines).map(([k, v]) => (
                <Fact key={k} label={ENGINE_NAMES[k] ?? k}>
                  {v}
                </Fact>
              ))}
            </dl>
          </section>
          <section class="card" aria-labelledby="box-title">
            <h2 id="box-title">Box</h2>
            <dl class="facts stacked">
              <Fact label="Database" ok={health.db === 'ok'}>
                {health.db}
                {storage ? `, ${bytes(storage.databaseBytes)}` : ''}
              </Fact>
              {storage && (
                <>
                  <Fact label="Disk free" ok={!lowDisk}>
                    {storage.disk ? `${bytes(storage.disk.freeBytes)} of ${bytes(storage.disk.totalBytes)}` : 'unknown'}
                  </Fact>
                  <Fact label="Recordings">
                    {storage.recordings.count} ({bytes(storage.recordings.bytes)})
                  </Fact>
                </>
              )}
              <Fact label="Last backup" ok={health.ops?.backup.error ? false : health.ops?.backup.last ? true : undefined}>
                {backupText(health.ops)}
              </Fact>
              <Fact label="Last purge" ok={health.ops?.purge.error ? false : health.ops?.purge.last ? true : undefined}>
                {purgeText(health.ops)}
              </Fact>
              <Fact label="Version">{health.version}</Fact>
              <Fact label="Up for">{uptime(health.uptimeS)}</Fact>
              {health.https && (
                <Fact label="Certificate">
                  <span class="mono">{health.https.fingerprint}</span>
                </Fact>
              )}
            </dl>
          </section>
        </div>
      )}
      {currentUser.value?.role === 'owner' && (
        <section class="card" aria-labelledby="models-title">
          <h2 id="models-title">Speech models</h2>
          <ModelsPanel />
        </section>
      )}
    </>
  );
}

const when = (iso: string): string => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

function backupText(ops: Health['ops']): string {
  if (!ops) return 'not reported';
  const b = ops.backup;
  const last = b.last ? `${when(b.last.at)} (${bytes(b.last.bytes)}${b.last.usb ? ', copied to USB' : ''})` : 'none yet';
  return `${last}${b.error ? `; last attempt failed: ${b.error}` : ''}${b.next ? `; next ${when(b.next)}` : ''}`;
}

function purgeText(ops: Health['ops']): string {
  if (!ops) return 'not reported';
  const p = ops.purge;
  const deleted = p.last ? Object.entries(p.last.deleted).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') : '';
  const last = p.last ? `${when(p.last.at)} (${deleted || 'nothing old enough'})` : 'none yet';
  return `${last}${p.error ? `; last attempt failed: ${p.error}` : ''}${p.next ? `; next ${when(p.next)}` : ''}`;
}

function Fact({ label, ok, children }: { label: string; ok?: boolean; children: ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {ok !== undefined && <span class={`dot ${ok ? 'ok' : 'bad'}`} aria-label={ok ? 'OK' : 'Problem'} role="img" />}
        {children}
      </dd>
    </div>
  );
}
