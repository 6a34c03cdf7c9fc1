// The llm module: the local LLM the receptionist's understanding uses when a model is installed
// (else the rules alone). It is listed last in appliance.ts: the model loads (seconds) after SIP is
// listening, and calls until then are understood by the rules.
import type { ApplianceDeps } from '../appliance.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { AgentModule } from './agent-module.js';
import { selectLlm, type SelectedLlm, type SelectLlmDeps } from './llm/select.js';
import type { Llm } from './llm/types.js';
import type { Understander } from './understand/index.js';
import { LlmUnderstander } from './understand/llm.js';

export interface LlmModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log'> {
  agent: AgentModule;
  modelsDir: string;
  /** How the model is chosen and loaded (default: agent/llm/select.ts); tests inject a fake. */
  select?: (deps: SelectLlmDeps) => Promise<SelectedLlm>;
}

export class LlmModule implements ApplianceModule {
  readonly name = 'llm';
  readonly dependsOn: readonly ApplianceModule[];
  private llm: Llm | null = null;
  /** The understanding the receptionist had before the LLM's (restored at stop). */
  private previous: Understander | null = null;
  private note = 'none';

  constructor(private readonly deps: LlmModuleDeps) {
    this.dependsOn = [deps.agent];
  }

  async start(): Promise<void> {
    const { settings, log, agent, modelsDir } = this.deps;
    const chosen = await (this.deps.select ?? selectLlm)({ log: log.child({ mod: 'llm' }), modelsDir });
    this.note = chosen.note;
    if (chosen.llm) {
      this.llm = chosen.llm;
      this.previous = agent.receptionist.useUnderstander(new LlmUnderstander({ llm: chosen.llm, log: log.child({ mod: 'llm' }), budgetMs: () => settings.agent.llmBudgetMs, base: agent.receptionist.understander }));
    }
  }

  /** The receptionist goes back to the rules, then the model is unloaded. */
  async stop(): Promise<void> {
    const llm = this.llm;
    this.llm = null;
    if (this.previous) this.deps.agent.receptionist.useUnderstander(this.previous);
    this.previous = null;
    await llm?.stop();
  }

  /** /api/health engines.llm: the model in use, or why there is none. */
  health(): string {
    return this.note;
  }
}
