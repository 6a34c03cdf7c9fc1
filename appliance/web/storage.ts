// The Health page's storage figures: free space where the data lives, the database's size (with
// its write-ahead log) and the recordings'. Read when asked; nothing is cached.
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';

export interface StorageReport {
  disk: { freeBytes: number; totalBytes: number } | null;
  databaseBytes: number;
  recordings: { count: number; bytes: number };
}

export type StorageProbe = () => Promise<StorageReport>;

const size = async (path: string): Promise<number> => (await stat(path).catch(() => null))?.size ?? 0;

export function storageProbe(paths: { dataDir: string; dbPath: string; recordingsDir: string }): StorageProbe {
  return async () => {
    const fs = await statfs(paths.dataDir).catch(() => null);
    const names = await readdir(paths.recordingsDir).catch(() => [] as string[]);
    let bytes = 0;
    let count = 0;
    for (const name of names) {
      if (!name.endsWith('.wav')) continue;
      count++;
      bytes += await size(join(paths.recordingsDir, name));
    }
    return {
      disk: fs ? { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize } : null,
      databaseBytes: (await size(paths.dbPath)) + (await size(`${paths.dbPath}-wal`)),
      recordings: { count, bytes },
    };
  };
}
