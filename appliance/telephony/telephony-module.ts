// The telephony module: the call log, the SIP transport and agent (registration, the guards), the
// call manager (ringing, takeover, limits), RTP media with recording, and the bridge to staff for
// transfers. Answered calls go to the voice module's conversation (or a handler a test gives).
// Its stop() ends the calls in progress (BYE, recordings closed, rows closed) and closes SIP.
import { EventEmitter } from 'node:events';
import type { ApplianceDeps } from '../appliance.js';
import { PortAllocator } from '../media/index.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { StoreModule } from '../store/store-module.js';
import type { VoiceModule } from '../voice/voice-module.js';
import { StaffBridge } from './bridge.js';
import { CallLog } from './call-log.js';
import { CallManager, type CallHandler, type CallManagerEvents, type CallManagerStats } from './call-manager.js';
import { RtpCallMediaFactory } from './rtp-call-media.js';
import { SipAgent, sipNetwork, type SipAgentStats } from './sip-agent.js';
import { SipTransport, type TransportStats } from './transport/index.js';

export interface TelephonyModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock' | 'callHandler'> {
  store: StoreModule;
  voice: VoiceModule;
  /** The User-Agent header. */
  userAgent: string;
  /** How recordings are opened (default: files in the data dir); fault tests inject failing ones. */
  openRecording?: NonNullable<ApplianceDeps['storage']>['openRecording'];
}

export interface TelephonyEvents {
  callAnswered: [call: { id: number }];
  callEnded: CallManagerEvents['ended'];
  /** Rang out unanswered (caller hung up while ringing, or every AI line busy): the sms module's text-back. */
  callMissed: CallManagerEvents['missed'];
  /** A call's media stopped and its recording closed (after callEnded). */
  callClosed: CallManagerEvents['closed'];
  dtmf: CallManagerEvents['dtmf'];
}

export interface TelephonyHealth {
  listening: boolean;
  registered: boolean | null;
  registrationError: string | null;
  mode: string;
}

export class TelephonyModule extends EventEmitter<TelephonyEvents> implements ApplianceModule {
  readonly name = 'telephony';
  readonly dependsOn: readonly ApplianceModule[];
  private transport: SipTransport | null = null;
  private manager: CallManager | null = null;
  private sip: SipAgent | null = null;

  constructor(private readonly deps: TelephonyModuleDeps) {
    super();
    this.dependsOn = [deps.store, deps.voice];
  }

  /** The SIP port actually bound (0 before start; settings may say 0 in tests). */
  get sipPort(): number {
    return this.transport?.port ?? 0;
  }

  async start(): Promise<void> {
    const { settings, log, clock, store } = this.deps;
    const t = settings.telephony;
    const calls = new CallLog({ db: store.db });
    const stale = calls.closeStale(clock.now());
    if (stale > 0) log.warn({ calls: stale }, 'closed calls left open by the previous run');
    const transport = new SipTransport({
      log: log.child({ mod: 'sip' }),
      bind: settings.bind,
      port: settings.sip.port,
      allowNetworks: t.allowNetworks,
      trunkNetworks: t.trunkNetworks,
    });
    this.transport = transport;
    const handler: CallHandler = this.deps.callHandler ?? this.deps.voice.router;
    const mediaFactory = new RtpCallMediaFactory({
      log: log.child({ mod: 'rtp' }),
      ports: new PortAllocator({ min: settings.rtp.portMin, max: settings.rtp.portMax }),
      bindAddress: settings.bind,
      advertise: () => transport.local.address,
      rtpTimeoutMs: t.rtpTimeoutS * 1000,
      natLatching: t.natLatching,
      recordingsDir: store.recordingsDir,
      onRecording: (id, path) => calls.setRecording(id, path),
      onRecordingFailed: (id, why) => calls.recordingFailed(id, why),
      ...(this.deps.openRecording ? { openRecording: this.deps.openRecording } : {}),
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
      handler,
      // Read on every call from the running settings: the owner's changes apply to the next call (config/live.ts).
      settings: {
        get ringTimeoutS() {
          return t.ringTimeoutS;
        },
        maxCalls: t.maxCalls,
        get record() {
          return t.record;
        },
        get transferTo() {
          return t.transferTo;
        },
      },
      perSource: { maxCallsPerSource: t.maxCallsPerSource, invitesPerMinute: t.invitesPerMinutePerSource, trunkNetworks: t.trunkNetworks },
      isTrunk: (address) => this.sip?.isRegistrar(address) ?? false,
    });
    this.manager = manager;
    manager.on('ended', (c) => this.emit('callEnded', c));
    manager.on('missed', (c) => this.emit('callMissed', c));
    manager.on('answered', (c) => this.emit('callAnswered', { id: c.id }));
    manager.on('closed', (c) => this.emit('callClosed', c));
    manager.on('dtmf', (e) => this.emit('dtmf', e));
    this.sip = new SipAgent({
      clock,
      log: log.child({ mod: 'sip' }),
      network: sipNetwork(transport),
      calls: manager,
      userAgent: this.deps.userAgent,
      registration: t.registration,
    });
    await this.sip.start();
  }

  /** Ends the calls in progress (BYE, recordings and rows closed: at most a few seconds) and closes SIP. */
  async stop(): Promise<void> {
    const sip = this.sip;
    this.sip = null;
    await sip?.stop();
  }

  health(): TelephonyHealth {
    const registration = this.sip?.registrationStatus();
    return {
      listening: this.sip?.isListening ?? false,
      registered: registration?.registered ?? null,
      registrationError: registration?.lastError ?? null,
      mode: this.deps.settings.telephony.registration.registrar ? 'registered extension' : 'direct (ring group / forward target)',
    };
  }

  /** Ends a call in progress for staff (the Live page); false when it is not in progress. */
  endCall(id: number, reason: string): boolean {
    const c = this.manager?.control(id);
    c?.hangup(reason);
    return c !== null && c !== undefined;
  }

  /** Transfers a call in progress to the staff destination; false when not in progress, not configured or refused. */
  async transferCall(id: number): Promise<boolean> {
    const c = this.manager?.control(id);
    return c ? c.transfer() : false;
  }

  /** The SIP guards' counters: what the transport dropped unread, what the call layer refused, challenges withheld. */
  stats(): { transport: TransportStats | null; calls: CallManagerStats | null; agent: SipAgentStats | null } {
    return {
      transport: this.transport?.stats() ?? null,
      calls: this.manager ? { ...this.manager.stats } : null,
      agent: this.sip ? { ...this.sip.stats } : null,
    };
  }
}
