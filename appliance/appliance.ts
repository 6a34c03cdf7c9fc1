// The appliance: its modules, in order, and what it shows the outside (events, addresses, health).
// Each module owns its wiring and lifecycle (shared/modules.ts): Modules starts them in dependency
// order and stops them in reverse. Nothing here reads the environment (main.ts does) so tests can
// run several appliances side by side in temporary data dirs. A new module (sms, backup) is its
// file in its folder plus one line in the list below.
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { AgentModule } from './agent/agent-module.js';
import { LlmModule } from './agent/llm-module.js';
import { BookingModule } from './booking/booking-module.js';
import type { Clock } from './shared/clock.js';
import type { Settings } from './config/index.js';
import type { Logger } from './log.js';
import type { OpenRecordingFile } from './media/index.js';
import { OpsModule } from './ops/ops-module.js';
import { Modules } from './shared/modules.js';
import type { OpenOptions, OpenResult } from './store/db.js';
import { SmsModule } from './sms/sms-module.js';
import { StoreModule } from './store/store-module.js';
import type { CallHandler, CallManagerStats } from './telephony/call-manager.js';
import type { SipAgentStats } from './telephony/sip-agent.js';
import { TelephonyModule } from './telephony/telephony-module.js';
import type { TransportStats } from './telephony/transport/index.js';
import { VoiceModule } from './voice/voice-module.js';
import type { HealthReport } from './web/health.js';
import type { PasswordHasher } from './web/passwords.js';
import { WebModule } from './web/web-module.js';

const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));
const DEFAULT_MODELS_MANIFEST = fileURLToPath(new URL('../../models/manifest.json', import.meta.url));

export const VERSION = '0.1.0';

export interface ApplianceDeps {
  settings: Settings;
  log: Logger;
  clock: Clock;
  /** The conversation answered calls are handed to (default: the stand-in greeter). */
  callHandler?: CallHandler;
  /** Where installed models live (default: the repository's models/ folder). */
  modelsDir?: string;
  /** The models manifest the web UI installs from (default: <models dir>/manifest.json of the repository). */
  modelsManifest?: string;
  /** Where models derived on this machine are kept (the caller language model); default <data dir>/speech. */
  speechCacheDir?: string;
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
  /** A text was stored, queued, handed to the modem or changed status (what tests wait on). */
  sms: [message: { id: number; direction: 'in' | 'out'; kind: string; status: string }];
}

export class Appliance extends EventEmitter<ApplianceEvents> {
  private readonly store: StoreModule;
  private readonly web: WebModule;
  private readonly voice: VoiceModule;
  private readonly telephony: TelephonyModule;
  private readonly llm: LlmModule;
  private readonly sms: SmsModule;
  private readonly ops: OpsModule;
  private readonly agent: AgentModule;
  private readonly modules: Modules;
  private startedAt = 0;
  /** The web UI over plain HTTP, served to loopback clients (tests, local tools). */
  httpUrl = '';
  /** The web UI over TLS on the same host. */
  httpsUrl = '';

  constructor(private readonly deps: ApplianceDeps) {
    super();
    const { settings, log, clock } = deps;
    const base = { settings, log, clock };
    const modelsDir = deps.modelsDir ?? DEFAULT_MODELS_DIR;
    // The data dir and the database.
    const store = new StoreModule({ ...base, ...(deps.storage?.openDatabase ? { openDatabase: deps.storage.openDatabase } : {}) });
    // The spa's catalogue (the demo spa in a new database) and its bookings.
    const booking = new BookingModule({ ...base, store });
    // The receptionist: calls, SMS and the web chat.
    const agent = new AgentModule({ ...base, store, booking });
    // Texts through the USB modem (or the simulated one): text-back, SMS conversations, confirmations, reminders.
    const sms = new SmsModule({ ...base, store, booking, agent });
    // The staff web UI and API, its certificate, staff accounts and the audit log.
    const web = new WebModule({
      ...base,
      store,
      booking,
      agent,
      sms,
      health: () => this.health(),
      models: { dir: modelsDir, manifestPath: deps.modelsManifest ?? DEFAULT_MODELS_MANIFEST },
      // Calls are the telephony module's, made below and started after the web UI.
      callControl: { end: (id) => this.telephony.endCall(id, 'ended by staff'), transfer: (id) => this.telephony.transferCall(id) },
      ...(deps.announce ? { announce: deps.announce } : {}),
      ...(deps.passwordHasher ? { passwordHasher: deps.passwordHasher } : {}),
    });
    // The speech engines, the prompts rendered ahead, and the conversation each answered call gets.
    const voice = new VoiceModule({ ...base, store, booking, agent, modelsDir, ...(deps.speechCacheDir ? { speechCacheDir: deps.speechCacheDir } : {}) });
    // SIP, the calls (ringing, takeover, transfer), RTP media and recordings, the call log.
    const telephony = new TelephonyModule({
      ...base,
      store,
      voice,
      userAgent: `SpaReceptionist/${VERSION}`,
      ...(deps.callHandler ? { callHandler: deps.callHandler } : {}),
      ...(deps.storage?.openRecording ? { openRecording: deps.storage.openRecording } : {}),
    });
    // The local LLM, when one is installed: it loads while SIP already answers (the rules understand calls until then).
    const llm = new LlmModule({ ...base, agent, modelsDir });
    // The nightly backup and the retention purge of recordings, transcripts and conversations.
    // SMS texts are purged with the rest, by their own setting.
    const ops = new OpsModule({ ...base, store, purgeTargets: [{ setting: 'messagesDays', kind: 'messages', purge: (cutoff) => sms.store.purgeOlderThan(cutoff) }] });
    // Start order: dependencies first and, where they leave a choice, this order (the web UI
    // answers while the speech engines load). Stop order: the reverse.
    this.modules = new Modules({ log, modules: [store, booking, agent, sms, web, voice, telephony, llm, ops] });
    this.store = store;
    this.web = web;
    this.voice = voice;
    this.telephony = telephony;
    this.llm = llm;
    this.sms = sms;
    this.ops = ops;
    this.agent = agent;
    telephony.on('callAnswered', (c) => this.emit('callAnswered', c));
    telephony.on('callEnded', (c) => this.emit('callEnded', c));
    telephony.on('callClosed', (c) => this.emit('callClosed', c));
    telephony.on('dtmf', (e) => this.emit('dtmf', e));
    sms.on('changed', (m) => this.emit('sms', m));
    // A call that rang out unanswered (or found every AI line busy): the text-back candidate.
    telephony.on('callMissed', (c) => sms.missedCall(c.caller.phone));
  }

  /** The SIP port actually bound (settings may say 0 in tests). */
  get sipPort(): number {
    return this.telephony.sipPort;
  }

  /**
   * Starts the modules in order, then logs the address staff type and the fingerprint their
   * browser should show. A module that fails to start stops those started before it, and this
   * rejects with a ModuleStartError naming it (its `cause` is what the module threw).
   */
  async start(): Promise<void> {
    this.startedAt = this.deps.clock.now();
    await this.modules.start();
    if (!this.modules.running) return; // stop() came first
    const web = this.web.addresses();
    this.httpUrl = web.httpUrl;
    this.httpsUrl = web.httpsUrl;
    this.deps.log.info(
      { web: web.httpUrl, https: web.httpsUrl, fingerprint: web.fingerprint, health: `${web.httpUrl}/api/health`, dataDir: this.store.dataDir },
      `ready: web UI at ${web.staffUrl} (certificate SHA-256 ${web.fingerprint})`,
    );
  }

  /** The SIP guards' counters: what the transport dropped unread, what the call layer refused, challenges withheld. */
  sipStats(): { transport: TransportStats | null; calls: CallManagerStats | null; agent: SipAgentStats | null } {
    return this.telephony.stats();
  }

  /** /api/health: each module's part. */
  /**
   * Resolves when the receptionist's knowledge model is fitted (a few seconds after start, in a
   * worker). Calls are answered before it; only a knowledge question in that window waits for it.
   * For tests and scripts that want a box in its settled state.
   */
  async knowledgeReady(): Promise<void> {
    await this.agent.receptionist.refresh();
  }

  health(): HealthReport {
    return {
      db: this.store.health(),
      sip: this.telephony.health(),
      engines: { ...this.voice.health(), llm: this.llm.health() },
      modem: this.sms.health(),
      https: this.web.health(),
      ops: this.ops.health(),
      log: { level: this.deps.settings.log.level, personalData: this.deps.settings.log.personalData },
      version: VERSION,
      uptimeS: Math.round((this.deps.clock.now() - this.startedAt) / 1000),
    };
  }

  /**
   * Stops the modules in reverse order: the LLM, then SIP (the calls in progress end: BYE,
   * recordings and rows closed, at most a few seconds), the speech engines, the web server
   * (in-flight requests finish), and last the database. A module whose stop fails is logged and
   * the next still stops.
   */
  async stop(): Promise<void> {
    await this.modules.stop();
    this.deps.log.info('stopped');
  }
}
