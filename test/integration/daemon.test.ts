// The daemon as an installer runs it: a real process, real port, real signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generate } from 'selfsigned';
import { freeSipPort } from '../helpers/sipp.js';
import { tempDir } from '../helpers/spa.js';

const MAIN = fileURLToPath(new URL('../../appliance/main.js', import.meta.url));

/** Starts `node dist/appliance/main.js` with `env`; the SIP port is a free one unless `env` names it (5060 may be taken by another test run). */
async function runDaemon(env: Record<string, string>) {
  const sipPort = String(await freeSipPort());
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', SPA_SIP_PORT: sipPort, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const m = /"web":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1] && out.includes('ready')) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`daemon exited ${String(code)} before ready: ${err}`)));
  });
  ready.catch(() => undefined); // awaited by the tests that expect a start; others await `exited`
  return { child, ready, exited, output: () => out, errors: () => err };
}

/** The HTTPS URL and certificate fingerprint named in the ready line. */
function readyLine(out: string): { url: string; fingerprint: string } {
  const line = out.split('\n').find((l) => l.includes('"msg":"ready: web UI at https://')) ?? '';
  const m = /"msg":"ready: web UI at (https:\/\/[^ ]+) \(certificate SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)"/.exec(line);
  assert.ok(m?.[1] && m[2], `ready line: ${line}`);
  return { url: m[1], fingerprint: m[2] };
}

/** The SHA-256 fingerprint of the certificate served on host:port, as a browser shows it. */
function servedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // Trusted by nothing: the fingerprint is what is checked, as staff do.
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

test('npm start: migrates, seeds the demo spa, prints a one-time password and the certificate fingerprint, answers /api/health, stops cleanly on SIGTERM', async () => {
  const dir = tempDir();
  try {
    const d = await runDaemon({ SPA_DATA_DIR: dir.path, SPA_BIND: '127.0.0.1', SPA_HTTP_PORT: '0', SPA_HTTPS_PORT: '0', SPA_TIMEZONE: 'America/Chicago' });
    const url = await d.ready;
    const health = await fetch(`${url}/api/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { db: string; sip: object; engines: object; modem: object; https: { port: number; fingerprint: string; custom: boolean } };
    assert.equal(body.db, 'ok');
    assert.ok(body.sip && body.engines && body.modem);
    const printed = readyLine(d.output());
    assert.equal(body.https.fingerprint, printed.fingerprint, 'health shows the fingerprint the start-up line printed');
    assert.equal(body.https.custom, false);
    assert.equal(printed.url, `https://127.0.0.1:${body.https.port}`);
    assert.equal(await servedFingerprint(printed.url), printed.fingerprint, 'the HTTPS port serves that certificate');
    const otp = /one-time password ([a-z2-9-]{19})/.exec(d.output())?.[1];
    assert.ok(otp, 'the one-time owner password is printed');
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'owner', password: otp }),
    });
    assert.equal(login.status, 200);
    d.child.kill('SIGTERM');
    assert.equal(await d.exited, 0);
    assert.match(d.output(), /"msg":"stopped"/);
    const db = new Database(join(dir.path, 'spa.db'), { readonly: true });
    assert.ok((db.prepare('SELECT COUNT(*) FROM services').pluck().get() as number) >= 12);
    assert.equal(db.prepare('SELECT time_zone FROM spa_profile').pluck().get(), 'America/Chicago');
    db.close();

    // Second start: same database, no new password, no reseeding.
    const again = await runDaemon({ SPA_DATA_DIR: dir.path, SPA_BIND: '127.0.0.1', SPA_HTTP_PORT: '0', SPA_HTTPS_PORT: '0' });
    await again.ready;
    assert.doesNotMatch(again.output(), /one-time password/);
    assert.doesNotMatch(again.output(), /seeded the demo spa/);
    assert.equal(readyLine(again.output()).fingerprint, printed.fingerprint, 'the certificate made at first start is kept');
    again.child.kill('SIGINT');
    assert.equal(await again.exited, 0);
  } finally {
    dir.remove();
  }
});

test('a bad setting stops start-up with one line naming it and what is allowed', async () => {
  const dir = tempDir();
  try {
    const d = await runDaemon({ SPA_DATA_DIR: dir.path, SPA_RING_TIMEOUT_S: 'soon' });
    assert.equal(await d.exited, 2);
    const lines = d.errors().trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /SPA_RING_TIMEOUT_S=soon is not allowed: a whole number of seconds from 0 to 300/);
  } finally {
    dir.remove();
  }
});

test("an installer certificate that does not match its key stops start-up with one line naming the file", async () => {
  const dir = tempDir();
  try {
    const options = { keyType: 'ec' as const, algorithm: 'sha256' };
    const [pair, other] = await Promise.all([generate(undefined, options), generate(undefined, options)]);
    mkdirSync(join(dir.path, 'tls'), { recursive: true });
    writeFileSync(join(dir.path, 'tls', 'custom-cert.pem'), pair.cert);
    writeFileSync(join(dir.path, 'tls', 'custom-key.pem'), other.private, { mode: 0o600 });
    const d = await runDaemon({ SPA_DATA_DIR: dir.path, SPA_BIND: '127.0.0.1', SPA_HTTP_PORT: '0', SPA_HTTPS_PORT: '0' });
    assert.equal(await d.exited, 2);
    const lines = d.errors().trim().split('\n');
    assert.equal(lines.length, 1, d.errors());
    assert.equal(lines[0], `spa-receptionist: ${join(dir.path, 'tls', 'custom-key.pem')} is not the private key of ${join(dir.path, 'tls', 'custom-cert.pem')}: they do not match`);
  } finally {
    dir.remove();
  }
});
