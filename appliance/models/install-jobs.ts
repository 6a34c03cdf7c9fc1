// Model installs started from the web UI: one install at a time runs in the background (the same
// installer `npm run models -- install` uses), and its progress (bytes of the file being fetched,
// which file of how many, done or the error) is kept for the page to poll. The manifest is read on
// every list, so an edited manifest shows without a restart; the installed model is used by the
// engines from the next start.
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import { ApplianceError } from '../errors.js';
import { ModelsError } from './errors.js';
import { modelState, type ModelState } from './file-state.js';
import { installModel } from './installer.js';
import { formatSize } from './list.js';
import { loadManifest, selectModels, type ModelEntry } from './manifest.js';
import type { ProgressSink } from './progress.js';

export interface InstallJob {
  model: string;
  state: 'downloading' | 'installed' | 'failed';
  /** The file being fetched (1-based) and how many the model has. */
  file: number;
  files: number;
  /** Bytes of the current file on disk so far, and its size when known. */
  received: number;
  total: number | null;
  /** One line for people when state is failed. */
  error: string | null;
  /** The stable error code (SPA_ERR_MODELS_*) when state is failed. */
  code: string | null;
}

export interface ModelRow {
  name: string;
  role: ModelEntry['role'];
  description: string;
  licence: string;
  size: string;
  default: boolean;
  state: ModelState;
}

export interface ModelInstallsDeps {
  /** Where models are installed. */
  modelsDir: string;
  /** models/manifest.json (or another manifest, e.g. a mirror's). */
  manifestPath: string;
  clock: Clock;
  log: Logger;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export class InstallBusyError extends ApplianceError {
  constructor(model: string) {
    super('SPA_ERR_MODELS_BUSY', `${model} is being installed; wait for it to finish`, { status: 409 });
  }
}

export class ModelInstalls {
  private job: InstallJob | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: ModelInstallsDeps) {}

  /** Every model in the manifest with its state on disk. */
  async list(): Promise<ModelRow[]> {
    const manifest = await loadManifest(this.deps.manifestPath);
    return Promise.all(
      manifest.models.map(async (m) => ({
        name: m.name,
        role: m.role,
        description: m.description,
        licence: m.licence,
        size: formatSize(m),
        default: m.default,
        state: await modelState(this.deps.modelsDir, m),
      })),
    );
  }

  /** The install running or last finished (null before any). */
  current(): InstallJob | null {
    return this.job ? { ...this.job } : null;
  }

  /** Starts installing `name` in the background; refuses while another install runs. */
  async start(name: string): Promise<InstallJob> {
    if (this.busy()) throw new InstallBusyError(this.job?.model ?? name);
    const manifest = await loadManifest(this.deps.manifestPath);
    const [model] = selectModels(manifest, [name]);
    if (!model) throw new Error('unreachable: selectModels returns the named model');
    // Checked again: another start may have begun while the manifest was read.
    if (this.busy()) throw new InstallBusyError(this.job?.model ?? name);
    const job: InstallJob = { model: model.name, state: 'downloading', file: 1, files: model.files.length, received: 0, total: model.files[0]?.size ?? null, error: null, code: null };
    this.job = job;
    this.running = this.run(model, job);
    return { ...job };
  }

  private busy(): boolean {
    return this.job?.state === 'downloading';
  }

  /** Resolves when the install in flight (if any) has finished, for an orderly stop. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async run(model: ModelEntry, job: InstallJob): Promise<void> {
    const { log } = this.deps;
    let started = 0;
    const progress: ProgressSink = {
      start: (_label, p) => {
        started += 1;
        job.file = Math.min(started, job.files);
        job.received = p.received;
        job.total = p.total;
      },
      update: (p) => {
        job.received = p.received;
        job.total = p.total;
      },
      finish: () => undefined,
    };
    try {
      await installModel(model, {
        modelsDir: this.deps.modelsDir,
        progress,
        log: (line) => log.info({ model: model.name }, line),
        clock: this.deps.clock,
        connectTimeoutMs: this.deps.connectTimeoutMs ?? 5000,
        idleTimeoutMs: this.deps.idleTimeoutMs ?? 60_000,
      });
      job.state = 'installed';
      job.file = job.files;
      if (job.total !== null) job.received = job.total;
      log.info({ model: model.name }, 'model installed from the web UI');
    } catch (err) {
      job.state = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
      job.code = err instanceof ModelsError ? err.code : 'SPA_ERR_MODELS_FAILED';
      log.warn({ model: model.name, code: job.code, err: job.error }, 'model install failed');
    }
  }
}
