// The settings module's public API.
export { SettingsError, SETTINGS_INVALID } from './errors.js';
export { ENV_SETTINGS, type EnvSetting } from './env.js';
export { configPath, dataDirFrom, loadSettings, resolveSettings, saveSettings } from './load.js';
export type { Env, LoadInput, ResolveInput } from './load.js';
export { migrateStored, MIGRATIONS, type Migration } from './migrate.js';
export {
  CONFIG_FILE_NAME,
  DEFAULT_DATA_DIR,
  LOG_LEVELS,
  SETTINGS_VERSION,
  settingsSchema,
  SLOT_INTERVALS_MIN,
  type LogLevel,
  type Settings,
} from './schema.js';
export { applyLiveSettings, LIVE_SETTINGS, needsRestart } from './live.js';
