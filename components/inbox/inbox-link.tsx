'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';

const POLL_MS = 15_000;

/** The bell in a header: the number of unread notifications, refreshed every 15 s and when the window regains focus. */
export function InboxLink() {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () => {
      fetch('/api/notifications', { cache: 'no-store' })
        .then((res) => (res.ok ? (res.json() as Promise<{ unread: number }>) : null))
        .then((body) => {
          if (live && body) setUnread(body.unread);
        })
        // Offline or signed out: the count stays as it was until the next try.
        .catch(() => undefined);
    };
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
  const count = unread ?? 0;
  return (
    <Link
      href="/inbox"
      data-testid="inbox-link"
      aria-label={count > 0 ? `Inbox, ${count} unread` : 'Inbox'}
      title={count > 0 ? `${count} unread ${count === 1 ? 'mention' : 'mentions'}` : 'Inbox'}
      className="relative grid h-8 w-8 place-items-center rounded-full text-slate-600 hover:bg-slate-100 hover:text-slate-900"
    >
      <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span data-testid="inbox-unread" className="absolute -top-0.5 -right-0.5 min-w-[18px] rounded-full bg-rose-600 px-1 text-center text-[11px] leading-[18px] font-semibold text-white">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  );
}
