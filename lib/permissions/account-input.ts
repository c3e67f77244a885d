import { z } from 'zod';
import { PasswordSchema } from './input';

/**
 * Inputs of the account settings and personal access tokens, shared by the
 * settings forms, the routes and the CLI.
 */

/**
 * What a personal access token may do: `read` answers only the safe methods (GET); `write` does what its person can;
 * `metrics` only reads, pushes and deletes measured figures (`/api/maps/:id/metrics…`), so that a contact-center
 * platform can push nightly without its person's full rights.
 */
export const TOKEN_SCOPES = ['read', 'write', 'metrics'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The expiries the settings page offers; any whole number of days in range can be chosen ("custom"). */
export const TOKEN_EXPIRY_CHOICES_DAYS = [30, 90, 365] as const;
export const DEFAULT_TOKEN_EXPIRY_DAYS = 90;
export const MAX_TOKEN_EXPIRY_DAYS = 365;

export const TokenScopeSchema = z.enum(TOKEN_SCOPES, { error: () => 'scope must be "read", "write" or "metrics"' });

export const TokenExpiryDaysSchema = z
  .number({ error: 'expiresInDays must be a number of days' })
  .int('a token lasts a whole number of days')
  .min(1, `a token lasts from 1 to ${MAX_TOKEN_EXPIRY_DAYS} days`)
  .max(MAX_TOKEN_EXPIRY_DAYS, `a token lasts from 1 to ${MAX_TOKEN_EXPIRY_DAYS} days`);

/**
 * A new token: the scope defaults to write and the expiry to 90 days, so that
 * a script written for the API before scopes existed still gets the token it
 * asked for (and one that ends).
 */
export const CreateTokenInput = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters').default('API token'),
    scope: TokenScopeSchema.default('write'),
    expiresInDays: TokenExpiryDaysSchema.default(DEFAULT_TOKEN_EXPIRY_DAYS),
  })
  .strict();

export const ChangePasswordInput = z
  .object({
    currentPassword: z.string({ error: 'your current password is required' }).min(1, 'your current password is required').max(200, 'password must be at most 200 characters'),
    newPassword: PasswordSchema,
  })
  .strict();

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a token made at `now` for `days` days expires (ms). */
export const tokenExpiresAt = (now: number, days: number): number => now + days * DAY_MS;

/** An expiry as the settings page and the error sentences show it: the UTC date, YYYY-MM-DD. */
export const expiryDate = (expiresAt: number): string => new Date(expiresAt).toISOString().slice(0, 10);
