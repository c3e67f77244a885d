import type { Metadata } from 'next';
import Link from 'next/link';
import { TokenManager } from '@/components/settings/token-manager';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { listPersonalTokens } from '@/server/services/tokens';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Access tokens' };

export default async function TokensPage() {
  const actor = await requirePageActor('/settings/tokens');
  const tokens = await listPersonalTokens(getAppContext().services, actor);
  return (
    <>
      <AppBar user={actor}>
        <Link href="/" className="text-sm text-indigo-700 hover:underline">
          All maps
        </Link>
      </AppBar>
      <main className="mx-auto max-w-3xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Personal access tokens</h1>
          <p className="mt-1 text-sm text-slate-600">For scripts and tools that call the JourneyHub API as you. A read-only token can read what you can read; a read and write token can do what you can do; a &ldquo;push measured figures only&rdquo; token can push, list and delete the contact center&rsquo;s figures of your maps and nothing else. Tokens cannot create tokens, and each one stops working when it expires.</p>
        </div>
        <TokenManager tokens={tokens.map(({ id, name, scope, createdAt, expiresAt, expired, lastUsedAt, revokedAt }) => ({ id, name, scope, createdAt, expiresAt, expired, lastUsedAt, revokedAt }))} />
      </main>
    </>
  );
}
