// The ops module: the nightly backup and, half an hour after it, the retention purge, both at the
// spa's local time on the appliance's clock; health shows the last of each (and the next). At start
// the last backup is read from the backups folder and the last purge from the audit log, so health
// tells the truth after a restart; a box that was off at backup time (no backup in over a day) takes
// one ten minutes after start.
import { basename, join } from 'node:path';
import type { ApplianceDeps } from '../appliance.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { TimerHandle } from '../shared/clock.js';
import type { StoreModule } from '../store/store-module.js';
import { AuditLog } from '../web/audit.js';
import { Backups, type BackupInfo } from './backups.js';
import { DailyJob } from './daily-schedule.js';
import { RetentionPurge, type PurgeResult, type PurgeTarget } from './retention.js';

const DAY_MS = 86_400_000;
/** Minutes past the backup hour that the purge runs (after the backup, so last night's data is in it). */
const PURGE_MINUTE = 30;
/** A missed nightly backup is taken this long after start (the box settles first). */
export const CATCH_UP_DELAY_MS = 10 * 60_000;

export interface OpsModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock'> {
  store: StoreModule;
  /** Further kinds of data the purge deletes (the SMS module's texts). */
  purgeTargets?: readonly PurgeTarget[];
  /** Whether the USB backup folder is a mounted drive (default: a mount point check). */
  isMounted?: (dir: string) => boolean;
}

export interface OpsHealth {
  /** file: the backup's name in <data dir>/backups (health is public: no paths). */
  backup: { last: { at: string; file: string; bytes: number; usb?: string } | null; error: string | null; next: string | null };
  purge: { last: { at: string; deleted: Record<string, number> } | null; error: string | null; next: string | null };
}

export class OpsModule implements ApplianceModule {
  readonly name = 'ops';
  readonly dependsOn: readonly ApplianceModule[];
  private backups: Backups | null = null;
  private purge: RetentionPurge | null = null;
  private backupJob: DailyJob | null = null;
  private purgeJob: DailyJob | null = null;
  private catchUp: TimerHandle | null = null;
  private catchUpRun: Promise<unknown> | null = null;
  private lastBackup: BackupInfo | null = null;
  private lastPurge: PurgeResult | null = null;
  private backupError: string | null = null;
  private purgeError: string | null = null;

  constructor(private readonly deps: OpsModuleDeps) {
    this.dependsOn = [deps.store];
  }

  /** Where the nightly backups are kept. */
  get backupsDir(): string {
    return join(this.deps.store.dataDir, 'backups');
  }

  async start(): Promise<void> {
    const { settings, log, clock, store } = this.deps;
    const db = store.db;
    this.backups = new Backups({
      db,
      clock,
      log,
      dir: this.backupsDir,
      keepDays: settings.backup.keepDays,
      usbDir: settings.backup.usbDir,
      ...(this.deps.isMounted ? { isMounted: this.deps.isMounted } : {}),
    });
    this.purge = new RetentionPurge({
      db,
      clock,
      log,
      audit: new AuditLog({ db, clock }),
      retention: settings.retention,
      recordingsDir: store.recordingsDir,
      ...(this.deps.purgeTargets ? { targets: this.deps.purgeTargets } : {}),
    });
    this.lastBackup = (await this.backups.list())[0] ?? null;
    this.lastPurge = this.purge.last();
    const at = { clock, zone: settings.timeZone, hour: settings.backup.hour };
    this.backupJob = new DailyJob({ ...at, minute: 0, run: () => this.backupNow().then(() => undefined), onError: () => undefined });
    this.purgeJob = new DailyJob({ ...at, minute: PURGE_MINUTE, run: () => this.purgeNow().then(() => undefined), onError: () => undefined });
    this.backupJob.start();
    this.purgeJob.start();
    if (!this.lastBackup || clock.now() - this.lastBackup.at > DAY_MS + DAY_MS / 24) {
      this.catchUp = clock.setTimeout(
        () => {
          this.catchUp = null;
          this.catchUpRun = this.backupNow().catch(() => undefined);
        },
        CATCH_UP_DELAY_MS,
        { unref: true },
      );
    }
  }

  /** Takes a backup now (the nightly job calls this); failures are logged, shown in health and rethrown. */
  async backupNow(): Promise<BackupInfo> {
    if (!this.backups) throw new Error('the ops module has not started');
    try {
      const info = await this.backups.run();
      this.lastBackup = info;
      this.backupError = null;
      return info;
    } catch (err) {
      this.backupError = err instanceof Error ? err.message : String(err);
      this.deps.log.error({ err }, 'the database backup failed');
      throw err;
    }
  }

  /** Runs the retention purge now (the nightly job calls this); failures are logged, shown in health and rethrown. */
  async purgeNow(): Promise<PurgeResult> {
    if (!this.purge) throw new Error('the ops module has not started');
    try {
      const result = await this.purge.run();
      this.lastPurge = result;
      this.purgeError = null;
      return result;
    } catch (err) {
      this.purgeError = err instanceof Error ? err.message : String(err);
      this.deps.log.error({ err }, 'the retention purge failed');
      throw err;
    }
  }

  /** Resolves when no backup or purge is in progress. */
  async idle(): Promise<void> {
    await Promise.all([this.backupJob?.idle(), this.purgeJob?.idle(), this.catchUpRun]);
  }

  async stop(): Promise<void> {
    this.deps.clock.clearTimeout(this.catchUp);
    this.catchUp = null;
    await Promise.all([this.backupJob?.stop(), this.purgeJob?.stop(), this.catchUpRun]);
    this.backupJob = null;
    this.purgeJob = null;
    this.catchUpRun = null;
    this.backups = null;
    this.purge = null;
  }

  health(): OpsHealth {
    const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
    const b = this.lastBackup;
    const p = this.lastPurge;
    return {
      backup: {
        last: b ? { at: iso(b.at) ?? '', file: basename(b.file), bytes: b.bytes, ...(b.usb ? { usb: b.usb } : {}) } : null,
        error: this.backupError,
        next: iso(this.backupJob?.nextRunAt),
      },
      purge: { last: p ? { at: iso(p.at) ?? '', deleted: p.deleted } : null, error: this.purgeError, next: iso(this.purgeJob?.nextRunAt) },
    };
  }
}
