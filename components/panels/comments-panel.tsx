'use client';

import { useMemo, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import type { EditOrigin } from '../../lib/journey/origin';
import { addComment, deleteComment, setCommentResolved } from '../../lib/journey/schema';
import type { Comment, Discussion } from '../../lib/journey/types';

export interface Person {
  id: string;
  name: string;
}

/** @Name mentions of members, highlighted; the rest is plain text. */
function renderBody(body: string, members: Person[]): ReactNode {
  const names = members.map((m) => m.name).sort((a, b) => b.length - a.length);
  if (names.length === 0) return body;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts = body.split(new RegExp(`(@(?:${escaped.join('|')}))`, 'g'));
  return parts.map((part, i) =>
    part.startsWith('@') && names.includes(part.slice(1)) ? (
      <mark key={i} className="rounded bg-violet-100 px-0.5 text-violet-900">{part}</mark>
    ) : (
      part
    ),
  );
}

function Composer({ members, placeholder, onSubmit, label }: { members: Person[]; placeholder: string; label: string; onSubmit: (body: string) => void }) {
  const [body, setBody] = useState('');
  const query = /@([\w .'-]*)$/.exec(body)?.[1];
  const suggestions = query === undefined ? [] : members.filter((m) => m.name.toLowerCase().startsWith(query.toLowerCase())).slice(0, 5);
  return (
    <form
      className="space-y-1"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        if (!body.trim()) return;
        onSubmit(body.trim());
        setBody('');
      }}
    >
      <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={5000} placeholder={placeholder} aria-label={placeholder} className="block w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
      {suggestions.length > 0 ? (
        <ul className="rounded-md border border-slate-200 bg-white text-sm shadow" aria-label="Mention someone">
          {suggestions.map((m) => (
            <li key={m.id}>
              <button type="button" className="w-full px-2 py-1 text-left hover:bg-violet-50" onClick={() => setBody(body.replace(/@[\w .'-]*$/, `@${m.name} `))}>
                @{m.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="submit" disabled={!body.trim()} className="rounded bg-violet-600 px-2 py-1 text-xs font-semibold text-white hover:bg-violet-700 disabled:opacity-50">
        {label}
      </button>
    </form>
  );
}

/** Comment threads on one touchpoint: add, reply, resolve, reopen; stakeholders without edit rights can do all of it. */
export function CommentsPanel({
  doc,
  origin,
  discussion,
  touchpointId,
  me,
  members,
  canComment,
  isOwner,
  onError,
}: {
  doc: Y.Doc;
  origin: EditOrigin;
  discussion: Discussion;
  touchpointId: string;
  me: Person;
  members: Person[];
  canComment: boolean;
  isOwner: boolean;
  onError: (m: string) => void;
}) {
  const [showResolved, setShowResolved] = useState(false);
  const { threads, replies } = useMemo(() => {
    const mine = Object.values(discussion.comments).filter((c) => c.touchpointId === touchpointId);
    const byParent = new Map<string, Comment[]>();
    for (const c of mine) if (c.parentId) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
    for (const list of byParent.values()) list.sort((a, b) => a.createdAt - b.createdAt);
    return { threads: mine.filter((c) => c.parentId === null).sort((a, b) => a.createdAt - b.createdAt), replies: byParent };
  }, [discussion, touchpointId]);
  const act = (write: () => void) => {
    try {
      write();
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    }
  };
  const post = (body: string, parentId: string | null) =>
    act(() => addComment(doc, { touchpointId, parentId, authorId: me.id, authorName: me.name, body, createdAt: Date.now() }, origin));
  const visible = threads.filter((t) => showResolved || !t.resolved);
  const resolvedCount = threads.length - threads.filter((t) => !t.resolved).length;

  const renderComment = (c: Comment) => (
    <div className="text-sm">
      <p className="text-xs text-slate-500">
        <strong className="text-slate-800">{c.authorName}</strong> · {new Date(c.createdAt).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}
      </p>
      <p className="mt-0.5 whitespace-pre-wrap text-slate-800">{renderBody(c.body, members)}</p>
      {canComment && (c.authorId === me.id || isOwner) ? (
        <button type="button" className="text-xs text-slate-500 hover:text-rose-700" onClick={() => act(() => deleteComment(doc, c.id, origin))}>
          Delete
        </button>
      ) : null}
    </div>
  );

  return (
    <div className="space-y-3" aria-label="Comments">
      {visible.length === 0 ? <p className="text-sm text-slate-500">No open threads on this touchpoint.</p> : null}
      <ul className="space-y-3">
        {visible.map((t) => (
          <li key={t.id} className={`rounded-md border p-2 ${t.resolved ? 'border-slate-200 bg-slate-50 opacity-75' : 'border-violet-200 bg-white'}`} data-testid={`thread-${t.id}`}>
            {renderComment(t)}
            <ul className="mt-2 space-y-2 border-l-2 border-slate-200 pl-2">
              {(replies.get(t.id) ?? []).map((r) => (
                <li key={r.id}>{renderComment(r)}</li>
              ))}
            </ul>
            {canComment ? (
              <div className="mt-2 space-y-2">
                <button type="button" className="text-xs font-medium text-violet-700 hover:text-violet-900" onClick={() => act(() => setCommentResolved(doc, t.id, !t.resolved, origin))}>
                  {t.resolved ? 'Reopen' : 'Resolve'}
                </button>
                {!t.resolved ? <Composer members={members} placeholder="Reply…" label="Reply" onSubmit={(body) => post(body, t.id)} /> : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {resolvedCount > 0 ? (
        <button type="button" className="text-xs text-slate-600 hover:text-slate-900" onClick={() => setShowResolved(!showResolved)}>
          {showResolved ? 'Hide' : 'Show'} {resolvedCount} resolved
        </button>
      ) : null}
      {canComment ? <Composer members={members} placeholder="Start a thread… (@ to mention)" label="Comment" onSubmit={(body) => post(body, null)} /> : <p className="text-xs text-slate-500">Viewers can read comments but not add them.</p>}
    </div>
  );
}
