// The appliance's SIP transport: one UDP socket and one TCP server on the same address and port,
// implementing SIP.js's core `Transport` for sending and emitting parsed messages it receives.
// - Admission first (source-filter.ts): a datagram or TCP connection from a source outside the
//   allowed networks is dropped on its address alone, before any parsing; TCP is capped per
//   address and overall, and must deliver complete messages promptly (tcp-connections.ts); an
//   INVITE flood from one source is shed after our scan, before SIP.js's costly parse.
// - Receiving (RFC 3261 18.2.1, 18.3): datagrams and Content-Length-framed TCP streams; malformed,
//   truncated or oversized input is counted and dropped; requests get received/rport (RFC 3581).
//   Responses whose top Via is not ours are dropped (18.1.2), as are those with several Vias
//   (8.1.3.3).
// - Sending: routing.ts decides the destination; UDP retransmissions and duplicate absorption are
//   in reliability.ts.
// SIP.js knows one Transport with one `protocol`; this object reports 'UDP' and sends each message
// on the transport its routing calls for, rewriting the top Via's transport token to match.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import { isIP, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Transport } from 'sip.js/lib/core/index.js';
import type { Logger } from '../../log.js';
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { DEFAULT_ALLOWED_NETWORKS } from '../allow-list.js';
import { SipBindError, SipSendError } from './errors.js';
import { ExpiringMap } from './expiring-map.js';
import { inspect, MAX_MESSAGE_BYTES, parseForSipJs, type SipMessage } from './message-intake.js';
import { serverTransactionKey, type MessageInfo } from './message-info.js';
import { Reliability, type ReliabilityDeps } from './reliability.js';
import { planOutgoing, type OutgoingPlan, type SendTarget, type SipProtocol } from './routing.js';
import { RFC3261_TIMERS, transactionTimeout } from './sip-timer-values.js';
import { SourceFilter } from './source-filter.js';
import { TcpConnections, type TcpConnection } from './tcp-connections.js';
import { bracket, unbracket, type Endpoint } from './via.js';

export interface SipSource {
  protocol: SipProtocol;
  address: string;
  port: number;
  /** The TCP connection the message came in on. */
  connectionId?: number;
}

export interface ReceivedMessage {
  message: SipMessage;
  source: SipSource;
}

export interface SipTransportEvents {
  message: [ReceivedMessage];
}

export interface SipTransportDeps {
  log: Logger;
  /** Address to bind: an IP, or 0.0.0.0 / :: for all. */
  bind: string;
  /** Port for both UDP and TCP; 0 picks a free one (see `port` after start). */
  port: number;
  /** Address written in Via and Contact; default: the bind address, or the first external IPv4. */
  advertise?: string;
  /** Retransmission timers, TCP deadlines, admission rates and cache lifetimes (default: the system clock). */
  clock?: Clock;
  /** Host name -> IPv4 address (default: dns.lookup, A record), once per send. */
  resolve?: (host: string) => Promise<string>;
  reliability?: Pick<ReliabilityDeps, 'values' | 'capacity'>;
  /**
   * Networks (CIDR) that may send SIP; datagrams and TCP connections from anywhere else are
   * dropped before parsing. Default: loopback and the private LANs (allow-list.ts).
   */
  allowNetworks?: readonly string[];
  /** Sources (CIDR) exempt from the INVITE flood limit: the PBX or trunk that forwards every caller. */
  trunkNetworks?: readonly string[];
  /** INVITE flood limit per source, before parsing (default: a burst of 20, then 5 a second). */
  inviteFlood?: { burst: number; perSecond: number };
  tcp?: {
    /** Open connections, inbound and outbound (default 128). */
    maxConnections?: number;
    /** Inbound connections from one address (default 8). */
    maxPerAddress?: number;
    /** Time for an inbound connection's first message, and for each later one from its first byte (default 5 s). */
    messageTimeoutMs?: number;
    idleTimeoutMs?: number;
    connectTimeoutMs?: number;
  };
}

export interface TransportStats {
  /** Datagrams (and messages on connections we opened) dropped unread: source not allowed. */
  droppedNotAllowed: number;
  /** INVITEs from one source beyond its flood rate, dropped before SIP.js parsed them. */
  droppedInviteFlood: number;
  /** Inbound TCP connections reset at accept: source not allowed / over the per-address cap / over the overall cap. */
  tcpRefusedNotAllowed: number;
  tcpRefusedPerAddress: number;
  tcpRefusedTooMany: number;
  /** Inbound TCP connections closed for not completing a message in time. */
  tcpMessageTimeouts: number;
  /** Messages that parsed (including duplicates absorbed and responses not for us). */
  received: number;
  /** Messages written to a socket (including retransmissions). */
  sent: number;
  droppedMalformed: number;
  /** Responses not addressed to us (foreign sent-by, several Vias). */
  droppedNotOurs: number;
  retransmissionsSent: number;
  duplicatesAbsorbed: number;
  keepalives: number;
  sendErrors: number;
  tcpConnections: number;
  serverTransactions: number;
  clientTransactions: number;
}

/** How long a TCP request remembers its connection for the responses (covers a long ring). */
const TCP_ORIGIN_TTL_MS = 5 * 60_000;
const TCP_ORIGIN_SWEEP_MS = 10_000;

export class SipTransport extends EventEmitter<SipTransportEvents> implements Transport {
  readonly protocol = 'UDP';
  private udp: UdpSocket | undefined;
  private tcp: TcpConnections | undefined;
  private reliability: Reliability | undefined;
  private tcpOrigins: ExpiringMap<string, number> | undefined;
  private filter: SourceFilter | undefined;
  private sweepTimer: TimerHandle | undefined;
  private boundPort = 0;
  private advertised = '';
  /** 64*T1 with the configured T1. */
  private transactionTimeoutMs = transactionTimeout(RFC3261_TIMERS);
  private readonly counters = {
    droppedNotAllowed: 0,
    droppedInviteFlood: 0,
    received: 0,
    sent: 0,
    droppedMalformed: 0,
    droppedNotOurs: 0,
    keepalives: 0,
    sendErrors: 0,
  };

  constructor(private readonly deps: SipTransportDeps) {
    super();
  }

  /** The bound port (after start). */
  get port(): number {
    return this.boundPort;
  }

  /** Our address and port as peers should use them (Via sent-by, Contact). */
  get local(): Endpoint {
    return { address: this.advertised, port: this.boundPort };
  }

  /**
   * Re-reads the address to advertise after a network change (only when bound to all interfaces
   * and no address was configured). Returns true when it changed.
   */
  refreshAdvertised(): boolean {
    const bind = this.deps.bind;
    if (this.deps.advertise || !isWildcard(bind)) return false;
    const next = firstExternalAddress(bind);
    if (next === this.advertised) return false;
    this.deps.log.info({ from: this.advertised, to: next }, 'advertised SIP address changed');
    this.advertised = next;
    return true;
  }

  /** `host:port` for SIP.js's `viaHost`, so its Via carries our real address and port. */
  sentBy(): string {
    return `${bracket(this.advertised)}:${this.boundPort}`;
  }

  /** `sip:<user>@<address>:<port>` for the Contact header. */
  localContactUri(user: string): string {
    return `sip:${user}@${this.sentBy()}`;
  }

  async start(): Promise<void> {
    const { bind, port, log } = this.deps;
    const clock = this.deps.clock ?? systemClock;
    const tcpOptions = this.deps.tcp ?? {};
    this.transactionTimeoutMs = transactionTimeout({ ...RFC3261_TIMERS, ...this.deps.reliability?.values });
    this.tcpOrigins = new ExpiringMap({ clock, capacity: 8192 });
    const filter = new SourceFilter({
      log,
      clock,
      allowNetworks: this.deps.allowNetworks ?? DEFAULT_ALLOWED_NETWORKS,
      contactedTtlMs: TCP_ORIGIN_TTL_MS,
      ...(this.deps.trunkNetworks ? { trunkNetworks: this.deps.trunkNetworks } : {}),
      ...(this.deps.inviteFlood ? { inviteBurst: this.deps.inviteFlood.burst, invitesPerSecond: this.deps.inviteFlood.perSecond } : {}),
    });
    this.filter = filter;
    this.reliability = new Reliability({
      ...this.deps.reliability,
      clock,
      send: (text, target) => this.retransmit(text, target),
    });
    for (let attempt = 1; ; attempt++) {
      const udp = await bindUdp(bind, port);
      udp.on('error', (err) => log.warn({ err }, 'SIP UDP socket error'));
      const tcp = new TcpConnections({
        log,
        clock,
        localAddress: isWildcard(bind) ? undefined : bind,
        maxConnections: tcpOptions.maxConnections ?? 128,
        maxPerAddress: tcpOptions.maxPerAddress ?? 8,
        messageTimeoutMs: tcpOptions.messageTimeoutMs ?? 5_000,
        idleTimeoutMs: tcpOptions.idleTimeoutMs ?? 10 * 60_000,
        connectTimeoutMs: tcpOptions.connectTimeoutMs ?? 10_000,
        admit: (address) => filter.admitsPeer(address),
        onRefused: (address, reason) => filter.noteRefused(address, 'TCP', reason),
        onMessage: (bytes, connection) => {
          // Connections we accepted were admitted at accept; on one we opened, each message is checked.
          if (!connection.inbound && !this.admitted(bytes, connection.remote.address, 'TCP')) return;
          this.receive(bytes, tcpSource(connection));
        },
        onFramingError: (reason, connection) => this.dropMalformed(reason, tcpSource(connection), 0),
        onKeepalive: () => this.counters.keepalives++,
      });
      try {
        await tcp.listen(bind, udp.address().port);
      } catch (err) {
        udp.close();
        // With port 0 the UDP port the OS chose may be taken for TCP: try another.
        if (port === 0 && attempt < 5 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw new SipBindError(bind, port, err);
      }
      udp.on('message', (bytes, rinfo) => {
        if (this.admitted(bytes, rinfo.address, 'UDP')) this.receive(bytes, { protocol: 'UDP', address: rinfo.address, port: rinfo.port });
      });
      this.udp = udp;
      this.tcp = tcp;
      this.boundPort = udp.address().port;
      break;
    }
    this.advertised = this.deps.advertise ?? (isWildcard(bind) ? firstExternalAddress(bind) : bind);
    this.reliability.start();
    this.scheduleSweep(clock);
    log.info({ address: bind, port: this.boundPort, advertise: this.advertised }, 'SIP transport listening (UDP, TCP)');
  }

  async stop(): Promise<void> {
    (this.deps.clock ?? systemClock).clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.reliability?.stop();
    this.reliability = undefined;
    this.tcpOrigins?.clear();
    const udp = this.udp;
    this.udp = undefined;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    await this.tcp?.close();
    this.tcp = undefined;
  }

  /** SIP.js Transport: sends one message. Rejects with SipSendError when it cannot be sent. */
  send(message: string): Promise<void> {
    const plan = planOutgoing(message, this.local);
    if (!plan.ok) return this.fail(new SipSendError(plan.reason, { retryable: false }));
    const { target } = plan.value;
    if (isIP(target.host)) return this.dispatch(plan.value, target);
    const resolve = this.deps.resolve ?? resolveIPv4;
    return resolve(target.host).then(
      (address) => this.dispatch(plan.value, { ...target, host: address }),
      (err: unknown) => this.fail(new SipSendError('dns-lookup-failed', { retryable: true, cause: err })),
    );
  }

  /**
   * Addresses admitted beyond the allowed networks, replacing the previous set: the configured
   * registrar's, so a registrar outside the LAN ranges can send calls.
   */
  trust(addresses: Iterable<string>): void {
    this.filter?.trust(addresses);
  }

  stats(): TransportStats {
    const reliability = this.reliability?.stats();
    const guard = this.tcp?.guard;
    return {
      ...this.counters,
      tcpRefusedNotAllowed: guard?.refusedNotAllowed ?? 0,
      tcpRefusedPerAddress: guard?.refusedPerAddress ?? 0,
      tcpRefusedTooMany: guard?.refusedTooMany ?? 0,
      tcpMessageTimeouts: guard?.messageTimeouts ?? 0,
      retransmissionsSent: reliability?.retransmissionsSent ?? 0,
      duplicatesAbsorbed: reliability?.duplicatesAbsorbed ?? 0,
      tcpConnections: this.tcp?.count ?? 0,
      serverTransactions: reliability?.serverTransactions ?? 0,
      clientTransactions: reliability?.clientTransactions ?? 0,
    };
  }

  private scheduleSweep(clock: Clock): void {
    this.sweepTimer = clock.setTimeout(() => {
      this.tcpOrigins?.sweep();
      this.filter?.sweep();
      this.scheduleSweep(clock);
    }, TCP_ORIGIN_SWEEP_MS);
  }

  private dispatch(plan: OutgoingPlan, target: SendTarget): Promise<void> {
    const bytes = Buffer.from(plan.text, 'utf8');
    if (bytes.length > MAX_MESSAGE_BYTES) return this.fail(new SipSendError('oversized', { retryable: false }));
    if (plan.info.kind === 'request') this.filter?.contacted(target.host);
    this.reliability?.outgoing(plan.info, plan.text, target);
    return this.write(target, bytes, this.originConnection(plan.info, target)).catch((err: unknown) => {
      this.reliability?.sendFailed(plan.info);
      return this.fail(new SipSendError('network', { retryable: true, cause: err }));
    });
  }

  /** For a response over TCP: the connection its request came in on, if still open. */
  private originConnection(info: MessageInfo, target: SendTarget): TcpConnection | undefined {
    if (info.kind !== 'response' || target.protocol !== 'TCP') return undefined;
    const key = serverTransactionKey(info);
    const id = this.tcpOrigins?.get(key);
    if (id === undefined) return undefined;
    if (info.status >= 200) this.tcpOrigins?.touch(key, this.transactionTimeoutMs); // SIP.js resends 2xx
    return this.tcp?.get(id);
  }

  private async write(target: SendTarget, bytes: Buffer, connection?: TcpConnection): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    if (!udp || !tcp) throw new Error('transport stopped');
    if (target.protocol === 'UDP') {
      await new Promise<void>((resolve, reject) => {
        udp.send(bytes, target.port, target.host, (err) => (err ? reject(err) : resolve()));
      });
    } else if (connection) {
      await connection.write(bytes);
    } else {
      await tcp.send({ address: target.host, port: target.port }, bytes);
    }
    this.counters.sent++;
  }

  /** A retransmission or cached answer from the reliability layer: nobody awaits it. */
  private retransmit(text: string, target: SendTarget): void {
    this.write(target, Buffer.from(text, 'utf8')).catch((err: unknown) => {
      this.noteFailure(new SipSendError('network', { retryable: true, cause: err }));
    });
  }

  private fail(error: SipSendError): Promise<never> {
    this.noteFailure(error);
    return Promise.reject(error);
  }

  private noteFailure(error: SipSendError): void {
    this.counters.sendErrors++;
    this.deps.log.debug({ reason: error.reason, err: error.cause }, 'SIP message not sent');
  }

  /** The source check, on the address and the first bytes only: nothing is parsed for a refused source. */
  private admitted(bytes: Buffer, address: string, protocol: SipProtocol): boolean {
    if (this.filter?.admitsMessage(address, bytes)) return true;
    this.counters.droppedNotAllowed++;
    this.filter?.noteRefused(address, protocol, 'not-allowed');
    return false;
  }

  private receive(bytes: Buffer, source: SipSource): void {
    const inspection = inspect(bytes, source);
    switch (inspection.kind) {
      case 'keepalive':
        this.counters.keepalives++;
        return;
      case 'malformed':
        this.dropMalformed(inspection.reason, source, bytes.length);
        return;
      case 'candidate':
        break;
    }
    this.counters.received++;
    const { info } = inspection;
    if (info.kind === 'response' && !this.addressedToUs(info)) {
      this.counters.droppedNotOurs++;
      this.deps.log.debug({ status: info.status, via: info.via.host, vias: info.viaCount }, 'dropped a response not for us');
      return;
    }
    // Every INVITE copy counts (a retransmission too): what is shed here leaves no transaction behind.
    if (info.kind === 'request' && info.method === 'INVITE' && this.filter && !this.filter.admitsInvite(source.address)) {
      this.counters.droppedInviteFlood++;
      this.filter.noteRefused(source.address, source.protocol, 'invite-flood');
      return;
    }
    if (info.kind === 'request' && source.connectionId !== undefined && info.method !== 'ACK') {
      this.tcpOrigins?.set(serverTransactionKey(info), source.connectionId, TCP_ORIGIN_TTL_MS);
    }
    // Duplicates are absorbed before SIP.js's (costly) parse.
    if (this.reliability?.incoming(info, source.protocol) === 'absorb') return;
    const message = parseForSipJs(inspection);
    if (!message) {
      this.dropMalformed('rejected-by-sipjs', source, bytes.length);
      return;
    }
    try {
      this.emit('message', { message, source });
    } catch (err) {
      this.deps.log.error({ err }, 'SIP message listener threw');
    }
  }

  /** RFC 3261 18.1.2 (sent-by is ours) and 8.1.3.3 (exactly one Via). */
  private addressedToUs(info: MessageInfo): boolean {
    if (info.viaCount !== 1) return false;
    const host = unbracket(info.via.host).toLowerCase();
    return host === this.advertised.toLowerCase() && (info.via.port === undefined || info.via.port === this.boundPort);
  }

  private dropMalformed(reason: string, source: SipSource, size: number): void {
    this.counters.droppedMalformed++;
    this.deps.log.debug({ reason, protocol: source.protocol, address: source.address, port: source.port, size }, 'dropped malformed SIP input');
  }
}

function tcpSource(connection: TcpConnection): SipSource {
  return { protocol: 'TCP', address: connection.remote.address, port: connection.remote.port, connectionId: connection.id };
}

async function bindUdp(address: string, port: number): Promise<UdpSocket> {
  const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    socket.close();
    throw new SipBindError(address, port, err);
  }
  return socket;
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

function firstExternalAddress(bind: string): string {
  const family = bind === '::' ? 'IPv6' : 'IPv4';
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (!info.internal && info.family === family) return info.address;
    }
  }
  return family === 'IPv6' ? '::1' : '127.0.0.1';
}

async function resolveIPv4(host: string): Promise<string> {
  const { address } = await lookup(host, { family: 4 });
  return address;
}
