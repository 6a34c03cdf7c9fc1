// Which LLM the receptionist gets, chosen at start from what is installed, with the reason in
// words for the log and /api/health (as voice/engines.ts does for VAD, ASR and TTS). The manifest's
// `llm` entries are tried in manifest order (the smallest first); the first whose GGUF is present
// (models/<name>/<file>) and loads wins. Nothing installed, or nothing that loads, is not an error:
// the receptionist runs on its rule-based understanding.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../log.js';
import { loadManifest, type ModelEntry } from '../../models/manifest.js';
import { LlamaCppLlm, type LlamaCppConfig } from './llama-cpp.js';
import { defaultLlmThreads } from './llama-cpp-runtime.js';
import type { Llm } from './types.js';

export interface SelectLlmDeps {
  log: Logger;
  /** Where models are installed (models/<name>/<file>). */
  modelsDir: string;
  /** Default: <repo>/models/manifest.json. */
  manifestPath?: string;
  /** Try this manifest entry first. */
  prefer?: string;
  /** Engine settings other than the model path. */
  config?: Omit<LlamaCppConfig, 'modelPath'>;
}

export interface SelectedLlm {
  llm: Llm | null;
  /** e.g. "qwen2.5-0.5b-instruct-q4_k_m (node-llama-cpp, CPU, 3 threads)" or "none: rule-based understanding (...)". */
  note: string;
}

const GGUF = /\.gguf$/i;
/** <repo>/models/manifest.json, from dist/appliance/agent/llm/. */
const DEFAULT_MANIFEST = fileURLToPath(new URL('../../../../models/manifest.json', import.meta.url));

function ggufOf(model: ModelEntry): string | null {
  return model.files.find((f) => GGUF.test(f.path))?.path ?? null;
}

export async function selectLlm(deps: SelectLlmDeps): Promise<SelectedLlm> {
  const { log, modelsDir } = deps;
  const none = (why: string): SelectedLlm => {
    const note = `none: rule-based understanding (${why})`;
    log.info({ role: 'llm', engine: note }, `llm: ${note}`);
    return { llm: null, note };
  };

  let entries: ModelEntry[];
  try {
    const manifest = await loadManifest(deps.manifestPath ?? DEFAULT_MANIFEST);
    entries = manifest.models.filter((m) => m.role === 'llm');
  } catch (err) {
    log.warn({ err }, 'cannot read the model manifest; no LLM');
    return none('model manifest unreadable');
  }
  if (deps.prefer) entries.sort((a, b) => Number(b.name === deps.prefer) - Number(a.name === deps.prefer));

  const installed = entries.flatMap((m) => {
    const file = ggufOf(m);
    const path = file === null ? null : join(modelsDir, m.name, file);
    return path !== null && existsSync(path) ? [{ model: m, path }] : [];
  });
  if (installed.length === 0) return none('no GGUF model installed');

  const failed: string[] = [];
  for (const { model, path } of installed) {
    const threads = deps.config?.threads ?? defaultLlmThreads();
    const llm = new LlamaCppLlm({ log: log.child({ mod: 'llm' }), config: { ...deps.config, threads, modelPath: path } });
    try {
      await llm.start();
    } catch (err) {
      log.warn({ err, model: model.name }, 'LLM model failed to load');
      failed.push(model.name);
      continue;
    }
    const note = `${model.name} (node-llama-cpp, CPU, ${threads} thread${threads === 1 ? '' : 's'})`;
    log.info({ role: 'llm', engine: note }, `llm: ${note}`);
    return { llm, note };
  }
  return none(`${failed.join(', ')} failed to load`);
}
