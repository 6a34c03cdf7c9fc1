// A web app over a test spa, driven with fastify's inject() (no socket).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createLogger } from '../../appliance/log.js';
import { join } from 'node:path';
import { Accounts, type Role } from '../../appliance/web/accounts.js';
import { scryptHasher, type PasswordHasher } from '../../appliance/web/passwords.js';
import { AuditLog } from '../../appliance/web/audit.js';
import { resolveSettings, type Settings } from '../../appliance/config/index.js';
import { buildWebApp } from '../../appliance/web/app.js';
import { storageProbe } from '../../appliance/web/storage.js';
import type { HttpsRedirect } from '../../appliance/web/transport-security.js';
import { CallLog } from '../../appliance/telephony/call-log.js';
import { ClientDirectory } from '../../appliance/booking/client-directory.js';
import type { ModelInstalls } from '../../appliance/models/install-jobs.js';
import type { CallControl } from '../../appliance/web/routes/live.js';
import type { SmsApi } from '../../appliance/web/routes/messages.js';
import type { Receptionist } from '../../appliance/agent/receptionist.js';
import { testReceptionist } from './agent.js';
import { openTestSpa, type TestSpa } from './spa.js';

export const OWNER_PASSWORD = 'correct horse battery';

/**
 * scrypt at N = 2^12 (4 MiB, a few ms) for tests whose subject is not password hashing: at the
 * appliance's N = 2^17 every login costs ~0.3 s of a core, which made the 86 receptionist scenarios
 * spend most of their time logging in. sessions.test.ts checks the production cost itself.
 */
export const TEST_PASSWORD_HASHER: PasswordHasher = scryptHasher({ N: 2 ** 12, r: 8, p: 1 });

export interface TestWeb {
  spa: TestSpa;
  app: FastifyInstance;
  accounts: Accounts;
  receptionist: Receptionist;
  audit: AuditLog;
  /** Settings saved through PATCH /api/settings, oldest first. */
  saved: Settings[];
  /** Logs in (as the owner by default) and returns the Cookie header value. */
  login(username?: string, password?: string): Promise<string>;
  /** Adds a person with a role, logs them in and replaces their first password: their cookie. */
  addUser(username: string, role: Role): Promise<{ id: number; cookie: string; password: string }>;
  close(): Promise<void>;
}

export interface TestWebOptions {
  /** Where the receptionist transfers "a person, please" (null: no staff destination). */
  transferTo?: string | null;
  record?: boolean;
  settings?: Settings;
  /** Redirect plain HTTP from other hosts to HTTPS (as the appliance does). */
  https?: HttpsRedirect;
  /** Password hashing (default TEST_PASSWORD_HASHER; pass scryptHasher() for the appliance's cost). */
  passwordHasher?: PasswordHasher;
  /** The built web UI's folder (default: the one `npm run build` made). */
  uiDir?: string;
  /** Staff's hands on calls in progress (default: none, those routes answer 503). */
  callControl?: CallControl;
  /** Texting (default: none, /api/messages answers 503), made from the test spa and its receptionist. */
  sms?: (made: { spa: TestSpa; receptionist: Receptionist }) => SmsApi;
  /** Speech model installs (default: none, /api/models answers 503). */
  models?: ModelInstalls;
}

export async function openTestWeb(opts: Parameters<typeof openTestSpa>[0] & TestWebOptions = {}): Promise<TestWeb> {
  const spa = openTestSpa(opts);
  const log = createLogger({ level: 'silent' });
  const receptionist = testReceptionist(spa, { record: opts.record ?? false, transferTo: opts.transferTo ?? null });
  const accounts = new Accounts({ db: spa.db, clock: spa.clock, hasher: opts.passwordHasher ?? TEST_PASSWORD_HASHER });
  await accounts.ensureOwner(OWNER_PASSWORD);
  const audit = new AuditLog({ db: spa.db, clock: spa.clock });
  let settings = opts.settings ?? resolveSettings({ env: { SPA_DATA_DIR: spa.dir }, systemTimeZone: 'America/New_York' });
  const saved: Settings[] = [];
  const app = await buildWebApp({
    clock: spa.clock,
    log,
    catalogue: spa.catalogue,
    bookings: spa.bookings,
    clients: new ClientDirectory({ db: spa.db }),
    db: spa.db,
    accounts,
    audit,
    calls: new CallLog({ db: spa.db }),
    health: () => ({
      db: 'ok',
      sip: { listening: false, registered: null, mode: 'test' },
      engines: { vad: 'none', asr: 'none', tts: 'none', llm: 'none' },
      modem: { driver: 'sim', state: 'test' },
      https: null,
      log: { level: 'silent', personalData: false },
      version: 'test',
      uptimeS: 0,
    }),
    horizonDays: 90,
    recordingsDir: join(spa.dir, 'recordings'),
    storage: storageProbe({ dataDir: spa.dir, dbPath: spa.dbPath, recordingsDir: join(spa.dir, 'recordings') }),
    receptionist,
    settings: {
      current: () => settings,
      save: (next) => {
        settings = next;
        saved.push(next);
        return Promise.resolve();
      },
    },
    ...(opts.https ? { https: opts.https } : {}),
    ...(opts.callControl ? { callControl: opts.callControl } : {}),
    ...(opts.sms ? { sms: opts.sms({ spa, receptionist }) } : {}),
    ...(opts.models ? { models: opts.models } : {}),
    ...(opts.uiDir === undefined ? {} : { uiDir: opts.uiDir }),
  });
  return {
    spa,
    app,
    accounts,
    audit,
    receptionist,
    saved,
    login(username = 'owner', password = OWNER_PASSWORD) {
      return loginAs(app, username, password);
    },
    async addUser(username, role) {
      const made = await accounts.createUser(username, role, `first ${username} password`);
      const first = await loginAs(app, username, `first ${username} password`);
      const res = await app.inject({
        method: 'POST',
        url: '/api/session/password',
        headers: { cookie: first },
        payload: { current: `first ${username} password`, next: `${username} own password` },
      });
      if (res.statusCode !== 200) throw new Error(`password change failed: ${res.statusCode} ${res.body}`);
      return { id: made.user.id, cookie: first, password: `${username} own password` };
    },
    async close() {
      await app.close();
      spa.close();
    },
  };
}

async function loginAs(app: FastifyInstance, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return cookieOf(res);
}

export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'spa_session');
  if (!c) throw new Error('no session cookie');
  return `spa_session=${c.value}`;
}
