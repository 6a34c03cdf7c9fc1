// Resolves the settings: environment > config.json in the data dir > defaults.
// resolveSettings is pure (its inputs are the env, the file's text and the system zone);
// loadSettings and saveSettings add the file I/O around it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';
import { writeFileAtomic } from './atomic-write.js';
import { ENV_SETTINGS, envSettingNamed, envVariableFor } from './env.js';
import { SettingsError } from './errors.js';
import { explainError, showJson, showText, ValueSources } from './explain.js';
import { envOnlyError, migrateStored } from './migrate.js';
import {
  CONFIG_FILE_NAME,
  DEFAULT_DATA_DIR,
  ENV_ONLY_SETTINGS,
  SETTINGS_VERSION,
  settingsSchema,
  type Settings,
} from './schema.js';
import { assign, isRecord, leaves, type StoredSettings } from './stored.js';

/** Environment variables, e.g. process.env. Empty values count as unset. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveInput {
  readonly env: Env;
  /** The text of config.json; null or undefined when there is no file. */
  readonly fileText?: string | null;
  /** The machine's IANA zone, the default for timeZone (`Intl.DateTimeFormat().resolvedOptions().timeZone`). */
  readonly systemTimeZone?: string;
}

export function resolveSettings({ env, fileText, systemTimeZone }: ResolveInput): Settings {
  const sources = new ValueSources();
  const merged: StoredSettings = fileText == null ? {} : readStored(fileText, sources);

  for (const setting of ENV_SETTINGS) {
    const text = env[setting.name];
    if (text === undefined || text === '') continue;
    const source = { label: setting.name, shown: showText(text), allowed: setting.allowed, secret: setting.secret };
    for (const [path, value] of setting.read(text)) {
      assign(merged, path, value);
      sources.set(path, source);
    }
  }

  if (merged.timeZone === undefined && systemTimeZone !== undefined) {
    merged.timeZone = systemZone(systemTimeZone);
  }

  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) throw explainError(parsed.error, sources);
  return parsed.data;
}

/** The machine's zone as the default; a machine without a valid one needs SPA_TIMEZONE. */
function systemZone(zone: string): string {
  if (settingsSchema.shape.timeZone.safeParse(zone).success) return zone;
  const allowed = 'an IANA time zone such as America/Chicago';
  throw new SettingsError(
    'SPA_TIMEZONE',
    allowed,
    `the system time zone ${showJson(zone)} is not a valid IANA zone: set SPA_TIMEZONE to ${allowed}`,
  );
}

/** Parses and migrates config.json's text, noting where each value came from. */
function readStored(fileText: string, sources: ValueSources): StoredSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(fileText.replace(/^\uFEFF/, '')); // editors may add a BOM
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    const allowed = 'a JSON object of settings';
    throw new SettingsError(CONFIG_FILE_NAME, allowed, `${CONFIG_FILE_NAME} is not valid JSON (${reason}): fix or remove it`);
  }
  if (!isRecord(raw)) {
    const allowed = `a JSON object of settings, such as {"version": ${SETTINGS_VERSION}, "telephony": {"ringTimeoutS": 25}}`;
    throw new SettingsError(CONFIG_FILE_NAME, allowed, `${CONFIG_FILE_NAME} must hold ${allowed}`);
  }
  if (raw.version === undefined) noteFlatSources(raw, sources);
  else noteNestedSources(raw, sources);
  return migrateStored(raw);
}

/** Version 0: keys are env variable names, so errors use those names and formats. */
function noteFlatSources(raw: StoredSettings, sources: ValueSources): void {
  for (const [key, value] of Object.entries(raw)) {
    const setting = envSettingNamed(key);
    if (!setting) continue; // the migration rejects it
    const source = { label: `${CONFIG_FILE_NAME} ${key}`, shown: showJson(value), allowed: setting.allowed };
    for (const path of setting.paths) sources.set(path, source);
  }
}

function noteNestedSources(raw: StoredSettings, sources: ValueSources): void {
  for (const key of ENV_ONLY_SETTINGS) {
    if (key in raw) throw envOnlyError(`${CONFIG_FILE_NAME} ${key}`, envVariableFor(key) ?? key);
  }
  for (const [path, value] of leaves(raw)) {
    sources.set(path, { label: `${CONFIG_FILE_NAME} ${path.join('.')}`, shown: showJson(value) });
  }
}

/** The data dir as the loader sees it: SPA_DATA_DIR, else the default. */
export function dataDirFrom(env: Env): string {
  return env.SPA_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
}

export function configPath(dataDir: string): string {
  return join(dataDir, CONFIG_FILE_NAME);
}

export interface LoadInput {
  readonly env: Env;
  readonly systemTimeZone?: string;
}

/** Reads `<dataDir>/config.json` when it exists and resolves the settings. */
export async function loadSettings({ env, systemTimeZone }: LoadInput): Promise<Settings> {
  const fileText = await readIfExists(configPath(dataDirFrom(env)));
  return resolveSettings({ env, fileText, systemTimeZone });
}

/**
 * Writes the settings to `<dataDir>/config.json` atomically, at the current version.
 * dataDir and adminPassword are never written: only the environment gives them.
 */
export async function saveSettings(settings: Settings): Promise<void> {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) throw explainError(parsed.error, new ValueSources(), 'settings');
  const { dataDir, adminPassword: _secret, version: _old, ...stored } = parsed.data;
  const text = `${JSON.stringify({ version: SETTINGS_VERSION, ...stored }, null, 2)}\n`;
  // config.json holds the SIP password: the daemon's user only.
  await writeFileAtomic(configPath(dataDir), text, { mode: PRIVATE_FILE_MODE });
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
