// Serves the staff web UI that `npm run build` bundles into dist/ui/ (web-ui/ is its source):
// index.html, never cached so a new version shows at the next load, and the hashed files under
// /assets/, cached for a year as immutable (a changed file gets a new name). Nothing inline: the
// Content-Security-Policy allows no inline script or style.
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApplianceError } from '../../errors.js';

/** dist/ui/ beside the compiled appliance (dist/appliance/web/routes/ui.js). */
export const UI_DIR = fileURLToPath(new URL('../../../ui/', import.meta.url));

/** Hashed file names under assets/: letters, digits, - _ . only (no path can be spelled). */
const ASSET_NAME = /^[\w.-]{1,200}$/;

class UiNotBuiltError extends ApplianceError {
  constructor() {
    super('SPA_ERR_UI_NOT_BUILT', 'the web UI is not built: run npm run build', { status: 503 });
  }
}

export function uiRoutes(opts: { dir?: string } = {}): FastifyPluginAsync {
  const dir = opts.dir ?? UI_DIR;
  return async (app) => {
    app.get('/', { config: { access: 'public' } }, async (_req, reply) => {
      if (!existsSync(`${dir}/index.html`)) throw new UiNotBuiltError();
      return reply.header('cache-control', 'no-cache').sendFile('index.html', dir, { cacheControl: false });
    });
    app.get('/assets/:file', { config: { access: 'public' } }, async (req, reply) => {
      const { file } = req.params as { file: string };
      if (!ASSET_NAME.test(file) || file.startsWith('.')) return reply.callNotFound();
      return reply.sendFile(file, `${dir}/assets`, { maxAge: '365d', immutable: true, dotfiles: 'deny' });
    });
  };
}
