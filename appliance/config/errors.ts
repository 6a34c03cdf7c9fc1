// The one error the settings module throws for anything a user wrote wrong
// (an env variable, a config.json value, the file itself). Stable code, one-line message.

export const SETTINGS_INVALID = 'SPA_ERR_SETTINGS_INVALID';

export class SettingsError extends Error {
  readonly code = SETTINGS_INVALID;
  override readonly name = 'SettingsError';

  /**
   * @param setting the setting as the user wrote it: `SPA_RING_TIMEOUT_S`, `config.json telephony.ringTimeoutS`
   * @param allowed what would have been accepted, in words
   * @param message one line naming the setting and what is allowed
   */
  constructor(
    readonly setting: string,
    readonly allowed: string,
    message: string,
  ) {
    super(message);
  }
}
