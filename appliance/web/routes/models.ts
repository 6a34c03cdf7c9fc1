// Speech models for the owner (the setup wizard's last step, and Health): what the manifest
// offers and what is installed, and an install started in the background whose progress the
// page polls (GET /api/models answers the install running or last finished).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, NotFoundError } from '../../errors.js';
import { ModelsError, MODELS_ERR } from '../../models/errors.js';
import type { ModelInstalls } from '../../models/install-jobs.js';
import type { WebDeps } from '../app.js';
import { parseInput } from '../validation.js';

const nameParam = z.strictObject({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a model name') });

export function modelRoutes(deps: WebDeps): FastifyPluginAsync {
  const installs = (): ModelInstalls => {
    if (!deps.models) throw new ApplianceError('SPA_ERR_MODELS_UNAVAILABLE', 'model installs are not available here', { status: 503 });
    return deps.models;
  };
  return async (app) => {
    app.get('/api/models', { config: { access: 'owner' } }, async () => ({ models: await installs().list(), install: installs().current() }));

    app.post('/api/models/:name/install', { config: { access: 'owner', audit: { action: 'model.install', subject: 'model' } } }, async (req, reply) => {
      const { name } = parseInput(nameParam, req.params, 'path');
      req.auditSubject = name;
      try {
        const install = await installs().start(name);
        return await reply.code(202).send({ install });
      } catch (err) {
        if (err instanceof ModelsError && err.code === MODELS_ERR.unknownModel) throw new NotFoundError('model', name);
        throw err;
      }
    });
  };
}
