// A web app over a test spa, driven with fastify's inject() (no socket).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createLogger } from '../../appliance/log.js';
import { Accounts } from '../../appliance/web/accounts.js';
import { buildWebApp } from '../../appliance/web/app.js';
import { CallLog } from '../../appliance/telephony/call-log.js';
import type { Receptionist } from '../../appliance/agent/receptionist.js';
import { testReceptionist } from './agent.js';
import { openTestSpa, type TestSpa } from './spa.js';

export const OWNER_PASSWORD = 'correct horse battery';

export interface TestWeb {
  spa: TestSpa;
  app: FastifyInstance;
  accounts: Accounts;
  receptionist: Receptionist;
  /** Logs in as the owner and returns the Cookie header value. */
  login(): Promise<string>;
  close(): Promise<void>;
}

export interface TestWebOptions {
  /** Where the receptionist transfers "a person, please" (null: no staff destination). */
  transferTo?: string | null;
  record?: boolean;
}

export async function openTestWeb(opts: Parameters<typeof openTestSpa>[0] & TestWebOptions = {}): Promise<TestWeb> {
  const spa = openTestSpa(opts);
  const log = createLogger({ level: 'silent' });
  const receptionist = testReceptionist(spa, { record: opts.record ?? false, transferTo: opts.transferTo ?? null });
  const accounts = new Accounts({ db: spa.db, clock: spa.clock });
  await accounts.ensureOwner(OWNER_PASSWORD);
  const app = await buildWebApp({
    clock: spa.clock,
    log,
    catalogue: spa.catalogue,
    bookings: spa.bookings,
    accounts,
    calls: new CallLog({ db: spa.db }),
    health: () => ({
      db: 'ok',
      sip: { listening: false, registered: null, mode: 'test' },
      engines: { vad: 'none', asr: 'none', tts: 'none', llm: 'none' },
      modem: { driver: 'sim', state: 'test' },
      log: { level: 'silent', personalData: false },
      version: 'test',
      uptimeS: 0,
    }),
    horizonDays: 90,
    receptionist,
  });
  return {
    spa,
    app,
    accounts,
    receptionist,
    async login() {
      const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: OWNER_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      return cookieOf(res);
    },
    async close() {
      await app.close();
      spa.close();
    },
  };
}

export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'spa_session');
  if (!c) throw new Error('no session cookie');
  return `spa_session=${c.value}`;
}
