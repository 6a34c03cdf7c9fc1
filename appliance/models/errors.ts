// The model manager's errors: one stable code each, a message that fits on one line.
import { ApplianceError } from '../errors.js';

export const MODELS_ERR = {
  manifest: 'SPA_ERR_MODELS_MANIFEST',
  unknownModel: 'SPA_ERR_MODELS_UNKNOWN',
  offline: 'SPA_ERR_MODELS_OFFLINE',
  http: 'SPA_ERR_MODELS_HTTP',
  integrity: 'SPA_ERR_MODELS_INTEGRITY',
  archive: 'SPA_ERR_MODELS_ARCHIVE',
  usage: 'SPA_ERR_MODELS_USAGE',
} as const;

export type ModelsErrorCode = (typeof MODELS_ERR)[keyof typeof MODELS_ERR];

export class ModelsError extends ApplianceError {
  declare readonly code: ModelsErrorCode;

  constructor(
    code: ModelsErrorCode,
    message: string,
    opts: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, opts);
  }
}
