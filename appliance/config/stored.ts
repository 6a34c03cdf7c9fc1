// Plain-object helpers for settings as stored in config.json (untyped until the schema has parsed them).

/** Settings as read from JSON: any keys, any values. */
export type StoredSettings = Record<string, unknown>;

export function isRecord(value: unknown): value is StoredSettings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `value` at `path`, creating (or replacing non-object) parents on the way. */
export function assign(target: StoredSettings, path: readonly string[], value: unknown): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  if (rest.length === 0) {
    target[key] = value;
    return;
  }
  const existing = target[key];
  const child: StoredSettings = isRecord(existing) ? existing : {};
  target[key] = child;
  assign(child, rest, value);
}

/** Every leaf (non-object value) of a stored object with its key path. */
export function* leaves(obj: StoredSettings, prefix: string[] = []): Generator<[string[], unknown]> {
  for (const [key, value] of Object.entries(obj)) {
    const path = [...prefix, key];
    if (isRecord(value) && Object.keys(value).length > 0) yield* leaves(value, path);
    else yield [path, value];
  }
}
