import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeLlm } from '../../test/helpers/fake-llm.js';
import { tempDir } from '../../test/helpers/spa.js';
import { BookingModule } from '../booking/booking-module.js';
import { resolveSettings } from '../config/index.js';
import { createLogger } from '../log.js';
import { systemClock } from '../shared/clock.js';
import { Modules } from '../shared/modules.js';
import { StoreModule } from '../store/store-module.js';
import { AgentModule } from './agent-module.js';
import { LlmModule } from './llm-module.js';

const log = createLogger({ level: 'silent' });

function withLlm(chosen: { llm: FakeLlm | null; note: string }): { modules: Modules; agent: AgentModule; llm: LlmModule; remove: () => void } {
  const dir = tempDir('spa-llm-module-');
  const settings = resolveSettings({ env: { SPA_DATA_DIR: join(dir.path, 'data') }, systemTimeZone: 'UTC', fileText: null });
  const base = { settings, log, clock: systemClock };
  const store = new StoreModule(base);
  const booking = new BookingModule({ ...base, store });
  const agent = new AgentModule({ ...base, store, booking });
  const llm = new LlmModule({ ...base, agent, modelsDir: join(dir.path, 'models'), select: async () => chosen });
  return { modules: new Modules({ log, modules: [store, booking, agent, llm] }), agent, llm, remove: () => dir.remove() };
}

test('with a model loaded the receptionist understands with the learned model + the LLM; stop() gives it back the learned model alone, then stops the model', async () => {
  const fake = new FakeLlm({});
  let stops = 0;
  fake.stop = () => {
    stops++;
    return Promise.resolve();
  };
  const { modules, agent, llm, remove } = withLlm({ llm: fake, note: 'tiny (node-llama-cpp, CPU, 1 thread)' });
  try {
    assert.equal(llm.health(), 'none', 'before start');
    await modules.start();
    assert.equal(agent.receptionist.understanderName, 'learned + fake');
    assert.equal(llm.health(), 'tiny (node-llama-cpp, CPU, 1 thread)');
    const receptionist = agent.receptionist;
    await llm.stop();
    assert.equal(receptionist.understanderName, 'learned');
    assert.equal(stops, 1);
  } finally {
    await modules.stop();
    remove();
  }
  assert.equal(stops, 1, 'stopped once');
});

test('with no LLM the receptionist keeps the learned understanding and health says why', async () => {
  const { modules, agent, llm, remove } = withLlm({ llm: null, note: 'none: rule-based understanding (no GGUF model installed)' });
  try {
    await modules.start();
    assert.equal(agent.receptionist.understanderName, 'learned');
    assert.equal(llm.health(), 'none: rule-based understanding (no GGUF model installed)');
  } finally {
    await modules.stop();
    remove();
  }
});
