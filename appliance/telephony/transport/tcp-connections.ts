// SIP over TCP (RFC 3261 18): a listening server plus a pool of connections, inbound and
// outbound, each framed by a TcpFramer. Responses go back on the connection their request came in
// on (18.2.2); requests to a peer reuse an open connection to its address and port. The pool is
// bounded (connection cap, idle timeout) and a framing error drops the connection.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../log.js';
import { TcpFramer } from './tcp-framer.js';
import type { Endpoint } from './via.js';

export interface TcpConnectionsDeps {
  log: Logger;
  /** Local address for outgoing connections (undefined: let the OS choose). */
  localAddress: string | undefined;
  maxConnections: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  onMessage: (bytes: Buffer, connection: TcpConnection) => void;
  onFramingError: (reason: string, connection: TcpConnection) => void;
  onKeepalive: () => void;
}

export class TcpConnection {
  closed = false;

  constructor(
    readonly id: number,
    readonly remote: Endpoint,
    readonly socket: Socket,
    /** Resolves once connected (at once for inbound connections). */
    readonly ready: Promise<void>,
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

  constructor(private readonly deps: TcpConnectionsDeps) {}

  get count(): number {
    return this.byId.size;
  }

  async listen(host: string, port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = this.deps.maxConnections;
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
    return this.track(socket, target, ready);
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (address === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    socket.setTimeout(this.deps.idleTimeoutMs);
    this.track(socket, { address, port }, Promise.resolve());
  }

  private track(socket: Socket, remote: Endpoint, ready: Promise<void>): TcpConnection {
    const connection = new TcpConnection(this.nextId++, remote, socket, ready);
    const key = remoteKey(remote.address, remote.port);
    this.byId.set(connection.id, connection);
    this.byRemote.set(key, connection);
    const framer = new TcpFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const event of framer.push(chunk)) {
        switch (event.kind) {
          case 'message':
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
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', (err) => this.deps.log.debug({ err, connection: connection.id }, 'SIP TCP connection error'));
    socket.on('close', () => {
      connection.closed = true;
      this.byId.delete(connection.id);
      if (this.byRemote.get(key) === connection) this.byRemote.delete(key);
    });
    return connection;
  }
}
