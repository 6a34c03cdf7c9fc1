// Stored settings carry a `version`; these pure functions carry an older file forward, one step each.
// Version 0 is a file with no `version` key: the flat form an installer may hand-write, keyed by the
// environment variable names, e.g. {"SPA_RING_TIMEOUT_S": 25, "SPA_RTP_PORTS": "20000-20999"}.
import { ENV_ONLY_VARIABLES, ENV_SETTINGS, envSettingNamed } from './env.js';
import { SettingsError } from './errors.js';
import { CONFIG_FILE_NAME, SETTINGS_VERSION } from './schema.js';
import { assign, type StoredSettings } from './stored.js';

/** Carries stored settings from version N to N + 1 (the runner stamps the new version). */
export type Migration = (stored: StoredSettings) => StoredSettings;

/** Version 0 → 1: flat env-style keys and text values → the nested shape. */
export const flatToNested: Migration = (flat) => {
  const nested: StoredSettings = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key === 'version' || value === null) continue;
    const setting = envSettingNamed(key);
    const label = `${CONFIG_FILE_NAME} ${key}`;
    if (!setting) {
      const names = ENV_SETTINGS.map((s) => s.name).filter((n) => !ENV_ONLY_VARIABLES.includes(n));
      const allowed = `a file without "version" takes the names ${names.join(', ')}`;
      throw new SettingsError(
        label,
        allowed,
        `${label} is not a known setting: ${allowed} (or add "version": ${SETTINGS_VERSION} for the nested form)`,
      );
    }
    if (ENV_ONLY_VARIABLES.includes(key)) throw envOnlyError(label, key);
    for (const [path, v] of setting.read(asText(value))) assign(nested, path, v);
  }
  return nested;
};

/** migrations[N] carries version N to N + 1; the last one reaches SETTINGS_VERSION. */
export const MIGRATIONS: readonly Migration[] = [flatToNested];

/** The version a stored object declares: 0 when it has no `version` key. */
export function storedVersion(stored: StoredSettings, latest: number = SETTINGS_VERSION): number {
  const version = stored.version === undefined ? 0 : stored.version;
  const label = `${CONFIG_FILE_NAME} version`;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    const allowed = `a whole number from 0 to ${latest}`;
    throw new SettingsError(label, allowed, `${label}=${JSON.stringify(version)} is not allowed: ${allowed}`);
  }
  if (version > latest) {
    const allowed = `a version up to ${latest}`;
    throw new SettingsError(
      label,
      allowed,
      `${label}=${version} is newer than this software understands (up to ${latest}): update the appliance software or replace ${CONFIG_FILE_NAME}`,
    );
  }
  return version;
}

/** Runs the migrations from the stored version up to the latest, which is migrations.length. */
export function migrateStored(stored: StoredSettings, migrations: readonly Migration[] = MIGRATIONS): StoredSettings {
  const latest = migrations.length;
  let current = stored;
  for (let version = storedVersion(stored, latest); version < latest; version++) {
    const migrate = migrations[version];
    if (!migrate) break; // unreachable: version < migrations.length
    current = { ...migrate(current), version: version + 1 };
  }
  return current;
}

/** A setting the config file may not hold because only the environment may give it. */
export function envOnlyError(label: string, variable: string): SettingsError {
  const allowed = `set ${variable} in the environment instead`;
  return new SettingsError(label, allowed, `${label} cannot be set in the file: ${allowed}`);
}

/** A version-0 value as the text an env variable would have held. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
