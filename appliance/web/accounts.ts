// Staff accounts and login sessions in SQLite. Session tokens are random 256-bit values handed
// to the browser in an HttpOnly cookie; only their SHA-256 is stored, so a copied database or
// backup does not let anyone log in.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Clock } from '../booking/bookings.js';
import { hashPassword, oneTimePassword, verifyPassword } from './passwords.js';

export type Role = 'owner' | 'staff';

export interface User {
  id: number;
  username: string;
  role: Role;
  mustChangePassword: boolean;
}

export const SESSION_TTL_MS = 12 * 3_600_000;
export const OWNER = 'owner';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  must_change_password: number;
}

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, role: r.role, mustChangePassword: r.must_change_password === 1 });

export class Accounts {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  /**
   * Creates the owner account on first start. With a configured password it is used as given;
   * otherwise a one-time password is generated, returned for printing once, and must be changed.
   */
  async ensureOwner(configured: string | null): Promise<{ created: boolean; oneTimePassword: string | null }> {
    if (this.deps.db.prepare('SELECT 1 FROM users WHERE username = ?').get(OWNER)) return { created: false, oneTimePassword: null };
    const otp = configured ? null : oneTimePassword();
    const hash = await hashPassword(configured ?? (otp as string));
    const inserted = this.deps.db
      .prepare(
        `INSERT OR IGNORE INTO users (username, role, password_hash, must_change_password, created_at) VALUES (?, 'owner', ?, ?, ?)`,
      )
      .run(OWNER, hash, otp ? 1 : 0, this.deps.clock.now());
    return inserted.changes === 1 ? { created: true, oneTimePassword: otp } : { created: false, oneTimePassword: null };
  }

  async createUser(username: string, password: string, role: Role): Promise<User> {
    const hash = await hashPassword(password);
    const id = Number(
      this.deps.db
        .prepare('INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(username, role, hash, this.deps.clock.now()).lastInsertRowid,
    );
    return { id, username, role, mustChangePassword: false };
  }

  /** Checks the password; on success starts a session and returns its token (for the cookie). */
  async login(username: string, password: string): Promise<{ user: User; token: string } | null> {
    const row = this.deps.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    // Hash even for unknown users so the response time does not reveal which names exist.
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok) return null;
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    this.deps.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.deps.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(sha256(token), row.id, now, now + SESSION_TTL_MS);
    return { user: toUser(row), token };
  }

  /** The user behind a session token, sliding the session's expiry forward. */
  session(token: string | undefined): User | null {
    if (!token) return null;
    const now = this.deps.clock.now();
    const row = this.deps.db
      .prepare(
        `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(sha256(token), now) as UserRow | undefined;
    if (!row) return null;
    this.deps.db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(now + SESSION_TTL_MS, sha256(token));
    return toUser(row);
  }

  logout(token: string | undefined): void {
    if (token) this.deps.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
  }

  async changePassword(userId: number, current: string, next: string): Promise<boolean> {
    const row = this.deps.db.prepare('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
    if (!row || !(await verifyPassword(current, row.password_hash))) return false;
    const hash = await hashPassword(next);
    this.deps.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?').run(hash, userId);
    return true;
  }
}

// A valid hash of a random password, used to spend the same time on unknown user names.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
