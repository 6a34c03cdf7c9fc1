// The data dir holds patient data (database, recordings) and the SIP password (config.json): after
// a start and after a recorded call, everything in it is for the daemon's user only (folders 0700,
// files 0600), whatever the umask and however loose an older data dir was.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAppliance } from '../helpers/appliance.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { runSipp } from '../helpers/sipp.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

/** An older data dir as an installer might have left it: world-readable, a config with the SIP password. */
function looseDataDir(dataDir: string): void {
  mkdirSync(join(dataDir, 'recordings'), { recursive: true });
  chmodSync(dataDir, 0o755);
  chmodSync(join(dataDir, 'recordings'), 0o755);
  const config = { version: 1, telephony: { record: true, registration: { registrar: null, username: '250', password: 'sip-secret' } } };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  chmodSync(join(dataDir, 'config.json'), 0o644);
  writeFileSync(join(dataDir, 'recordings', 'call-0.wav'), 'RIFF');
  chmodSync(join(dataDir, 'recordings', 'call-0.wav'), 0o644);
}

/** Every folder under `dir` is 0700 and every file 0600; returns the files seen. */
function assertPrivateTree(dir: string): string[] {
  const files: string[] = [];
  const visit = (path: string): void => {
    const st = statSync(path);
    if (st.isDirectory()) {
      assert.equal(mode(path), 0o700, `${path} is 0700`);
      for (const name of readdirSync(path)) visit(join(path, name));
    } else {
      assert.equal(mode(path), 0o600, `${path} is 0600`);
      files.push(path);
    }
  };
  visit(dir);
  return files;
}

test('after a start and after a recorded call, the data dir, database (-wal, -shm), config.json and recordings are private even with an open umask', async () => {
  const old = process.umask(0); // only explicit modes can make the files private
  try {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } }, undefined, { beforeStart: looseDataDir });
    try {
      const afterStart = assertPrivateTree(box.dataDir).map((f) => f.slice(box.dataDir.length + 1)).sort();
      assert.deepEqual(afterStart, ['config.json', 'recordings/call-0.wav', 'spa.db', 'spa.db-shm', 'spa.db-wal', 'tls/cert.pem', 'tls/key.pem']);

      const closed = new Promise((resolve) => box.appliance.once('callClosed', resolve));
      const r = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '1500'] });
      assert.equal(r.code, 0, r.errors || r.stderr);
      await closed;
      const afterCall = assertPrivateTree(box.dataDir).map((f) => f.slice(box.dataDir.length + 1));
      assert.ok(afterCall.includes('recordings/call-1.wav'), `the call was recorded: ${afterCall.join(', ')}`);
    } finally {
      await box.stop();
    }
  } finally {
    process.umask(old);
  }
});

test('the daemon (npm start) tightens an older data dir at start, and health says personal data is not logged', async () => {
  const d = await startDaemonProcess({ SPA_LOG_LEVEL: 'info' }, { rtpPorts: '47000-47099', capture: true, beforeStart: looseDataDir });
  try {
    const health = await d.get<{ log: { personalData: boolean } }>('/api/health');
    assert.equal(health.log.personalData, false);
    const files = assertPrivateTree(d.dataDir).map((f) => f.slice(d.dataDir.length + 1));
    assert.ok(files.includes('config.json') && files.includes('spa.db'), files.join(', '));
    assert.match(d.output(), /took group and other permissions off files and folders/);
    assert.doesNotMatch(d.output(), /sip-secret/, 'the SIP password is never printed');
  } finally {
    await d.stop();
  }
});
