// Serves the staff web UI's static files from web-ui/ (a single page for now).
import type { FastifyPluginAsync } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const INDEX = fileURLToPath(new URL('../../../../web-ui/index.html', import.meta.url));

export function uiRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { config: { access: 'public' } }, async (_req, reply) => {
      const html = await readFile(INDEX, 'utf8');
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    });
  };
}
