// Serves the staff web UI's static files from web-ui/: the page, its script and its styles, each
// a file of its own (the Content-Security-Policy allows no inline script or style).
import type { FastifyPluginAsync } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const WEB_UI = new URL('../../../../web-ui/', import.meta.url);

/** Route -> file in web-ui/ and its content type. */
export const UI_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

export function uiRoutes(): FastifyPluginAsync {
  return async (app) => {
    for (const [route, { file, type }] of Object.entries(UI_FILES)) {
      const path = fileURLToPath(new URL(file, WEB_UI));
      app.get(route, { config: { access: 'public' } }, async (_req, reply) => {
        const text = await readFile(path, 'utf8');
        return reply.type(type).header('cache-control', 'no-store').send(text);
      });
    }
  };
}
