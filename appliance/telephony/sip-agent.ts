// The box's SIP user agent: SIP.js's core (transactions, dialogs, digest auth) on our own
// transport. The transport has already dropped anything from outside the allowed networks, unread;
// here digest challenges from anyone but the registrar are withheld (registrar-guard.ts), and
// incoming calls go to the CallManager.
import {
  DigestAuthentication,
  Grammar,
  IncomingRequestMessage,
  LoggerFactory,
  UserAgentCore,
  type IncomingResponseMessage,
  type Transport,
  type Session,
  type URI,
  type UserAgentCoreConfiguration,
} from 'sip.js/lib/core/index.js';
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { withTimeout, type Clock, type TimerHandle } from '../shared/clock.js';
import type { Logger } from '../log.js';
import type { CallManager } from './call-manager.js';
import { isChallenge, RegistrarAddresses, withholdChallenge, type ResolveAll } from './registrar-guard.js';
import type { SipTransport } from './transport/index.js';
import { Registration, type RegistrationState } from './registration.js';

export interface Endpoint {
  address: string;
  port: number;
}

export type SipMessage = IncomingRequestMessage | IncomingResponseMessage;

/** What the agent needs from the transport layer (telephony/transport). */
export interface SipNetwork {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The address and port peers reach us on. */
  local(): Endpoint;
  /** Via sent-by: "addr:port". */
  sentBy(): string;
  /** Re-reads the local address after a network change; true when it changed. */
  refreshAddress(): boolean;
  /** SIP.js's side: it hands outgoing messages to `send`. */
  readonly sipjs: Transport;
  /** Parsed, well-formed messages with their source. */
  onMessage(handler: (message: SipMessage, source: Endpoint) => void): void;
  /** Addresses admitted beyond the allowed networks (the registrar's), replacing the last set. */
  trust(addresses: Iterable<string>): void;
}

export interface SipAgentDeps {
  /** The network watch, the registration's timers, the dial time limit. */
  clock: Clock;
  log: Logger;
  network: SipNetwork;
  calls: CallManager;
  userAgent: string;
  /** Registered-extension mode when `registrar` is set. */
  registration: { registrar: string | null; username: string; password: string; expiresS: number };
  /** A fingerprint of the machine's addresses (default: os.networkInterfaces()); a change re-registers. */
  addresses?: () => string;
  /** How often the addresses are checked. */
  networkPollMs?: number;
  /** The registrar's host name -> addresses (default: dns.lookup, all). */
  resolve?: ResolveAll;
}

/** The external addresses of this machine, as one comparable string. */
export function addressFingerprint(): string {
  return Object.entries(networkInterfaces())
    .flatMap(([name, list]) => (list ?? []).filter((i) => !i.internal).map((i) => `${name}=${i.address}`))
    .sort()
    .join(',');
}

export interface SipAgentStats {
  requests: number;
  responses: number;
  /** 401/407 responses from an address that is not the registrar's: passed on with no challenge to answer. */
  challengesWithheld: number;
  coreErrors: number;
}

export class SipAgent {
  private core: UserAgentCore | null = null;
  private registrar: RegistrarAddresses | null = null;
  private source: Endpoint | null = null;
  private aor: URI | null = null;
  private listening = false;
  private registration: Registration | null = null;
  private config: UserAgentCoreConfiguration | null = null;
  private watch: TimerHandle | null = null;
  private fingerprint = '';
  readonly stats: SipAgentStats = { requests: 0, responses: 0, challengesWithheld: 0, coreErrors: 0 };

  constructor(private readonly deps: SipAgentDeps) {}

  get isListening(): boolean {
    return this.listening;
  }

  /** Whether `address` is one of the configured registrar's (as last resolved). */
  isRegistrar(address: string): boolean {
    return this.registrar?.has(address) ?? false;
  }

  /** null in direct / ring-group mode (no registrar configured). */
  registrationStatus(): RegistrationState | null {
    return this.registration?.status() ?? null;
  }

  /**
   * The machine's addresses changed (DHCP, cable moved, Wi-Fi roam): take the new address into
   * Via and Contact, and in registered mode register the new contact at once.
   */
  networkChanged(): void {
    const network = this.deps.network;
    if (network.refreshAddress() && this.config) {
      const local = network.local();
      const host = local.address.includes(':') ? `[${local.address}]` : local.address;
      this.config.viaHost = network.sentBy();
      this.config.contact.uri.host = host;
      this.config.aor.host = host;
    }
    this.registration?.networkChanged();
  }

  private checkNetwork(): void {
    const now = (this.deps.addresses ?? addressFingerprint)();
    if (now === this.fingerprint) return;
    this.fingerprint = now;
    this.deps.log.info('network addresses changed');
    this.networkChanged();
  }

  async start(): Promise<void> {
    const { log, network } = this.deps;
    const registrar = new RegistrarAddresses({
      log,
      registrar: this.deps.registration.registrar,
      ...(this.deps.resolve ? { resolve: this.deps.resolve } : {}),
    });
    this.registrar = registrar;
    await network.start();
    // Before the first REGISTER: its challenge must find the registrar's address known (DNS
    // gets a few seconds; a name that does not resolve fails the registration anyway).
    const resolved = registrar.refresh().then((addresses) => network.trust(addresses));
    await withTimeout(this.deps.clock, resolved, 3000, () => undefined);
    const local = network.local();
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    const aor = Grammar.URIParse(`sip:reception@${host}:${local.port}`);
    if (!aor) throw new Error(`cannot form a SIP URI for ${host}:${local.port}`);
    this.aor = aor;
    const loggerFactory = new LoggerFactory();
    loggerFactory.builtinEnabled = false;
    const sipLog = log.child({ mod: 'sip.js' });
    loggerFactory.connector = (level, category, _label, content) => {
      // SIP.js logs whole messages at debug; keep only warnings and errors. Their text can quote a
      // message (From, To: phone numbers and names), so it goes under `pii`.
      if (level === 'error' || level === 'warn') sipLog.warn({ category, pii: { detail: String(content).slice(0, 200) } }, 'sip.js');
    };
    this.fingerprint = (this.deps.addresses ?? addressFingerprint)();
    this.config = {
      aor,
      contact: { pubGruu: undefined, tempGruu: undefined, uri: aor, toString: () => `<${aor.toString()}>` },
      displayName: '',
      loggerFactory,
      hackViaTcp: false,
      routeSet: [],
      sipjsId: randomBytes(5).toString('hex'),
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: this.deps.userAgent,
      viaForceRport: true,
      viaHost: network.sentBy(),
      authenticationFactory: () => {
        const { username, password } = this.deps.registration;
        return username ? new DigestAuthentication(loggerFactory, undefined, username, password) : undefined;
      },
      transportAccessor: () => network.sipjs,
    };
    this.core = new UserAgentCore(this.config, {
      onInvite: (request) => {
        const src = this.source ?? { address: '', port: 0 };
        this.deps.calls.handleInvite(request, src);
      },
    });
    this.watch = this.deps.clock.setInterval(() => this.checkNetwork(), this.deps.networkPollMs ?? 10_000, { unref: true });
    network.onMessage((message, source) => this.receive(message, source));
    this.listening = true;
    const reg = this.deps.registration;
    if (reg.registrar) {
      this.registration = new Registration({
        log: log.child({ mod: 'registration' }),
        clock: this.deps.clock,
        core: () => this.core,
        contact: () => `sip:${reg.username || 'reception'}@${network.sentBy()}`,
        settings: { registrar: reg.registrar, username: reg.username, expiresS: reg.expiresS },
        // The registrar's address may have moved (DHCP, DNS): look it up again for every attempt.
        beforeAttempt: () => {
          registrar
            .refresh()
            .then((addresses) => network.trust(addresses))
            .catch(() => undefined);
        },
      });
      this.registration.start();
    }
    log.info({ sip: `${host}:${local.port}` }, 'SIP listening');
  }

  /**
   * Places an outgoing call (used only to reach staff: the transfer bridge). Resolves with the
   * answered session and its SDP answer, or the final status when it failed or `timeoutMs` passed.
   */
  dial(
    target: string,
    offerSdp: string,
    opts: { timeoutMs: number; onBye: () => void },
  ): Promise<{ session: Session; answerSdp: string } | { status: number }> {
    const core = this.core;
    const ruri = Grammar.URIParse(target);
    const aor = this.aor;
    if (!core || !ruri || !aor) return Promise.resolve({ status: 500 });
    const contact = `<sip:reception@${this.deps.network.sentBy()}>`;
    const message = core.makeOutgoingRequestMessage('INVITE', ruri, aor, ruri, {}, [`Contact: ${contact}`, 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY'], {
      contentDisposition: 'session',
      contentType: 'application/sdp',
      content: offerSdp,
    });
    return new Promise((resolve) => {
      let settled = false;
      const clock = this.deps.clock;
      const timer = clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        try {
          request.cancel('SIP;cause=408;text="no answer"');
        } catch {
          // nothing heard back yet: the INVITE transaction times out on its own
        }
        resolve({ status: 408 });
      }, opts.timeoutMs);
      const request = core.invite(message, {
        onAccept: (response) => {
          response.ack();
          const session = response.session;
          session.delegate = {
            onBye: (bye) => {
              bye.accept();
              opts.onBye();
            },
          };
          if (settled) {
            session.bye();
            return;
          }
          settled = true;
          clock.clearTimeout(timer);
          resolve({ session, answerSdp: response.message.body });
        },
        onReject: (response) => {
          if (settled) return;
          settled = true;
          clock.clearTimeout(timer);
          resolve({ status: response.message.statusCode ?? 500 });
        },
      });
    });
  }

  /** Every received message passes here on its way to SIP.js. Never throws. */
  private receive(message: SipMessage, source: Endpoint): void {
    const core = this.core;
    if (!core) return;
    try {
      if (message instanceof IncomingRequestMessage) {
        const request = message;
        this.stats.requests++;
        this.source = source;
        // The box takes calls for any user part at its address (a ring group may dial
        // sip:201@box, a trunk sip:+15551234567@box, a registrar the registered user): SIP.js
        // accepts only its AOR's user, so the AOR takes the request's user while SIP.js reads it.
        const aor = this.aor;
        const ownUser = aor?.user;
        if (aor && request.ruri && !request.toTag) aor.user = request.ruri.user;
        try {
          core.receiveIncomingRequestFromTransport(request);
        } finally {
          if (aor) aor.user = ownUser;
        }
      } else {
        this.stats.responses++;
        if (isChallenge(message) && !this.isRegistrar(source.address)) {
          this.stats.challengesWithheld++;
          withholdChallenge(message);
          this.deps.log.warn({ source: source.address, status: message.statusCode, method: message.method }, 'digest challenge from an address that is not the registrar: not answered');
        }
        core.receiveIncomingResponseFromTransport(message);
      }
    } catch (err) {
      this.stats.coreErrors++;
      this.deps.log.warn({ err, source: source.address }, 'SIP message dropped: SIP.js could not process it');
    } finally {
      this.source = null;
    }
  }

  async stop(): Promise<void> {
    this.listening = false;
    this.deps.clock.clearInterval(this.watch);
    this.watch = null;
    this.registration?.stop();
    await this.deps.calls.stop();
    this.core?.dispose();
    this.core = null;
    await this.deps.network.stop();
  }
}

/** The SipNetwork view of the appliance's SipTransport. */
export function sipNetwork(transport: SipTransport): SipNetwork {
  return {
    start: () => transport.start(),
    stop: () => transport.stop(),
    local: () => transport.local,
    sentBy: () => transport.sentBy(),
    refreshAddress: () => transport.refreshAdvertised(),
    sipjs: transport,
    onMessage: (handler) => {
      transport.on('message', ({ message, source }) => handler(message, source));
    },
    trust: (addresses) => transport.trust(addresses),
  };
}
