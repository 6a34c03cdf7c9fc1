// The web app's two listeners: fastify's own server on the HTTP port, and an HTTPS server that
// hands its requests to the same app (fastify's `routing`), so both share one set of routes,
// hooks, sessions and login throttle. Which listener a request came in on is the socket's to
// say (`request.protocol`), and transport-security.ts decides from that.
import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface WebListenersDeps {
  app: FastifyInstance;
  log: Logger;
  bind: string;
  /** 0 = any free port. */
  httpPort: number;
  httpsPort: number;
  certificate: { key: string; cert: string };
}

/** fastify's default keep-alive timeout, for the HTTPS server too. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export class WebListeners {
  private tls: Server | null = null;

  constructor(private readonly deps: WebListenersDeps) {}

  async start(): Promise<void> {
    const { app, bind } = this.deps;
    await app.listen({ host: bind, port: this.deps.httpPort });
    const tls = createServer({ key: this.deps.certificate.key, cert: this.deps.certificate.cert }, (req, res) => app.routing(req, res));
    tls.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.tls = tls;
    await new Promise<void>((resolve, reject) => {
      tls.once('error', reject);
      tls.listen({ host: bind, port: this.deps.httpsPort }, () => {
        tls.off('error', reject);
        // After listening, a server error (too many open files on accept) is logged, never fatal.
        tls.on('error', (err) => this.deps.log.error({ err }, 'HTTPS listener error'));
        resolve();
      });
    });
  }

  get httpPort(): number {
    return portOf(this.deps.app.server.address());
  }

  get httpsPort(): number {
    return portOf(this.tls?.address() ?? null);
  }

  /** Serves a new certificate from the next TLS handshake on (connections open now keep theirs). */
  useCertificate(certificate: { key: string; cert: string }): void {
    this.tls?.setSecureContext({ key: certificate.key, cert: certificate.cert });
  }

  /** Stops accepting on both; requests in flight finish; idle keep-alive connections are closed. */
  async stop(): Promise<void> {
    const tls = this.tls;
    this.tls = null;
    const closed = tls?.listening ? new Promise<void>((resolve) => tls.close(() => resolve())) : Promise.resolve();
    await this.deps.app.close();
    tls?.closeIdleConnections();
    await closed;
  }
}

function portOf(address: string | AddressInfo | null): number {
  return typeof address === 'object' && address ? address.port : 0;
}
