import Link from 'next/link';
import type { ReactNode } from 'react';
import { InboxLink } from '../inbox/inbox-link';
import { SignOutButton } from './sign-out-button';

/** The pages across maps, linked from the bar of every page but a map's own. */
type AcrossMaps = 'portfolio' | 'teams';

export function AppBar({ user, children, current }: { user?: { name: string; email: string } | null; children?: ReactNode; current?: AcrossMaps }) {
  const across: Array<[AcrossMaps, string, string]> = [
    ['portfolio', 'Portfolio', '/portfolio'],
    ['teams', 'Teams', '/teams'],
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
        <div className="flex min-w-0 items-center gap-6 whitespace-nowrap">
          <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
            <span aria-hidden className="grid h-7 w-7 place-items-center rounded-full bg-indigo-600 text-sm text-white">J</span>
            JourneyHub
          </Link>
          {children}
        </div>
        {user ? (
          <div className="flex shrink-0 items-center gap-4 whitespace-nowrap">
            {/* A map's own pages fill the bar with their navigation; "All maps" there leads to these. */}
            {children ? null : across.map(([key, label, href]) => (
              <Link key={key} href={href} aria-current={key === current ? 'page' : undefined} className={`text-sm ${key === current ? 'font-semibold text-slate-900' : 'text-slate-600 hover:text-slate-900'}`}>
                {label}
              </Link>
            ))}
            <InboxLink />
            <Link href="/settings/tokens" className="text-sm text-slate-600 hover:text-slate-900">
              Access tokens
            </Link>
            {/* The name leads to the account: password and sessions. */}
            <Link href="/settings/account" className="text-sm text-slate-800 hover:text-slate-950 hover:underline" title={`${user.email}: your account (password, sessions)`}>
              {user.name}
            </Link>
            <SignOutButton />
          </div>
        ) : null}
      </div>
    </header>
  );
}
