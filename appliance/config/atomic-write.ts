// Replaces a file so that a reader (or a power cut) sees the old content or the new, never half:
// write a temp file beside it, flush it, rename it over the target, flush the directory.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /**
   * The file's mode, set on the temp file before any byte is written (so the text is never
   * readable by others, whatever the umask), and kept by the rename. Missing directories are
   * made 0700 when the file is private (no group or other bits). Default 0o666 less the umask.
   */
  mode?: number;
}

export async function writeFileAtomic(path: string, text: string, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const mode = opts.mode;
  await mkdir(dir, { recursive: true, ...(mode !== undefined && (mode & 0o077) === 0 ? { mode: 0o700 } : {}) });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx', mode ?? 0o666);
    try {
      if (mode !== undefined) await file.chmod(mode);
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** Makes the rename itself durable. Some file systems cannot fsync a directory; the rename is atomic anyway. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
