// Turns a schema issue into a one-line SettingsError that names the setting the way the user wrote it:
// the env variable (`SPA_RING_TIMEOUT_S=abc`) or the config.json key (`config.json telephony.ringTimeoutS=400`).
import type { z } from 'zod';
import { SettingsError } from './errors.js';
import { allowedAt, CONFIG_FILE_NAME, knownKeysAt } from './schema.js';

/** Where a value came from, to name it in an error. */
export interface ValueSource {
  /** `SPA_SIP_PORT`, `config.json sip.port`, `the system time zone` */
  readonly label: string;
  /** The value as written: env text as is, file values as JSON. */
  readonly shown: string;
  /** What the source accepts in its own format; the schema's words when absent. */
  readonly allowed?: string;
  /** Never echo the value. */
  readonly secret?: boolean;
}

const MAX_SHOWN = 60;

/** Remembers which source gave the value at each setting path; later sets win, as env beats file. */
export class ValueSources {
  readonly #byPath = new Map<string, ValueSource>();

  set(path: readonly string[], source: ValueSource): void {
    this.#byPath.set(path.join('.'), source);
  }

  /** The source of the value at `path`, else of some value inside it (an issue about a whole section). */
  find(path: readonly string[]): ValueSource | undefined {
    const key = path.join('.');
    const exact = this.#byPath.get(key);
    if (exact || key === '') return exact;
    for (const [k, source] of this.#byPath) if (k.startsWith(`${key}.`)) return source;
    return undefined;
  }
}

/** Env text as is when plain, else quoted so the line stays one line and blanks show. */
export function showText(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) ? clip(text) : clip(JSON.stringify(text));
}

export function showJson(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value));
}

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * The error for the first issue zod found. `fallbackLabel` names a path no source claims
 * (values given in code, e.g. to saveSettings).
 */
export function explainError(error: z.ZodError, sources: ValueSources, fallbackLabel = 'setting'): SettingsError {
  const [issue] = error.issues;
  if (!issue) return new SettingsError(fallbackLabel, 'valid settings', `${fallbackLabel}s are not valid`);
  const full = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return unknownKeyError(full, issue.keys[0] ?? '');
  // A bad element of a list (telephony.allowNetworks.1) is reported as the list setting.
  const path = full.filter((p, i) => !(i > 0 && /^\d+$/.test(p)));

  const source = sources.find(path);
  const allowed = source?.allowed ?? allowedAt(path) ?? objectAllowed(path) ?? issue.message;
  const label = source?.label ?? `${fallbackLabel} ${path.join('.')}`;
  const value = source && !source.secret ? `=${source.shown}` : '';
  return new SettingsError(label, allowed, `${label}${value} is not allowed: ${allowed}`);
}

/** Only a file can hold unknown keys: env variables are read by name. */
function unknownKeyError(parent: readonly string[], key: string): SettingsError {
  const label = `${CONFIG_FILE_NAME} ${[...parent, key].join('.')}`;
  const where = parent.length > 0 ? `the keys in ${parent.join('.')}` : 'the top-level keys';
  const allowed = `${where} are ${(knownKeysAt(parent) ?? []).join(', ')}`;
  return new SettingsError(label, allowed, `${label} is not a known setting: ${allowed}`);
}

function objectAllowed(path: readonly string[]): string | undefined {
  const keys = knownKeysAt(path);
  return keys && `an object with the keys ${keys.join(', ')}`;
}
