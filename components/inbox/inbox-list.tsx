'use client';

import { useRouter } from 'next/navigation';
import { useState, type MouseEvent } from 'react';
import { callApi } from '../ui/api';

export interface InboxEntry {
  id: number;
  mapTitle: string;
  touchpoint: string;
  actorName: string;
  excerpt: string;
  createdAt: number;
  read: boolean;
  href: string;
}

const when = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The inbox: who mentioned you where; an entry opens its thread and counts as read. */
export function InboxList({ entries }: { entries: InboxEntry[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unread = entries.filter((e) => !e.read).length;

  const open = async (event: MouseEvent<HTMLAnchorElement>, entry: InboxEntry) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    try {
      // Read before leaving, so that the count on the map's header is right at once.
      if (!entry.read) await callApi('/api/notifications/read', 'POST', { ids: [entry.id] });
    } catch {
      // The thread matters more than the mark: open it anyway.
    }
    router.push(entry.href);
  };

  const markAll = async () => {
    setBusy(true);
    setError(null);
    try {
      await callApi('/api/notifications/read', 'POST', { all: true });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (entries.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium text-slate-800">Nothing here yet</p>
        <p className="mt-1 text-sm text-slate-600">When someone mentions you in a comment (@ and your name), it shows up here.</p>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between">
        <p className="text-sm text-slate-600">{unread === 0 ? 'All read.' : `${unread} unread`}</p>
        {unread > 0 ? (
          <button type="button" disabled={busy} onClick={() => void markAll()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Mark all as read
          </button>
        ) : null}
      </div>
      {error ? <p role="alert" className="text-sm text-rose-700">{error}</p> : null}
      <ul aria-label="Notifications" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
        {entries.map((entry) => (
          <li key={entry.id} data-testid={`notification-${entry.id}`} data-read={entry.read ? 'true' : 'false'}>
            <a href={entry.href} onClick={(event) => void open(event, entry)} className={`flex gap-3 px-4 py-3 hover:bg-slate-50 ${entry.read ? '' : 'bg-indigo-50/60'}`}>
              <span aria-hidden className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${entry.read ? 'bg-transparent' : 'bg-indigo-600'}`} />
              <span className="min-w-0 flex-1">
                <span className={`block text-sm text-slate-900 ${entry.read ? '' : 'font-semibold'}`}>
                  {entry.read ? null : <span className="sr-only">Unread: </span>}
                  {entry.actorName} mentioned you on {entry.touchpoint}
                  <span className="font-normal text-slate-600"> · {entry.mapTitle}</span>
                </span>
                <span className="mt-0.5 block truncate text-sm text-slate-700">“{entry.excerpt}”</span>
                <time className="mt-0.5 block text-xs text-slate-500 tabular-nums" dateTime={new Date(entry.createdAt).toISOString()}>
                  {when(entry.createdAt)}
                </time>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
