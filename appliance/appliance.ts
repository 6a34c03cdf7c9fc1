// Wires the modules and starts and stops them in order. Each module receives its dependencies
// explicitly; nothing here reads the environment (main.ts does) so tests can run several
// appliances side by side in temporary data dirs.
import { EventEmitter } from 'node:events';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { Bookings, type Clock } from './booking/bookings.js';
import { Catalogue } from './booking/catalogue.js';
import { demoSpa } from './booking/demo-spa.js';
import { saveSettings, type Settings } from './config/index.js';
import type { Logger } from './log.js';
import { openDatabase, type Db, type OpenOptions, type OpenResult } from './store/db.js';
import { ensurePrivateDirSync, tightenPrivateTree } from './store/private-files.js';
import type { OpenRecordingFile } from './media/index.js';
import { Accounts } from './web/accounts.js';
import type { PasswordHasher } from './web/passwords.js';
import { buildWebApp, type WebDeps } from './web/app.js';
import { AuditLog } from './web/audit.js';
import type { HealthReport } from './web/health.js';
import { WebListeners } from './web/listeners.js';
import { CertificateRenewal, certificateNames, ensureCertificate, primaryHost, type CertificateNames, type TlsCertificate } from './web/tls.js';
import { starterSpa } from './booking/starter-spa.js';
import { CallLog } from './telephony/call-log.js';
import { CallManager, type CallHandler, type CallManagerStats } from './telephony/call-manager.js';
import { RtpCallMediaFactory } from './telephony/rtp-call-media.js';
import { StaffBridge } from './telephony/bridge.js';
import { SipAgent, sipNetwork, type SipAgentStats } from './telephony/sip-agent.js';
import { SipTransport, type TransportStats } from './telephony/transport/index.js';
import { PortAllocator } from './media/index.js';
import { StandInConversation } from './voice/stand-in.js';
import { synthesizeFlite } from './voice/flite.js';
import { selectEngines } from './voice/engines.js';
import { TurnTaking } from './voice/turn-taking.js';
import { EchoAgent } from './voice/echo-agent.js';
import { Receptionist } from './agent/receptionist.js';
import { KeypadAgent, VoiceAgent } from './agent/voice-agent.js';
import { KeypadConversation } from './voice/keypad-conversation.js';
import { selectLlm } from './agent/llm/select.js';
import { LlmUnderstander } from './agent/understand/llm.js';
import type { Llm } from './agent/llm/types.js';
import type { ConversationAgent } from './voice/turn-taking.js';
import { CallRouter } from './voice/call-router.js';
import { CachingTts } from './voice/tts/cache.js';
import { splitSentences } from './voice/tts/types.js';
import { fileURLToPath } from 'node:url';

const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));

export const VERSION = '0.1.0';

export interface ApplianceDeps {
  settings: Settings;
  log: Logger;
  clock: Clock;
  /** The conversation answered calls are handed to (default: the stand-in greeter). */
  callHandler?: CallHandler;
  /** Where installed models live (default: the repository's models/ folder). */
  modelsDir?: string;
  /** Where the one-time owner password is shown (the console by default). */
  announce?: (line: string) => void;
  /** How the database and recordings are opened (default: files in the data dir); fault tests inject failing ones. */
  storage?: { openDatabase?: (opts: OpenOptions) => OpenResult; openRecording?: OpenRecordingFile };
  /** How staff passwords are hashed (default: scrypt at OWASP's cost); tests whose subject is not hashing pass a cheaper one. */
  passwordHasher?: PasswordHasher;
}

export interface ApplianceEvents {
  callEnded: [call: { id: number; outcome: string; reason: string }];
  callAnswered: [call: { id: number }];
  /** A call's media stopped and its recording closed (after callEnded). */
  callClosed: [call: { id: number }];
  dtmf: [event: { id: number; digit: string }];
}

export class Appliance extends EventEmitter<ApplianceEvents> {
  private db: Db | null = null;
  private web: WebListeners | null = null;
  private certificate: CertificateRenewal | null = null;
  private sip: SipAgent | null = null;
  private llm: Llm | null = null;
  private sipTransport: SipTransport | null = null;
  private calls: CallManager | null = null;
  private engineNotes = { vad: 'none', asr: 'none', tts: 'none', llm: 'none' };
  private startedAt = 0;
  /** The web UI over plain HTTP, served to loopback clients (tests, local tools). */
  httpUrl = '';
  /** The web UI over TLS on the same host. */
  httpsUrl = '';

  constructor(private readonly deps: ApplianceDeps) {
    super();
  }

  /** The SIP port actually bound (settings may say 0 in tests). */
  get sipPort(): number {
    return this.sipTransport?.port ?? 0;
  }

  async start(): Promise<void> {
    const { settings, log, clock } = this.deps;
    this.startedAt = clock.now();
    const dataDir = resolve(settings.dataDir);
    this.securePrivateData(dataDir);
    // Before anything else: an installer certificate that cannot be used stops the start here.
    const certificate = await ensureCertificate({ dataDir, names: this.boxNames(), clock, log: log.child({ mod: 'tls' }) });
    const opened = (this.deps.storage?.openDatabase ?? openDatabase)({ path: join(dataDir, 'spa.db') });
    this.db = opened.db;
    log.info({ from: opened.previousVersion, to: opened.version }, 'database ready');

    const catalogue = new Catalogue({ db: opened.db });
    if (catalogue.isEmpty()) {
      const seedDemo = settings.demo ?? opened.previousVersion === 0;
      catalogue.replaceAll(seedDemo ? demoSpa() : starterSpa(settings.timeZone));
      log.info({ demo: seedDemo }, seedDemo ? 'seeded the demo spa' : 'created an empty spa profile');
    }
    catalogue.setTimeZone(settings.timeZone);

    const accounts = new Accounts({
      db: opened.db,
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

    const calls = new CallLog({ db: opened.db });
    const stale = calls.closeStale(clock.now());
    if (stale > 0) log.warn({ calls: stale }, 'closed calls left open by the previous run');

    const bookings = new Bookings({
      db: opened.db,
      catalogue,
      clock,
      policy: {
        minNoticeMin: settings.booking.minNoticeMin,
        slotIntervalMin: settings.booking.slotIntervalMin,
        holdTtlS: settings.booking.holdTtlS,
      },
    });
    const receptionist = new Receptionist({
      db: opened.db,
      clock,
      log: log.child({ mod: 'agent' }),
      catalogue,
      bookings,
      settings: () => ({
        agent: settings.agent,
        record: settings.telephony.record,
        transferTo: settings.telephony.transferTo,
        horizonDays: settings.booking.horizonDays,
      }),
    });
    const web = await this.startWeb(dataDir, certificate, {
      clock,
      log,
      catalogue,
      bookings,
      accounts,
      audit: new AuditLog({ db: opened.db, clock }),
      calls,
      health: () => this.health(),
      horizonDays: settings.booking.horizonDays,
      recordingsDir: join(dataDir, 'recordings'),
      receptionist,
      settings: { current: () => settings, save: (next) => saveSettings(next) },
    });
    await this.startTelephony(dataDir, calls, catalogue, receptionist);
    const chosen = await selectLlm({ log: log.child({ mod: 'llm' }), modelsDir: this.deps.modelsDir ?? DEFAULT_MODELS_DIR });
    this.engineNotes.llm = chosen.note;
    if (chosen.llm) {
      this.llm = chosen.llm;
      receptionist.useUnderstander(new LlmUnderstander({ llm: chosen.llm, log: log.child({ mod: 'llm' }), budgetMs: settings.agent.llmBudgetMs }));
    }
    this.announceReady(web, certificate, dataDir);
  }

  /** The names the certificate is made for, as the box has them now. */
  private boxNames(): CertificateNames {
    return certificateNames({ hostname: hostname(), interfaces: networkInterfaces(), bind: this.deps.settings.bind });
  }

  /** The web app on both listeners (HTTPS, and HTTP redirecting all but loopback), and the certificate's daily check. */
  private async startWeb(dataDir: string, certificate: TlsCertificate, deps: Omit<WebDeps, 'https'>): Promise<WebListeners> {
    const { settings, log, clock } = this.deps;
    const app = await buildWebApp({
      ...deps,
      https: {
        port: () => this.web?.httpsPort ?? settings.https.port,
        covers: (host) => (this.certificate?.current ?? certificate).covers(host),
        fallbackHost: () => primaryHost(this.boxNames()),
      },
    });
    const web = new WebListeners({ app, log, bind: settings.bind, httpPort: settings.http.port, httpsPort: settings.https.port, certificate });
    this.web = web;
    await web.start();
    this.certificate = new CertificateRenewal({
      dataDir,
      names: () => this.boxNames(),
      clock,
      log: log.child({ mod: 'tls' }),
      current: certificate,
      onRenewed: (c) => web.useCertificate(c),
    });
    this.certificate.start();
    return web;
  }

  /** The start-up line: the address staff type and the fingerprint their browser should show. */
  private announceReady(web: WebListeners, certificate: TlsCertificate, dataDir: string): void {
    const { bind } = this.deps.settings;
    const wildcard = bind === '0.0.0.0' || bind === '::';
    const local = urlHost(wildcard ? 'localhost' : bind);
    this.httpUrl = `http://${local}:${web.httpPort}`;
    this.httpsUrl = `https://${local}:${web.httpsPort}`;
    const staffUrl = `https://${urlHost(wildcard ? primaryHost(this.boxNames()) : bind)}:${web.httpsPort}`;
    this.deps.log.info(
      { web: this.httpUrl, https: this.httpsUrl, fingerprint: certificate.fingerprint, health: `${this.httpUrl}/api/health`, dataDir },
      `ready: web UI at ${staffUrl} (certificate SHA-256 ${certificate.fingerprint})`,
    );
  }

  private async startTelephony(dataDir: string, calls: CallLog, catalogue: Catalogue, receptionist: Receptionist): Promise<void> {
    const { settings, log, clock } = this.deps;
    const t = settings.telephony;
    const transport = new SipTransport({
      log: log.child({ mod: 'sip' }),
      bind: settings.bind,
      port: settings.sip.port,
      allowNetworks: t.allowNetworks,
      trunkNetworks: t.trunkNetworks,
    });
    this.sipTransport = transport;
    const engines = await selectEngines({ log: log.child({ mod: 'engines' }), modelsDir: this.deps.modelsDir ?? DEFAULT_MODELS_DIR });
    this.engineNotes = engines.notes;
    const spaName = (): string => catalogue.profile().name;
    const greeter = new StandInConversation({
      log: log.child({ mod: 'stand-in' }),
      synthesize: (text) => synthesizeFlite(text, { voice: 'kal16' }),
      spaName,
    });
    try {
      await greeter.start();
    } catch (err) {
      log.warn({ err }, 'greeting could not be rendered; keypad calls will be silent');
    }
    const voiceTts = engines.tts ? new CachingTts(engines.tts) : null;
    // Conversations by call, so the call's end can finish its conversation (summary, holds).
    const conversationOf = new Map<number, string>();
    const agent = (): ConversationAgent =>
      settings.agent.mode === 'echo'
        ? new EchoAgent({ spaName, catalogue: () => catalogue.services().flatMap((x) => [x.name, ...x.aliases]) })
        : new VoiceAgent({ receptionist, catalogue, onStart: (callId, conversation) => conversationOf.set(callId, conversation) });
    if (voiceTts) {
      // The greeting and the common prompts are rendered now, once, so no call waits for them.
      const prompts =
        settings.agent.mode === 'echo'
          ? `${new EchoAgent({ spaName }).greeting().text} Are you still there? How can I help?`
          : `${receptionist.greetingText()} Are you still there? How can I help you today? Is there anything else I can help with? Which treatment would you like to book? Great. May I have your first and last name? And is the number you are calling from the best one to reach you?`;
      await voiceTts.prerender(splitSentences(prompts)).catch((err: unknown) => log.warn({ err }, 'could not pre-render prompts'));
    }
    const speech =
      engines.asr && voiceTts
        ? new TurnTaking({
            log: log.child({ mod: 'voice' }),
            clock,
            vad: engines.vad,
            asr: engines.asr,
            tts: voiceTts,
            agent,
            onTurn: (id, t) =>
              calls.addTurn(id, {
                inputKind: t.input.kind === 'silence' && t.input.count === 0 ? 'greeting' : t.input.kind,
                callerText: t.input.kind === 'speech' ? t.input.text : t.input.kind === 'dtmf' ? t.input.digits : '',
                replyText: t.reply,
                interrupted: t.interrupted,
                ...t.marks,
              }),
          })
        : null;
    // Calls the recogniser cannot hear get the receptionist's keypad menus (the stand-in greeter
    // only in the installer's echo mode, or when no voice can speak the menus).
    const keypad =
      settings.agent.mode === 'receptionist' && voiceTts
        ? new KeypadConversation({
            log: log.child({ mod: 'keypad' }),
            tts: voiceTts,
            dialog: () => new KeypadAgent({ receptionist, onStart: (callId, conversation) => conversationOf.set(callId, conversation) }),
          })
        : greeter;
    const router = new CallRouter({ speech, understands: engines.asrHears, keypad });
    const mediaFactory = new RtpCallMediaFactory({
      log: log.child({ mod: 'rtp' }),
      ports: new PortAllocator({ min: settings.rtp.portMin, max: settings.rtp.portMax }),
      bindAddress: settings.bind,
      advertise: () => transport.local.address,
      rtpTimeoutMs: t.rtpTimeoutS * 1000,
      natLatching: t.natLatching,
      recordingsDir: join(dataDir, 'recordings'),
      onRecording: (id, path) => calls.setRecording(id, path),
      onRecordingFailed: (id, why) => calls.recordingFailed(id, why),
      ...(this.deps.storage?.openRecording ? { openRecording: this.deps.storage.openRecording } : {}),
    });
    const bridge = new StaffBridge({
      log: log.child({ mod: 'bridge' }),
      offering: (o) => mediaFactory.offering(o),
      dial: (target, sdp, o) => (this.sip ? this.sip.dial(target, sdp, o) : Promise.resolve({ status: 503 })),
    });
    const manager = new CallManager({
      clock,
      log: log.child({ mod: 'calls' }),
      calls,
      media: mediaFactory,
      bridge,
      handler: this.deps.callHandler ?? router,
      settings: { ringTimeoutS: t.ringTimeoutS, maxCalls: t.maxCalls, record: t.record, transferTo: t.transferTo },
      perSource: { maxCallsPerSource: t.maxCallsPerSource, invitesPerMinute: t.invitesPerMinutePerSource, trunkNetworks: t.trunkNetworks },
      isTrunk: (address) => this.sip?.isRegistrar(address) ?? false,
    });
    this.calls = manager;
    manager.on('ended', (c) => {
      const conversation = conversationOf.get(c.id);
      if (conversation) {
        conversationOf.delete(c.id);
        try {
          receptionist.finish(conversation);
        } catch (err) {
          log.error({ err, callId: c.id }, 'could not finish the call conversation');
        }
      }
      this.emit('callEnded', c);
    });
    manager.on('answered', (c) => this.emit('callAnswered', { id: c.id }));
    manager.on('closed', (c) => this.emit('callClosed', c));
    manager.on('dtmf', (e) => this.emit('dtmf', e));
    this.sip = new SipAgent({
      clock,
      log: log.child({ mod: 'sip' }),
      network: sipNetwork(transport),
      calls: manager,
      userAgent: `SpaReceptionist/${VERSION}`,
      registration: t.registration,
    });
    await this.sip.start();
  }

  /**
   * The data dir holds patient data and the SIP password: 0700, and anything in it that others
   * could read (an older install, a file copied in) loses its group and other permissions.
   */
  private securePrivateData(dataDir: string): void {
    const { log, settings } = this.deps;
    ensurePrivateDirSync(dataDir);
    const tightened = tightenPrivateTree(dataDir);
    if (tightened.changed > 0) log.info({ changed: tightened.changed }, 'data dir: took group and other permissions off files and folders');
    if (tightened.failed.length > 0) {
      log.warn({ failed: tightened.failed.length, code: tightened.failed[0]?.code }, 'data dir: some permissions could not be tightened');
    }
    if (settings.log.personalData) {
      log.warn('personal data is being logged (log.personalData / SPA_LOG_PERSONAL): for support only; turn it off afterwards');
    }
  }

  /** The SIP guards' counters: what the transport dropped unread, what the call layer refused, challenges withheld. */
  sipStats(): { transport: TransportStats | null; calls: CallManagerStats | null; agent: SipAgentStats | null } {
    return { transport: this.sipTransport?.stats() ?? null, calls: this.calls ? { ...this.calls.stats } : null, agent: this.sip ? { ...this.sip.stats } : null };
  }

  health(): HealthReport {
    let db: HealthReport['db'] = 'error';
    try {
      if (this.db?.prepare('SELECT 1').pluck().get() === 1) db = 'ok';
    } catch {
      db = 'error';
    }
    const modem = this.deps.settings.modem.device;
    return {
      db,
      // Telephony, engines and the modem arrive in later releases; health says so plainly.
      sip: {
        listening: this.sip?.isListening ?? false,
        registered: this.sip?.registrationStatus()?.registered ?? null,
        registrationError: this.sip?.registrationStatus()?.lastError ?? null,
        mode: this.deps.settings.telephony.registration.registrar ? 'registered extension' : 'direct (ring group / forward target)',
      },
      engines: { ...this.engineNotes },
      modem: { driver: modem === 'sim' ? 'sim' : modem, state: 'not started' },
      https: this.httpsHealth(),
      log: { level: this.deps.settings.log.level, personalData: this.deps.settings.log.personalData },
      version: VERSION,
      uptimeS: Math.round((this.deps.clock.now() - this.startedAt) / 1000),
    };
  }

  private httpsHealth(): HealthReport['https'] {
    const cert = this.certificate?.current;
    if (!cert || !this.web) return null;
    return { port: this.web.httpsPort, fingerprint: cert.fingerprint, custom: cert.custom, expiresAt: new Date(cert.notAfter).toISOString() };
  }

  /**
   * Stops accepting calls and requests, ends the calls in progress (BYE, recordings closed, rows
   * closed: at most a few seconds), lets in-flight requests finish, then closes the database. A
   * step that fails (a full disk at the checkpoint, say) is logged and the next steps still run.
   */
  async stop(): Promise<void> {
    const { log } = this.deps;
    const step = async (what: string, run: () => Promise<unknown> | void): Promise<void> => {
      try {
        await run();
      } catch (err) {
        log.error({ err }, `stopping: ${what} failed`);
      }
    };
    const sip = this.sip;
    this.sip = null;
    if (sip) await step('SIP and the calls in progress', () => sip.stop());
    this.certificate?.stop();
    this.certificate = null;
    const web = this.web;
    this.web = null;
    if (web) await step('the web server', () => web.stop());
    const llm = this.llm;
    this.llm = null;
    if (llm) await step('the LLM', () => llm.stop());
    const db = this.db;
    this.db = null;
    if (db?.open) {
      await step('the database checkpoint', () => void db.pragma('wal_checkpoint(TRUNCATE)'));
      await step('closing the database', () => void db.close());
    }
    log.info('stopped');
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
