// Imported first by main.tsx, so it runs before the rest of the bundle is evaluated: who is
// signed in and, on Today (the page the front desk opens), its figures are asked for at once,
// side by side, rather than one after the other as the components mount.
import { prefetch } from './api.js';
import { parseRoute } from './lib/routes.js';

prefetch('/api/session');
if (parseRoute(location.hash).page === 'today') prefetch('/api/today');
