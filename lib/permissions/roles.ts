/**
 * Roles and what each may do (DESIGN.md, "Roles"). The server enforces these
 * on every websocket message and request; the UI only mirrors them.
 */

export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that can be given to a member; ownership moves only by transfer. */
export const MEMBER_ROLES = ['editor', 'commenter', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export type DocKind = 'map' | 'discussion';

const RANK: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` grants at least what `atLeast` grants. */
export function roleAtLeast(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}

export function canRead(_role: Role, _doc: DocKind): boolean {
  return true;
}

export function canWrite(role: Role, doc: DocKind): boolean {
  return doc === 'map' ? roleAtLeast(role, 'editor') : roleAtLeast(role, 'commenter');
}

export function canManageMembers(role: Role): boolean {
  return role === 'owner';
}
