// The staff web server: JSON API under /api (every route but health and login needs a staff
// session) and the static web UI. Built as a function of its dependencies so tests can inject
// a database and a pinned clock and drive it with fastify's inject().
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { Logger } from 'pino';
import { ApplianceError } from '../errors.js';
import type { Bookings, Clock } from '../booking/bookings.js';
import type { Catalogue } from '../booking/catalogue.js';
import type { Accounts, User } from './accounts.js';
import type { HealthProbe } from './health.js';
import { sessionRoutes, SESSION_COOKIE } from './routes/session.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { appointmentRoutes } from './routes/appointments.js';
import { uiRoutes } from './routes/ui.js';
import { callRoutes } from './routes/calls.js';
import type { CallLog } from '../telephony/call-log.js';
import type { Receptionist } from '../agent/receptionist.js';
import { agentRoutes } from './routes/agent.js';
import { addTransportSecurity, type HttpsRedirect } from './transport-security.js';

export interface WebDeps {
  clock: Clock;
  log: Logger;
  catalogue: Catalogue;
  bookings: Bookings;
  accounts: Accounts;
  calls: CallLog;
  health: HealthProbe;
  /** Days ahead a caller or staff member may search or book. */
  horizonDays: number;
  /** The receptionist for /api/agent/*; absent: those routes answer 503. */
  receptionist?: Receptionist;
  /** Where plain HTTP from other hosts is sent; absent: plain HTTP is served to all (unit tests). */
  https?: HttpsRedirect;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

const PUBLIC_ROUTES = new Set(['GET /api/health', 'POST /api/session']);

export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.log.child({ mod: 'web' });
  const app = Fastify({
    loggerInstance: logger,
    // Request lines stay out of the log: URLs and addresses add noise and nothing for support.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    trustProxy: false,
  });
  await app.register(cookie);
  // First of the hooks: headers on every response, and the redirect before anything reads the request.
  await addTransportSecurity(app, deps.https);
  app.decorateRequest('user', null);

  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const route = `${req.method} ${req.url.split('?')[0] ?? ''}`;
    req.user = deps.accounts.session(req.cookies[SESSION_COOKIE]);
    if (!req.user && !PUBLIC_ROUTES.has(route)) {
      await reply.code(401).send({ error: { code: 'SPA_ERR_UNAUTHORIZED', message: 'log in first: POST /api/session' } });
    }
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof ApplianceError) {
      return reply.code(err.status).send({ error: { ...err.details, code: err.code, message: err.message } });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      // fastify's own client errors: malformed JSON, wrong content type, body too large.
      return reply.code(e.statusCode).send({ error: { code: e.code ?? 'SPA_ERR_BAD_REQUEST', message: e.message ?? 'bad request' } });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'SPA_ERR_INTERNAL', message: 'internal error; see the appliance log' } });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'SPA_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` } }),
  );

  app.get('/api/health', () => deps.health());
  await app.register(sessionRoutes(deps));
  await app.register(catalogueRoutes(deps));
  await app.register(appointmentRoutes(deps));
  await app.register(callRoutes(deps));
  await app.register(agentRoutes(deps));
  await app.register(uiRoutes());
  return app;
}
