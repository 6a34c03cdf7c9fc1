import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log.js';
import { ModuleOrderError, ModuleStartError, Modules, startOrder, type ApplianceModule } from './modules.js';

/** A module that records its start and stop in `events`; `failStart` / `failStop` make them throw. */
class FakeModule implements ApplianceModule {
  readonly dependsOn: ApplianceModule[] = [];
  failStart: Error | null = null;
  failStop: Error | null = null;
  /** While set, start() waits for it. */
  gate: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly events: string[],
    ...dependsOn: ApplianceModule[]
  ) {
    this.dependsOn = dependsOn;
  }

  async start(): Promise<void> {
    this.events.push(`start ${this.name}`);
    await this.gate;
    if (this.failStart) throw this.failStart;
  }

  async stop(): Promise<void> {
    this.events.push(`stop ${this.name}`);
    if (this.failStop) throw this.failStop;
  }
}

function capturedLog(): { log: ReturnType<typeof createLogger>; lines: () => { level: number; msg: string; module?: string }[] } {
  const out: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void out.push(line) } });
  return { log, lines: () => out.map((l) => JSON.parse(l) as { level: number; msg: string; module?: string }) };
}

test('modules start after the modules they depend on, whatever the list order, and stop in reverse', async () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const booking = new FakeModule('booking', events, store);
  const voice = new FakeModule('voice', events, booking);
  const telephony = new FakeModule('telephony', events, store, voice);
  const modules = new Modules({ log: capturedLog().log, modules: [telephony, voice, booking, store] });
  await modules.start();
  assert.equal(modules.running, true);
  await modules.stop();
  assert.deepEqual(events, ['start store', 'start booking', 'start voice', 'start telephony', 'stop telephony', 'stop voice', 'stop booking', 'stop store']);
  assert.equal(modules.running, false);
});

test('where dependencies leave a choice, the list order decides (the web UI before the speech engines, the LLM last)', () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const agent = new FakeModule('agent', events, store);
  const web = new FakeModule('web', events, store, agent);
  const voice = new FakeModule('voice', events, agent);
  const telephony = new FakeModule('telephony', events, voice);
  const llm = new FakeModule('llm', events, agent);
  assert.deepEqual(
    startOrder([store, agent, web, voice, telephony, llm]).map((m) => m.name),
    ['store', 'agent', 'web', 'voice', 'telephony', 'llm'],
  );
  assert.deepEqual(startOrder([llm, telephony, voice, web, agent, store]).map((m) => m.name), ['store', 'agent', 'llm', 'voice', 'telephony', 'web']);
});

test('a module whose start fails is stopped with the modules started before it (in reverse), later ones never start, and the error names it', async () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const booking = new FakeModule('booking', events, store);
  const web = new FakeModule('web', events, booking);
  const voice = new FakeModule('voice', events, booking);
  const cause = new Error('EADDRINUSE: address already in use');
  web.failStart = cause;
  const { log, lines } = capturedLog();
  const modules = new Modules({ log, modules: [store, booking, web, voice] });
  await assert.rejects(modules.start(), (err: unknown) => {
    assert.ok(err instanceof ModuleStartError);
    assert.equal(err.module, 'web');
    assert.equal(err.code, 'SPA_ERR_MODULE_START');
    assert.equal(err.cause, cause);
    assert.equal(err.message, 'the web module failed to start: EADDRINUSE: address already in use');
    return true;
  });
  assert.deepEqual(events, ['start store', 'start booking', 'start web', 'stop web', 'stop booking', 'stop store']);
  assert.equal(modules.running, false);
  assert.ok(lines().some((l) => l.module === 'web' && /web module failed to start; stopping the modules already started/.test(l.msg)));
  await modules.stop();
  assert.equal(events.length, 6, 'a stop() after the failed start has nothing left to stop');
});

test('a stop() that fails is logged naming the module, and the modules after it in stop order still stop', async () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const web = new FakeModule('web', events, store);
  const telephony = new FakeModule('telephony', events, store);
  web.failStop = new Error('server did not close');
  const { log, lines } = capturedLog();
  const modules = new Modules({ log, modules: [store, web, telephony] });
  await modules.start();
  await modules.stop();
  assert.deepEqual(events.slice(3), ['stop telephony', 'stop web', 'stop store']);
  const failed = lines().filter((l) => l.level === 50);
  assert.deepEqual(
    failed.map((l) => [l.module, l.msg]),
    [['web', 'stopping: the web module failed']],
  );
});

test('a stop() that fails while a failed start is rolled back is logged, and the rest still stop', async () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const web = new FakeModule('web', events, store);
  const voice = new FakeModule('voice', events, web);
  store.failStop = new Error('checkpoint failed');
  voice.failStart = new Error('no engines');
  const { log, lines } = capturedLog();
  const modules = new Modules({ log, modules: [store, web, voice] });
  await assert.rejects(modules.start(), ModuleStartError);
  assert.deepEqual(events, ['start store', 'start web', 'start voice', 'stop voice', 'stop web', 'stop store']);
  assert.ok(lines().some((l) => l.module === 'store' && l.msg === 'stopping: the store module failed'));
});

test('stop() during start: the module starting finishes its start, no later module starts, all started ones stop, and start() resolves not running', async () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const voice = new FakeModule('voice', events, store);
  const telephony = new FakeModule('telephony', events, voice);
  let release = (): void => undefined;
  voice.gate = new Promise<void>((resolve) => (release = resolve));
  const modules = new Modules({ log: capturedLog().log, modules: [store, voice, telephony] });
  const starting = modules.start();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['start store', 'start voice']);
  const stopping = modules.stop();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['start store', 'start voice'], 'nothing stops under a module still starting');
  release();
  await Promise.all([starting, stopping]);
  assert.deepEqual(events, ['start store', 'start voice', 'stop voice', 'stop store']);
  assert.equal(modules.running, false);
});

test('a dependency missing from the list, or a cycle, is refused before anything starts', async () => {
  const events: string[] = [];
  const store = new FakeModule('store', events);
  const web = new FakeModule('web', events, store);
  await assert.rejects(new Modules({ log: capturedLog().log, modules: [web] }).start(), (err: unknown) => {
    assert.ok(err instanceof ModuleOrderError);
    assert.match(err.message, /module web depends on store, which is not in the list/);
    return true;
  });
  const a = new FakeModule('a', events);
  const b = new FakeModule('b', events, a);
  a.dependsOn.push(b);
  assert.throws(() => startOrder([store, a, b]), /modules a, b depend on each other in a cycle/);
  assert.deepEqual(events, []);
});
