import { ApiError } from './api.js';

/** Why a save failed, as the person needs it: each field the server named, or its message. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Object.entries(err.fields).map(([k, v]) => `${k}: ${v}`);
    return fields.length > 0 ? `Not saved: ${fields.join('; ')}` : `Not saved: ${err.message}`;
  }
  return `Not saved: ${err instanceof Error ? err.message : String(err)}`;
}
