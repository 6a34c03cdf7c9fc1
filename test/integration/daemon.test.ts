// The daemon as an installer runs it: a real process, real port, real signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/spa.js';

const MAIN = fileURLToPath(new URL('../../appliance/main.js', import.meta.url));

function runDaemon(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

test('npm start: migrates, seeds the demo spa, prints a one-time password, answers /api/health, stops cleanly on SIGTERM', async () => {
  const dir = tempDir();
  try {
    const d = runDaemon({ SPA_DATA_DIR: dir.path, SPA_BIND: '127.0.0.1', SPA_HTTP_PORT: '0', SPA_TIMEZONE: 'America/Chicago' });
    const url = await d.ready;
    const health = await fetch(`${url}/api/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { db: string; sip: object; engines: object; modem: object };
    assert.equal(body.db, 'ok');
    assert.ok(body.sip && body.engines && body.modem);
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
    const again = runDaemon({ SPA_DATA_DIR: dir.path, SPA_BIND: '127.0.0.1', SPA_HTTP_PORT: '0' });
    await again.ready;
    assert.doesNotMatch(again.output(), /one-time password/);
    assert.doesNotMatch(again.output(), /seeded the demo spa/);
    again.child.kill('SIGINT');
    assert.equal(await again.exited, 0);
  } finally {
    dir.remove();
  }
});

test('a bad setting stops start-up with one line naming it and what is allowed', async () => {
  const dir = tempDir();
  try {
    const d = runDaemon({ SPA_DATA_DIR: dir.path, SPA_RING_TIMEOUT_S: 'soon' });
    assert.equal(await d.exited, 2);
    const lines = d.errors().trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /SPA_RING_TIMEOUT_S=soon is not allowed: a whole number of seconds from 0 to 300/);
  } finally {
    dir.remove();
  }
});
