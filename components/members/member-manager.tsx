'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { MEMBER_ROLES, type Role } from '../../lib/permissions/roles';
import { callApi } from '../ui/api';
import { RoleBadge } from '../ui/role-badge';

interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}
interface Invitation {
  email: string;
  role: Role;
  expiresAt: number;
  link: string;
}

/** "in 6 days", "in 3 hours": how long a link still works. */
function expiresIn(expiresAt: number, now: number): string {
  const hours = Math.max(0, Math.round((expiresAt - now) / 3_600_000));
  if (hours >= 48) return `in ${Math.round(hours / 24)} days`;
  return hours <= 1 ? 'within the hour' : `in ${hours} hours`;
}

const select = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm';

/** The member list; the owner also invites, changes roles, removes and transfers ownership. */
export function MemberManager({ mapId, members, invitations, isOwner, selfId }: { mapId: string; members: Member[]; invitations: Invitation[]; isOwner: boolean; selfId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [now] = useState(() => Date.now());

  async function copy(invitation: Invitation) {
    setError(null);
    try {
      await navigator.clipboard.writeText(invitation.link);
      setCopied(invitation.email);
    } catch {
      setError(`Could not copy the link; select it and copy it by hand: ${invitation.link}`);
    }
  }

  async function run(action: () => Promise<string>) {
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    await run(async () => {
      const result = await callApi<{ email: string; role: Role; mailed: boolean }>(`/api/maps/${mapId}/members`, 'POST', {
        email: String(form.get('email') ?? ''),
        role: String(form.get('role') ?? 'editor'),
      });
      formElement.reset();
      const how = result.mailed ? `We mailed ${result.email} an invitation link.` : `Copy the invitation link below and send it to ${result.email}.`;
      return `${how} They join as ${result.role === 'editor' ? 'an' : 'a'} ${result.role} once they accept it with a confirmed address.`;
    });
  }

  function changeRole(email: string, role: string) {
    if (role === 'owner' && !window.confirm(`Make ${email} the owner? You become an editor and can no longer manage members.`)) {
      router.refresh();
      return;
    }
    void run(async () => {
      await callApi(`/api/maps/${mapId}/members`, 'PATCH', { email, role });
      return role === 'owner' ? `${email} now owns the map.` : `${email} is now ${role === 'editor' ? 'an' : 'a'} ${role}.`;
    });
  }

  function remove(email: string, what: 'member' | 'invitation' = 'member') {
    const question = what === 'member' ? `Remove ${email} from this map? Their open sessions close at once.` : `Revoke the invitation of ${email}? Its link stops working.`;
    if (!window.confirm(question)) return;
    void run(async () => {
      await callApi(`/api/maps/${mapId}/members`, 'DELETE', { email });
      return what === 'member' ? `${email} was removed.` : `The invitation of ${email} was revoked.`;
    });
  }

  return (
    <div className="space-y-4">
      {isOwner ? (
        <form onSubmit={invite} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label="Invite someone">
          <label className="flex min-w-64 flex-1 flex-col text-sm font-medium text-slate-700">
            Invite by email
            <input name="email" type="email" required placeholder="name@company.com" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" />
          </label>
          <label className="flex flex-col text-sm font-medium text-slate-700">
            Role
            <select name="role" defaultValue="editor" className={`mt-1 ${select} py-2`}>
              {MEMBER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
            Invite
          </button>
        </form>
      ) : null}
      {error ? <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{notice}</p> : null}
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Members">
        {members.map((m) => (
          <li key={m.userId} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid={`member-${m.email}`}>
            <div>
              <p className="font-medium text-slate-900">
                {m.name}
                {m.userId === selfId ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
              </p>
              <p className="text-sm text-slate-600">{m.email}</p>
            </div>
            {isOwner && m.role !== 'owner' ? (
              <div className="flex items-center gap-3">
                <select aria-label={`Role of ${m.email}`} defaultValue={m.role} onChange={(e) => changeRole(m.email, e.target.value)} className={select}>
                  {MEMBER_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                  <option value="owner">owner (transfer)</option>
                </select>
                <button type="button" onClick={() => remove(m.email)} className="text-sm text-rose-700 hover:text-rose-900">
                  Remove
                </button>
              </div>
            ) : (
              <RoleBadge role={m.role} />
            )}
          </li>
        ))}
      </ul>
      {isOwner && invitations.length > 0 ? (
        <section aria-labelledby="pending-invitations">
          <h2 id="pending-invitations" className="text-sm font-semibold text-slate-700">
            Pending invitations
          </h2>
          <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Pending invitations">
            {invitations.map((i) => (
              <li key={i.email} className="flex flex-wrap items-center justify-between gap-3 bg-slate-50/60 px-4 py-3" data-testid={`invitation-${i.email}`}>
                <div className="min-w-0 flex-1">
                  <p className="font-medium text-slate-700">{i.email}</p>
                  {i.expiresAt <= now ? (
                    <p className="text-xs text-amber-700">Invited — the link has expired: invite {i.email} again for a new one</p>
                  ) : (
                    <p className="text-xs text-slate-500">
                      Invited — the link works once, expires{' '}
                      <time dateTime={new Date(i.expiresAt).toISOString()} title={new Date(i.expiresAt).toUTCString()}>
                        {expiresIn(i.expiresAt, now)}
                      </time>
                    </p>
                  )}
                  <input
                    readOnly
                    aria-label={`Invitation link for ${i.email}`}
                    value={i.link}
                    onFocus={(e) => e.currentTarget.select()}
                    className="mt-1 w-full max-w-md truncate rounded border border-slate-200 bg-white px-2 py-1 font-mono text-xs text-slate-600"
                  />
                </div>
                <div className="flex items-center gap-3">
                  <RoleBadge role={i.role} />
                  <button type="button" onClick={() => void copy(i)} className="text-sm font-medium text-indigo-700 hover:text-indigo-900">
                    {copied === i.email ? 'Copied' : 'Copy link'}
                  </button>
                  <button type="button" onClick={() => remove(i.email, 'invitation')} className="text-sm text-rose-700 hover:text-rose-900">
                    Revoke
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
