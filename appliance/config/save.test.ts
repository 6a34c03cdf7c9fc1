import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SettingsError } from './errors.js';
import { loadSettings, saveSettings } from './load.js';

let root: string;
let count = 0;
/** A fresh, empty data dir for each test. */
const freshDir = (): string => join(root, `data-${++count}`);

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'spa-config-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('without a config file, loadSettings gives the defaults', async () => {
  const s = await loadSettings({ env: { SPA_DATA_DIR: freshDir() }, systemTimeZone: 'Europe/Rome' });
  assert.equal(s.sip.port, 5060);
  assert.equal(s.timeZone, 'Europe/Rome');
});

test('loadSettings reads config.json from SPA_DATA_DIR', async () => {
  const dir = freshDir();
  await mkdir(dir);
  await writeFile(join(dir, 'config.json'), JSON.stringify({ SPA_RING_TIMEOUT_S: 30 }));
  const s = await loadSettings({ env: { SPA_DATA_DIR: dir }, systemTimeZone: 'UTC' });
  assert.equal(s.telephony.ringTimeoutS, 30);
  assert.equal(s.dataDir, dir);
});

test('save then load round-trips, and the file holds neither adminPassword nor dataDir', async () => {
  const dir = freshDir();
  const env = { SPA_DATA_DIR: dir, SPA_ADMIN_PASSWORD: 'a long secret' };
  const loaded = await loadSettings({ env, systemTimeZone: 'UTC' });
  const changed = {
    ...loaded,
    telephony: { ...loaded.telephony, ringTimeoutS: 0 },
    timeZone: 'America/Chicago',
    booking: { ...loaded.booking, slotIntervalMin: 30 as const },
    demo: false,
  };
  await saveSettings(changed);

  const text = await readFile(join(dir, 'config.json'), 'utf8');
  assert.doesNotMatch(text, /adminPassword|a long secret|dataDir/);
  assert.equal((JSON.parse(text) as { version: unknown }).version, 1);

  assert.deepEqual(await loadSettings({ env, systemTimeZone: 'UTC' }), changed);
  const withoutPassword = await loadSettings({ env: { SPA_DATA_DIR: dir }, systemTimeZone: 'UTC' });
  assert.equal(withoutPassword.adminPassword, null);
});

test('an atomic save leaves no temp file beside config.json, and replaces an existing one', async () => {
  const dir = freshDir();
  const s = await loadSettings({ env: { SPA_DATA_DIR: dir }, systemTimeZone: 'UTC' });
  await saveSettings(s);
  await saveSettings({ ...s, http: { port: 8081 } });
  assert.deepEqual(await readdir(dir), ['config.json']);
  assert.equal((await loadSettings({ env: { SPA_DATA_DIR: dir } })).http.port, 8081);
});

test('a failed save leaves no temp file and the target untouched', async () => {
  const dir = freshDir();
  await mkdir(join(dir, 'config.json'), { recursive: true }); // a directory where the file goes: rename fails
  const s = await loadSettings({ env: { SPA_DATA_DIR: join(dir, 'elsewhere') }, systemTimeZone: 'UTC' });
  await assert.rejects(saveSettings({ ...s, dataDir: dir }));
  assert.deepEqual(await readdir(dir), ['config.json']);
});

test('saving invalid settings is refused before anything is written', async () => {
  const dir = freshDir();
  const s = await loadSettings({ env: { SPA_DATA_DIR: dir }, systemTimeZone: 'UTC' });
  await assert.rejects(saveSettings({ ...s, telephony: { ...s.telephony, ringTimeoutS: 999 } }), (err: unknown) => {
    assert.ok(err instanceof SettingsError);
    assert.equal(err.setting, 'settings telephony.ringTimeoutS');
    assert.match(err.message, /0 to 300/);
    return true;
  });
  await assert.rejects(readdir(dir), { code: 'ENOENT' });
});

test('config.json (it holds the SIP password) is saved 0600 in a 0700 data dir even with an open umask, and a replaced one stays 0600', async () => {
  const dir = freshDir();
  const old = process.umask(0);
  try {
    const s = await loadSettings({ env: { SPA_DATA_DIR: dir }, systemTimeZone: 'UTC' });
    const withPassword = { ...s, telephony: { ...s.telephony, registration: { ...s.telephony.registration, registrar: 'pbx.local', username: '250', password: 'sip-secret' } } };
    await saveSettings(withPassword);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'config.json'))).mode & 0o777, 0o600);
    await chmod(join(dir, 'config.json'), 0o644);
    await saveSettings({ ...withPassword, http: { port: 8082 } });
    assert.equal((await stat(join(dir, 'config.json'))).mode & 0o777, 0o600);
  } finally {
    process.umask(old);
  }
});
