// npm run bench -- scenarios: the receptionist's scenario suite as a benchmark — task success rate
// (a scenario succeeds when its replies and its database check pass), median caller turns per
// booking, and time per turn. With a GGUF model installed it also runs the suite with the LLM
// understanding on top of the rules, and measures the model: tokens/s, time to the first valid JSON.
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../appliance/log.js';
import { selectLlm } from '../../appliance/agent/llm/select.js';
import { measureLlm } from '../../appliance/agent/llm/measure.js';
import { LlmUnderstander } from '../../appliance/agent/understand/llm.js';
import { defaultUnderstander } from '../../appliance/agent/nlu/understander.js';
import type { Understander } from '../../appliance/agent/understand/index.js';
import { bookingScenarios } from '../scenarios/booking.js';
import { runScenario, type Scenario } from '../scenarios/harness.js';
import { identityScenarios } from '../scenarios/identity.js';
import { infoScenarios } from '../scenarios/info.js';
import { manageScenarios } from '../scenarios/manage.js';
import { understandingScenarios } from '../scenarios/understanding.js';
import { emit, percentile } from './report.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaCppLlm } from '../../appliance/agent/llm/llama-cpp.js';
import { writeTinyGguf } from '../../appliance/agent/llm/tiny-gguf.js';
import type { Llm } from '../../appliance/agent/llm/types.js';

const ALL: Scenario[] = [...bookingScenarios, ...manageScenarios, ...identityScenarios, ...infoScenarios, ...understandingScenarios];
const MODELS_DIR = fileURLToPath(new URL('../../../models', import.meta.url));

async function suite(label: string, understander?: Understander): Promise<void> {
  let ok = 0;
  const bookingTurns: number[] = [];
  const turnMs: number[] = [];
  const failed: string[] = [];
  for (const sc of ALL) {
    const run = await runScenario(sc, understander ? { understander } : {});
    let pass = run.failures.length === 0;
    if (pass) {
      try {
        sc.check(run.world);
      } catch {
        pass = false;
      }
    }
    await run.world.web.close();
    if (pass) ok++;
    else failed.push(sc.name);
    if (pass && sc.task === 'book') bookingTurns.push(run.turns);
    turnMs.push(...run.turnMs);
  }
  bookingTurns.sort((a, b) => a - b);
  turnMs.sort((a, b) => a - b);
  const extra = { understanding: label };
  emit('scenarios', 'scenarios', ALL.length, 'count', extra);
  emit('scenarios', 'task_success_rate', (100 * ok) / ALL.length, '%', { ...extra, failed });
  emit('scenarios', 'median_turns_per_booking', percentile(bookingTurns, 50), 'turns', { ...extra, bookings: bookingTurns.length });
  emit('scenarios', 'chat_turn_p50', percentile(turnMs, 50), 'ms', extra);
  emit('scenarios', 'chat_turn_p95', percentile(turnMs, 95), 'ms', extra);
}

export async function run(): Promise<void> {
  // The receptionist's own understanding (the learned model over the rules), as the box runs it.
  const base = defaultUnderstander().understander;
  await suite(base.name);
  const log = createLogger({ level: 'silent' });
  const chosen = await selectLlm({ log, modelsDir: MODELS_DIR });
  let llm: Llm | null = chosen.llm;
  let label = chosen.note;
  let scratch: string | null = null;
  if (!llm) {
    // No real model here: the same path on a tiny random-weight GGUF, clearly labelled. Its
    // answers are noise, so the suite shows that noise from a model cannot break the understanding it is added to.
    emit('scenarios', 'llm', 0, 'installed', { note: chosen.note });
    scratch = mkdtempSync(join(tmpdir(), 'spa-bench-gguf-'));
    const modelPath = join(scratch, 'tiny.gguf');
    await writeTinyGguf(modelPath);
    llm = new LlamaCppLlm({ log, config: { modelPath, threads: 1, contextSize: 2048 } });
    await llm.start();
    label = 'TINY RANDOM-WEIGHT GGUF (not a real model)';
  }
  try {
    const m = await measureLlm(llm);
    emit('scenarios', 'llm_tokens_per_s', m.tokensPerSecond, 'tokens/s', { model: label });
    emit('scenarios', 'llm_first_valid_json_ms', m.firstValidJsonMs, 'ms', { model: label });
    // On top of that understanding, as the llm module puts it in the box (llm-module.ts).
    await suite(`${base.name} + ${label}`, new LlmUnderstander({ llm, log, budgetMs: 1200, base }));
  } finally {
    await llm.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
