// The data dir holds patient data (the database, recordings) and secrets (config.json with the SIP
// password, the TLS key): only the daemon's user may read it. Modes are set explicitly where each
// file is made (never left to the process umask alone), and an existing data dir is tightened at
// start, for data dirs made by older versions or copied in by hand.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** The daemon's umask: nothing it creates is readable by group or others. */
export const PRIVATE_UMASK = 0o077;

/** Creates missing directories as 0700 (before the umask); leaves existing ones as they are. */
export function createPrivateDirsSync(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates the directory (and missing parents) and makes it 0700, whatever it was: for dirs the appliance owns. */
export function ensurePrivateDirSync(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(path, PRIVATE_DIR_MODE);
}

export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(path, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600; a missing one is fine. */
export function makePrivateSync(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export interface TightenResult {
  /** Directories and files whose mode was changed. */
  changed: number;
  /** Paths that could not be changed (a read-only disk, another owner), with why. */
  failed: { path: string; code: string }[];
}

/**
 * Walks the tree under `root` (not following symlinks) and takes group and other permissions
 * away: directories become 0700, files 0600 (an owner's execute bit on a file is kept off too).
 * Only entries with looser modes are touched.
 */
export function tightenPrivateTree(root: string): TightenResult {
  const result: TightenResult = { changed: 0, failed: [] };
  const visit = (path: string): void => {
    let st;
    try {
      st = lstatSync(path);
    } catch (err) {
      result.failed.push({ path, code: (err as NodeJS.ErrnoException).code ?? 'ERROR' });
      return;
    }
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((st.mode & 0o777) !== want && (st.mode & 0o077) !== 0) {
      try {
        chmodSync(path, want);
        result.changed++;
      } catch (err) {
        result.failed.push({ path, code: (err as NodeJS.ErrnoException).code ?? 'ERROR' });
      }
    }
    if (!st.isDirectory()) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (err) {
      result.failed.push({ path, code: (err as NodeJS.ErrnoException).code ?? 'ERROR' });
      return;
    }
    for (const name of names) visit(join(path, name));
  };
  visit(root);
  return result;
}
