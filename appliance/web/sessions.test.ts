// Staff sessions and accounts on a pinned clock: idle and absolute limits, password changes and
// disabling end sessions, the login throttle counts before hashing, scrypt at OWASP's cost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb, OWNER_PASSWORD } from '../../test/helpers/web.js';
import { openTestSpa } from '../../test/helpers/spa.js';
import { Accounts } from './accounts.js';
import { SCRYPT_PARAMS } from './passwords.js';

const MIN = 60_000;

test('a session ends after 30 idle minutes; use keeps it alive', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const get = async () => (await web.app.inject({ url: '/api/services', headers: { cookie } })).statusCode;
    for (let i = 0; i < 4; i++) {
      web.spa.clock.advance(29 * MIN);
      assert.equal(await get(), 200, `use ${i + 1} after 29 minutes`);
    }
    web.spa.clock.advance(30 * MIN);
    assert.equal(await get(), 401);
  } finally {
    await web.close();
  }
});

test('a busy session still ends 12 hours after login (absolute limit)', async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    let status = 200;
    let minutes = 0;
    while (status === 200 && minutes < 13 * 60) {
      web.spa.clock.advance(10 * MIN);
      minutes += 10;
      status = (await web.app.inject({ url: '/api/services', headers: { cookie } })).statusCode;
    }
    assert.equal(status, 401);
    assert.equal(minutes, 12 * 60);
  } finally {
    await web.close();
  }
});

test('idle and absolute limits follow the settings given to Accounts', async () => {
  const spa = openTestSpa();
  try {
    const accounts = new Accounts({ db: spa.db, clock: spa.clock, sessions: { idleMs: 5 * MIN, absoluteMs: 60 * MIN } });
    await accounts.ensureOwner(OWNER_PASSWORD);
    const { token } = (await accounts.login('owner', OWNER_PASSWORD)) ?? assert.fail('login');
    spa.clock.advance(4 * MIN);
    assert.ok(accounts.session(token));
    spa.clock.advance(5 * MIN);
    assert.equal(accounts.session(token), null);
  } finally {
    spa.close();
  }
});

test("a password change ends the person's other sessions and keeps the one that changed it", async () => {
  const web = await openTestWeb();
  try {
    const laptop = await web.login();
    const phone = await web.login();
    const desk = await web.login();
    const res = await web.app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie: laptop }, payload: { current: OWNER_PASSWORD, next: 'a brand new passphrase' } });
    assert.equal(res.statusCode, 200);
    assert.equal((await web.app.inject({ url: '/api/calls', headers: { cookie: laptop } })).statusCode, 200);
    assert.equal((await web.app.inject({ url: '/api/calls', headers: { cookie: phone } })).statusCode, 401);
    assert.equal((await web.app.inject({ url: '/api/calls', headers: { cookie: desk } })).statusCode, 401);
    const wrong = await web.app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie: laptop }, payload: { current: OWNER_PASSWORD, next: 'yet another passphrase' } });
    assert.equal(wrong.statusCode, 403, 'the old password no longer counts as current');
  } finally {
    await web.close();
  }
});

test('the owner adds a person with a one-time password, disables them (sessions end, login refused) and re-enables them', async () => {
  const web = await openTestWeb();
  try {
    const owner = await web.login();
    const made = await web.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: owner }, payload: { username: 'Jess', role: 'frontdesk' } });
    assert.equal(made.statusCode, 201);
    const { user, oneTimePassword } = made.json<{ user: { id: number; mustChangePassword: boolean }; oneTimePassword: string }>();
    assert.equal(user.mustChangePassword, true);
    assert.match(oneTimePassword, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const dup = await web.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: owner }, payload: { username: 'jess', role: 'manager' } });
    assert.equal(dup.statusCode, 409, 'user names are unique whatever the case');
    const badName = await web.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: owner }, payload: { username: 'j ess<script>', role: 'manager' } });
    assert.equal(badName.statusCode, 400);

    const jess = await web.login('Jess', oneTimePassword);
    await web.app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie: jess }, payload: { current: oneTimePassword, next: 'jess picks her own' } });
    assert.equal((await web.app.inject({ url: '/api/calls', headers: { cookie: jess } })).statusCode, 200);

    const off = await web.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: { cookie: owner }, payload: { disabled: true } });
    assert.equal(off.json<{ user: { disabled: boolean; sessions: number } }>().user.disabled, true);
    assert.equal(off.json<{ user: { sessions: number } }>().user.sessions, 0);
    assert.equal((await web.app.inject({ url: '/api/calls', headers: { cookie: jess } })).statusCode, 401);
    const refused = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'Jess', password: 'jess picks her own' } });
    assert.equal(refused.statusCode, 401);

    await web.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: { cookie: owner }, payload: { disabled: false } });
    assert.equal((await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'Jess', password: 'jess picks her own' } })).statusCode, 200);

    const reset = await web.app.inject({ method: 'POST', url: `/api/users/${user.id}/password`, headers: { cookie: owner } });
    const otp = reset.json<{ oneTimePassword: string }>().oneTimePassword;
    assert.equal((await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'Jess', password: 'jess picks her own' } })).statusCode, 401);
    const after = await web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'jess', password: otp } });
    assert.equal(after.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword, true);
  } finally {
    await web.close();
  }
});

test('the last active owner cannot be disabled or demoted', async () => {
  const web = await openTestWeb();
  try {
    const owner = await web.login();
    const ownerId = web.accounts.list().find((u) => u.username === 'owner')?.id ?? 0;
    for (const payload of [{ disabled: true }, { role: 'manager' }]) {
      const res = await web.app.inject({ method: 'PATCH', url: `/api/users/${ownerId}`, headers: { cookie: owner }, payload });
      assert.equal(res.statusCode, 409, JSON.stringify(payload));
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'SPA_ERR_LAST_OWNER');
    }
    const second = await web.addUser('co-owner', 'owner');
    assert.equal((await web.app.inject({ method: 'PATCH', url: `/api/users/${ownerId}`, headers: { cookie: second.cookie }, payload: { role: 'manager' } })).statusCode, 200);
  } finally {
    await web.close();
  }
});

test('the login throttle counts an attempt before hashing: 15 parallel guesses, only 10 are checked', async () => {
  const web = await openTestWeb();
  try {
    const guesses = Array.from({ length: 15 }, (_, i) => web.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'owner', password: `guess ${i}` } }));
    const statuses = (await Promise.all(guesses)).map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 401).length, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 5);
    // Failed logins are audited with the name tried (no password, ever).
    const failed = web.audit.list({ limit: 50, action: 'session.login-failed' });
    assert.equal(failed.length, 10);
    assert.ok(failed.every((e) => e.username === 'owner' && !e.detail.includes('guess')));
  } finally {
    await web.close();
  }
});

test('passwords are stored with scrypt at OWASP cost (N=2^17, r=8, p=1); older hashes are upgraded at login', async () => {
  const spa = openTestSpa();
  try {
    assert.deepEqual(SCRYPT_PARAMS, { N: 131072, r: 8, p: 1 });
    const accounts = new Accounts({ db: spa.db, clock: spa.clock });
    await accounts.ensureOwner(OWNER_PASSWORD);
    const stored = (): string => spa.db.prepare(`SELECT password_hash FROM users WHERE username = 'owner'`).pluck().get() as string;
    assert.match(stored(), /^scrypt\$131072\$8\$1\$/);
    // A hash from the earlier release (N = 2^14) still verifies, and is stored again at today's cost.
    const legacy = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$' + (await legacyHash(OWNER_PASSWORD, 'c2FsdHNhbHRzYWx0c2FsdA=='));
    spa.db.prepare(`UPDATE users SET password_hash = ? WHERE username = 'owner'`).run(legacy);
    assert.ok(await accounts.login('owner', OWNER_PASSWORD));
    assert.match(stored(), /^scrypt\$131072\$8\$1\$/);
    assert.ok(await accounts.login('owner', OWNER_PASSWORD));
  } finally {
    spa.close();
  }
});

async function legacyHash(password: string, saltB64: string): Promise<string> {
  const { scrypt } = await import('node:crypto');
  return new Promise((resolve, reject) =>
    scrypt(password, Buffer.from(saltB64, 'base64'), 32, { N: 16384, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key.toString('base64')))),
  );
}
