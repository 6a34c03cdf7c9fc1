// The nightly backup: SQLite's online backup API copies the live database (calls and bookings go
// on meanwhile) into <data dir>/backups/spa-<UTC time>.db; backups older than keepDays are deleted
// (the newest is always kept); a copy goes to a USB drive's folder when one is mounted there.
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../log.js';
import type { Clock } from '../shared/clock.js';
import { backupDatabase, type Db } from '../store/db.js';

const DAY_MS = 86_400_000;
const NAME = /^spa-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.db$/;
/** The folder made on the USB drive: the drive may hold other things. */
export const USB_SUBDIR = 'spa-receptionist-backups';

export type UsbCopy = 'off' | 'copied' | 'not mounted' | 'failed';

export interface BackupInfo {
  /** When it was taken (epoch ms, from its name). */
  at: number;
  file: string;
  bytes: number;
  usb?: UsbCopy;
}

/** The backup file name for an instant: spa-20261206T030000Z.db (sorts by time). */
export function backupName(atMs: number): string {
  const iso = new Date(atMs).toISOString(); // 2026-12-06T03:00:00.000Z
  return `spa-${iso.slice(0, 19).replace(/[-:]/g, '')}Z.db`;
}

/** The instant a backup file name stands for, or null for any other name. */
export function backupTime(name: string): number | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** A folder is a mount point when it is on another device than its parent (or is the root). */
export function isMountPoint(dir: string): boolean {
  try {
    const path = resolve(dir);
    if (dirname(path) === path) return true;
    return statSync(path).dev !== statSync(dirname(path)).dev;
  } catch {
    return false;
  }
}

export interface BackupsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Where backups are kept: <data dir>/backups. */
  dir: string;
  keepDays: number;
  usbDir: string | null;
  /** Whether the USB folder is a mounted drive (default: isMountPoint); an unmounted path would fill the SD card. */
  isMounted?: (dir: string) => boolean;
}

export class Backups {
  constructor(private readonly deps: BackupsDeps) {}

  /** Backups in the folder, newest first. */
  async list(dir = this.deps.dir): Promise<BackupInfo[]> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const found: BackupInfo[] = [];
    for (const name of names) {
      const at = backupTime(name);
      if (at === null) continue;
      const bytes = await stat(join(dir, name)).then((s) => s.size, () => -1);
      if (bytes >= 0) found.push({ at, file: join(dir, name), bytes });
    }
    return found.sort((a, b) => b.at - a.at);
  }

  /** Takes a backup now, deletes the expired ones, copies it to the USB drive when mounted there. */
  async run(): Promise<BackupInfo> {
    const { clock, log } = this.deps;
    const at = Math.floor(clock.now() / 1000) * 1000;
    const file = join(this.deps.dir, backupName(at));
    const part = `${file}.part`;
    try {
      await backupDatabase(this.deps.db, part);
      await rename(part, file);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    const bytes = (await stat(file)).size;
    const deleted = await this.prune(this.deps.dir);
    const usb = await this.copyToUsb(file);
    log.info({ file, bytes, deleted, usb }, 'database backed up');
    return { at, file, bytes, usb };
  }

  /** Deletes backups older than keepDays, always keeping the newest; returns how many went. */
  private async prune(dir: string): Promise<number> {
    const cutoff = this.deps.clock.now() - this.deps.keepDays * DAY_MS;
    const [, ...older] = await this.list(dir);
    let deleted = 0;
    for (const b of older) {
      if (b.at >= cutoff) continue;
      await rm(b.file, { force: true });
      deleted++;
    }
    return deleted;
  }

  private async copyToUsb(file: string): Promise<UsbCopy> {
    const { usbDir, log } = this.deps;
    if (!usbDir) return 'off';
    if (!(this.deps.isMounted ?? isMountPoint)(usbDir)) {
      log.warn({ usbDir }, 'backup: the USB folder is not a mounted drive; no copy made');
      return 'not mounted';
    }
    try {
      const dir = join(usbDir, USB_SUBDIR);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const dest = join(dir, file.slice(file.lastIndexOf('/') + 1));
      await copyFile(file, `${dest}.part`);
      await rename(`${dest}.part`, dest);
      await this.prune(dir);
      return 'copied';
    } catch (err) {
      log.error({ err, usbDir }, 'backup: the copy to the USB drive failed');
      return 'failed';
    }
  }
}

