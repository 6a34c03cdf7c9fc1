// Speech model installs from the web UI: owner only, started in the background, with progress the
// page can poll, and a failed download (bad checksum, unreachable host) reported as an error, not
// a hang. Downloads come from a loopback server named by a test manifest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../log.js';
import { ModelInstalls, type InstallJob } from '../../models/install-jobs.js';
import { systemClock } from '../../shared/clock.js';
import { openTestWeb, type TestWeb } from '../../../test/helpers/web.js';

const weights = Buffer.alloc(200_000, 3).fill(5, 500, 9000);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Rig {
  web: TestWeb;
  installs: ModelInstalls;
  base: string;
  dir: string;
  /** Resolves the held second half of /slow.bin. */
  release: () => void;
  /** Resolves when the server has sent the first half of /slow.bin. */
  halfSent: Promise<void>;
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  let release = (): void => undefined;
  const held = new Promise<void>((r) => (release = r));
  let halfSentResolve = (): void => undefined;
  const halfSent = new Promise<void>((r) => (halfSentResolve = r));
  const server = http.createServer((req, res) => {
    if (req.url === '/weights.bin') {
      res.writeHead(200, { 'content-length': weights.length });
      res.end(weights);
    } else if (req.url === '/slow.bin') {
      res.writeHead(200, { 'content-length': weights.length });
      res.write(weights.subarray(0, 100_000), () => halfSentResolve());
      void held.then(() => res.end(weights.subarray(100_000)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was free a moment ago: nothing listens there.
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));

  const dir = mkdtempSync(join(tmpdir(), 'spa-models-web-'));
  const file = (path: string, url: string, digest: string) => ({ path, url, size: weights.length, sha256: digest });
  const manifest = {
    version: 1,
    models: [
      { name: 'tiny-asr', role: 'asr', licence: 'MIT', description: 'a tiny test recogniser', files: [file('w.bin', `${base}/weights.bin`, sha(weights))] },
      { name: 'slow-tts', role: 'tts', licence: 'MIT', description: 'a voice served slowly', files: [file('v.bin', `${base}/slow.bin`, sha(weights))] },
      { name: 'bad-sum', role: 'llm', licence: 'MIT', description: 'a checksum that does not match', files: [file('l.bin', `${base}/weights.bin`, 'a'.repeat(64))] },
      { name: 'offline', role: 'vad', licence: 'MIT', description: 'a host that cannot be reached', files: [file('o.bin', `http://127.0.0.1:${deadPort}/x.bin`, sha(weights))] },
    ],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const installs = new ModelInstalls({
    modelsDir: join(dir, 'models'),
    manifestPath: join(dir, 'manifest.json'),
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
  });
  const web = await openTestWeb({ models: installs });
  return {
    web,
    installs,
    base,
    dir,
    release,
    halfSent,
    async close() {
      release();
      await installs.settled();
      await web.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Listing = { models: { name: string; state: string; description: string; role: string }[]; install: InstallJob | null };

function as(web: TestWeb, cookie: string) {
  return async (method: 'GET' | 'POST', url: string) => {
    const res = await web.app.inject({ method, url, headers: { cookie } });
    return { status: res.statusCode, body: res.json<Listing & { install: InstallJob; error?: { code: string; message: string } }>() };
  };
}

test('only the owner may list or install models: no session 401, manager and front desk 403', async () => {
  const r = await rig();
  try {
    assert.equal((await r.web.app.inject({ url: '/api/models' })).statusCode, 401);
    assert.equal((await r.web.app.inject({ method: 'POST', url: '/api/models/tiny-asr/install' })).statusCode, 401);
    for (const role of ['manager', 'frontdesk'] as const) {
      const call = as(r.web, (await r.web.addUser(`m-${role}`, role)).cookie);
      assert.equal((await call('GET', '/api/models')).status, 403, role);
      assert.equal((await call('POST', '/api/models/tiny-asr/install')).status, 403, role);
    }
    assert.equal(r.installs.current(), null, 'no install was started');
  } finally {
    await r.close();
  }
});

test('the owner installs a model in the background: progress is polled as bytes of the total, then it is installed, verified and audited', async () => {
  const r = await rig();
  try {
    const owner = as(r.web, await r.web.login());
    const before = await owner('GET', '/api/models');
    assert.equal(before.status, 200);
    assert.deepEqual(
      before.body.models.map((m) => [m.name, m.role, m.state]),
      [['tiny-asr', 'asr', 'not installed'], ['slow-tts', 'tts', 'not installed'], ['bad-sum', 'llm', 'not installed'], ['offline', 'vad', 'not installed']],
    );
    assert.equal(before.body.install, null);

    const started = await owner('POST', '/api/models/slow-tts/install');
    assert.equal(started.status, 202);
    assert.equal(started.body.install.state, 'downloading');
    await r.halfSent;
    // The server has sent half and holds the rest: the poll shows it part way.
    let mid: InstallJob | null = null;
    for (let i = 0; i < 200 && (mid?.received ?? 0) < 100_000; i++) {
      mid = (await owner('GET', '/api/models')).body.install;
      await new Promise((res) => setImmediate(res));
    }
    assert.deepEqual([mid?.state, mid?.received, mid?.total], ['downloading', 100_000, weights.length]);
    const busy = await owner('POST', '/api/models/tiny-asr/install');
    assert.equal(busy.status, 409, 'one install at a time');
    assert.equal(busy.body.error?.code, 'SPA_ERR_MODELS_BUSY');

    r.release();
    await r.installs.settled();
    const after = await owner('GET', '/api/models');
    assert.deepEqual([after.body.install?.state, after.body.install?.received, after.body.install?.error], ['installed', weights.length, null]);
    assert.equal(after.body.models.find((m) => m.name === 'slow-tts')?.state, 'verified');
    assert.ok(readFileSync(join(r.dir, 'models', 'slow-tts', 'v.bin')).equals(weights));
    const audited = r.web.audit.list({ limit: 10, action: 'model.install' });
    assert.deepEqual(audited.map((a) => [a.username, a.subjectKind, a.subjectId, a.status]), [
      ['owner', 'model', 'tiny-asr', 409],
      ['owner', 'model', 'slow-tts', 202],
    ]);
  } finally {
    await r.close();
  }
});

test('a download with the wrong checksum or from a host that cannot be reached ends as failed with the reason; an unknown model is 404', async () => {
  const r = await rig();
  try {
    const owner = as(r.web, await r.web.login());
    assert.equal((await owner('POST', '/api/models/bad-sum/install')).status, 202);
    await r.installs.settled();
    const bad = (await owner('GET', '/api/models')).body;
    assert.equal(bad.install?.state, 'failed');
    assert.equal(bad.install?.code, 'SPA_ERR_MODELS_INTEGRITY');
    assert.match(bad.install?.error ?? '', /sha256 .* does not match the manifest's a{64}; download discarded/);
    assert.equal(bad.models.find((m) => m.name === 'bad-sum')?.state, 'not installed');

    assert.equal((await owner('POST', '/api/models/offline/install')).status, 202);
    await r.installs.settled();
    const off = (await owner('GET', '/api/models')).body.install;
    assert.deepEqual([off?.state, off?.code], ['failed', 'SPA_ERR_MODELS_OFFLINE']);
    assert.match(off?.error ?? '', /cannot reach 127\.0\.0\.1/);

    const unknown = await owner('POST', '/api/models/no-such-model/install');
    assert.equal(unknown.status, 404);
    assert.equal((await owner('POST', '/api/models/..%2Fetc/install')).status, 400);
  } finally {
    await r.close();
  }
});
