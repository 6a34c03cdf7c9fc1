import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../test/helpers/spa.js';
import { AgentModule } from '../agent/agent-module.js';
import { BookingModule } from '../booking/booking-module.js';
import { resolveSettings } from '../config/index.js';
import { createLogger } from '../log.js';
import { systemClock } from '../shared/clock.js';
import { Modules } from '../shared/modules.js';
import { StoreModule } from '../store/store-module.js';
import type { Asr } from './asr/types.js';
import { EchoAgent } from './echo-agent.js';
import type { CallerLmWiring, VoiceEngines } from './engines.js';
import { splitSentences, type Tts } from './tts/types.js';
import type { Vad } from './vad/types.js';
import { CallVads, callLogTurn, VoiceModule } from './voice-module.js';

const log = createLogger({ level: 'silent' });

/** Engines that record what they were asked to do. */
function fakeEngines(): { engines: VoiceEngines; synthesized: string[]; stopped: string[] } {
  const synthesized: string[] = [];
  const stopped: string[] = [];
  const asr: Asr = {
    name: 'fake-asr',
    capabilities: { streaming: false, grammar: false, sampleRate: 16000 },
    start: async () => undefined,
    stop: async () => void stopped.push('asr'),
    recognize: async () => ({ text: '', confidence: null, elapsedMs: 0 }),
  };
  const tts: Tts = {
    name: 'fake-tts',
    capabilities: { streaming: false, sampleRate: 16000 },
    start: async () => undefined,
    stop: async () => void stopped.push('tts'),
    synthesize: async (text) => {
      synthesized.push(text);
      return new Int16Array(160);
    },
  };
  const notes = { vad: 'fake vad', asr: 'fake asr', tts: 'fake tts', llm: 'none' };
  return { engines: { vad: () => fakeVad(stopped), asr, asrHears: () => true, tts, notes }, synthesized, stopped };
}

function fakeVad(stopped: string[], name = 'vad'): Vad {
  return {
    name,
    capabilities: { frameMs: 20, sampleRate: 16000, probability: 'binary', decisionMs: 20 },
    start: async () => undefined,
    stop: async () => void stopped.push(name),
    process: () => ({ speech: false, probability: 0 }),
    reset: () => undefined,
  };
}

/** The store, booking and agent modules over a temp data dir, and a voice module on fake engines. */
function voiceOnFakes(
  mode: 'receptionist' | 'echo',
  opts: { languageModel?: VoiceEngines['languageModel']; onSelect?: (deps: Parameters<NonNullable<ConstructorParameters<typeof VoiceModule>[0]['selectEngines']>>[0]) => void } = {},
): { modules: Modules; voice: VoiceModule; agent: AgentModule; booking: BookingModule; dataDir: string; fakes: ReturnType<typeof fakeEngines>; remove: () => void } {
  const dir = tempDir('spa-voice-module-');
  const settings = resolveSettings({
    env: { SPA_DATA_DIR: join(dir.path, 'data'), SPA_TIMEZONE: 'America/New_York' },
    systemTimeZone: 'UTC',
    fileText: JSON.stringify({ version: 1, agent: { mode }, telephony: { record: true } }),
  });
  const base = { settings, log, clock: systemClock };
  const store = new StoreModule(base);
  const booking = new BookingModule({ ...base, store });
  const agent = new AgentModule({ ...base, store, booking });
  const fakes = fakeEngines();
  if (opts.languageModel) fakes.engines.languageModel = opts.languageModel;
  const voice = new VoiceModule({
    ...base,
    store,
    booking,
    agent,
    modelsDir: join(dir.path, 'models'),
    selectEngines: async (deps) => {
      opts.onSelect?.(deps);
      return fakes.engines;
    },
    standInVoice: async () => ({ sampleRate: 16000, channels: 1, samples: new Int16Array(160) }),
  });
  return { modules: new Modules({ log, modules: [store, booking, agent, voice] }), voice, agent, booking, dataDir: join(dir.path, 'data'), fakes, remove: () => dir.remove() };
}

test("the voice module pre-renders the receptionist's own prompts, sentence by sentence, before the first call", async () => {
  const { modules, agent, fakes, remove } = voiceOnFakes('receptionist');
  try {
    await modules.start();
    const expected = agent.receptionist.prompts().flatMap(splitSentences);
    assert.ok(expected.includes('Are you still there?') && expected.some((s) => /This call is recorded/.test(s)), expected.join(' | '));
    assert.deepEqual(new Set(fakes.synthesized), new Set(expected));
  } finally {
    await modules.stop();
    remove();
  }
});

test("in the audio check mode the voice module pre-renders the echo agent's greeting and reprompt", async () => {
  const { modules, fakes, remove } = voiceOnFakes('echo');
  try {
    await modules.start();
    const echo = new EchoAgent({ spaName: () => 'Lumière Med Spa' });
    assert.deepEqual(new Set(fakes.synthesized), new Set(echo.prompts().flatMap(splitSentences)));
  } finally {
    await modules.stop();
    remove();
  }
});

test('stopping the voice module stops the ASR and TTS engines; health keeps naming the engines chosen', async () => {
  const { modules, voice, fakes, remove } = voiceOnFakes('receptionist');
  try {
    assert.deepEqual(voice.health(), { vad: 'none', asr: 'none', tts: 'none' }, 'before start');
    await modules.start();
    assert.deepEqual(voice.health(), { vad: 'fake vad', asr: 'fake asr', tts: 'fake tts' });
    assert.deepEqual(fakes.stopped, []);
    await modules.stop();
    assert.deepEqual([...fakes.stopped].sort(), ['asr', 'tts']);
    assert.deepEqual(voice.health(), { vad: 'fake vad', asr: 'fake asr', tts: 'fake tts' });
    assert.throws(() => voice.router, /has not started/);
  } finally {
    await modules.stop();
    remove();
  }
});

test("a call's VAD stops with its call; the VADs of calls still open are stopped by stopAll, each once", async () => {
  const stopped: string[] = [];
  let n = 0;
  const vads = new CallVads(() => fakeVad(stopped, `vad${++n}`));
  const first = vads.create();
  vads.create();
  await first.stop();
  assert.deepEqual(stopped, ['vad1']);
  await vads.stopAll();
  assert.deepEqual(stopped, ['vad1', 'vad2']);
  await vads.stopAll();
  assert.deepEqual(stopped, ['vad1', 'vad2'], 'nothing left to stop');
});

test('voice turns go to the call log as greeting, speech (its words), keys (the digits) or silence, with their latency marks', () => {
  const marks = { endOfSpeech: 1, endpoint: 2, asrFinal: 3, replyChosen: 4, firstAudio: 5 };
  const turn = (input: Parameters<typeof callLogTurn>[0]['input']) => callLogTurn({ input, reply: 'reply', marks, interrupted: true });
  assert.deepEqual(turn({ kind: 'silence', count: 0 }), { inputKind: 'greeting', callerText: '', replyText: 'reply', interrupted: true, ...marks });
  assert.deepEqual(turn({ kind: 'silence', count: 2 }), { inputKind: 'silence', callerText: '', replyText: 'reply', interrupted: true, ...marks });
  assert.deepEqual(turn({ kind: 'speech', text: 'hello there', confidence: null }), { inputKind: 'speech', callerText: 'hello there', replyText: 'reply', interrupted: true, ...marks });
  assert.deepEqual(turn({ kind: 'dtmf', digits: '12' }), { inputKind: 'dtmf', callerText: '12', replyText: 'reply', interrupted: true, ...marks });
});

test('the engines get the live catalogue for the caller language model (its words and revision), kept under the data dir; stop() stops that model too', async () => {
  const stopped: string[] = [];
  let callers: CallerLmWiring | undefined;
  const { modules, booking, dataDir, remove } = voiceOnFakes('receptionist', {
    languageModel: { stop: async () => void stopped.push('caller-lm') },
    onSelect: (deps) => (callers = deps.callers),
  });
  try {
    await modules.start();
    assert.ok(callers);
    assert.equal(callers.cacheDir, join(dataDir, 'speech'));
    const domain = callers.source.domain();
    assert.equal(domain.spaName, 'Lumière Med Spa');
    assert.ok(domain.services.some((s) => s.name === 'Dysport' && s.aliases.includes('dis port')));
    assert.deepEqual(domain.providers.map((p) => p.name), booking.catalogue.providers().map((p) => p.name));
    assert.ok(domain.knowledge.some((k) => k.examples.length > 0));
    const before = callers.source.revision();
    booking.catalogue.setKnowledgeExamples(booking.catalogue.knowledge()[0]?.id ?? '', ['can i park out front']);
    assert.notEqual(callers.source.revision(), before, 'a catalogue edit moves the revision the model watches');
    assert.ok(callers.source.domain().knowledge.some((k) => k.examples.includes('can i park out front')));
    await modules.stop();
    assert.deepEqual(stopped, ['caller-lm']);
  } finally {
    await modules.stop();
    remove();
  }
});
