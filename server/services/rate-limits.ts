import { MemoryRateLimiter, type RateLimiter } from './rate-limiter';

/**
 * Every rate limit of the app, in one place so that one process and many
 * enforce the same numbers; the store (memory or Redis) is chosen at start.
 */
export interface RateLimits {
  /** Failed sign-ins per account from one address: a stranger's guesses lock out only the stranger, never the owner signing in from elsewhere. */
  signInPerAccountAndAddress: RateLimiter;
  /** Failed sign-ins per address over all accounts: one address cannot try a password on every account. */
  signInPerAddress: RateLimiter;
  /** Every sign-up attempt per address, also for an email that has an account: one machine cannot mint accounts by the thousand. */
  signUpPerAddress: RateLimiter;
  /** Confirmation mails per account: each costs the sender's reputation and lands in someone's inbox. */
  confirmationResends: RateLimiter;
  /** Wrong current passwords per account on the password form: no cheaper than guessing on the sign-in form. */
  wrongCurrentPassword: RateLimiter;
  /** Maps imported from files per account: each reads up to 10 MiB on the server's event loop. */
  importsPerAccount: RateLimiter;
  /** PDF reports and Excel workbooks per account: each takes the server up to a second of the event loop at 5,000 touchpoints. */
  reportsPerAccount: RateLimiter;
}

export type RateLimitName = keyof RateLimits;

const MINUTE = 60_000;

/** The numbers: [limit, window in ms]. */
export const RATE_LIMITS: Readonly<Record<RateLimitName, readonly [number, number]>> = {
  signInPerAccountAndAddress: [5, 15 * MINUTE],
  signInPerAddress: [30, 15 * MINUTE],
  signUpPerAddress: [30, 60 * MINUTE],
  confirmationResends: [4, 60 * MINUTE],
  wrongCurrentPassword: [5, 15 * MINUTE],
  importsPerAccount: [30, 10 * MINUTE],
  reportsPerAccount: [60, 10 * MINUTE],
};

export function createRateLimits(make: (name: RateLimitName, limit: number, windowMs: number) => RateLimiter): RateLimits {
  const entries = (Object.keys(RATE_LIMITS) as RateLimitName[]).map((name) => {
    const [limit, windowMs] = RATE_LIMITS[name];
    return [name, make(name, limit, windowMs)] as const;
  });
  return Object.fromEntries(entries) as Record<RateLimitName, RateLimiter>;
}

/** One process: counts in memory. */
export const memoryRateLimits = (): RateLimits => createRateLimits((_, limit, windowMs) => new MemoryRateLimiter(limit, windowMs));
