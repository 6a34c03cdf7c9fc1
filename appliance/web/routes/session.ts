// Login, logout, who am I, password change.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError } from '../../errors.js';
import { SESSION_TTL_MS } from '../accounts.js';
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
  next: z.string().min(8, 'at least 8 characters').max(256),
});

export function sessionRoutes(deps: WebDeps): FastifyPluginAsync {
  const throttle = new LoginThrottle({ clock: deps.clock });
  return async (app) => {
    app.post('/api/session', async (req, reply) => {
      const body = parseInput(loginBody, req.body);
      if (!throttle.allowed(req.ip)) {
        throw new ApplianceError('SPA_ERR_TOO_MANY_LOGINS', 'too many failed logins; wait 15 minutes', { status: 429, retryable: true });
      }
      const result = await deps.accounts.login(body.username, body.password);
      if (!result) {
        throttle.failed(req.ip);
        req.log.warn({ ip: req.ip }, 'login failed');
        throw new ApplianceError('SPA_ERR_BAD_LOGIN', 'wrong user name or password', { status: 401 });
      }
      throttle.succeeded(req.ip);
      void reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        maxAge: SESSION_TTL_MS / 1000,
      });
      return { user: result.user };
    });

    app.get('/api/session', (req) => ({ user: req.user }));

    app.delete('/api/session', (req, reply) => {
      deps.accounts.logout(req.cookies[SESSION_COOKIE]);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.post('/api/session/password', async (req) => {
      const body = parseInput(passwordBody, req.body);
      const user = req.user;
      if (!user || !(await deps.accounts.changePassword(user.id, body.current, body.next))) {
        throw new ApplianceError('SPA_ERR_BAD_LOGIN', 'current password is wrong', { status: 403 });
      }
      return { ok: true };
    });
  };
}
