import { z } from 'zod';

/**
 * Who may create an account with a password on the sign-in page (SIGNUP):
 * anyone, nobody (accounts come from an operator's `user create` or single
 * sign-on), or addresses of some domains only.
 */
export type SignupPolicy = { mode: 'open' } | { mode: 'off' } | { mode: 'domains'; domains: string[] };

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HINT = 'SIGNUP must be open, off, or domains: followed by a comma-separated list of domains, e.g. domains:example.com,example.org';

/** The value of SIGNUP, read once at start-up; an error names what is wrong. */
export const SignupPolicySchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value, ctx): SignupPolicy => {
    if (value === 'open' || value === '') return { mode: 'open' };
    if (value === 'off') return { mode: 'off' };
    if (value.startsWith('domains:')) {
      const domains = value
        .slice('domains:'.length)
        .split(',')
        .map((d) => d.trim().replace(/^@/, ''))
        .filter((d) => d !== '');
      const bad = domains.find((d) => !DOMAIN.test(d));
      if (domains.length > 0 && bad === undefined) return { mode: 'domains', domains: [...new Set(domains)] };
      ctx.addIssue({ code: 'custom', message: bad === undefined ? `${HINT} (no domain after "domains:")` : `${HINT} ("${bad}" is not a domain name)` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: `${HINT} (got ${JSON.stringify(value)})` });
    return z.NEVER;
  });

/** Null when this (already normalised) email may sign up; otherwise the sentence to show. */
export function signupRefusal(policy: SignupPolicy, email: string): string | null {
  if (policy.mode === 'open') return null;
  if (policy.mode === 'off') return 'Sign-up is closed on this server: ask an owner of a map to invite you, or an operator to create your account.';
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (policy.domains.includes(domain)) return null;
  return `Only addresses at ${listDomains(policy.domains)} can sign up here.`;
}

export function listDomains(domains: readonly string[]): string {
  if (domains.length <= 1) return domains.join('');
  return `${domains.slice(0, -1).join(', ')} or ${domains.at(-1) ?? ''}`;
}
