// SIP over TCP (RFC 3261 18): a listening server plus a pool of connections, inbound and
// outbound, each framed by a TcpFramer. Responses go back on the connection their request came in
// on (18.2.2); requests to a peer reuse an open connection to its address and port. The pool is
// bounded and guarded against a LAN host holding it:
// - an inbound connection is refused (reset, nothing read) when its source is not admitted, when
//   its address already holds maxPerAddress inbound connections, or when maxConnections are open;
// - an inbound connection must deliver its first complete message within messageTimeoutMs, and
//   any later message within messageTimeoutMs of its first byte (no slow-drip headers);
// - idle timeout; a framing error drops the connection.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../log.js';
import type { Clock, TimerHandle } from '../../shared/clock.js';
import type { RefusalReason } from './source-filter.js';
import { TcpFramer } from './tcp-framer.js';
import type { Endpoint } from './via.js';

export interface TcpConnectionsDeps {
  log: Logger;
  /** The inbound message deadlines. */
  clock: Clock;
  /** Local address for outgoing connections (undefined: let the OS choose). */
  localAddress: string | undefined;
  /** Open connections, inbound and outbound together. */
  maxConnections: number;
  /** Inbound connections from one address. */
  maxPerAddress: number;
  /** An inbound connection's first message, and any message after its first byte, must be complete within this. */
  messageTimeoutMs: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  /** Whether an inbound connection from `address` may be taken at all (the allow-list). */
  admit: (address: string) => boolean;
  onRefused: (address: string, reason: RefusalReason) => void;
  onMessage: (bytes: Buffer, connection: TcpConnection) => void;
  onFramingError: (reason: string, connection: TcpConnection) => void;
  onKeepalive: () => void;
}

export interface TcpGuardStats {
  /** Inbound connections reset at once because their address is not allowed. */
  refusedNotAllowed: number;
  refusedPerAddress: number;
  refusedTooMany: number;
  /** Inbound connections closed for not completing a message in time. */
  messageTimeouts: number;
}

export class TcpConnection {
  closed = false;

  constructor(
    readonly id: number,
    readonly remote: Endpoint,
    readonly socket: Socket,
    /** Resolves once connected (at once for inbound connections). */
    readonly ready: Promise<void>,
    /** Accepted by our server (false: we opened it). */
    readonly inbound: boolean,
  ) {}

  async write(bytes: Buffer): Promise<void> {
    await this.ready;
    if (this.closed) throw new Error('connection closed');
    await new Promise<void>((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }
}

const remoteKey = (host: string, port: number): string => `${host}|${port}`;

export class TcpConnections {
  private server: Server | undefined;
  private nextId = 1;
  private readonly byId = new Map<number, TcpConnection>();
  private readonly byRemote = new Map<string, TcpConnection>();
  private readonly inboundPerAddress = new Map<string, number>();
  readonly guard: TcpGuardStats = { refusedNotAllowed: 0, refusedPerAddress: 0, refusedTooMany: 0, messageTimeouts: 0 };

  constructor(private readonly deps: TcpConnectionsDeps) {}

  get count(): number {
    return this.byId.size;
  }

  async listen(host: string, port: number): Promise<void> {
    // pauseOnConnect: nothing is read from a connection until it has been admitted.
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.deps.log.warn({ err }, 'SIP TCP server error'));
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const connection of [...this.byId.values()]) connection.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** An open connection by id, if it is still open. */
  get(id: number): TcpConnection | undefined {
    const connection = this.byId.get(id);
    return connection && !connection.closed ? connection : undefined;
  }

  /** Sends on an open connection to `target`, or on a new one. */
  async send(target: Endpoint, bytes: Buffer): Promise<void> {
    const existing = this.byRemote.get(remoteKey(target.address, target.port));
    const connection = existing && !existing.closed ? existing : this.open(target);
    await connection.write(bytes);
  }

  private open(target: Endpoint): TcpConnection {
    if (this.byId.size >= this.deps.maxConnections) throw new Error('too many TCP connections');
    const socket = connect({ host: target.address, port: target.port, localAddress: this.deps.localAddress });
    socket.setTimeout(this.deps.connectTimeoutMs);
    const ready = new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        socket.setTimeout(this.deps.idleTimeoutMs);
        resolve();
      });
      socket.once('close', () => reject(new Error('connection failed')));
    });
    ready.catch(() => undefined); // observed by write(); avoid an unhandled rejection if unused
    return this.track(socket, target, ready, false);
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (address === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    const refusal = this.refusal(address);
    if (refusal) {
      socket.on('error', () => undefined);
      // RST rather than FIN: no TIME_WAIT left behind on our side by a connection flood.
      socket.resetAndDestroy();
      this.deps.onRefused(address, refusal);
      return;
    }
    socket.setTimeout(this.deps.idleTimeoutMs);
    this.track(socket, { address, port }, Promise.resolve(), true);
    socket.resume();
  }

  private refusal(address: string): RefusalReason | undefined {
    if (!this.deps.admit(address)) {
      this.guard.refusedNotAllowed++;
      return 'not-allowed';
    }
    if ((this.inboundPerAddress.get(address) ?? 0) >= this.deps.maxPerAddress) {
      this.guard.refusedPerAddress++;
      return 'tcp-per-address';
    }
    if (this.byId.size >= this.deps.maxConnections) {
      this.guard.refusedTooMany++;
      return 'tcp-too-many';
    }
    return undefined;
  }

  private track(socket: Socket, remote: Endpoint, ready: Promise<void>, inbound: boolean): TcpConnection {
    const connection = new TcpConnection(this.nextId++, remote, socket, ready, inbound);
    const key = remoteKey(remote.address, remote.port);
    this.byId.set(connection.id, connection);
    this.byRemote.set(key, connection);
    if (inbound) this.inboundPerAddress.set(remote.address, (this.inboundPerAddress.get(remote.address) ?? 0) + 1);
    const framer = new TcpFramer();
    // Inbound only: the deadline for the message under way (the first one from the start).
    let deadline: TimerHandle | undefined;
    const { clock } = this.deps;
    const arm = (): void => {
      if (!inbound || deadline !== undefined || connection.closed) return;
      deadline = clock.setTimeout(() => {
        deadline = undefined;
        if (connection.closed) return;
        this.guard.messageTimeouts++;
        this.deps.log.debug({ connection: connection.id, address: remote.address, buffered: framer.buffered }, 'SIP TCP connection closed: no complete message in time');
        socket.destroy();
      }, this.deps.messageTimeoutMs);
    };
    const disarm = (): void => {
      if (deadline === undefined) return;
      clock.clearTimeout(deadline);
      deadline = undefined;
    };
    arm();
    socket.on('data', (chunk: Buffer) => {
      for (const event of framer.push(chunk)) {
        switch (event.kind) {
          case 'message':
            disarm();
            this.deps.onMessage(event.bytes, connection);
            break;
          case 'ping':
            this.deps.onKeepalive();
            socket.write('\r\n'); // RFC 5626 3.5.1 pong
            break;
          case 'error':
            this.deps.onFramingError(event.reason, connection);
            socket.destroy();
            break;
        }
      }
      if (framer.midMessage) arm();
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', (err) => this.deps.log.debug({ err, connection: connection.id }, 'SIP TCP connection error'));
    socket.on('close', () => {
      connection.closed = true;
      disarm();
      this.byId.delete(connection.id);
      if (this.byRemote.get(key) === connection) this.byRemote.delete(key);
      if (inbound) {
        const left = (this.inboundPerAddress.get(remote.address) ?? 1) - 1;
        if (left > 0) this.inboundPerAddress.set(remote.address, left);
        else this.inboundPerAddress.delete(remote.address);
      }
    });
    return connection;
  }
}
