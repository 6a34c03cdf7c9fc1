// Login, logout, who am I, password change.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError } from '../../errors.js';
import { MIN_PASSWORD_LENGTH } from '../accounts.js';
import type { WebDeps } from '../app.js';
import { parseInput } from '../validation.js';
import { LoginThrottle } from '../login-throttle.js';

export const SESSION_COOKIE = 'spa_session';

const loginBody = z.object({
  username: z.string().min(1, 'required').max(64),
  password: z.string().min(1, 'required').max(256),
});
const passwordBody = z.object({
  current: z.string().min(1, 'required').max(256),
  next: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(256),
});

export function sessionRoutes(deps: WebDeps): FastifyPluginAsync {
  const throttle = new LoginThrottle({ clock: deps.clock });
  return async (app) => {
    app.post('/api/session', { config: { access: 'public' } }, async (req, reply) => {
      const body = parseInput(loginBody, req.body);
      if (!throttle.begin(req.ip)) {
        throw new ApplianceError('SPA_ERR_TOO_MANY_LOGINS', 'too many failed logins; wait 15 minutes', { status: 429, retryable: true });
      }
      const result = await deps.accounts.login(body.username, body.password, req.ip);
      if (!result) {
        deps.audit.record({ userId: null, username: body.username.slice(0, 64), sourceAddress: req.ip, action: 'session.login-failed', status: 401 });
        req.log.warn({ ip: req.ip }, 'login failed');
        throw new ApplianceError('SPA_ERR_BAD_LOGIN', 'wrong user name or password', { status: 401 });
      }
      throttle.succeeded(req.ip);
      deps.audit.record({ userId: result.user.id, username: result.user.username, sourceAddress: req.ip, action: 'session.login', status: 200 });
      void reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
      });
      return { user: result.user, idleTimeoutMs: deps.accounts.sessionIdleMs };
    });

    // Who am I: public, so the web UI learns "nobody" from a 200 instead of a 401 on every first
    // load (the answer names no one but the person whose cookie it is).
    app.get('/api/session', { config: { access: 'public' } }, (req) => ({ user: req.user, idleTimeoutMs: deps.accounts.sessionIdleMs }));

    app.delete('/api/session', { config: { access: 'frontdesk', beforePasswordChange: true } }, (req, reply) => {
      deps.accounts.logout(req.cookies[SESSION_COOKIE]);
      if (req.user) deps.audit.record({ userId: req.user.id, username: req.user.username, sourceAddress: req.ip, action: 'session.logout', status: 200 });
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.post('/api/session/password', { config: { access: 'frontdesk', beforePasswordChange: true } }, async (req) => {
      const body = parseInput(passwordBody, req.body);
      const user = req.user;
      // The current password is a password guess too: a borrowed session must not test many.
      if (!throttle.begin(req.ip)) {
        throw new ApplianceError('SPA_ERR_TOO_MANY_LOGINS', 'too many wrong passwords; wait 15 minutes', { status: 429, retryable: true });
      }
      if (!user || !(await deps.accounts.changePassword(user.id, body.current, body.next, req.sessionId ?? undefined))) {
        throw new ApplianceError('SPA_ERR_BAD_LOGIN', 'current password is wrong', { status: 403 });
      }
      throttle.succeeded(req.ip);
      deps.audit.record({ userId: user.id, username: user.username, sourceAddress: req.ip, action: 'session.password-change', subjectKind: 'user', subjectId: user.id, status: 200 });
      return { ok: true, user: deps.accounts.user(user.id) };
    });
  };
}
