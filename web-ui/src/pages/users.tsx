// Users (owner): staff accounts, one per person. Adding someone or resetting a forgotten password
// shows a one-time password once, to hand over in person; they choose their own at first sign-in.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { ROLE_NAMES, ROLES, type Role } from '../lib/roles.js';
import { errorText } from '../save-error.js';
import { currentUser } from '../session.js';

interface StaffUser {
  id: number;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  disabled: boolean;
  sessions: number;
}

export function UsersPage() {
  const list = useApi<{ users: StaffUser[] }>('/api/users');
  const [note, setNote] = useState<{ ok: boolean; text: string; password?: string } | null>(null);
  const me = currentUser.value?.id;

  const run = async (fn: () => Promise<{ text: string; password?: string }>) => {
    try {
      const r = await fn();
      setNote({ ok: true, ...r });
    } catch (err) {
      setNote({ ok: false, text: errorText(err).replace(/^Not saved/, 'Not done') });
    }
    list.reload();
  };
  const add = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const username = field(f, 'username').trim();
    void run(async () => {
      const r = await api<{ oneTimePassword: string }>('/api/users', { method: 'POST', body: { username, role: field(f, 'role') } });
      // Only the name is cleared: the role goes back to the least one, not to the list's first (Owner).
      const name = form.elements.namedItem('username');
      if (name instanceof HTMLInputElement) name.value = '';
      const role = form.elements.namedItem('role');
      if (role instanceof HTMLSelectElement) role.value = 'frontdesk';
      return { text: `Added ${username}. Give them this one-time password; they choose their own at first sign-in:`, password: r.oneTimePassword };
    });
  };
  const setRole = (u: StaffUser, role: string) =>
    void run(async () => {
      await api(`/api/users/${u.id}`, { method: 'PATCH', body: { role } });
      return { text: `${u.username} is now ${ROLE_NAMES[role as Role] ?? role}.` };
    });
  const setDisabled = (u: StaffUser, disabled: boolean) =>
    void run(async () => {
      await api(`/api/users/${u.id}`, { method: 'PATCH', body: { disabled } });
      return { text: disabled ? `${u.username} is disabled and signed out everywhere.` : `${u.username} can sign in again.` };
    });
  const reset = (u: StaffUser) =>
    void run(async () => {
      const r = await api<{ oneTimePassword: string }>(`/api/users/${u.id}/password`, { method: 'POST' });
      return { text: `New one-time password for ${u.username} (their sessions ended):`, password: r.oneTimePassword };
    });

  return (
    <>
      <h1>Users</h1>
      {note && (
        <div class={note.ok ? 'note' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text} {note.password && <strong class="mono one-time">{note.password}</strong>}
        </div>
      )}
      <form class="card filters add-user" onSubmit={add} aria-labelledby="add-title">
        <h2 id="add-title">Add a person</h2>
        <div>
          <label for="u-name">User name</label>
          <input id="u-name" name="username" required minLength={2} maxLength={32} autoComplete="off" />
        </div>
        <div>
          <label for="u-role">Role</label>
          <select id="u-role" name="role" defaultValue="frontdesk">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-actions">
          <button type="submit">Add</button>
        </div>
      </form>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {list.data && (
        <div class="card flush">
          <table class="users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.users.map((u) => (
                <tr key={u.id} class={u.disabled ? 'struck' : ''}>
                  <td>
                    {u.username} {u.id === me && <span class="muted">(you)</span>}
                  </td>
                  <td>
                    <select aria-label={`Role of ${u.username}`} value={u.role} disabled={u.disabled} onChange={(e) => setRole(u, e.currentTarget.value)}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_NAMES[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.disabled ? 'Disabled' : u.mustChangePassword ? 'Not signed in yet' : `Active${u.sessions > 0 ? `, ${u.sessions} session${u.sessions === 1 ? '' : 's'}` : ''}`}</td>
                  <td class="row-actions">
                    <button type="button" class="secondary" aria-label={`Reset password of ${u.username}`} disabled={u.disabled} onClick={() => reset(u)}>
                      Reset password
                    </button>
                    <button type="button" class="secondary" aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`} onClick={() => setDisabled(u, !u.disabled)}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
