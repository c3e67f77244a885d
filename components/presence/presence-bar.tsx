'use client';

import type { Peer } from '../canvas/use-doc-state';
import type { ConnectionState } from '../canvas/use-collab-session';

const STATE: Record<ConnectionState, { label: string; className: string }> = {
  connected: { label: 'Live', className: 'bg-emerald-100 text-emerald-800' },
  connecting: { label: 'Connecting…', className: 'bg-slate-100 text-slate-700' },
  reconnecting: { label: 'Reconnecting… edits are kept', className: 'bg-amber-100 text-amber-900' },
  offline: { label: 'Offline: edits are kept and sync when back', className: 'bg-rose-100 text-rose-800' },
  closed: { label: 'Not connected', className: 'bg-slate-200 text-slate-800' },
};

export function ConnectionPill({ state }: { state: ConnectionState }) {
  const s = STATE[state];
  return (
    <span role="status" aria-live="polite" data-testid="connection-state" data-state={state} className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium whitespace-nowrap ${s.className}`}>
      <span aria-hidden className={`h-2 w-2 rounded-full ${state === 'connected' ? 'bg-emerald-500' : state === 'offline' ? 'bg-rose-500' : state === 'closed' ? 'bg-slate-500' : 'bg-amber-500'}`} />
      {s.label}
    </span>
  );
}

/** Who is here: one avatar per person (several tabs of one person count once). */
export function Avatars({ me, peers }: { me: { name: string }; peers: Peer[] }) {
  const people = new Map<string, Peer['user']>();
  for (const p of peers) people.set(p.user.id, p.user);
  const list = [...people.values()];
  const initials = (name: string) => name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase()).join('');
  return (
    <div className="flex shrink-0 items-center -space-x-2" aria-label={`Here now: you${list.length ? `, ${list.map((u) => u.name).join(', ')}` : ''}`}>
      <span className="grid h-8 w-8 place-items-center rounded-full border-2 border-white bg-slate-700 text-xs font-semibold text-white" title={`${me.name} (you)`}>
        {initials(me.name)}
      </span>
      {list.map((u) => (
        <span key={u.id} className="grid h-8 w-8 place-items-center rounded-full border-2 border-white text-xs font-semibold text-white" style={{ backgroundColor: u.color }} title={u.name} data-testid={`avatar-${u.id}`}>
          {initials(u.name)}
        </span>
      ))}
    </div>
  );
}
