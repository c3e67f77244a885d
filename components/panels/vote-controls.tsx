'use client';

import { useState } from 'react';
import type * as Y from 'yjs';
import type { EditOrigin } from '../../lib/journey/origin';
import { MAX_DOTS_PER_PERSON, clearVotes, setVoteSession, setVotes, type VoteSession } from '../../lib/journey/schema';
import { dotsUsedBy } from '../../lib/journey/dots';
import { countOf } from '../../lib/journey/plain-words';
import type { Discussion } from '../../lib/journey/types';
import type { Role } from '../../lib/permissions/roles';


/** The toolbar part of dot voting: start (owner, editor), end and clear (owner), and what is left to place. */
export function VoteBar({ mapDoc, discussionDoc, origin, session, discussion, role, userId, onError }: { mapDoc: Y.Doc; discussionDoc: Y.Doc; origin: EditOrigin; session: VoteSession | null; discussion: Discussion; role: Role; userId: string; onError: (m: string) => void }) {
  const [dots, setDots] = useState(5);
  const act = (write: () => void) => {
    try {
      write();
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    }
  };
  const canStart = role === 'owner' || role === 'editor';
  if (!session) {
    if (!canStart) return null;
    return (
      <form className="flex items-center gap-1 text-xs" onSubmit={(e) => { e.preventDefault(); act(() => setVoteSession(mapDoc, { dotsPerPerson: dots, startedBy: userId, startedAt: Date.now() }, origin)); }}>
        <label className="text-slate-600">
          Dot vote:{' '}
          <input type="number" min={1} max={MAX_DOTS_PER_PERSON} value={dots} onChange={(e) => setDots(Number(e.target.value))} aria-label="Dots per person" className="w-12 rounded border border-slate-300 px-1 py-0.5" />
        </label>
        <button type="submit" className="rounded bg-indigo-50 px-2 py-1 font-medium text-indigo-800 ring-1 ring-indigo-200 hover:bg-indigo-100">Start vote</button>
      </form>
    );
  }
  const left = session.dotsPerPerson - dotsUsedBy(discussion.votes, userId);
  return (
    <div className="flex shrink-0 items-center gap-1.5 rounded-full bg-indigo-600 py-1 pr-1.5 pl-3 text-xs whitespace-nowrap text-white" role="status" title={`Dot voting: ${countOf(session.dotsPerPerson, 'dot')} each`}>
      <span>
        Vote · <strong data-testid="dots-left">{Math.max(0, left)}</strong> of {countOf(session.dotsPerPerson, 'dot')} left
      </span>
      {role === 'owner' ? (
        <>
          <button type="button" className="rounded-full bg-white/20 px-2 py-0.5 hover:bg-white/30" onClick={() => act(() => setVoteSession(mapDoc, null, origin))}>End vote</button>
          <button type="button" className="rounded-full bg-white/20 px-2 py-0.5 hover:bg-white/30" onClick={() => window.confirm('Clear every dot on this map?') && act(() => clearVotes(discussionDoc, origin))}>Clear dots</button>
        </>
      ) : null}
    </div>
  );
}

/** Place or take back a dot on one touchpoint while a vote runs. */
export function DotButtons({ discussionDoc, origin, session, discussion, touchpointId, userId, canVote, onError }: { discussionDoc: Y.Doc; origin: EditOrigin; session: VoteSession | null; discussion: Discussion; touchpointId: string; userId: string; canVote: boolean; onError: (m: string) => void }) {
  const tally = discussion.votes[touchpointId] ?? {};
  const mine = tally[userId] ?? 0;
  const total = Object.values(tally).reduce((a, b) => a + b, 0);
  const left = session ? session.dotsPerPerson - dotsUsedBy(discussion.votes, userId) : 0;
  const set = (n: number) => {
    try {
      setVotes(discussionDoc, touchpointId, userId, n, origin);
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <div className="flex items-center gap-2 text-sm" aria-label="Dots">
      <span className="text-slate-700">
        <strong className="tabular-nums">{total}</strong> {total === 1 ? 'dot' : 'dots'} ({mine} yours)
      </span>
      {session && canVote ? (
        <>
          <button type="button" disabled={left <= 0} onClick={() => set(mine + 1)} className="rounded bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white disabled:opacity-40">+ dot</button>
          <button type="button" disabled={mine <= 0} onClick={() => set(mine - 1)} className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800 disabled:opacity-40">− dot</button>
        </>
      ) : null}
    </div>
  );
}
