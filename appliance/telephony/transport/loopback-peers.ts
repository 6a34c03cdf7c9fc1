// Scripted peers on 127.0.0.1 for the transport's integration tests: a raw UDP socket and a raw
// TCP client/server that read and write SIP text, standing in for a PBX or a phone. Each received
// message is awaited, never polled.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpFramer } from './tcp-framer.js';

/** A queue whose items are awaited one by one. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get pending(): number {
    return this.items.length;
  }
}

export class UdpPeer {
  private readonly inbox = new Inbox<string>();
  private constructor(private readonly socket: UdpSocket) {
    socket.on('message', (bytes) => this.inbox.push(bytes.toString('utf8')));
  }

  static async open(): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The next datagram received. */
  next(): Promise<string> {
    return this.inbox.next();
  }

  /** Datagrams received and not yet taken. */
  get unread(): number {
    return this.inbox.pending;
  }

  send(message: string | Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(message, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** One TCP connection, reading framed SIP messages (and pongs). */
export class TcpPeer {
  private readonly inbox = new Inbox<string>();
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket) {
    const framer = new TcpFramer();
    socket.on('data', (chunk: Buffer) => {
      if (chunk.toString('latin1') === '\r\n') {
        this.inbox.push('\r\n'); // a pong
        return;
      }
      for (const event of framer.push(chunk)) {
        if (event.kind === 'message') this.inbox.push(event.bytes.toString('utf8'));
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async connect(port: number): Promise<TcpPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new TcpPeer(socket);
  }

  next(): Promise<string> {
    return this.inbox.next();
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (err) => (err ? reject(err) : resolve())));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A TCP server that hands over each accepted connection as a TcpPeer. */
export class TcpListener {
  private readonly inbox = new Inbox<TcpPeer>();
  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => this.inbox.push(new TcpPeer(socket)));
  }

  static async open(): Promise<TcpListener> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TcpListener(server);
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  accepted(): Promise<TcpPeer> {
    return this.inbox.next();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
