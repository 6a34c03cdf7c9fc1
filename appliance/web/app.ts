// The staff web server: JSON API under /api and the static web UI. Built as a function of its
// dependencies so tests can inject a database and a pinned clock and drive it with inject().
//
// Access is decided on the route the router matched, never on the URL text: every route declares
// `config.access` ('public' or the least role that may use it) and registering a route without one
// fails at start. A request that matched no route needs a session too (so 404s tell a stranger
// nothing). Routes that touch personal data declare `config.audit` and every such access leaves a
// row in the audit log before the response leaves the box.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import { ApplianceError } from '../errors.js';
import type { Bookings } from '../booking/bookings.js';
import type { Clock } from '../shared/clock.js';
import type { Catalogue } from '../booking/catalogue.js';
import type { ClientDirectory } from '../booking/client-directory.js';
import { roleAllows, type Accounts, type Role, type User } from './accounts.js';
import type { AuditAction, AuditLog } from './audit.js';
import type { HealthProbe } from './health.js';
import type { StorageProbe } from './storage.js';
import { todayRoutes } from './routes/today.js';
import { sessionRoutes, SESSION_COOKIE } from './routes/session.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { appointmentRoutes } from './routes/appointments.js';
import { uiRoutes } from './routes/ui.js';
import { callRoutes } from './routes/calls.js';
import type { CallLog } from '../telephony/call-log.js';
import type { Receptionist } from '../agent/receptionist.js';
import { agentRoutes } from './routes/agent.js';
import { messageRoutes, type SmsApi } from './routes/messages.js';
import { userRoutes } from './routes/users.js';
import { clientRoutes } from './routes/clients.js';
import { catalogueEditRoutes } from './routes/catalogue-edit.js';
import { auditRoutes } from './routes/audit.js';
import { settingsRoutes, type SettingsStore } from './routes/settings.js';
import { setupRoutes } from './routes/setup.js';
import { liveRoutes, type CallControl } from './routes/live.js';
import { conversationRoutes } from './routes/conversations.js';
import { insightsRoutes } from './routes/insights.js';
import { modelRoutes } from './routes/models.js';
import type { ModelInstalls } from '../models/install-jobs.js';
import type { Db } from '../store/db.js';
import { addTransportSecurity, type HttpsRedirect } from './transport-security.js';

export interface WebDeps {
  clock: Clock;
  log: Logger;
  catalogue: Catalogue;
  bookings: Bookings;
  /** Client search and visits (the Calendar's clients). */
  clients: ClientDirectory;
  accounts: Accounts;
  audit: AuditLog;
  calls: CallLog;
  health: HealthProbe;
  /** Days ahead a caller or staff member may search or book. */
  horizonDays: number;
  /** Where call recordings live; a recording outside it is never served. */
  recordingsDir: string;
  /** The receptionist for /api/agent/*; absent: those routes answer 503. */
  receptionist?: Receptionist;
  /** Texts for /api/messages and /api/sim/sms; absent: those routes answer 503. */
  sms?: SmsApi;
  /** The appliance's settings for /api/settings; absent: those routes answer 503. */
  settings?: SettingsStore;
  /** Staff's hands on calls in progress (the Live page); absent: those routes answer 503. */
  callControl?: CallControl;
  /** The database, for catalogue edits (the setup wizard); absent: those routes answer 503. */
  db?: Db;
  /** Disk, database and recordings sizes for the Health page; absent: /api/health/details answers 503. */
  storage?: StorageProbe;
  /** Speech model installs (the wizard's models step); absent: /api/models answers 503. */
  models?: ModelInstalls;
  /** The built web UI (default dist/ui beside the compiled appliance). */
  uiDir?: string;
  /** Where plain HTTP from other hosts is sent; absent: plain HTTP is served to all (unit tests). */
  https?: HttpsRedirect;
}

/** Who may use a route: anyone, or staff of at least this role. */
export type Access = 'public' | Role;

/** One registered route as the router holds it. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, as fastify's onRoute saw it (HEAD twins of GET routes included). */
    routeTable: readonly RouteEntry[];
  }
  interface FastifyRequest {
    user: User | null;
    /** The hash naming the request's session (null without one). */
    sessionId: string | null;
    /** The audited subject when it is not the :id parameter (e.g. the appointment just booked). */
    auditSubject: string | number | null;
    /** Non-personal detail for the audit row (e.g. which settings keys changed). */
    auditDetail: string;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Usable while the person must still replace a one-time password. */
    beforePasswordChange?: boolean;
    /** Accesses of this route are written to the audit log, naming `subject` and the :id parameter. */
    audit?: { action: AuditAction; subject?: string };
  }
}

const ACCESS_VALUES: readonly Access[] = ['public', 'owner', 'manager', 'frontdesk'];

const refuse = (reply: FastifyReply, status: number, code: string, message: string): FastifyReply =>
  reply.code(status).send({ error: { code, message } });

export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.log.child({ mod: 'web' });
  const app = Fastify({
    loggerInstance: logger,
    // Request lines stay out of the log: URLs and addresses add noise and nothing for support.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    trustProxy: false,
  });

  // A route that does not say who may use it is a bug: refuse to start rather than serve it.
  const routes: RouteEntry[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access || !ACCESS_VALUES.includes(access)) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access: ${ACCESS_VALUES.join(' | ')})`);
    }
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access });
  });

  await app.register(cookie);
  // reply.sendFile() only (the UI's files, call recordings): every route is declared here with its access.
  await app.register(fastifyStatic, { serve: false });
  // First of the hooks: headers on every response, and the redirect before anything reads the request.
  await addTransportSecurity(app, deps.https);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('auditSubject', null);
  app.decorateRequest('auditDetail', '');

  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    const config = req.routeOptions.config;
    const session = deps.accounts.session(req.cookies[SESSION_COOKIE]);
    req.user = session?.user ?? null;
    req.sessionId = session?.id ?? null;
    if (config.access === 'public') return;
    const user = req.user;
    if (!user) {
      await refuse(reply, 401, 'SPA_ERR_UNAUTHORIZED', 'log in first: POST /api/session');
      return;
    }
    if (user.mustChangePassword && !config.beforePasswordChange) {
      await refuse(reply, 403, 'SPA_ERR_PASSWORD_CHANGE_REQUIRED', 'choose a new password first: POST /api/session/password');
      return;
    }
    // No matched route (404): a logged-in person may learn that it does not exist.
    if (config.access && !roleAllows(user.role, config.access)) {
      await refuse(reply, 403, 'SPA_ERR_FORBIDDEN', `this needs the ${config.access} role or higher`);
    }
  });

  // The audit row is written before the response goes out; if it cannot be written, the data
  // does not go out either.
  app.addHook('onSend', async (req, reply, payload) => {
    const audit = req.routeOptions.config.audit;
    if (!audit || !req.user || reply.statusCode === 401 || reply.statusCode === 403) return payload;
    const param = (req.params as Record<string, unknown> | undefined)?.id;
    const id = req.auditSubject ?? (typeof param === 'string' ? param : undefined);
    try {
      deps.audit.record({
        userId: req.user.id,
        username: req.user.username,
        sourceAddress: req.ip,
        action: audit.action,
        subjectKind: audit.subject ?? '',
        ...(id === undefined ? {} : { subjectId: id }),
        status: reply.statusCode,
        detail: req.auditDetail,
      });
      return payload;
    } catch (err) {
      req.log.error({ err, action: audit.action }, 'could not write the audit log; response withheld');
      void reply.code(500).type('application/json; charset=utf-8');
      return JSON.stringify({ error: { code: 'SPA_ERR_AUDIT_UNAVAILABLE', message: 'the audit log cannot be written; try again' } });
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
    reply.code(404).send({ error: { code: 'SPA_ERR_NOT_FOUND', message: `no route ${req.method} ${req.routeOptions.url ?? ''}`.trim() } }),
  );

  app.get('/api/health', { config: { access: 'public' } }, () => deps.health());
  // The figures behind the Health page that a stranger on the LAN need not see.
  app.get('/api/health/details', { config: { access: 'frontdesk' } }, async () => {
    if (!deps.storage) throw new ApplianceError('SPA_ERR_STORAGE_UNAVAILABLE', 'storage figures are not available here', { status: 503 });
    return { storage: await deps.storage() };
  });
  await app.register(sessionRoutes(deps));
  await app.register(catalogueRoutes(deps));
  await app.register(catalogueEditRoutes(deps));
  await app.register(appointmentRoutes(deps));
  await app.register(clientRoutes(deps));
  await app.register(callRoutes(deps));
  await app.register(agentRoutes(deps));
  await app.register(messageRoutes(deps));
  await app.register(userRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(settingsRoutes(deps));
  await app.register(todayRoutes(deps));
  await app.register(setupRoutes(deps));
  await app.register(liveRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(insightsRoutes(deps));
  await app.register(modelRoutes(deps));
  await app.register(uiRoutes(deps.uiDir === undefined ? {} : { dir: deps.uiDir }));
  return app;
}
