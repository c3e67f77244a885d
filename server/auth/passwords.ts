import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/**
 * Password hashes: argon2id through @node-rs/argon2 (native, prebuilt per
 * platform, run on libuv's thread pool so a hash never blocks the event
 * loop). Accounts made before it have bcrypt hashes ($2a$/$2b$/$2y$); they
 * still verify, and `verifyPassword` says when to store a new hash instead.
 */

/** OWASP's argon2id baseline: 19 MiB, two passes, one lane (about 50 ms here). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;
const BCRYPT = /^\$2[aby]\$\d\d\$/;

// Compared against when an email has no account (or no password), so that a miss costs what a wrong
// password costs. hash('journeyhub-missing-user', ARGON2_OPTIONS), precomputed so that a start pays nothing.
const MISSING_USER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$N7EDeNvobtdWnFdAu3z1ow$5ZXcUJHEg5huOdIL6gLtBvpvXflPZf5yrauRQVkft8o';

/** A new argon2id hash of the password (a PHC string with its own salt). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export interface PasswordCheck {
  ok: boolean;
  /** Set when the password was right but its stored hash is old (bcrypt, or weaker argon2 settings): store this one instead. */
  rehashed: string | null;
}

/**
 * Checks a password against a stored hash. `stored` null (no account, or an
 * account without a password) is always a failure, after the same work as a
 * real check.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<PasswordCheck> {
  if (stored === null) {
    await verify(MISSING_USER_HASH, password).catch(() => false);
    return { ok: false, rehashed: null };
  }
  let ok: boolean;
  if (BCRYPT.test(stored)) ok = await bcrypt.compare(password, stored);
  else ok = await verify(stored, password).catch(() => false); // A hash it cannot read is a failure, not a 500.
  if (!ok) return { ok: false, rehashed: null };
  return { ok: true, rehashed: stored.startsWith(CURRENT_PREFIX) ? null : await hashPassword(password) };
}
