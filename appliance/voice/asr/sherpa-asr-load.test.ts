import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startEngineProcess } from './sherpa-asr-load.js';

type Req = { op: 'echo'; samples: Float32Array } | { op: 'die' } | { op: 'spin' };
type Reply = { op: 'ready' } | { op: 'load-failed'; message: string } | { op: 'echo'; sum: number; kind: string } | { op: 'spinning' };

let dir = '';
let script: URL;
const loadError = (detail: string): Error => Object.assign(new Error(detail), { code: 'LOAD' });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spa-engine-process-'));
  const lib = pathToFileURL(join(import.meta.dirname, 'sherpa-asr-load.js')).href;
  script = pathToFileURL(join(dir, 'engine.mjs'));
  await writeFile(
    script,
    `import { engineParent } from ${JSON.stringify(lib)};
const { data, post, onRequest } = engineParent();
if (data.fail) { post({ op: 'load-failed', message: 'bad model' }); process.exit(0); }
post({ op: 'ready' });
onRequest((msg) => {
  if (msg.op === 'echo') post({ op: 'echo', sum: msg.samples.reduce((a, b) => a + b, 0), kind: msg.samples.constructor.name });
  if (msg.op === 'die') { process.stderr.write('native trouble\\n', () => process.kill(process.pid, 'SIGABRT')); }
  // Says so once the message is out, then never returns to its event loop.
  if (msg.op === 'spin') process.send({ op: 'spinning' }, () => { for (;;); });
});
`,
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('an engine process answers requests, and typed arrays cross as typed arrays', async () => {
  const engine = await startEngineProcess<Req, Reply>(script, { fail: false }, loadError);
  const reply = new Promise<Reply>((resolve) => engine.once('message', resolve));
  engine.postMessage({ op: 'echo', samples: new Float32Array([0.25, 0.5, 0.25]) });
  assert.deepEqual(await reply, { op: 'echo', sum: 1, kind: 'Float32Array' });
  await engine.terminate();
  await engine.terminate(); // twice is harmless
});

test('a load failure reported by the engine becomes the caller\'s load error', async () => {
  await assert.rejects(startEngineProcess<Req, Reply>(script, { fail: true }, loadError), { code: 'LOAD', message: 'bad model' });
});

test('an engine that aborts emits one error naming the signal and its last stderr line; this process lives on', async () => {
  const engine = await startEngineProcess<Req, Reply>(script, { fail: false }, loadError);
  const failed = new Promise<Error>((resolve) => engine.once('error', resolve));
  engine.postMessage({ op: 'die' });
  const err = await failed;
  assert.match(err.message, /signal SIGABRT.*native trouble/);
  engine.postMessage({ op: 'die' }); // to a dead engine: dropped, no throw
  await engine.terminate();
});

test('terminate() kills an engine stuck in a busy loop, without an error event', async () => {
  const engine = await startEngineProcess<Req, Reply>(script, { fail: false }, loadError);
  let errors = 0;
  engine.on('error', () => errors++);
  const spinning = new Promise<Reply>((resolve) => engine.once('message', resolve));
  engine.postMessage({ op: 'spin' });
  assert.deepEqual(await spinning, { op: 'spinning' }, 'the engine is in its busy loop');
  await engine.terminate();
  assert.equal(errors, 0);
});
