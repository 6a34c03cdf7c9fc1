// What is on disk for a model: the files, and a stamp written at install time recording each
// file's size, mtime and SHA-256, so `list` can tell installed from changed without re-hashing
// gigabytes. `verify` re-hashes for real.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../config/atomic-write.js';
import type { ModelEntry, ModelFile } from './manifest.js';

export interface StampEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
  /** true only when sha256 matched a published checksum from the manifest. */
  verified: boolean;
}
export type Stamp = Record<string, StampEntry>;

export const STAMP_FILE = '.installed.json';

export type FileState = 'missing' | 'verified' | 'unverified' | 'changed';
export type ModelState = 'not installed' | 'verified' | 'unverified' | 'partial' | 'changed';

export function modelDir(modelsDir: string, model: ModelEntry): string {
  return join(modelsDir, model.name);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export async function readStamp(dir: string): Promise<Stamp> {
  try {
    const raw = JSON.parse(await readFile(join(dir, STAMP_FILE), 'utf8')) as unknown;
    return raw !== null && typeof raw === 'object' ? (raw as Stamp) : {};
  } catch {
    return {};
  }
}

export async function writeStamp(dir: string, stamp: Stamp): Promise<void> {
  await writeFileAtomic(join(dir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** Cheap state from stat + stamp (no hashing). */
export async function fileState(dir: string, file: ModelFile, stamp: Stamp): Promise<FileState> {
  let info;
  try {
    info = await stat(join(dir, file.path));
  } catch {
    return 'missing';
  }
  const entry = stamp[file.path];
  if (entry === undefined || entry.size !== info.size || entry.mtimeMs !== info.mtimeMs) return 'changed';
  if (file.size !== null && info.size !== file.size) return 'changed';
  if (file.sha256 !== null && entry.sha256 !== file.sha256) return 'changed';
  return entry.verified && file.sha256 !== null ? 'verified' : 'unverified';
}

export function combineStates(states: readonly FileState[]): ModelState {
  if (states.every((s) => s === 'missing')) return 'not installed';
  if (states.includes('changed')) return 'changed';
  if (states.includes('missing')) return 'partial';
  return states.includes('unverified') ? 'unverified' : 'verified';
}

export async function modelState(modelsDir: string, model: ModelEntry): Promise<ModelState> {
  const dir = modelDir(modelsDir, model);
  const stamp = await readStamp(dir);
  const states = await Promise.all(model.files.map((f) => fileState(dir, f, stamp)));
  return combineStates(states);
}
