// The app shell: sign-in until someone is signed in, then the header with the navigation their
// role allows, the current page, and the idle warning. Pages a role may not use are refused
// here without asking the API (which refuses them too).
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { navFor, navSection, pageRole, parseRoute, type Route } from './lib/routes.js';
import { roleAllows, ROLE_NAMES } from './lib/roles.js';
import { countdown } from './lib/format.js';
import { currentUser, idleDeadline, loadSession, signOut, staySignedIn, type User } from './session.js';
import { ChangePassword, SignIn } from './pages/sign-in.js';
import { TodayPage } from './pages/today.js';
import { lazyPage } from './lazy-page.js';

const CallsPage = lazyPage(() => import('./pages/calls.js').then((m) => m.CallsPage));
const CallPage = lazyPage(() => import('./pages/call.js').then((m) => m.CallPage));
const HealthPage = lazyPage(() => import('./pages/health.js').then((m) => m.HealthPage));
const AuditPage = lazyPage(() => import('./pages/audit.js').then((m) => m.AuditPage));
const CalendarPage = lazyPage(() => import('./pages/calendar.js').then((m) => m.CalendarPage));
const ClientsPage = lazyPage(() => import('./pages/clients.js').then((m) => m.ClientsPage));
const ClientPage = lazyPage(() => import('./pages/clients.js').then((m) => m.ClientPage));
const SettingsPage = lazyPage(() => import('./pages/settings.js').then((m) => m.SettingsPage));
const UsersPage = lazyPage(() => import('./pages/users.js').then((m) => m.UsersPage));
const SetupPage = lazyPage(() => import('./pages/setup.js').then((m) => m.SetupPage));
const LivePage = lazyPage(() => import('./pages/live.js').then((m) => m.LivePage));
const MessagesPage = lazyPage(() => import('./pages/messages.js').then((m) => m.MessagesPage));
const InsightsPage = lazyPage(() => import('./pages/insights.js').then((m) => m.InsightsPage));
import { SetupPrompt } from './setup-prompt.js';
import { useNow } from './hooks.js';

const route = signal<Route>(parseRoute(location.hash));
window.addEventListener('hashchange', () => {
  route.value = parseRoute(location.hash);
});

export function App() {
  useEffect(() => {
    loadSession().catch(() => {
      currentUser.value = null;
    });
  }, []);
  const user = currentUser.value;
  if (user === undefined) return <p class="loading" role="status">Loading…</p>;
  if (user === null) return <SignIn />;
  if (user.mustChangePassword) return <ChangePassword user={user} />;
  return <Shell user={user} route={route.value} />;
}

function Shell({ user, route }: { user: User; route: Route }) {
  const section = navSection(route.page);
  const main = useRef<HTMLElement>(null);
  // A new page: move focus to it, so keyboard and screen-reader users start there.
  useEffect(() => {
    main.current?.focus();
  }, [route.page, route.id]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Spa Receptionist</span>
        <nav aria-label="Main">
          <ul>
            {navFor(user.role).map((n) => (
              <li key={n.id}>
                <a href={n.href} aria-current={section === n.id ? 'page' : undefined}>
                  {n.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {user.username} <span class="muted">({ROLE_NAMES[user.role]})</span>
          </span>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {user.role === 'owner' && <SetupPrompt page={route.page} />}
        <Page user={user} route={route} />
      </main>
      <IdleWarning />
    </>
  );
}

function Page({ user, route }: { user: User; route: Route }) {
  if (route.page === 'not-found') return <Message title="Page not found">There is no page at this address. Pick one from the menu above.</Message>;
  if (!roleAllows(user.role, pageRole(route.page))) {
    return (
      <Message title="Not allowed">
        This page is for the {ROLE_NAMES[pageRole(route.page)].toLowerCase()}. Ask the owner if you need it.
      </Message>
    );
  }
  switch (route.page) {
    case 'today':
      return <TodayPage />;
    case 'calls':
      return <CallsPage query={route.query} />;
    case 'call':
      return <CallPage id={route.id ?? 0} />;
    case 'health':
      return <HealthPage />;
    case 'audit':
      return <AuditPage query={route.query} />;
    case 'calendar':
      return <CalendarPage query={route.query} />;
    case 'clients':
      return <ClientsPage query={route.query} />;
    case 'client':
      return <ClientPage id={route.id ?? 0} />;
    case 'settings':
      return <SettingsPage query={route.query} />;
    case 'users':
      return <UsersPage />;
    case 'setup':
      return <SetupPage />;
    case 'live':
      return <LivePage />;
    case 'messages':
      return <MessagesPage query={route.query} />;
    case 'insights':
      return <InsightsPage />;
  }
}

export function Message({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="page-message">
      <h1>{title}</h1>
      <p>{children}</p>
    </section>
  );
}

function IdleWarning() {
  const deadline = idleDeadline.value;
  const now = useNow(deadline === null ? null : 1000);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (deadline !== null) button.current?.focus();
  }, [deadline]);
  if (deadline === null) return null;
  return (
    <div class="backdrop">
      <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text">
        <h2 id="idle-title">Still there?</h2>
        <p id="idle-text">
          For privacy you will be signed out in <strong>{countdown(deadline - now)}</strong> unless you continue.
        </p>
        <div class="actions">
          <button type="button" ref={button} onClick={staySignedIn}>
            Stay signed in
          </button>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            Sign out now
          </button>
        </div>
      </div>
    </div>
  );
}
