// Password hashing with scrypt (node:crypto, no native dependency) at OWASP's current cost
// (Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1; 128 MiB and ~0.2-0.5 s per hash).
// Stored form scrypt$N$r$p$salt(b64)$hash(b64), so older, cheaper hashes still verify and are
// stored again at today's cost on the next login. At most two hashes run at once (each holds
// 128 MiB): a burst of logins queues instead of exhausting a Raspberry Pi's memory.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 32;
/** Room for N = 2^17, r = 8 (128 MiB) with margin; scrypt's default cap is 32 MiB. */
const MAXMEM = 256 * 1024 * 1024;
const MAX_PARALLEL = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** Whether a stored hash is cheaper than what hash() writes (so it is stored again at login). */
  needsRehash(stored: string): boolean;
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return limited(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password, salt, keylen, { ...opts, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

export function hashPassword(password: string): Promise<string> {
  return hashWith(password, SCRYPT_PARAMS);
}

async function hashWith(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEYLEN, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  // Parameters outside what this code ever wrote are refused rather than run.
  if (!Number.isInteger(N) || N < 2 || N > 2 ** 20 || !Number.isInteger(R) || R < 1 || R > 32 || !Number.isInteger(P) || P < 1 || P > 16) return null;
  return { N, r: R, p: P, salt: Buffer.from(saltB64, 'base64'), key: Buffer.from(keyB64, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h || h.key.length < 16) return false;
  const key = await scryptAsync(password, h.salt, h.key.length, { N: h.N, r: h.r, p: h.p });
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** Whether a stored hash is weaker than today's parameters (so it is stored again at login). */
export function needsRehash(stored: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
  const h = parse(stored);
  return !h || h.N < params.N || h.r < params.r;
}

/**
 * scrypt at the given cost: the appliance uses SCRYPT_PARAMS (the default); tests whose subject is
 * not password hashing pass a cheaper cost so that each login does not spend 0.3 s and 128 MiB.
 */
export function scryptHasher(params: ScryptParams = SCRYPT_PARAMS): PasswordHasher {
  return {
    hash: (password) => hashWith(password, params),
    verify: verifyPassword,
    needsRehash: (stored) => needsRehash(stored, params),
  };
}

/** A password a person can read off a console and type: 4 groups of 4 from an unambiguous alphabet. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += alphabet[randomInt(alphabet.length)];
  }
  return out;
}
