// Wires the modules and starts and stops them in order. Each module receives its dependencies
// explicitly; nothing here reads the environment (main.ts does) so tests can run several
// appliances side by side in temporary data dirs.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Bookings, type Clock } from './booking/bookings.js';
import { Catalogue } from './booking/catalogue.js';
import { demoSpa } from './booking/demo-spa.js';
import type { Settings } from './config/index.js';
import type { Logger } from './log.js';
import { openDatabase, type Db } from './store/db.js';
import { Accounts } from './web/accounts.js';
import { buildWebApp } from './web/app.js';
import type { HealthReport } from './web/health.js';
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
}

export interface ApplianceEvents {
  callEnded: [call: { id: number; outcome: string; reason: string }];
  callAnswered: [call: { id: number }];
  dtmf: [event: { id: number; digit: string }];
}

export class Appliance extends EventEmitter<ApplianceEvents> {
  private db: Db | null = null;
  private web: FastifyInstance | null = null;
  private sip: SipAgent | null = null;
  private llm: Llm | null = null;
  private sipTransport: SipTransport | null = null;
  private calls: CallManager | null = null;
  private engineNotes = { vad: 'none', asr: 'none', tts: 'none', llm: 'none' };
  private startedAt = 0;
  httpUrl = '';

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
    mkdirSync(dataDir, { recursive: true });
    const opened = openDatabase({ path: join(dataDir, 'spa.db') });
    this.db = opened.db;
    log.info({ from: opened.previousVersion, to: opened.version }, 'database ready');

    const catalogue = new Catalogue({ db: opened.db });
    if (catalogue.isEmpty()) {
      const seedDemo = settings.demo ?? opened.previousVersion === 0;
      catalogue.replaceAll(seedDemo ? demoSpa() : starterSpa(settings.timeZone));
      log.info({ demo: seedDemo }, seedDemo ? 'seeded the demo spa' : 'created an empty spa profile');
    }
    catalogue.setTimeZone(settings.timeZone);

    const accounts = new Accounts({ db: opened.db, clock });
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
    this.web = await buildWebApp({
      clock,
      log,
      catalogue,
      bookings,
      accounts,
      calls,
      health: () => this.health(),
      horizonDays: settings.booking.horizonDays,
      receptionist,
    });
    await this.web.listen({ host: settings.bind, port: settings.http.port });
    await this.startTelephony(dataDir, calls, catalogue, receptionist);
    const chosen = await selectLlm({ log: log.child({ mod: 'llm' }), modelsDir: this.deps.modelsDir ?? DEFAULT_MODELS_DIR });
    this.engineNotes.llm = chosen.note;
    if (chosen.llm) {
      this.llm = chosen.llm;
      receptionist.useUnderstander(new LlmUnderstander({ llm: chosen.llm, log: log.child({ mod: 'llm' }), budgetMs: settings.agent.llmBudgetMs }));
    }
    const addr = this.web.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : settings.http.port;
    const host = settings.bind === '0.0.0.0' || settings.bind === '::' ? 'localhost' : settings.bind;
    this.httpUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    log.info({ web: this.httpUrl, health: `${this.httpUrl}/api/health`, dataDir }, `ready: web UI at ${this.httpUrl}`);
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
      version: VERSION,
      uptimeS: Math.round((this.deps.clock.now() - this.startedAt) / 1000),
    };
  }

  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  async stop(): Promise<void> {
    const sip = this.sip;
    this.sip = null;
    if (sip) await sip.stop();
    const web = this.web;
    this.web = null;
    if (web) await web.close();
    const llm = this.llm;
    this.llm = null;
    if (llm) await llm.stop().catch((err: unknown) => this.deps.log.warn({ err }, 'LLM did not stop cleanly'));
    const db = this.db;
    this.db = null;
    if (db?.open) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    this.deps.log.info('stopped');
  }
}
