// Imported first by main.tsx, so it runs before the rest of the bundle is evaluated: who is
// signed in is asked at once and, on Today (the page the front desk opens), its figures the moment
// the answer says someone is signed in, rather than after the components have mounted.
import { prefetch, prefetchAfter } from './api.js';
import { parseRoute } from './lib/routes.js';

prefetch('/api/session');
if (parseRoute(location.hash).page === 'today') {
  prefetchAfter('/api/today', '/api/session', (body) => {
    const user = (body as { user?: { mustChangePassword?: boolean } | null } | null)?.user;
    return user !== null && user !== undefined && user.mustChangePassword !== true;
  });
}
