// The appliance is a set of modules (store, booking, agent, web, voice, telephony, ...), each owning
// its wiring and lifecycle, in the manner of zigbee2mqtt's extensions: the constructor only stores
// its dependencies, start() builds and starts what the module owns, stop() releases it. Modules is
// the runner: it starts them in dependency order and stops them in reverse. A start that fails
// stops what had started (a clear error names the module); a stop that fails is logged and the
// next module still stops.
import { ApplianceError } from '../errors.js';
import type { Logger } from '../log.js';

export interface ApplianceModule {
  /** Short and stable: names the module in logs and errors ("store", "voice"). */
  readonly name: string;
  /** The modules whose products this one uses: they start before it and stop after it. */
  readonly dependsOn: readonly ApplianceModule[];
  /** Builds and starts what the module owns; may use what its dependencies made in their start(). */
  start(): Promise<void>;
  /**
   * Releases everything start() made. Also called after a start() of its own that failed half way
   * (so it stops what exists and skips what does not), and safe to call twice.
   */
  stop(): Promise<void>;
  /**
   * The module's part of /api/health (Appliance.health() puts the parts together); answers before
   * start() and after stop() too, saying so. Absent when the module has nothing to report.
   */
  health?(): unknown;
}

/** A module's start() failed; `cause` is what it threw. The modules started before it were stopped. */
export class ModuleStartError extends ApplianceError {
  readonly module: string;
  constructor(module: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('SPA_ERR_MODULE_START', `the ${module} module failed to start: ${why}`, { status: 500, details: { module }, cause });
    this.module = module;
  }
}

/** The modules cannot be ordered: a dependency missing from the list, or a cycle. A programming error. */
export class ModuleOrderError extends ApplianceError {
  constructor(message: string, modules: readonly string[]) {
    super('SPA_ERR_MODULE_ORDER', message, { status: 500, details: { modules: [...modules] } });
  }
}

/**
 * The start order: every module after the modules it depends on; among modules free to start, the
 * one listed first (so the list decides what dependencies leave open, e.g. the web server before
 * the speech engines load). Pure.
 */
export function startOrder(modules: readonly ApplianceModule[]): ApplianceModule[] {
  const listed = new Set(modules);
  for (const m of modules) {
    const missing = m.dependsOn.filter((d) => !listed.has(d));
    if (missing.length > 0) {
      throw new ModuleOrderError(`module ${m.name} depends on ${missing.map((d) => d.name).join(', ')}, which is not in the list`, [m.name, ...missing.map((d) => d.name)]);
    }
  }
  const order: ApplianceModule[] = [];
  const placed = new Set<ApplianceModule>();
  while (order.length < modules.length) {
    const next = modules.find((m) => !placed.has(m) && m.dependsOn.every((d) => placed.has(d)));
    if (!next) {
      const stuck = modules.filter((m) => !placed.has(m)).map((m) => m.name);
      throw new ModuleOrderError(`modules ${stuck.join(', ')} depend on each other in a cycle`, stuck);
    }
    order.push(next);
    placed.add(next);
  }
  return order;
}

export class Modules {
  /** Started (or starting) modules, in start order. */
  private readonly started: ApplianceModule[] = [];
  private starting: Promise<void> | null = null;
  private stopRequested = false;

  constructor(private readonly deps: { log: Logger; modules: readonly ApplianceModule[] }) {}

  /** Whether every module has started and stop() has not been asked for. */
  get running(): boolean {
    return !this.stopRequested && this.started.length === this.deps.modules.length;
  }

  /**
   * Starts every module in dependency order. When one fails, it and the modules started before it
   * are stopped (in reverse) and a ModuleStartError naming it is thrown. When stop() is called
   * meanwhile, no further module starts and this resolves (check `running`).
   */
  start(): Promise<void> {
    this.starting = this.startAll();
    return this.starting;
  }

  private async startAll(): Promise<void> {
    const order = startOrder(this.deps.modules);
    for (const module of order) {
      if (this.stopRequested) return;
      this.started.push(module);
      try {
        await module.start();
      } catch (err) {
        if (this.stopRequested) {
          // stop() is under way and stops it with the rest.
          this.deps.log.error({ err, module: module.name }, `the ${module.name} module failed to start while stopping`);
          return;
        }
        // The caller logs the error (ModuleStartError carries it); this says what happens next.
        this.deps.log.warn({ module: module.name }, `the ${module.name} module failed to start; stopping the modules already started`);
        await this.stopStarted();
        throw new ModuleStartError(module.name, err);
      }
    }
  }

  /**
   * Stops the started modules in reverse order. A module still starting finishes its start() first
   * (then it is stopped too). A stop() that fails is logged and the next module still stops.
   */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.starting?.catch(() => undefined);
    await this.stopStarted();
  }

  private async stopStarted(): Promise<void> {
    const modules = this.started.splice(0).reverse();
    for (const module of modules) {
      try {
        await module.stop();
      } catch (err) {
        this.deps.log.error({ err, module: module.name }, `stopping: the ${module.name} module failed`);
      }
    }
  }
}
