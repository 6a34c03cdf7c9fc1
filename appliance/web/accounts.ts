// Staff accounts and login sessions in SQLite. One account per person, with a role: the owner
// manages people and everything else, a manager runs the spa's settings and catalogue, front desk
// works the calendar, calls and messages. Session tokens are random 256-bit values handed to the
// browser in an HttpOnly cookie; only their SHA-256 is stored, so a copied database or backup does
// not let anyone log in. A session ends after an idle time and at an absolute limit, whichever
// comes first; a password change ends the person's other sessions; disabling a person ends all.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Clock } from '../shared/clock.js';
import { ApplianceError, NotFoundError } from '../errors.js';
import { oneTimePassword, scryptHasher, type PasswordHasher } from './passwords.js';

export const ROLES = ['owner', 'manager', 'frontdesk'] as const;
export type Role = (typeof ROLES)[number];

/** Each role may do what the roles after it may do. */
const RANK: Record<Role, number> = { owner: 3, manager: 2, frontdesk: 1 };

/** Whether `role` may use something that needs at least `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export interface User {
  id: number;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  disabled: boolean;
}

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login, however busy. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
export const OWNER = 'owner';

/** User names: letters, digits and . _ - (they appear in the audit log and in URLs). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/i;
export const MIN_PASSWORD_LENGTH = 10;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  must_change_password: number;
  disabled_at: number | null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  role: r.role,
  mustChangePassword: r.must_change_password === 1,
  disabled: r.disabled_at !== null,
});

export class AccountError extends ApplianceError {
  constructor(code: string, message: string, status: number) {
    super(code, message, { status });
  }
}

export interface SessionInfo {
  user: User;
  /** Hash of the token: names the session without being able to use it. */
  id: string;
}

export class Accounts {
  private readonly hasher: PasswordHasher;

  constructor(private readonly deps: { db: Db; clock: Clock; sessions?: SessionPolicy; hasher?: PasswordHasher }) {
    this.hasher = deps.hasher ?? scryptHasher();
  }

  private get policy(): SessionPolicy {
    return this.deps.sessions ?? DEFAULT_SESSION_POLICY;
  }

  /** A session unused this long ends (the web UI signs out on its own a little before). */
  get sessionIdleMs(): number {
    return this.policy.idleMs;
  }

  private row(where: 'id' | 'username', value: number | string): UserRow | undefined {
    return this.deps.db.prepare(`SELECT * FROM users WHERE ${where} = ?`).get(value) as UserRow | undefined;
  }

  /**
   * Creates the owner account on first start. With a configured password it is used as given;
   * otherwise a one-time password is generated, returned for printing once, and must be changed.
   */
  async ensureOwner(configured: string | null): Promise<{ created: boolean; oneTimePassword: string | null }> {
    if (this.row('username', OWNER)) return { created: false, oneTimePassword: null };
    const otp = configured ? null : oneTimePassword();
    const hash = await this.hasher.hash(configured ?? (otp as string));
    const inserted = this.deps.db
      .prepare(`INSERT OR IGNORE INTO users (username, role, password_hash, must_change_password, created_at) VALUES (?, 'owner', ?, ?, ?)`)
      .run(OWNER, hash, otp ? 1 : 0, this.deps.clock.now());
    return inserted.changes === 1 ? { created: true, oneTimePassword: otp } : { created: false, oneTimePassword: null };
  }

  /**
   * Adds a person. Without a password a one-time one is made and returned; either way they must
   * choose their own at first login (the owner should not know it).
   */
  async createUser(username: string, role: Role, password?: string): Promise<{ user: User; oneTimePassword: string | null }> {
    if (!USERNAME_PATTERN.test(username)) throw new AccountError('SPA_ERR_INVALID_INPUT', 'user names are 2-32 letters, digits, dots, dashes or underscores', 400);
    if (this.row('username', username)) throw new AccountError('SPA_ERR_USER_EXISTS', `there is already a user named ${username}`, 409);
    const otp = password ? null : oneTimePassword();
    const hash = await this.hasher.hash(password ?? (otp as string));
    const id = Number(
      this.deps.db
        .prepare('INSERT INTO users (username, role, password_hash, must_change_password, created_at) VALUES (?, ?, ?, 1, ?)')
        .run(username, role, hash, this.deps.clock.now()).lastInsertRowid,
    );
    return { user: { id, username, role, mustChangePassword: true, disabled: false }, oneTimePassword: otp };
  }

  list(): User[] {
    return (this.deps.db.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[]).map(toUser);
  }

  user(id: number): User {
    const row = this.row('id', id);
    if (!row) throw new NotFoundError('user', id);
    return toUser(row);
  }

  /** Changes a person's role or disables / re-enables them. The last active owner stays an active owner. */
  update(id: number, change: { role?: Role; disabled?: boolean }): User {
    const before = this.user(id);
    const losesOwner = before.role === 'owner' && !before.disabled && ((change.role !== undefined && change.role !== 'owner') || change.disabled === true);
    const apply = this.deps.db.transaction(() => {
      if (losesOwner) {
        const owners = this.deps.db.prepare(`SELECT count(*) FROM users WHERE role = 'owner' AND disabled_at IS NULL`).pluck().get() as number;
        if (owners <= 1) throw new AccountError('SPA_ERR_LAST_OWNER', 'the spa needs at least one active owner', 409);
      }
      if (change.role !== undefined) this.deps.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(change.role, id);
      if (change.disabled !== undefined) {
        this.deps.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(change.disabled ? this.deps.clock.now() : null, id);
        if (change.disabled) this.endSessions(id);
      }
    });
    apply.immediate();
    return this.user(id);
  }

  /** The owner sets a new one-time password for someone who forgot theirs; their sessions end. */
  async resetPassword(id: number): Promise<string> {
    this.user(id);
    const otp = oneTimePassword();
    const hash = await this.hasher.hash(otp);
    this.deps.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 1, password_changed_at = ? WHERE id = ?').run(hash, this.deps.clock.now(), id);
    this.endSessions(id);
    return otp;
  }

  /** Checks the password; on success starts a session and returns its token (for the cookie). */
  async login(username: string, password: string, sourceAddress = ''): Promise<{ user: User; token: string } | null> {
    const row = this.row('username', username);
    // Hash even for unknown users so the response time does not reveal which names exist.
    const ok = await this.hasher.verify(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled_at !== null) return null;
    if (this.hasher.needsRehash(row.password_hash)) {
      // Stored at an older, cheaper cost: store it again at today's.
      this.deps.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(await this.hasher.hash(password), row.id);
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    this.prune(now);
    this.deps.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, source_address) VALUES (?, ?, ?, ?, ?)')
      .run(sha256(token), row.id, now, now, sourceAddress);
    return { user: toUser(row), token };
  }

  /** The user behind a session token, if the session is alive; marks it used. */
  session(token: string | undefined): SessionInfo | null {
    if (!token || token.length > 100) return null;
    const now = this.deps.clock.now();
    const id = sha256(token);
    const row = this.deps.db
      .prepare(
        `SELECT u.*, s.created_at AS s_created, s.last_seen_at AS s_seen FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
      )
      .get(id) as (UserRow & { s_created: number; s_seen: number }) | undefined;
    if (!row) return null;
    if (row.disabled_at !== null || now - row.s_seen >= this.policy.idleMs || now - row.s_created >= this.policy.absoluteMs) {
      this.deps.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(id);
      return null;
    }
    this.deps.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, id);
    return { user: toUser(row), id };
  }

  logout(token: string | undefined): void {
    if (token) this.deps.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
  }

  /** Live sessions of one person (for the owner's user list). */
  sessionCount(userId: number): number {
    const now = this.deps.clock.now();
    return this.deps.db
      .prepare('SELECT count(*) FROM sessions WHERE user_id = ? AND last_seen_at > ? AND created_at > ?')
      .pluck()
      .get(userId, now - this.policy.idleMs, now - this.policy.absoluteMs) as number;
  }

  /**
   * Changes one's own password. Every other session of that person ends (a stolen cookie stops
   * working); `keepSession` (the session id asking) stays.
   */
  async changePassword(userId: number, current: string, next: string, keepSession?: string): Promise<boolean> {
    const row = this.row('id', userId);
    if (!row || !(await this.hasher.verify(current, row.password_hash))) return false;
    if (next === current) throw new AccountError('SPA_ERR_INVALID_INPUT', 'the new password must differ from the current one', 400);
    const hash = await this.hasher.hash(next);
    this.deps.db.transaction(() => {
      this.deps.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ? WHERE id = ?').run(hash, this.deps.clock.now(), userId);
      this.deps.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?').run(userId, keepSession ?? '');
    })();
    return true;
  }

  private endSessions(userId: number): void {
    this.deps.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  private prune(now: number): void {
    this.deps.db.prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?').run(now - this.policy.idleMs, now - this.policy.absoluteMs);
  }
}

// A well-formed hash of nothing anyone knows, at today's cost, so unknown user names take as long.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
