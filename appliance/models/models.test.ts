import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli } from './command.js';
import { ModelsError } from './errors.js';
import { parseManifest } from './manifest.js';
import { formatBar } from './progress.js';
import { FakeClock } from '../shared/fake-clock.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A ustar archive of the given files, enough for the reader under test. */
function tar(entries: Record<string, Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, data] of Object.entries(entries)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const model = Buffer.alloc(300_000, 7).fill(9, 1000, 2000);
const onnx = Buffer.from('fake silero weights '.repeat(2000));
const tgz = gzipSync(tar({ 'package/package.json': Buffer.from('{}'), 'package/silero.onnx': onnx, 'package/README.md': Buffer.from('hi') }));
const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;

interface Seen { url: string; range: string | undefined }
let server: http.Server;
let base = '';
const seen: Seen[] = [];
let cutNext = false;

function serve(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  if (m) res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
  else res.writeHead(200, { 'content-length': body.length });
  if (cutNext) {
    cutNext = false;
    // Deliver 100 kB, then close the connection early (FIN, not RST: an RST may discard bytes in flight).
    res.write(body.subarray(start, start + 100_000), () => res.socket?.end());
    return;
  }
  res.end(body.subarray(start));
}

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', range: req.headers.range });
    if (req.url === '/model.bin') serve(req, res, model);
    else if (req.url === '/redirect') res.writeHead(302, { location: '/model.bin' }).end();
    else if (req.url === '/pkg.tgz') serve(req, res, tgz);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function manifestFor(files: Record<string, unknown>[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, models: [{ name: 'm', role: 'asr', description: 'd', licence: 'MIT', files, ...extra }] });
}

async function run(args: string[], manifest: string, dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  await writeFile(join(dir, 'manifest.json'), manifest);
  const code = await runCli(['--manifest', join(dir, 'manifest.json'), ...args], {
    env: { SPA_MODELS_DIR: join(dir, 'models') },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stderrIsTTY: false,
    clock: new FakeClock(),
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('models command', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spa-models-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const fresh = async (): Promise<string> => mkdtemp(join(dir, 't-'));

  test('install downloads through a redirect, verifies size and sha256, and list then says verified', async () => {
    const d = await fresh();
    const m = manifestFor([{ path: 'model.bin', url: `${base}/redirect`, size: model.length, sha256: sha256(model) }]);
    const r = await run(['install', 'm'], m, d);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /m: installed and verified/);
    assert.deepEqual(await readFile(join(d, 'models/m/model.bin')), model);
    assert.match(r.err, /100% 0\.3\/0\.3 MB/);
    const l = await run(['list'], m, d);
    assert.match(l.out, /^m\s+asr\s+0\.3 MB\s+verified\s+MIT$/m);
    const again = await run(['install', 'm'], m, d);
    assert.match(again.out, /m: already installed/);
  });

  test('a transfer cut mid-file keeps its .part and the next run resumes it with a Range request', async () => {
    const d = await fresh();
    const m = manifestFor([{ path: 'model.bin', url: `${base}/model.bin`, size: model.length, sha256: sha256(model) }]);
    cutNext = true;
    const first = await run(['install', 'm'], m, d);
    assert.equal(first.code, 1);
    assert.match(first.err, /stopped after .* MB; run the install again to resume/);
    const partSize = (await stat(join(d, 'models/m/model.bin.part'))).size;
    assert.ok(partSize > 0 && partSize < model.length);
    seen.length = 0;
    const second = await run(['install', 'm'], m, d);
    assert.equal(second.code, 0, second.err);
    assert.equal(seen[0]?.range, `bytes=${partSize}-`);
    assert.match(second.err, /resuming at/);
    assert.deepEqual(await readFile(join(d, 'models/m/model.bin')), model);
  });

  test('a checksum mismatch fails, installs nothing and deletes the .part (its bytes are wrong, resuming cannot fix them)', async () => {
    const d = await fresh();
    const m = manifestFor([{ path: 'model.bin', url: `${base}/model.bin`, size: model.length, sha256: 'a'.repeat(64) }]);
    const r = await run(['install', 'm'], m, d);
    assert.equal(r.code, 1);
    assert.match(r.err, /sha256 [0-9a-f]{64} does not match the manifest's a{64}; download discarded/);
    assert.deepEqual(await readdir(join(d, 'models/m')), []);
  });

  test('a file with no published checksum installs as unverified and prints the computed hash', async () => {
    const d = await fresh();
    const m = manifestFor([{ path: 'model.bin', url: `${base}/model.bin`, size: null, sha256: null, verified: false }]);
    const r = await run(['install', 'm'], m, d);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /installed \(unverified/);
    assert.ok(r.err.includes(`computed sha256 ${sha256(model)}`));
    assert.match((await run(['list'], m, d)).out, /\bunverified\b/);
  });

  test('an unreachable host fails fast with one line and exit code 3', async () => {
    const d = await fresh();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const m = manifestFor([{ path: 'x', url: `http://127.0.0.1:${port}/x`, size: 1, sha256: 'b'.repeat(64) }], { default: true });
    const started = Date.now();
    const r = await run(['install', '--default'], m, d);
    assert.equal(r.code, 3);
    assert.equal(r.err, 'models: cannot reach 127.0.0.1 (offline?): the appliance runs on its fallback engines\n');
    assert.ok(Date.now() - started < 2000);
  });

  test('verify detects a corrupted installed file and exits 1 naming it', async () => {
    const d = await fresh();
    const m = manifestFor([{ path: 'model.bin', url: `${base}/model.bin`, size: model.length, sha256: sha256(model) }]);
    assert.equal((await run(['install', 'm'], m, d)).code, 0);
    assert.equal((await run(['verify'], m, d)).code, 0);
    const corrupted = Buffer.from(model);
    corrupted[5] = 0;
    await writeFile(join(d, 'models/m/model.bin'), corrupted);
    const r = await run(['verify'], m, d);
    assert.equal(r.code, 1);
    assert.match(r.err, /m\/model\.bin: bad \(sha256 [0-9a-f]+, expected/);
    assert.match((await run(['list'], m, d)).out, /\bchanged\b/);
  });

  test('an npm source is fetched, its tarball integrity checked, and the one file extracted', async () => {
    const d = await fresh();
    const src = { kind: 'npm', package: 'fake-vad', version: '1.0.0', file: 'package/silero.onnx', integrity };
    const m = manifestFor([{ path: 'silero.onnx', url: `${base}/pkg.tgz`, size: onnx.length, sha256: sha256(onnx), source: src }]);
    const r = await run(['install', 'm'], m, d);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await readFile(join(d, 'models/m/silero.onnx')), onnx);
    assert.deepEqual((await readdir(join(d, 'models/m'))).sort(), ['.installed.json', 'silero.onnx']);
  });

  test('an npm tarball whose integrity does not match is refused and deleted', async () => {
    const d = await fresh();
    const src = { kind: 'npm', package: 'fake-vad', version: '1.0.0', file: 'package/silero.onnx', integrity: 'sha512-AAAA' };
    const m = manifestFor([{ path: 'silero.onnx', url: `${base}/pkg.tgz`, size: onnx.length, sha256: sha256(onnx), source: src }]);
    const r = await run(['install', 'm'], m, d);
    assert.equal(r.code, 1);
    assert.match(r.err, /npm tarball integrity mismatch/);
    assert.deepEqual(await readdir(join(d, 'models/m')), []);
  });

  test('an unknown model name is a usage error listing the known ones', async () => {
    const d = await fresh();
    const r = await run(['install', 'nope'], manifestFor([{ path: 'x', url: `${base}/x`, size: 1, sha256: 'c'.repeat(64) }]), d);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'models: unknown model nope (known: m)\n');
  });
});

describe('manifest schema', () => {
  test('names every problem by its JSON path in one error', () => {
    const bad = JSON.stringify({
      version: 1,
      models: [{ name: 'm', role: 'stt', description: 'd', licence: 'MIT', files: [{ path: '../x', url: 'ftp://x', size: -1, sha256: 'XYZ' }] }],
    });
    assert.throws(
      () => parseManifest(bad),
      (err: unknown) =>
        err instanceof ModelsError &&
        err.code === 'SPA_ERR_MODELS_MANIFEST' &&
        ['models.0.role', 'models.0.files.0.path', 'models.0.files.0.url', 'models.0.files.0.size', 'models.0.files.0.sha256'].every((p) =>
          err.message.includes(p),
        ),
    );
  });

  test('rejects a null checksum that claims to be verified', () => {
    const text = manifestFor([{ path: 'x', url: 'https://h/x', size: null, sha256: null }]);
    assert.throws(() => parseManifest(text), /models\.0\.files\.0\.verified: sha256 null goes with verified:false/);
  });

  test('the shipped manifest parses, has only Silero VAD as default, and unverified files have no checksum', async () => {
    const m = parseManifest(await readFile(new URL('../../../models/manifest.json', import.meta.url), 'utf8'));
    assert.deepEqual(m.models.filter((x) => x.default).map((x) => x.name), ['silero-vad-v5']);
    assert.deepEqual(new Set(m.models.map((x) => x.role)), new Set(['vad', 'asr', 'tts', 'llm']));
    for (const f of m.models.flatMap((x) => x.files)) assert.equal(f.verified, f.sha256 !== null);
  });
});

test('the progress bar shows percent, megabytes and rate', () => {
  assert.equal(
    formatBar('m/f', { received: 5e6, total: 10e6, resumedFrom: 0 }, 2.5e6, 10),
    'm/f [#####-----]  50% 5.0/10.0 MB 2.5 MB/s',
  );
});
