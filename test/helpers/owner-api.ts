// The owner's session on a test appliance's JSON API, over HTTP (in this process or another).

/** The owner password test appliances are started with (SPA_ADMIN_PASSWORD). */
export const TEST_ADMIN_PASSWORD = 'test-owner-password';

/** GET/POST a JSON API route as the owner: logs in on the first call and keeps the session. */
export function ownerApi(url: string): <T = unknown>(path: string, init?: RequestInit) => Promise<T> {
  let cookie = '';
  return async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    if (!cookie) {
      const res = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'owner', password: TEST_ADMIN_PASSWORD }),
      });
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    }
    const res = await fetch(`${url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
    return (await res.json()) as T;
  };
}
