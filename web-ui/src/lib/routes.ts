// The UI's pages and their addresses (#/calls/12), and which pages each role sees. Hash
// addresses keep the server's route table to one page: the router is here, the data behind
// each page is refused by the API to anyone whose role does not allow it.
import { roleAllows, type Role } from './roles.js';

export const PAGES = [
  { id: 'today', path: 'today', title: 'Today', role: 'frontdesk' },
  { id: 'live', path: 'live', title: 'Live', role: 'frontdesk' },
  { id: 'calendar', path: 'calendar', title: 'Calendar', role: 'frontdesk' },
  { id: 'calls', path: 'calls', title: 'Calls', role: 'frontdesk' },
  { id: 'messages', path: 'messages', title: 'Messages', role: 'frontdesk' },
  { id: 'clients', path: 'clients', title: 'Clients', role: 'frontdesk' },
  { id: 'insights', path: 'insights', title: 'Insights', role: 'owner' },
  { id: 'health', path: 'health', title: 'Health', role: 'frontdesk' },
  { id: 'audit', path: 'audit', title: 'Audit log', role: 'owner' },
  { id: 'settings', path: 'settings', title: 'Settings', role: 'owner' },
  { id: 'users', path: 'users', title: 'Users', role: 'owner' },
  { id: 'setup', path: 'setup', title: 'Setup', role: 'owner' },
] as const satisfies readonly { id: string; path: string; title: string; role: Role }[];

export type PageId = (typeof PAGES)[number]['id'] | 'call' | 'client';

export interface Route {
  page: PageId | 'not-found';
  /** The call id on a call's page, the client id on a client's page. */
  id?: number;
  /** The query after '?' (filters), e.g. #/calls?outcome=missed. */
  query: URLSearchParams;
}

/** '#/calls/12?x=1' -> {page: 'call', id: 12}; '' and '#/' -> Today. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = text.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { page: 'today', query };
  const [first, second] = parts;
  if ((first === 'calls' || first === 'clients') && second !== undefined && parts.length === 2) {
    const id = /^[1-9]\d{0,15}$/.test(second) ? Number(second) : NaN;
    return Number.isSafeInteger(id) ? { page: first === 'calls' ? 'call' : 'client', id, query } : { page: 'not-found', query };
  }
  const page = PAGES.find((p) => p.path === first);
  return page && parts.length === 1 ? { page: page.id, query } : { page: 'not-found', query };
}

/** The least role a page needs (a call's page: like the call list). */
export function pageRole(page: PageId): Role {
  if (page === 'call' || page === 'client') return 'frontdesk';
  return PAGES.find((p) => p.id === page)?.role ?? 'owner';
}

/** The navigation a person of this role sees. */
export function navFor(role: Role): { id: PageId; href: string; title: string }[] {
  return PAGES.filter((p) => roleAllows(role, p.role)).map((p) => ({ id: p.id, href: `#/${p.path}`, title: p.title }));
}

/** Which navigation entry a page belongs under (a call's page: Calls). */
export function navSection(page: Route['page']): PageId | null {
  if (page === 'not-found') return null;
  return page === 'call' ? 'calls' : page === 'client' ? 'clients' : page;
}
