import type { Role } from '../../lib/permissions/roles';

const STYLES: Record<Role, string> = {
  owner: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  editor: 'bg-sky-50 text-sky-800 ring-sky-200',
  commenter: 'bg-violet-50 text-violet-800 ring-violet-200',
  viewer: 'bg-slate-100 text-slate-700 ring-slate-200',
};

export function RoleBadge({ role }: { role: Role }) {
  return <span data-testid="role-badge" className={`inline-flex shrink-0 rounded-full px-2 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${STYLES[role]}`}>{role}</span>;
}
