// `npm run models -- list | install NAME... | install --default | verify [NAME...]`
// Exit codes: 0 done, 1 a download or check failed, 2 usage or manifest error, 3 offline.
// Offline prints exactly one line, so `npm run setup` can go on after it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../shared/clock.js';
import { ModelsError, MODELS_ERR } from './errors.js';
import { modelState } from './file-state.js';
import { installModel } from './installer.js';
import { formatList } from './list.js';
import { loadManifest, selectModels, type Manifest, type ModelEntry } from './manifest.js';
import { createProgress } from './progress.js';
import { verifyModel } from './verify.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTTY: boolean;
  /** Download rates (monotonic) and the connect time limit. */
  clock: Clock;
}

export const USAGE = [
  'usage: npm run models -- <command>',
  '  list                      models in the manifest and whether they are installed and verified',
  '  install NAME...           download, check and install the named models (resumes partial downloads)',
  '  install --default         the models marked default (Silero VAD)',
  '  verify [NAME...]          re-hash installed files; exit 1 listing any that do not match',
  'options: --manifest PATH (default <repo>/models/manifest.json); env SPA_MODELS_DIR (default <repo>/models)',
].join('\n');

const CONNECT_TIMEOUT_MS = 5000;
const IDLE_TIMEOUT_MS = 60_000;

/** The repository root: the nearest folder above this file with a package.json. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof ModelsError) {
      io.stderr(`models: ${err.message}\n`);
      if (err.code === MODELS_ERR.offline) return 3;
      return err.code === MODELS_ERR.manifest || err.code === MODELS_ERR.unknownModel || err.code === MODELS_ERR.usage ? 2 : 1;
    }
    throw err;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const args = [...argv];
  let manifestPath = join(repoRoot(), 'models', 'manifest.json');
  const at = args.indexOf('--manifest');
  if (at !== -1) {
    const value = args[at + 1];
    if (value === undefined) throw new ModelsError(MODELS_ERR.usage, '--manifest needs a path');
    manifestPath = resolve(value);
    args.splice(at, 2);
  }
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const modelsDir = resolve(io.env.SPA_MODELS_DIR ?? join(repoRoot(), 'models'));
  const manifest = await loadManifest(manifestPath);
  switch (command) {
    case 'list':
      return list(manifest, modelsDir, io);
    case 'install':
      return install(pickForInstall(manifest, rest), modelsDir, io);
    case 'verify':
      return verify(rest.length > 0 ? selectModels(manifest, rest) : manifest.models, modelsDir, io);
    default:
      throw new ModelsError(MODELS_ERR.usage, `unknown command ${command}\n${USAGE}`);
  }
}

function pickForInstall(manifest: Manifest, rest: readonly string[]): ModelEntry[] {
  const names = rest.filter((a) => a !== '--default');
  const picked = rest.includes('--default') ? manifest.models.filter((m) => m.default) : [];
  if (names.length === 0 && picked.length === 0) throw new ModelsError(MODELS_ERR.usage, 'install needs model names or --default');
  for (const m of selectModels(manifest, names)) if (!picked.includes(m)) picked.push(m);
  return picked;
}

async function list(manifest: Manifest, modelsDir: string, io: CliIo): Promise<number> {
  const rows = await Promise.all(manifest.models.map(async (model) => ({ model, state: await modelState(modelsDir, model) })));
  io.stdout(`${formatList(rows)}\n`);
  return 0;
}

async function install(models: readonly ModelEntry[], modelsDir: string, io: CliIo): Promise<number> {
  const progress = createProgress({ write: io.stderr, isTTY: io.stderrIsTTY, clock: io.clock });
  const deps = {
    modelsDir,
    progress,
    log: (line: string) => io.stderr(`models: ${line}\n`),
    clock: io.clock,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
  };
  for (const model of models) {
    const results = await installModel(model, deps);
    const outcome = results.every((r) => r.outcome === 'already installed')
      ? 'already installed'
      : results.some((r) => r.outcome === 'installed unverified')
        ? 'installed (unverified: no published checksum)'
        : 'installed and verified';
    io.stdout(`${model.name}: ${outcome}\n`);
  }
  return 0;
}

async function verify(models: readonly ModelEntry[], modelsDir: string, io: CliIo): Promise<number> {
  const bad: string[] = [];
  let checked = 0;
  for (const model of models) {
    const results = await verifyModel(modelsDir, model);
    if (results.length === 0) continue;
    checked += 1;
    for (const r of results) {
      if (r.outcome === 'bad' || r.outcome === 'missing') bad.push(`${r.model}/${r.path}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
    }
    const unverified = results.some((r) => r.outcome === 'ok unverified');
    const ok = results.every((r) => r.outcome === 'ok' || r.outcome === 'ok unverified');
    io.stdout(`${model.name}: ${ok ? (unverified ? 'ok (matches install-time hash; no published checksum)' : 'ok') : 'BAD'}\n`);
  }
  if (checked === 0) io.stdout('no installed models to verify\n');
  for (const line of bad) io.stderr(`models: ${line}\n`);
  return bad.length > 0 ? 1 : 0;
}
