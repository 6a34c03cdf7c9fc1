// Staff accounts, managed by the owner: list, add (with a one-time password the person replaces
// at first login), change role, disable / re-enable, reset a forgotten password.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../accounts.js';
import type { WebDeps } from '../app.js';
import { parseInput } from '../validation.js';

const idParam = z.object({ id: z.coerce.number().int().positive('a user id') });
const createBody = z.strictObject({
  username: z.string().min(2, 'at least 2 characters').max(32),
  role: z.enum(ROLES),
});
const updateBody = z
  .strictObject({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role and/or disabled');

export function userRoutes(deps: WebDeps): FastifyPluginAsync {
  const view = (u: ReturnType<WebDeps['accounts']['user']>) => ({ ...u, sessions: deps.accounts.sessionCount(u.id) });
  return async (app) => {
    app.get('/api/users', { config: { access: 'owner', audit: { action: 'user.list' } } }, () => ({ users: deps.accounts.list().map(view) }));

    app.post('/api/users', { config: { access: 'owner', audit: { action: 'user.create', subject: 'user' } } }, async (req, reply) => {
      const body = parseInput(createBody, req.body);
      const { user, oneTimePassword } = await deps.accounts.createUser(body.username, body.role);
      req.auditSubject = user.id;
      return reply.code(201).send({ user: view(user), oneTimePassword });
    });

    app.patch('/api/users/:id', { config: { access: 'owner', audit: { action: 'user.update', subject: 'user' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const body = parseInput(updateBody, req.body);
      return { user: view(deps.accounts.update(id, body)) };
    });

    app.post('/api/users/:id/password', { config: { access: 'owner', audit: { action: 'user.password-reset', subject: 'user' } } }, async (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      return { user: view(deps.accounts.user(id)), oneTimePassword: await deps.accounts.resetPassword(id) };
    });
  };
}
