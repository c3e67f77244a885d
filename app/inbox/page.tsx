import type { Metadata } from 'next';
import { InboxList } from '@/components/inbox/inbox-list';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { listNotifications } from '@/server/services/notifications';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Inbox' };

export default async function InboxPage() {
  const actor = await requirePageActor('/inbox');
  const { notifications } = await listNotifications(getAppContext().services, actor);
  return (
    <>
      <AppBar user={actor} />
      <main className="mx-auto max-w-3xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Inbox</h1>
          <p className="mt-1 text-sm text-slate-600">Comments that mention you, newest first. Open one to go to its thread on the map.</p>
        </div>
        <InboxList entries={notifications} />
      </main>
    </>
  );
}
