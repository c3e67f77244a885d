import Link from 'next/link';
import type { ReactNode } from 'react';

export function AppBar({ children }: { children?: ReactNode }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-full bg-indigo-600 text-sm text-white">J</span>
          JourneyHub
        </Link>
        {children}
      </div>
    </header>
  );
}
