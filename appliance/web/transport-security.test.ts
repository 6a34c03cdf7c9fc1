import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { createLogger } from '../log.js';
import { systemClock } from '../shared/clock.js';
import { tempDir } from '../../test/helpers/spa.js';
import { OWNER_PASSWORD, openTestWeb, type TestWeb } from '../../test/helpers/web.js';
import { WebListeners } from './listeners.js';
import { CUSTOM_CERT_FILE, CUSTOM_KEY_FILE, ensureCertificate, type TlsCertificate } from './tls.js';
import { HSTS, hostOfHeader, isLoopback, redirectLocation, type HttpsRedirect } from './transport-security.js';

const CSP = "default-src 'self';script-src 'self';script-src-attr 'none';style-src 'self';img-src 'self' data:;connect-src 'self';object-src 'none';frame-ancestors 'none';base-uri 'self';form-action 'self'";
const BOX_NAMES = { dns: ['spa-box', 'spa-box.local', 'localhost'], ips: ['192.168.1.5', '127.0.0.1', '::1'] };
const LAN = '192.168.1.20';

async function boxCertificate(dataDir: string): Promise<TlsCertificate> {
  return ensureCertificate({ dataDir, names: BOX_NAMES, clock: systemClock, log: createLogger({ level: 'silent' }) });
}

/** The redirect policy the appliance gives the app, over a certificate naming BOX_NAMES. */
function redirectOver(cert: TlsCertificate, port: () => number): HttpsRedirect {
  return { port, covers: (h) => cert.covers(h), fallbackHost: () => '192.168.1.5' };
}

test('loopback is 127.0.0.0/8, ::1 and their IPv4-mapped forms; LAN addresses and look-alikes are not', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::0:1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9']) assert.equal(isLoopback(a), true, a);
  for (const a of ['192.168.1.20', '10.0.0.1', '128.0.0.1', '::ffff:192.168.1.20', '1::', '::2', 'fe80::1', '::', '0.0.0.0', '::127.0.0.1', 'localhost', '', undefined]) {
    assert.equal(isLoopback(a), false, String(a));
  }
});

test('a Host header gives its host part only when it is a sane name or IP literal', () => {
  const kept: [string, string][] = [
    ['spa-box.local:8080', 'spa-box.local'],
    ['SPA-BOX', 'spa-box'],
    ['spa-box.local.', 'spa-box.local'],
    ['192.168.1.5:8080', '192.168.1.5'],
    ['[FE80::1]:8080', '[fe80::1]'],
  ];
  for (const [header, host] of kept) assert.equal(hostOfHeader(header), host, header);
  const refused = ['', 'evil.example@spa-box', 'spa-box/evil', 'spa box', 'a..b', '-a.example', 'spa-box:8080:1', '[spa-box]', 'fe80::1', 'b\u00fccher.example', '%65vil.example', 'evil.example\\x', 'x:port'];
  for (const header of refused) assert.equal(hostOfHeader(header), null, header);
  assert.equal(hostOfHeader(undefined), null);
});

test('the redirect keeps the path and query, and stays on the box whatever the Host header or request target say', () => {
  const covers = (h: string): boolean => ['spa-box', 'spa-box.local', 'localhost', '192.168.1.5', '127.0.0.1', '::1'].includes(h);
  const base = { localAddress: '192.168.1.5', port: 8443, covers, fallbackHost: '192.168.1.5' };
  assert.equal(redirectLocation({ ...base, host: 'spa-box.local:8080', url: '/api/calls?from=2026-12-01&x=%2F' }), 'https://spa-box.local:8443/api/calls?from=2026-12-01&x=%2F');
  assert.equal(redirectLocation({ ...base, host: '192.168.1.5:8080', url: '/' }), 'https://192.168.1.5:8443/');
  assert.equal(redirectLocation({ ...base, port: 443, host: 'spa-box', url: '/x' }), 'https://spa-box/x');
  // A host the certificate does not name: the address the request arrived at.
  assert.equal(redirectLocation({ ...base, host: 'evil.example', url: '/api/session' }), 'https://192.168.1.5:8443/api/session');
  assert.equal(redirectLocation({ ...base, localAddress: '::ffff:192.168.1.5', host: 'evil.example', url: '/' }), 'https://192.168.1.5:8443/');
  assert.equal(redirectLocation({ ...base, localAddress: 'fd00::5', host: 'evil.example', url: '/' }), 'https://[fd00::5]:8443/');
  assert.equal(redirectLocation({ ...base, localAddress: undefined, host: 'evil.example', url: '/' }), 'https://192.168.1.5:8443/');
  // A LAN client naming loopback would be sent to its own machine: not used.
  assert.equal(redirectLocation({ ...base, host: 'localhost:8080', url: '/' }), 'https://192.168.1.5:8443/');
  assert.equal(redirectLocation({ ...base, host: '127.0.0.1', url: '/' }), 'https://192.168.1.5:8443/');

  const hostile: [host: string | undefined, url: string][] = [
    ['evil.example', '/'],
    ['spa-box.local@evil.example', '/'],
    ['evil.example:8080', '//evil.example/x'],
    ['spa-box.local', 'http://evil.example/api/calls?x=1'],
    ['spa-box.local', '//evil.example/%2e%2e'],
    ['spa-box.local', '/\\evil.example/'],
    ['spa-box.local', '\\\\evil.example'],
    ['spa-box.local', '@evil.example'],
    ['spa-box.local', 'http://[bad'],
    [undefined, '/'],
    ['[::1]', '/'],
    ['spa-box.local\r\nLocation: https://evil.example', '/'],
  ];
  for (const [host, url] of hostile) {
    const location = redirectLocation({ ...base, host, url });
    const parsed = new URL(location);
    assert.ok(['spa-box.local', '192.168.1.5'].includes(parsed.hostname), `${String(host)} ${url} -> ${location}`);
    assert.equal(parsed.protocol, 'https:');
    assert.equal(parsed.port, '8443');
    assert.equal(parsed.username, '');
    assert.ok(location.startsWith(`https://${parsed.host}/`), location);
  }
  assert.equal(redirectLocation({ ...base, host: 'spa-box.local', url: 'http://evil.example/api/calls?x=1' }), 'https://spa-box.local:8443/api/calls?x=1');
});

async function redirectingWeb(): Promise<{ web: TestWeb; remove: () => void }> {
  const dir = tempDir('spa-https-');
  const cert = await boxCertificate(dir.path);
  const web = await openTestWeb({ https: redirectOver(cert, () => 8443) });
  return { web, remove: () => dir.remove() };
}

test('plain HTTP from a LAN address gets a 308 to the same path and query over HTTPS, for every method, route and URL spelling', async () => {
  const { web, remove } = await redirectingWeb();
  try {
    const requests: [method: 'GET' | 'POST' | 'HEAD' | 'OPTIONS' | 'DELETE', url: string][] = [
      ['GET', '/'],
      ['GET', '/api/health'],
      ['GET', '/api/calls?from=2026-12-01'],
      ['POST', '/api/session'],
      ['DELETE', '/api/session'],
      ['HEAD', '/api/services'],
      ['OPTIONS', '/api/appointments'],
      ['GET', '/%61pi/calls'],
      ['GET', '/api/./calls'],
      ['GET', '//api/calls'],
      ['GET', '/no/such/route'],
    ];
    for (const [method, url] of requests) {
      const res = await web.app.inject({
        method,
        url,
        remoteAddress: LAN,
        headers: { host: 'spa-box.local:8080' },
        ...(method === 'POST' ? { payload: { username: 'owner', password: OWNER_PASSWORD } } : {}),
      });
      assert.equal(res.statusCode, 308, `${method} ${url}`);
      const location = new URL(String(res.headers.location));
      assert.equal(`${location.protocol}//${location.host}`, 'https://spa-box.local:8443', `${method} ${url}`);
      assert.equal(res.headers['set-cookie'], undefined, 'nothing is served, no login happens');
    }
    const query = await web.app.inject({ url: '/api/calls?from=2026-12-01&q=a%20b', remoteAddress: LAN, headers: { host: 'spa-box.local:8080' } });
    assert.equal(query.headers.location, 'https://spa-box.local:8443/api/calls?from=2026-12-01&q=a%20b');
    const mapped = await web.app.inject({ url: '/api/health', remoteAddress: `::ffff:${LAN}`, headers: { host: '192.168.1.5:8080' } });
    assert.equal(mapped.statusCode, 308);
    assert.equal(mapped.headers.location, 'https://192.168.1.5:8443/api/health');
  } finally {
    await web.close();
    remove();
  }
});

test('loopback clients are served over plain HTTP as before (local tools, tests, the caller simulator)', async () => {
  const { web, remove } = await redirectingWeb();
  try {
    for (const remoteAddress of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      const health = await web.app.inject({ url: '/api/health', remoteAddress });
      assert.equal(health.statusCode, 200, remoteAddress);
      assert.equal(health.json<{ db: string }>().db, 'ok');
      assert.equal((await web.app.inject({ url: '/api/services', remoteAddress })).statusCode, 401, 'the session check still applies');
    }
    const login = await web.app.inject({ method: 'POST', url: '/api/session', remoteAddress: '127.0.0.1', payload: { username: 'owner', password: OWNER_PASSWORD } });
    assert.equal(login.statusCode, 200);
  } finally {
    await web.close();
    remove();
  }
});

test('Host header abuse from the LAN gets a redirect on the box, never to another host', async () => {
  const { web, remove } = await redirectingWeb();
  try {
    for (const host of ['evil.example', 'evil.example:8080', 'spa-box.local@evil.example', 'localhost:8080', '127.0.0.1', 'spa-box.local.evil.example', '[::1]:8080', '', 'a b']) {
      const res = await web.app.inject({ url: '/api/calls', remoteAddress: LAN, headers: { host } });
      assert.equal(res.statusCode, 308, host);
      assert.equal(res.headers.location, 'https://192.168.1.5:8443/api/calls', host);
    }
  } finally {
    await web.close();
    remove();
  }
});

test('every response carries the security headers, redirects and errors included; no HSTS over plain HTTP', async () => {
  const { web, remove } = await redirectingWeb();
  try {
    const responses = [
      await web.app.inject({ url: '/', remoteAddress: '127.0.0.1' }),
      await web.app.inject({ url: '/api/services', remoteAddress: '127.0.0.1' }),
      await web.app.inject({ url: '/no/such/route', remoteAddress: '127.0.0.1' }),
      await web.app.inject({ url: '/', remoteAddress: LAN }),
    ];
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      // An unknown route needs a session too (deny by default), so a stranger gets 401, not 404.
      [200, 401, 401, 308],
    );
    for (const res of responses) assertSecurityHeaders(res.headers, false);
  } finally {
    await web.close();
    remove();
  }
});

function assertSecurityHeaders(headers: IncomingHttpHeaders | Record<string, unknown>, tls: boolean): void {
  assert.equal(headers['content-security-policy'], CSP);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['strict-transport-security'], tls ? HSTS : undefined);
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  peer?: PeerCertificate;
}

/** One HTTPS request on a fresh connection that trusts only `ca` and checks the certificate's fingerprint. */
function overTls(url: string, opts: { ca: string; fingerprint: string; method?: string; body?: unknown }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        ca: opts.ca,
        checkServerIdentity: (_host, peer) => (peer.fingerprint256 === opts.fingerprint ? undefined : new Error(`fingerprint ${peer.fingerprint256}`)),
        headers: opts.body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, peer: (res.socket as TLSSocket).getPeerCertificate() }));
      },
    );
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

function overHttp(url: string, opts: { method?: string; body?: unknown } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', agent: false, headers: opts.body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

async function listening(): Promise<{ web: TestWeb; listeners: WebListeners; cert: TlsCertificate; dataDir: string; stop(): Promise<void> }> {
  const dir = tempDir('spa-https-');
  const cert = await boxCertificate(dir.path);
  let listeners: WebListeners | null = null;
  const web = await openTestWeb({ https: redirectOver(cert, () => listeners?.httpsPort ?? 0) });
  listeners = new WebListeners({ app: web.app, log: createLogger({ level: 'silent' }), bind: '127.0.0.1', httpPort: 0, httpsPort: 0, certificate: cert });
  await listeners.start();
  const l = listeners;
  return {
    web,
    listeners: l,
    cert,
    dataDir: dir.path,
    async stop() {
      await l.stop();
      web.spa.close();
      dir.remove();
    },
  };
}

test('HTTPS on loopback serves the app with the certificate whose SHA-256 fingerprint was printed, trusted by that certificate alone', async () => {
  const box = await listening();
  try {
    assert.ok(box.listeners.httpsPort > 0 && box.listeners.httpsPort !== box.listeners.httpPort);
    const res = await overTls(`https://127.0.0.1:${box.listeners.httpsPort}/api/health`, { ca: box.cert.cert, fingerprint: box.cert.fingerprint });
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { db: string }).db, 'ok');
    assert.equal(res.peer?.fingerprint256, box.cert.fingerprint);
    const byName = await overTls(`https://localhost:${box.listeners.httpsPort}/`, { ca: box.cert.cert, fingerprint: box.cert.fingerprint });
    assert.equal(byName.status, 200);
    assert.match(byName.body, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    // Any other certificate is refused: the check is real.
    await assert.rejects(overTls(`https://127.0.0.1:${box.listeners.httpsPort}/`, { ca: box.cert.cert, fingerprint: 'AA:BB' }), /fingerprint/);
  } finally {
    await box.stop();
  }
});

test('both listeners carry the security headers; HSTS only on the HTTPS one', async () => {
  const box = await listening();
  try {
    const plain = await overHttp(`http://127.0.0.1:${box.listeners.httpPort}/`);
    assert.equal(plain.status, 200);
    assertSecurityHeaders(plain.headers, false);
    const tls = await overTls(`https://127.0.0.1:${box.listeners.httpsPort}/`, { ca: box.cert.cert, fingerprint: box.cert.fingerprint });
    assert.equal(tls.status, 200);
    assertSecurityHeaders(tls.headers, true);
    const tlsError = await overTls(`https://127.0.0.1:${box.listeners.httpsPort}/api/calls`, { ca: box.cert.cert, fingerprint: box.cert.fingerprint });
    assert.equal(tlsError.status, 401);
    assertSecurityHeaders(tlsError.headers, true);
  } finally {
    await box.stop();
  }
});

test('the session cookie is Secure when the login came over TLS, and not over loopback plain HTTP', async () => {
  const box = await listening();
  try {
    const credentials = { username: 'owner', password: OWNER_PASSWORD };
    const tls = await overTls(`https://127.0.0.1:${box.listeners.httpsPort}/api/session`, { ca: box.cert.cert, fingerprint: box.cert.fingerprint, method: 'POST', body: credentials });
    assert.equal(tls.status, 200);
    const secureCookie = String(tls.headers['set-cookie']);
    assert.match(secureCookie, /^spa_session=/);
    assert.match(secureCookie, /; Secure/);
    assert.match(secureCookie, /HttpOnly/);
    const plain = await overHttp(`http://127.0.0.1:${box.listeners.httpPort}/api/session`, { method: 'POST', body: credentials });
    assert.equal(plain.status, 200);
    const plainCookie = String(plain.headers['set-cookie']);
    assert.match(plainCookie, /^spa_session=/);
    assert.doesNotMatch(plainCookie, /Secure/);
  } finally {
    await box.stop();
  }
});

test('a new certificate (renewed, or dropped in by the installer) is served from the next TLS handshake on, without a restart', async () => {
  const box = await listening();
  try {
    const url = `https://127.0.0.1:${box.listeners.httpsPort}/api/health`;
    const made = await generate([{ name: 'commonName', value: 'spa-box' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(Date.now() - 86_400_000),
      notAfterDate: new Date(Date.now() + 300 * 86_400_000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    writeFileSync(join(box.dataDir, 'tls', CUSTOM_CERT_FILE), made.cert);
    writeFileSync(join(box.dataDir, 'tls', CUSTOM_KEY_FILE), made.private, { mode: 0o600 });
    const next = await ensureCertificate({ dataDir: box.dataDir, names: BOX_NAMES, clock: systemClock, log: createLogger({ level: 'silent' }) });
    assert.notEqual(next.fingerprint, box.cert.fingerprint);
    const before = await overTls(url, { ca: box.cert.cert, fingerprint: box.cert.fingerprint });
    assert.equal(before.peer?.fingerprint256, box.cert.fingerprint);
    box.listeners.useCertificate(next);
    const after = await overTls(url, { ca: next.cert, fingerprint: next.fingerprint });
    assert.equal(after.status, 200);
    assert.equal(after.peer?.fingerprint256, next.fingerprint);
  } finally {
    await box.stop();
  }
});

test('stop closes both listeners, keep-alive connections included', async () => {
  const box = await listening();
  const { httpPort, httpsPort } = box.listeners;
  // A keep-alive connection left open over TLS (fetch and https agents keep them).
  const { Agent } = await import('node:https');
  const agent = new Agent({ keepAlive: true, ca: box.cert.cert });
  await new Promise<void>((resolve, reject) => {
    httpsRequest(`https://127.0.0.1:${httpsPort}/api/health`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    })
      .on('error', reject)
      .end();
  });
  await box.stop();
  agent.destroy();
  await assert.rejects(overHttp(`http://127.0.0.1:${httpPort}/`), /ECONNREFUSED/);
  await assert.rejects(overTls(`https://127.0.0.1:${httpsPort}/`, { ca: box.cert.cert, fingerprint: box.cert.fingerprint }), /ECONNREFUSED/);
});
