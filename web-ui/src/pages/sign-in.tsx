// Sign in, and the password change a one-time password forces first.
import { useRef, useState } from 'preact/hooks';
import { field } from '../forms.js';
import { api, ApiError } from '../api.js';
import { loadSession, signedOutNote, signIn, signOut, type User } from '../session.js';

export function SignIn() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const note = signedOutNote.value;
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await signIn(field(form, 'username'), field(form, 'password'));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong user name or password.' : err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <form class="card" onSubmit={(e) => void submit(e)} aria-describedby={note ? 'signed-out-note' : undefined}>
        <h1>Spa Receptionist</h1>
        <p class="muted">Staff sign in</p>
        {note && (
          <p id="signed-out-note" class="note" role="status">
            {note}
          </p>
        )}
        <label for="username">User name</label>
        <input id="username" name="username" autoComplete="username" required autoFocus />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <p class="error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">First start: the owner's one-time password is printed in the appliance's log.</p>
      </form>
    </main>
  );
}

export function ChangePassword({ user }: { user: User }) {
  const [error, setError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const next = field(data, 'next');
    if (next !== field(data, 'again')) {
      setError('The two new passwords differ.');
      return;
    }
    try {
      await api('/api/session/password', { method: 'POST', body: { current: field(data, 'current'), next } });
      await loadSession();
    } catch (err) {
      setError(err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : String(err));
    }
  };
  return (
    <main class="signin" id="main">
      <form class="card" ref={form} onSubmit={(e) => void submit(e)}>
        <h1>Choose your password</h1>
        <p class="muted">
          Signed in as {user.username} with a one-time password. Choose your own (10 characters or more) to go on.
        </p>
        <label for="current">One-time password</label>
        <input id="current" name="current" type="password" autoComplete="current-password" required />
        <label for="next">New password</label>
        <input id="next" name="next" type="password" autoComplete="new-password" minLength={10} required />
        <label for="again">New password again</label>
        <input id="again" name="again" type="password" autoComplete="new-password" minLength={10} required />
        <p class="error" role="alert">
          {error ?? ''}
        </p>
        <div class="actions">
          <button type="submit">Save and continue</button>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </form>
    </main>
  );
}
