// The store module: the data dir (patient data and the SIP password: kept private) and the SQLite
// database in it (opened and migrated at start; checkpointed and closed at stop).
import { join, resolve } from 'node:path';
import type { ApplianceDeps } from '../appliance.js';
import type { ApplianceModule } from '../shared/modules.js';
import { openDatabase, type Db, type OpenOptions, type OpenResult } from './db.js';
import { ensurePrivateDirSync, tightenPrivateTree } from './private-files.js';

export interface StoreModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log'> {
  /** How the database is opened (default: spa.db in the data dir); fault tests inject failing ones. */
  openDatabase?: (opts: OpenOptions) => OpenResult;
}

export class StoreModule implements ApplianceModule {
  readonly name = 'store';
  readonly dependsOn: readonly ApplianceModule[] = [];
  private opened: OpenResult | null = null;

  constructor(private readonly deps: StoreModuleDeps) {}

  /** The data dir, absolute. */
  get dataDir(): string {
    return resolve(this.deps.settings.dataDir);
  }

  /** Where call recordings are kept (telephony writes them, web serves them). */
  get recordingsDir(): string {
    return join(this.dataDir, 'recordings');
  }

  /** The open database (after start). */
  get db(): Db {
    if (!this.opened) throw new Error('the store module has not started');
    return this.opened.db;
  }

  /** The schema version the database had before this start's migrations (0: created now). */
  get previousVersion(): number {
    if (!this.opened) throw new Error('the store module has not started');
    return this.opened.previousVersion;
  }

  async start(): Promise<void> {
    this.securePrivateData();
    const opened = (this.deps.openDatabase ?? openDatabase)({ path: join(this.dataDir, 'spa.db') });
    this.opened = opened;
    this.deps.log.info({ from: opened.previousVersion, to: opened.version }, 'database ready');
  }

  /** Checkpoints the WAL into the database file and closes it; a failed checkpoint is logged and the close still runs. */
  async stop(): Promise<void> {
    const db = this.opened?.db;
    this.opened = null;
    if (!db?.open) return;
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      this.deps.log.error({ err }, 'stopping: the database checkpoint failed');
    }
    db.close();
  }

  health(): 'ok' | 'error' {
    try {
      return this.opened?.db.prepare('SELECT 1').pluck().get() === 1 ? 'ok' : 'error';
    } catch {
      return 'error';
    }
  }

  /**
   * The data dir holds patient data and the SIP password: 0700, and anything in it that others
   * could read (an older install, a file copied in) loses its group and other permissions.
   */
  private securePrivateData(): void {
    const { log, settings } = this.deps;
    ensurePrivateDirSync(this.dataDir);
    const tightened = tightenPrivateTree(this.dataDir);
    if (tightened.changed > 0) log.info({ changed: tightened.changed }, 'data dir: took group and other permissions off files and folders');
    if (tightened.failed.length > 0) {
      log.warn({ failed: tightened.failed.length, code: tightened.failed[0]?.code }, 'data dir: some permissions could not be tightened');
    }
    if (settings.log.personalData) {
      log.warn('personal data is being logged (log.personalData / SPA_LOG_PERSONAL): for support only; turn it off afterwards');
    }
  }
}
