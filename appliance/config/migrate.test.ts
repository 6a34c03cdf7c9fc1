import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SettingsError } from './errors.js';
import { resolveSettings } from './load.js';
import { flatToNested, migrateStored, MIGRATIONS, type Migration } from './migrate.js';
import { SETTINGS_VERSION } from './schema.js';

const settingsError = (setting: string, message: RegExp) => ({ name: 'SettingsError', code: 'SPA_ERR_SETTINGS_INVALID', setting, message });

test('there is one migration per version step up to SETTINGS_VERSION', () => {
  assert.equal(MIGRATIONS.length, SETTINGS_VERSION);
});

test('a v0 flat file keyed by env names migrates to the nested v1 shape', () => {
  const flat = { SPA_RING_TIMEOUT_S: 25, SPA_TIMEZONE: 'America/Chicago', SPA_RTP_PORTS: '20000-20999', SPA_DEMO: 'no', SPA_SIP_PORT: '5070' };
  assert.deepEqual(migrateStored(flat), {
    version: 1,
    telephony: { ringTimeoutS: 25 },
    timeZone: 'America/Chicago',
    rtp: { portMin: 20000, portMax: 20999 },
    demo: false,
    sip: { port: 5070 },
  });
});

test('a v0 file resolves to settings, with env still winning', () => {
  const fileText = JSON.stringify({ SPA_RING_TIMEOUT_S: 25, SPA_TIMEZONE: 'America/Chicago', SPA_RTP_PORTS: '20000-20999' });
  const s = resolveSettings({ env: { SPA_RING_TIMEOUT_S: '5' }, fileText, systemTimeZone: 'UTC' });
  assert.equal(s.version, 1);
  assert.equal(s.telephony.ringTimeoutS, 5);
  assert.equal(s.timeZone, 'America/Chicago');
  assert.deepEqual(s.rtp, { portMin: 20000, portMax: 20999 });
});

test('a bad value in a v0 file is named by its flat key', () => {
  const fileText = JSON.stringify({ SPA_RING_TIMEOUT_S: 'abc' });
  assert.throws(
    () => resolveSettings({ env: {}, fileText }),
    settingsError('config.json SPA_RING_TIMEOUT_S', /^config\.json SPA_RING_TIMEOUT_S="abc" is not allowed: a whole number of seconds from 0 to 300$/),
  );
});

test('an unknown key in a v0 file is rejected with the names a flat file takes', () => {
  assert.throws(() => flatToNested({ SPA_RING_TIMEOUT: 25 }), settingsError('config.json SPA_RING_TIMEOUT', /not a known setting.*SPA_RING_TIMEOUT_S/));
  assert.throws(() => migrateStored({ telephony: { ringTimeoutS: 25 } }), settingsError('config.json telephony', /"version": 1/));
});

test('a v0 file may not hold SPA_ADMIN_PASSWORD or SPA_DATA_DIR', () => {
  assert.throws(() => migrateStored({ SPA_ADMIN_PASSWORD: 'long enough' }), settingsError('config.json SPA_ADMIN_PASSWORD', /environment/));
  assert.throws(() => migrateStored({ SPA_DATA_DIR: '/srv' }), settingsError('config.json SPA_DATA_DIR', /environment/));
});

test('a version newer than this software knows is rejected, not guessed at', () => {
  assert.throws(
    () => migrateStored({ version: SETTINGS_VERSION + 1, sip: { port: 5060 } }),
    settingsError('config.json version', /newer than this software understands/),
  );
});

test('a version that is not a whole number is rejected', () => {
  for (const version of ['1', 1.5, -1]) {
    assert.throws(() => migrateStored({ version }), settingsError('config.json version', /a whole number from 0 to/));
  }
});

test('a current file passes through unchanged', () => {
  const stored = { version: SETTINGS_VERSION, sip: { port: 5070 } };
  assert.deepEqual(migrateStored(stored), stored);
});

test('the runner applies injected migrations in order from the stored version and stamps each version', () => {
  const seen: number[] = [];
  const step =
    (n: number): Migration =>
    (s) => {
      seen.push(n);
      return { ...s, steps: [...((s.steps as number[] | undefined) ?? []), n] };
    };
  const migrations = [step(0), step(1), step(2)];
  assert.deepEqual(migrateStored({ version: 1 }, migrations), { version: 3, steps: [1, 2] });
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(migrateStored({}, migrations), { version: 3, steps: [0, 1, 2] });
  assert.throws(() => migrateStored({ version: 4 }, migrations), SettingsError);
});
