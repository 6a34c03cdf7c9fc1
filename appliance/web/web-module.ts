// The web module: the staff web UI and API (fastify) on HTTPS and on HTTP (redirecting all but
// loopback clients), the box's TLS certificate (made at first start, renewed daily), and the
// staff accounts and audit log it serves. An installer certificate that cannot be used stops the
// start before anything is served.
import { hostname, networkInterfaces } from 'node:os';
import { ModelInstalls } from '../models/install-jobs.js';
import type { ApplianceDeps } from '../appliance.js';
import type { AgentModule } from '../agent/agent-module.js';
import type { BookingModule } from '../booking/booking-module.js';
import { applyLiveSettings, saveSettings } from '../config/index.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { SmsModule } from '../sms/sms-module.js';
import type { StoreModule } from '../store/store-module.js';
import { CallLog } from '../telephony/call-log.js';
import { ClientDirectory } from '../booking/client-directory.js';
import { Accounts } from './accounts.js';
import { buildWebApp } from './app.js';
import type { CallControl } from './routes/live.js';
import { AuditLog } from './audit.js';
import type { HealthProbe, HealthReport } from './health.js';
import { WebListeners } from './listeners.js';
import { storageProbe } from './storage.js';
import { join } from 'node:path';
import { CertificateRenewal, certificateNames, ensureCertificate, primaryHost, type CertificateNames } from './tls.js';

export interface WebModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock' | 'announce' | 'passwordHasher'> {
  store: StoreModule;
  booking: BookingModule;
  agent: AgentModule;
  /** Texts (GET /api/messages, POST /api/sim/sms); absent: those routes answer 503. */
  sms?: SmsModule;
  /** /api/health's report (the appliance puts it together from every module). */
  health: HealthProbe;
  /** Ends or transfers a call in progress (the telephony module, started after this one). */
  callControl?: CallControl;
  /** Where speech models are installed, and the manifest that says where they come from. */
  models?: { dir: string; manifestPath: string };
}

/** Where staff and local tools reach the web UI. */
export interface WebAddresses {
  /** Plain HTTP on the bound host (served to loopback clients: tests, local tools). */
  httpUrl: string;
  /** TLS on the same host. */
  httpsUrl: string;
  /** The address staff type: the box's LAN address when bound to all interfaces. */
  staffUrl: string;
  /** SHA-256 of the certificate served, as the browser shows it. */
  fingerprint: string;
}

export class WebModule implements ApplianceModule {
  readonly name = 'web';
  readonly dependsOn: readonly ApplianceModule[];
  private listeners: WebListeners | null = null;
  private certificate: CertificateRenewal | null = null;
  private modelInstalls: ModelInstalls | null = null;

  constructor(private readonly deps: WebModuleDeps) {
    this.dependsOn = [deps.store, deps.booking, deps.agent, ...(deps.sms ? [deps.sms] : [])];
  }

  async start(): Promise<void> {
    const { settings, log, clock, store, booking, agent } = this.deps;
    const dataDir = store.dataDir;
    const models = this.deps.models;
    this.modelInstalls = models ? new ModelInstalls({ modelsDir: models.dir, manifestPath: models.manifestPath, clock, log: log.child({ mod: 'models' }) }) : null;
    // First: an installer certificate that cannot be used stops the start here.
    const certificate = await ensureCertificate({ dataDir, names: this.boxNames(), clock, log: log.child({ mod: 'tls' }) });
    const accounts = new Accounts({
      db: store.db,
      clock,
      sessions: { idleMs: settings.web.sessionIdleMin * 60_000, absoluteMs: settings.web.sessionMaxHours * 3_600_000 },
      ...(this.deps.passwordHasher ? { hasher: this.deps.passwordHasher } : {}),
    });
    const owner = await accounts.ensureOwner(settings.adminPassword);
    if (owner.oneTimePassword) {
      (this.deps.announce ?? console.log)(
        `First start: log in to the web UI as "owner" with the one-time password ${owner.oneTimePassword} and choose a new one.`,
      );
    } else if (owner.created) {
      log.info('owner account created from SPA_ADMIN_PASSWORD');
    }
    const app = await buildWebApp({
      clock,
      log,
      catalogue: booking.catalogue,
      bookings: booking.bookings,
      clients: new ClientDirectory({ db: store.db }),
      accounts,
      audit: new AuditLog({ db: store.db, clock }),
      calls: new CallLog({ db: store.db }),
      health: this.deps.health,
      horizonDays: settings.booking.horizonDays,
      recordingsDir: store.recordingsDir,
      storage: storageProbe({ dataDir, dbPath: join(dataDir, 'spa.db'), recordingsDir: store.recordingsDir }),
      receptionist: agent.receptionist,
      db: store.db,
      ...(this.modelInstalls ? { models: this.modelInstalls } : {}),
      ...(this.deps.callControl ? { callControl: this.deps.callControl } : {}),
      ...(this.deps.sms ? { sms: this.deps.sms } : {}),
      // Saved, then the settings that apply at once are copied into the running object the
      // modules read (config/live.ts); current() then shows what was saved.
      settings: (() => {
        let saved = settings;
        return {
          current: () => saved,
          save: async (next) => {
            await saveSettings(next);
            applyLiveSettings(settings, next);
            saved = next;
          },
        };
      })(),
      https: {
        port: () => this.listeners?.httpsPort ?? settings.https.port,
        covers: (host) => (this.certificate?.current ?? certificate).covers(host),
        fallbackHost: () => primaryHost(this.boxNames()),
      },
    });
    const listeners = new WebListeners({ app, log, bind: settings.bind, httpPort: settings.http.port, httpsPort: settings.https.port, certificate });
    this.listeners = listeners;
    await listeners.start();
    this.certificate = new CertificateRenewal({
      dataDir,
      names: () => this.boxNames(),
      clock,
      log: log.child({ mod: 'tls' }),
      current: certificate,
      onRenewed: (c) => listeners.useCertificate(c),
    });
    this.certificate.start();
  }

  /** Stops the certificate's daily check, then both listeners (requests in flight finish). */
  async stop(): Promise<void> {
    this.certificate?.stop();
    this.certificate = null;
    const listeners = this.listeners;
    this.listeners = null;
    await listeners?.stop();
  }

  /** /api/health https: the listener and the certificate staff should see in the browser; null when not serving. */
  health(): HealthReport['https'] {
    const cert = this.certificate?.current;
    if (!cert || !this.listeners) return null;
    return { port: this.listeners.httpsPort, fingerprint: cert.fingerprint, custom: cert.custom, expiresAt: new Date(cert.notAfter).toISOString() };
  }

  /** Where the web UI is served (after start). */
  addresses(): WebAddresses {
    const listeners = this.listeners;
    const cert = this.certificate?.current;
    if (!listeners || !cert) throw new Error('the web module has not started');
    const { bind } = this.deps.settings;
    const wildcard = bind === '0.0.0.0' || bind === '::';
    const local = urlHost(wildcard ? 'localhost' : bind);
    return {
      httpUrl: `http://${local}:${listeners.httpPort}`,
      httpsUrl: `https://${local}:${listeners.httpsPort}`,
      staffUrl: `https://${urlHost(wildcard ? primaryHost(this.boxNames()) : bind)}:${listeners.httpsPort}`,
      fingerprint: cert.fingerprint,
    };
  }

  /** The names the certificate is made for, as the box has them now. */
  private boxNames(): CertificateNames {
    return certificateNames({ hostname: hostname(), interfaces: networkInterfaces(), bind: this.deps.settings.bind });
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
