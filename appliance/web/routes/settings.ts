// The appliance's settings for managers: read (secrets blanked) and change (validated against the
// one settings schema, written to config.json). The receptionist's texts, the transfer target,
// recording and the ring timeout apply at once (config/live.ts); the rest at the next restart,
// which the answer's restartRequired says. The audit
// log records which keys changed, never their values.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, InvalidInputError } from '../../errors.js';
import { needsRestart, settingsSchema, type Settings } from '../../config/index.js';
import { isRecord, leaves, type StoredSettings } from '../../config/stored.js';
import type { WebDeps } from '../app.js';

export interface SettingsStore {
  current(): Settings;
  /** Validated settings to keep; they apply from the next start. */
  save(next: Settings): Promise<void>;
}

/** Settings only the environment gives, and secrets that never leave the box over the API. */
const NOT_EDITABLE = new Set(['dataDir', 'adminPassword', 'version']);
const SECRET_PATHS = [['telephony', 'registration', 'password']] as const;

class SettingsUnavailableError extends ApplianceError {
  constructor() {
    super('SPA_ERR_SETTINGS_UNAVAILABLE', 'settings cannot be changed here', { status: 503 });
  }
}

function shown(s: Settings): StoredSettings {
  const copy = JSON.parse(JSON.stringify(s)) as StoredSettings;
  for (const key of NOT_EDITABLE) delete copy[key];
  for (const path of SECRET_PATHS) {
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = isRecord(node) ? node[key] : undefined;
    const last = path[path.length - 1] as string;
    if (isRecord(node) && typeof node[last] === 'string') {
      node[`${last}Set`] = node[last] !== '';
      delete node[last];
    }
  }
  return copy;
}

/**
 * Settings whose null is a value of its own (retention: keep until deleted by hand), not "back to
 * the default": a null patched there is kept as null.
 */
const NULL_IS_A_VALUE = new Set(['retention.recordingsDays', 'retention.transcriptsDays', 'retention.conversationsDays', 'retention.messagesDays']);

/** RFC 7396 JSON merge patch: objects merge, null deletes (back to the default) but where NULL_IS_A_VALUE, the rest replaces. */
function mergePatch(target: unknown, patch: unknown, at: readonly string[] = []): unknown {
  if (!isRecord(patch)) return patch;
  const out: StoredSettings = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    const path = [...at, key];
    if (value === null && NULL_IS_A_VALUE.has(path.join('.'))) out[key] = null;
    else if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value, path);
  }
  return out;
}

const patchBody = z.record(z.string(), z.unknown());

export function settingsRoutes(deps: WebDeps): FastifyPluginAsync {
  const store = (): SettingsStore => {
    if (!deps.settings) throw new SettingsUnavailableError();
    return deps.settings;
  };
  return async (app) => {
    app.get('/api/settings', { config: { access: 'manager', audit: { action: 'settings.view' } } }, () => ({ settings: shown(store().current()) }));

    app.patch('/api/settings', { config: { access: 'manager', audit: { action: 'settings.change' } } }, async (req) => {
      const parsedBody = patchBody.safeParse(req.body);
      if (!parsedBody.success) throw new InvalidInputError('expected a JSON object of settings to change', { body: 'a JSON object' });
      const patch = parsedBody.data;
      const bad = Object.keys(patch).filter((k) => NOT_EDITABLE.has(k));
      if (bad.length > 0) throw new InvalidInputError(`not changeable here: ${bad.join(', ')}`, Object.fromEntries(bad.map((k) => [k, 'set only by the environment'])));
      const current = store().current();
      const next = mergePatch(current, patch) as StoredSettings;
      const result = settingsSchema.safeParse(next);
      if (!result.success) {
        const fields: Record<string, string> = {};
        for (const issue of result.error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
        throw new InvalidInputError(`invalid settings: ${Object.keys(fields).join(', ')}`, fields);
      }
      await store().save(result.data);
      const changed = [...leaves(patch)].map(([path]) => path.join('.'));
      req.auditDetail = changed.join(',').slice(0, 500);
      return { settings: shown(result.data), restartRequired: needsRestart(changed) };
    });
  };
}
