// Wires the modules and starts and stops them in order. Each module receives its dependencies
// explicitly; nothing here reads the environment (main.ts does) so tests can run several
// appliances side by side in temporary data dirs.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Bookings, type Clock } from './booking/bookings.js';
import { Catalogue } from './booking/catalogue.js';
import { demoSpa } from './booking/demo-spa.js';
import type { Settings } from './config/index.js';
import type { Logger } from './log.js';
import { openDatabase, type Db } from './store/db.js';
import { Accounts } from './web/accounts.js';
import { buildWebApp } from './web/app.js';
import type { HealthReport } from './web/health.js';
import { starterSpa } from './booking/starter-spa.js';
import { CallLog } from './telephony/call-log.js';

export const VERSION = '0.1.0';

export interface ApplianceDeps {
  settings: Settings;
  log: Logger;
  clock: Clock;
  /** Where the one-time owner password is shown (the console by default). */
  announce?: (line: string) => void;
}

export class Appliance {
  private db: Db | null = null;
  private web: FastifyInstance | null = null;
  private startedAt = 0;
  httpUrl = '';

  constructor(private readonly deps: ApplianceDeps) {}

  async start(): Promise<void> {
    const { settings, log, clock } = this.deps;
    this.startedAt = clock.now();
    const dataDir = resolve(settings.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const opened = openDatabase({ path: join(dataDir, 'spa.db') });
    this.db = opened.db;
    log.info({ from: opened.previousVersion, to: opened.version }, 'database ready');

    const catalogue = new Catalogue({ db: opened.db });
    if (catalogue.isEmpty()) {
      const seedDemo = settings.demo ?? opened.previousVersion === 0;
      catalogue.replaceAll(seedDemo ? demoSpa() : starterSpa(settings.timeZone));
      log.info({ demo: seedDemo }, seedDemo ? 'seeded the demo spa' : 'created an empty spa profile');
    }
    catalogue.setTimeZone(settings.timeZone);

    const accounts = new Accounts({ db: opened.db, clock });
    const owner = await accounts.ensureOwner(settings.adminPassword);
    if (owner.oneTimePassword) {
      (this.deps.announce ?? console.log)(
        `First start: log in to the web UI as "owner" with the one-time password ${owner.oneTimePassword} and choose a new one.`,
      );
    } else if (owner.created) {
      log.info('owner account created from SPA_ADMIN_PASSWORD');
    }

    const calls = new CallLog({ db: opened.db });
    const stale = calls.closeStale(clock.now());
    if (stale > 0) log.warn({ calls: stale }, 'closed calls left open by the previous run');

    const bookings = new Bookings({
      db: opened.db,
      catalogue,
      clock,
      policy: {
        minNoticeMin: settings.booking.minNoticeMin,
        slotIntervalMin: settings.booking.slotIntervalMin,
        holdTtlS: settings.booking.holdTtlS,
      },
    });
    this.web = await buildWebApp({
      clock,
      log,
      catalogue,
      bookings,
      accounts,
      calls,
      health: () => this.health(),
      horizonDays: settings.booking.horizonDays,
    });
    await this.web.listen({ host: settings.bind, port: settings.http.port });
    const addr = this.web.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : settings.http.port;
    const host = settings.bind === '0.0.0.0' || settings.bind === '::' ? 'localhost' : settings.bind;
    this.httpUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    log.info({ web: this.httpUrl, health: `${this.httpUrl}/api/health`, dataDir }, `ready: web UI at ${this.httpUrl}`);
  }

  health(): HealthReport {
    let db: HealthReport['db'] = 'error';
    try {
      if (this.db?.prepare('SELECT 1').pluck().get() === 1) db = 'ok';
    } catch {
      db = 'error';
    }
    const modem = this.deps.settings.modem.device;
    return {
      db,
      // Telephony, engines and the modem arrive in later releases; health says so plainly.
      sip: { listening: false, registered: null, mode: 'not available in this version' },
      engines: { vad: 'none', asr: 'none', tts: 'none', llm: 'none' },
      modem: { driver: modem === 'sim' ? 'sim' : modem, state: 'not started' },
      version: VERSION,
      uptimeS: Math.round((this.deps.clock.now() - this.startedAt) / 1000),
    };
  }

  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  async stop(): Promise<void> {
    const web = this.web;
    this.web = null;
    if (web) await web.close();
    const db = this.db;
    this.db = null;
    if (db?.open) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    this.deps.log.info('stopped');
  }
}
