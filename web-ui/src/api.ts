// JSON over fetch to the appliance's API, with its errors as ApiError (status, stable code, and
// the fields a 400 names). A 401 from anything but the login itself means the session ended.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** Everything else the error said (e.g. `nearest` free times when a slot is refused). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let onSessionEnded: () => void = () => undefined;

/** What to do when the server says the session is gone (set once by the session module). */
export function whenSessionEnds(fn: () => void): void {
  onSessionEnded = fn;
}

/** GETs started before the page needs them (at load), each used once by the first api() call for its path. */
const early = new Map<string, Promise<Response | null>>();

/**
 * Starts GET `path` now, for the first api(path) to use: the page's data loads in parallel with
 * the script's start and the session check instead of after them. A failed early fetch is simply
 * fetched again when asked for.
 */
export function prefetch(path: string): void {
  if (early.has(path)) return;
  early.set(path, fetch(path, { credentials: 'same-origin' }).catch(() => null));
}

/**
 * Starts GET `path` as soon as the early answer for `after` is in and `when` approves of its body
 * (e.g. someone is signed in: asking before would only be refused, an error in the console).
 */
export function prefetchAfter(path: string, after: string, when: (body: unknown) => boolean): void {
  const before = early.get(after);
  if (!before || early.has(path)) return;
  early.set(
    path,
    before.then(async (res) => {
      if (!res?.ok) return null;
      const body: unknown = await res.clone().json().catch(() => null);
      return when(body) ? fetch(path, { credentials: 'same-origin' }).catch(() => null) : null;
    }),
  );
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const started = init.method === undefined || init.method === 'GET' ? early.get(path) : undefined;
  early.delete(path);
  const first = await started;
  // An early answer that was refused (nobody signed in yet, a password to change) is not reused:
  // by the time the page asks, the person may have signed in.
  const res =
    (first && first.status !== 401 && first.status !== 403 ? first : null) ??
    (await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }));
  const text = await res.text();
  let data: unknown = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = {};
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } & Record<string, unknown> }).error;
    if (res.status === 401 && path !== '/api/session') onSessionEnded();
    throw new ApiError(res.status, err?.code ?? 'SPA_ERR_HTTP', err?.message ?? `${res.status} ${res.statusText}`, err?.fields ?? {}, err ?? {});
  }
  return data as T;
}
