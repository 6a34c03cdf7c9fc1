// Deny by default, decided on the matched route: the route table is walked so a route added
// later is covered without editing this file. Requests go over a real loopback socket with the
// request target written verbatim, so the router sees exactly what an attacker would send.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { connect, type AddressInfo } from 'node:net';
import { openTestWeb, type TestWeb } from '../../test/helpers/web.js';
import { roleAllows, ROLES, type Role } from './accounts.js';
import type { RouteEntry } from './app.js';

interface Answer {
  status: number;
  body: string;
}

/**
 * One raw HTTP/1.1 request over a fresh socket; `target` goes on the request line exactly as
 * given. Status 0: the server closed the connection without an answer.
 */
function raw(port: number, method: string, target: string, opts: { cookie?: string; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const lines = [`${method} ${target} HTTP/1.1`, 'host: spa.local', 'connection: close'];
    if (opts.cookie) lines.push(`cookie: ${opts.cookie}`);
    if (opts.body !== undefined) lines.push('content-type: application/json', `content-length: ${Buffer.byteLength(opts.body)}`);
    const socket = connect(port, '127.0.0.1', () => socket.end(`${lines.join('\r\n')}\r\n\r\n${opts.body ?? ''}`));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(new Error(`${method} ${target}: ${err.message}`))));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status: status ? Number(status) : 0, body });
    });
  });
}

/** A concrete URL for a route pattern: numeric ids that exist nowhere, uuids for conversations. */
function concrete(url: string): string {
  return url.replace(/:id\b/g, url.includes('conversations') ? randomUUID() : '999999');
}

/** The spellings of one path that a router or proxy might read as that path. */
function spellings(path: string): string[] {
  const [, first = '', ...rest] = path.split('/');
  const tail = rest.join('/');
  const encodeAll = (s: string): string => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  const out = [
    path,
    `/%61${path.slice(2)}`, // /%61pi/...
    `/${encodeAll(first)}/${tail}`,
    `/${first}/${encodeAll(tail).replace(/%2f/g, '/')}`,
    `/${first}%2F${tail}`,
    `/${first}%2f${tail}`,
    `http://x${path}`,
    `http://127.0.0.1${path}`,
    `//${first}/${tail}`,
    `/${first}//${tail}`,
    `/./${first}/${tail}`,
    `/${first}/./${tail}`,
    `/x/../${first}/${tail}`,
    `/${first}/x/../${tail}`,
    `/%2e/${first}/${tail}`,
    `/x/%2e%2e/${first}/${tail}`,
    `${path}/`,
    `${path}?x=1`,
    `${path};x=1`,
    `${path}%00`,
    `${path}#frag`,
    `/${first.toUpperCase()}/${tail}`,
    `\\${first}\\${tail.replace(/\//g, '\\')}`,
  ];
  return [...new Set(out)];
}

async function listen(web: TestWeb): Promise<number> {
  await web.app.listen({ host: '127.0.0.1', port: 0 });
  return (web.app.server.address() as AddressInfo).port;
}

const privateRoutes = (web: TestWeb): RouteEntry[] => web.app.routeTable.filter((r) => r.access !== 'public');

test('the route table has private routes and every route declares who may use it', async () => {
  const web = await openTestWeb();
  try {
    const table = web.app.routeTable;
    assert.ok(table.length >= 25, `only ${table.length} routes`);
    const publicOnes = table.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(publicOnes, [
      'GET /',
      'GET /api/health',
      'GET /api/session',
      'GET /assets/:file',
      'HEAD /',
      'HEAD /api/health',
      'HEAD /api/session',
      'HEAD /assets/:file',
      'POST /api/session',
    ]);
    for (const r of table) assert.ok(r.access === 'public' || (ROLES as readonly string[]).includes(r.access), `${r.method} ${r.url}`);
  } finally {
    await web.close();
  }
});

test('a route registered without config.access stops the app from starting', async () => {
  const web = await openTestWeb();
  try {
    assert.throws(() => web.app.get('/api/forgotten', () => ({ leaked: true })), /declares no access/);
  } finally {
    await web.close();
  }
});

test('every private route answers 401 without a session under every URL spelling, HEAD and OPTIONS', async () => {
  const web = await openTestWeb();
  try {
    const port = await listen(web);
    const leaks: string[] = [];
    let tried = 0;
    const closed: string[] = [];
    // HEAD on a URL whose GET is public (who-am-I) is that public GET's twin, not the private route's.
    const publicGets = new Set(web.app.routeTable.filter((r) => r.access === 'public' && r.method === 'GET').map((r) => r.url));
    for (const route of privateRoutes(web)) {
      const path = concrete(route.url);
      const methods = [route.method, ...(publicGets.has(route.url) ? [] : ['HEAD']), 'OPTIONS'];
      for (const method of new Set(methods)) {
        for (const target of spellings(path)) {
          const body = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) ? '{}' : undefined;
          const res = await raw(port, method, target, body === undefined ? {} : { body });
          tried++;
          // 400 is Node's own answer to a request line it will not parse (never reaches a route).
          const refusedBeforeRouting = (res.status === 400 && !res.body.includes('SPA_ERR')) || res.status === 0;
          if (res.status === 0) closed.push(target);
          if (res.status !== 401 && !refusedBeforeRouting) leaks.push(`${method} ${target} -> ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
    }
    assert.ok(tried > 1000, `only ${tried} requests tried`);
    assert.ok(closed.length < tried / 10, `closed: ${[...new Set(closed)].slice(0, 5).join(' ')}`);
    console.log(`# ${tried} requests, ${closed.length} closed by the HTTP parser: ${[...new Set(closed.map((t) => t.slice(-6)))].slice(0, 3).join(' ')}`);
    assert.deepEqual(leaks, []);
  } finally {
    await web.close();
  }
});

test('a forged, truncated or logged-out session cookie is refused like none', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const token = cookie.split('=')[1] ?? '';
    for (const bad of [`spa_session=${token.slice(0, -1)}`, `spa_session=${'A'.repeat(43)}`, `spa_session=${token}x`, `spa_session=${'x'.repeat(5000)}`]) {
      const res = await web.app.inject({ url: '/api/calls', headers: { cookie: bad } });
      assert.equal(res.statusCode, 401, bad.slice(0, 30));
    }
    await web.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    assert.equal((await web.app.inject({ url: '/api/calls', headers: { cookie } })).statusCode, 401);
  } finally {
    await web.close();
  }
});

/** The least role each route needs, checked for each role: below it 403, at or above it through. */
test('each role reaches exactly the routes its rank allows (front desk, manager, owner)', async () => {
  const web = await openTestWeb();
  try {
    const cookies: Record<Role, string> = {
      owner: await web.login(),
      manager: (await web.addUser('maria', 'manager')).cookie,
      frontdesk: (await web.addUser('frank', 'frontdesk')).cookie,
    };
    // Logging out would end the session the walk uses: that route is checked on its own below.
    // The live event stream never ends while the session lasts (inject would wait for ever): every
    // role may open it, which live.test.ts checks over a socket.
    const routes = privateRoutes(web).filter((r) => !(r.method === 'DELETE' && r.url === '/api/session') && r.url !== '/api/live/events');
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const r of routes) {
        const body = ['POST', 'PATCH', 'PUT'].includes(r.method) ? {} : undefined;
        const res = await web.app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: { cookie: cookies[role] }, ...(body ? { payload: body } : {}) });
        const allowed = roleAllows(role, r.access as Role);
        if (allowed && (res.statusCode === 401 || res.statusCode === 403)) wrong.push(`${role} ${r.method} ${r.url}: refused ${res.statusCode}`);
        if (!allowed && (res.statusCode !== 403 || (r.method !== 'HEAD' && !res.body.includes('SPA_ERR_FORBIDDEN')))) wrong.push(`${role} ${r.method} ${r.url}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(wrong, []);
    // Concretely, for the record: front desk books but cannot touch settings, users or the audit log.
    const fd = cookies.frontdesk;
    assert.equal((await web.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: fd }, payload: { telephony: { record: true } } })).statusCode, 403);
    assert.equal((await web.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: fd }, payload: { username: 'eve', role: 'owner' } })).statusCode, 403);
    assert.equal((await web.app.inject({ url: '/api/audit', headers: { cookie: fd } })).statusCode, 403);
    assert.equal((await web.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: cookies.manager }, payload: { username: 'eve', role: 'owner' } })).statusCode, 403);
    assert.equal((await web.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: cookies.manager }, payload: { telephony: { record: true } } })).statusCode, 200);
    assert.equal(web.saved.at(-1)?.telephony.record, true);
    assert.equal((await web.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: fd } })).statusCode, 200);
    assert.equal((await web.app.inject({ url: '/api/services', headers: { cookie: fd } })).statusCode, 401);
  } finally {
    await web.close();
  }
});

test('with a one-time password, nothing but the password change (and who-am-I, logout) works until it is replaced', async () => {
  const web = await openTestWeb();
  try {
    const { oneTimePassword } = await web.accounts.createUser('nina', 'manager');
    assert.ok(oneTimePassword);
    const cookie = await web.login('nina', oneTimePassword);
    const open = new Set(['DELETE /api/session', 'POST /api/session/password']);
    const leaks: string[] = [];
    for (const r of privateRoutes(web)) {
      if (open.has(`${r.method} ${r.url}`)) continue;
      const res = await web.app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: { cookie }, ...(r.method === 'GET' || r.method === 'HEAD' ? {} : { payload: {} }) });
      if (res.statusCode !== 403 || (r.method !== 'HEAD' && !res.body.includes('SPA_ERR_PASSWORD_CHANGE_REQUIRED'))) leaks.push(`${r.method} ${r.url} -> ${res.statusCode}`);
    }
    assert.deepEqual(leaks, []);
    const me = await web.app.inject({ url: '/api/session', headers: { cookie } });
    assert.equal(me.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword, true);
    const short = await web.app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie }, payload: { current: oneTimePassword, next: 'short' } });
    assert.equal(short.statusCode, 400);
    const same = await web.app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie }, payload: { current: oneTimePassword, next: oneTimePassword } });
    assert.equal(same.statusCode, 400);
    const changed = await web.app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie }, payload: { current: oneTimePassword, next: 'nina chose this one' } });
    assert.equal(changed.statusCode, 200);
    assert.equal((await web.app.inject({ url: '/api/settings', headers: { cookie } })).statusCode, 200);
  } finally {
    await web.close();
  }
});
