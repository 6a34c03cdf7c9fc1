// `npm run backup` takes a backup now; `npm run restore -- FILE` puts one back (stop the service
// first: sudo systemctl stop spa-receptionist). Both use the data dir the daemon uses (SPA_DATA_DIR,
// /var/lib/spa-receptionist on an installed box) and run as the daemon's user. `check FILE`
// migrates a copy of a database to this version's schema and checks it (update.sh runs it on a
// backup copy before the real database is touched).
import { join, resolve } from 'node:path';
import { loadSettings, SettingsError } from '../config/index.js';
import { createLogger } from '../log.js';
import { systemClock } from '../shared/clock.js';
import { openDatabase } from '../store/db.js';
import { PRIVATE_UMASK } from '../store/private-files.js';
import { Backups } from './backups.js';
import { checkBackup, restoreDatabase, RestoreError } from './restore.js';

const USAGE = 'usage: npm run backup  |  npm run restore -- FILE  |  node dist/appliance/ops/cli.js check COPY.db   (SPA_DATA_DIR names the data dir)';

async function main(argv: string[]): Promise<number> {
  process.umask(PRIVATE_UMASK);
  const [command, file] = argv;
  if (command === 'check' && file) {
    const from = checkBackup(file);
    const { db, version } = openDatabase({ path: file });
    try {
      const integrity = db.pragma('quick_check', { simple: true });
      const orphans = (db.pragma('foreign_key_check') as unknown[]).length;
      if (integrity !== 'ok' || orphans > 0) throw new RestoreError(`${file}: after migration: quick_check ${String(integrity)}, ${orphans} rows pointing at missing rows`);
      console.log(`check: ${file} migrates from schema ${from} to ${version} and checks clean`);
    } finally {
      db.close();
    }
    return 0;
  }
  const settings = await loadSettings({ env: process.env, systemTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  const dataDir = resolve(settings.dataDir);
  const dbPath = join(dataDir, 'spa.db');
  const backupsDir = join(dataDir, 'backups');
  if (command === 'backup') {
    const { db } = openDatabase({ path: dbPath });
    try {
      const log = createLogger({ level: 'warn' });
      const info = await new Backups({ db, clock: systemClock, log, dir: backupsDir, keepDays: settings.backup.keepDays, usbDir: settings.backup.usbDir }).run();
      console.log(`backup: ${info.file} (${info.bytes} bytes${info.usb && info.usb !== 'off' ? `, USB: ${info.usb}` : ''})`);
    } finally {
      db.close();
    }
    return 0;
  }
  if (command === 'restore' && file) {
    const result = await restoreDatabase({ backupFile: resolve(file), dbPath, backupsDir, clock: systemClock });
    if (result.previous) console.log(`restore: the database it replaced is kept as ${result.previous}`);
    console.log(`restore: ${dbPath} restored from ${file} (schema ${result.fromVersion} -> ${result.version}); start the service again`);
    return 0;
  }
  console.error(USAGE);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof RestoreError || err instanceof SettingsError) {
      console.error(`spa-receptionist: ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
