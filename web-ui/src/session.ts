// Who is signed in, and automatic sign-out after inactivity (lib/idle.ts decides when; this wires
// it to the page's input events, the browser's timers and the API).
import { signal } from '@preact/signals';
import { api, whenSessionEnds } from './api.js';
import { IdleWatch, type IdleClock } from './lib/idle.js';
import type { Role } from './lib/roles.js';

export interface User {
  id: number;
  username: string;
  role: Role;
  mustChangePassword: boolean;
}

interface SessionAnswer {
  user: User | null;
  idleTimeoutMs: number;
}

/** undefined while the first answer is awaited; null when nobody is signed in. */
export const currentUser = signal<User | null | undefined>(undefined);
/** Why the sign-in page shows (after an automatic sign-out), or null. */
export const signedOutNote = signal<string | null>(null);
/** When the idle warning is up: the instant sign-out happens; else null. */
export const idleDeadline = signal<number | null>(null);

/** Warn this long before the automatic sign-out. */
export const IDLE_WARNING_MS = 60_000;

const browserClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => ({ id: window.setTimeout(fn, ms) }),
  clearTimeout: (h) => {
    if (h) window.clearTimeout((h as { id: number }).id);
  },
};

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'scroll'] as const;
let watch: IdleWatch | null = null;
const onActivity = (): void => watch?.activity();

function startIdleWatch(idleMs: number): void {
  stopIdleWatch();
  // The browser signs out a minute before the server would, so the person sees why.
  const limit = Math.max(2 * IDLE_WARNING_MS, idleMs - 60_000);
  watch = new IdleWatch({
    clock: browserClock,
    idleMs: limit,
    warnMs: IDLE_WARNING_MS,
    onWarn: (deadline) => {
      idleDeadline.value = deadline;
    },
    onExpire: () => {
      void signOut(`You were signed out after ${Math.round(limit / 60_000)} minutes without activity.`);
    },
  });
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true, capture: true });
  watch.start();
}

function stopIdleWatch(): void {
  watch?.stop();
  watch = null;
  idleDeadline.value = null;
  for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true });
}

function apply(answer: SessionAnswer): void {
  currentUser.value = answer.user;
  if (answer.user) startIdleWatch(answer.idleTimeoutMs);
  else stopIdleWatch();
}

export async function loadSession(): Promise<void> {
  apply(await api<SessionAnswer>('/api/session'));
}

export async function signIn(username: string, password: string): Promise<void> {
  const answer = await api<SessionAnswer>('/api/session', { method: 'POST', body: { username, password } });
  signedOutNote.value = null;
  apply(answer);
}

export async function signOut(note: string | null = null): Promise<void> {
  stopIdleWatch();
  // The page leaves at once; a request still in flight that now gets a 401 changes nothing.
  signedOutNote.value = note;
  currentUser.value = null;
  try {
    await api('/api/session', { method: 'DELETE' });
  } catch {
    // Already gone on the server: signed out either way.
  }
}

/** "Stay signed in" on the idle warning. */
export function staySignedIn(): void {
  idleDeadline.value = null;
  watch?.stay();
}

whenSessionEnds(() => {
  if (!currentUser.value) return;
  stopIdleWatch();
  signedOutNote.value = 'Your session ended. Please sign in again.';
  currentUser.value = null;
});
