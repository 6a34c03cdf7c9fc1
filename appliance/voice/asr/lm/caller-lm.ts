// The spa's caller language model as a module: built from the live catalogue at start, rebuilt
// when what callers talk about changes (a service, an alias, a provider, a knowledge example),
// and kept on disk under a hash of everything it is made from, so a restart with the same
// catalogue loads it instead of building it. Builds run in a child process at low priority (the
// event loop paces RTP); until the first one is done, and when a build fails, current() is the
// last good model or null (open turns then keep their phrase grammar).
import { execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../../log.js';
import { systemClock, type Clock, type TimerHandle } from '../../../shared/clock.js';
import { DEFAULT_CALLER_LM_PARAMS, type CallerLmInputs, type CallerLmParams } from './build.js';
import type { CallerDomain } from './caller-corpus.js';
import { CALLER_LM_FORMAT, DEFAULT_MODEL_DIR, type CallerLmJob, type CallerLmReport } from './caller-lm-build.js';
import { readCallerSentences } from './caller-sentences.js';

const WORKER = fileURLToPath(new URL('./caller-lm-worker.js', import.meta.url));
/** Cache entries kept besides the one in use (a catalogue edited back and forth rebuilds nothing). */
const KEEP = 3;

/** The files a decoder needs for the model, and a key that changes with them. */
export interface LanguageModelFiles {
  lm: string;
  dict: string;
  key: string;
}

/** What the model is built from, read from the catalogue. */
export interface CallerLmSource {
  domain(): CallerDomain;
  /** Changes whenever the catalogue does (Catalogue.revision()); cheap to call. */
  revision(): number;
}

export interface CallerLmConfig {
  modelDir?: string;
  params?: CallerLmParams;
  /** How often the catalogue's revision is looked at between turns. Default 30 s. */
  checkEveryMs?: number;
  /** A build past this is killed. Default 180 s (the first build on a Pi also makes the generic slice). */
  buildTimeoutMs?: number;
  /** Written caller sentences (default: caller-sentences.json). */
  extraTexts?: readonly string[];
}

export interface CallerLmDeps {
  log: Logger;
  source: CallerLmSource;
  /** Where built models are kept (a folder per input hash). */
  cacheDir: string;
  clock?: Clock;
  config?: CallerLmConfig;
  /** Runs a build (default: a child process running caller-lm-worker.ts); tests pass a fake. */
  build?: (job: CallerLmJob, signal: AbortSignal) => Promise<CallerLmReport>;
}

/** The catalogue's words callers use, from the spa's data (a Catalogue or the demo spa). Pure. */
export function callerDomainOf(spa: {
  profile: { name: string };
  services: readonly { name: string; aliases: readonly string[]; active?: boolean }[];
  providers: readonly { name: string; active?: boolean }[];
  knowledge: readonly { title: string; examples?: readonly string[] }[];
}): CallerDomain {
  return {
    spaName: spa.profile.name,
    services: spa.services.filter((s) => s.active !== false).map((s) => ({ name: s.name, aliases: [...s.aliases] })),
    providers: spa.providers.filter((p) => p.active !== false).map((p) => ({ name: p.name })),
    knowledge: spa.knowledge.map((k) => ({ title: k.title, examples: [...(k.examples ?? [])] })),
  };
}

export class CallerLanguageModel {
  readonly #deps: CallerLmDeps;
  #extraTexts: readonly string[] = [];
  #current: LanguageModelFiles | null = null;
  #revision: number | null = null;
  #timer: TimerHandle | null = null;
  #refreshing: Promise<void> | null = null;
  #again = false;
  #abort = new AbortController();
  #running = false;

  constructor(deps: CallerLmDeps) {
    this.#deps = deps;
  }

  get #clock(): Clock {
    return this.#deps.clock ?? systemClock;
  }

  /** Loads or builds the model for the catalogue as it is now (a failure is logged, not thrown). */
  async start(): Promise<void> {
    this.#running = true;
    this.#abort = new AbortController();
    this.#extraTexts = this.#deps.config?.extraTexts ?? (await readCallerSentences());
    await this.refresh();
    if (!this.#running) return;
    this.#timer = this.#clock.setInterval(() => this.#check(), this.#deps.config?.checkEveryMs ?? 30_000, { unref: true });
  }

  /** Stops looking for changes and kills a build in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) this.#clock.clearInterval(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    await this.#refreshing?.catch(() => undefined);
  }

  /** The model for open turns now, or null. Notices a catalogue change (the rebuild runs in the background). */
  current(): LanguageModelFiles | null {
    this.#check();
    return this.#current;
  }

  /** Brings the model up to date with the catalogue now (a build when its inputs changed). */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          await this.#update();
        } while (this.#again && this.#running);
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  #check(): void {
    if (!this.#running) return;
    let revision: number;
    try {
      revision = this.#deps.source.revision();
    } catch (err) {
      this.#deps.log.warn({ err }, 'caller language model: could not read the catalogue revision');
      return;
    }
    if (revision !== this.#revision) void this.refresh();
  }

  async #update(): Promise<void> {
    const { log, source, cacheDir } = this.#deps;
    const config = this.#deps.config ?? {};
    try {
      this.#revision = source.revision();
      const modelDir = config.modelDir ?? DEFAULT_MODEL_DIR;
      const inputs: CallerLmInputs = { domain: source.domain(), extraTexts: this.#extraTexts, params: config.params ?? DEFAULT_CALLER_LM_PARAMS };
      const key = await inputsKey(inputs, modelDir);
      if (this.#current?.key === key) return;
      const outDir = join(cacheDir, 'caller-lm', key);
      let report = await readReport(outDir);
      if (report) log.info({ key }, 'caller language model loaded from its cache');
      else {
        const job: CallerLmJob = { outDir, cacheDir, modelDir, inputs };
        const t0 = this.#clock.monotonic();
        try {
          report = await (this.#deps.build ?? runBuildProcess(config.buildTimeoutMs ?? 180_000))(job, this.#abort.signal);
        } catch (err) {
          // Another process may have built the same model meanwhile (the rename lost the race).
          report = await readReport(outDir);
          if (!report) throw err;
        }
        log.info(
          { key, ms: Math.round(this.#clock.monotonic() - t0), vocabulary: report.vocabulary, ngrams: report.ngrams, binary: report.binary, steps: report.ms, pii: { unpronounceable: report.unpronounceable } },
          'caller language model built',
        );
      }
      if (!this.#running) return;
      this.#current = { lm: report.lm, dict: report.dict, key };
      await prune(join(cacheDir, 'caller-lm'), key);
    } catch (err) {
      if (this.#abort.signal.aborted) return;
      log.warn({ err }, 'caller language model could not be built; open turns keep their phrase grammar');
    }
  }
}

/** SHA-256 over everything the model is made from (inputs, format, Debian's model files), 24 hex digits. */
export async function inputsKey(inputs: CallerLmInputs, modelDir: string): Promise<string> {
  const files = await Promise.all(['en-us.lm.bin', 'cmudict-en-us.dict'].map(async (f) => {
    const s = await stat(join(modelDir, f));
    return { f, size: s.size, mtime: s.mtimeMs };
  }));
  return createHash('sha256').update(JSON.stringify({ format: CALLER_LM_FORMAT, modelDir, files, inputs })).digest('hex').slice(0, 24);
}

async function readReport(outDir: string): Promise<CallerLmReport | null> {
  try {
    const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as CallerLmReport;
    await Promise.all([stat(report.lm), stat(report.dict)]);
    return report;
  } catch {
    return null;
  }
}

/** Removes all but the newest KEEP cache entries besides `keep`. */
async function prune(dir: string, keep: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(
    entries.filter((e) => e !== keep && !e.endsWith('.tmp')).map(async (e) => ({ e, t: (await stat(join(dir, e)).catch(() => null))?.mtimeMs ?? 0 })),
  );
  for (const { e } of dated.sort((a, b) => b.t - a.t).slice(KEEP)) await rm(join(dir, e), { recursive: true, force: true });
}

/** A build in a child process at low priority, killed past `timeoutMs` or when `signal` aborts. */
function runBuildProcess(timeoutMs: number): (job: CallerLmJob, signal: AbortSignal) => Promise<CallerLmReport> {
  return (job, signal) =>
    new Promise((resolve, reject) => {
      let child: ChildProcess | null = null;
      child = execFile(process.execPath, [WORKER], { timeout: timeoutMs, maxBuffer: 1 << 20, signal }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`caller language model build failed: ${err.message} ${stderr.slice(-400)}`, { cause: err }));
        try {
          resolve(JSON.parse(stdout) as CallerLmReport);
        } catch (parseErr) {
          reject(parseErr instanceof Error ? parseErr : new Error(String(parseErr)));
        }
      });
      if (child.pid !== undefined) {
        try {
          setPriority(child.pid, 15);
        } catch {
          // not allowed here: it runs at normal priority
        }
      }
      // A child killed before it read its job (the box stopping) makes the write fail with EPIPE:
      // the build's own callback reports the failure, and an unheard stream error would crash the box.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(JSON.stringify(job));
    });
}
