import type { TokenScope } from '../../lib/permissions/account-input';
import type { MemberRole, Role } from '../../lib/permissions/roles';

/**
 * Users, memberships, invitations, personal access tokens and the audit log.
 * One implementation per engine, like DocStore; services never see SQL.
 */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  /** Cookie sessions signed in at another generation have ended (sign out everywhere, a password change). */
  sessionGeneration: number;
  createdAt: number;
  /** When the address was proven to be theirs; null until then. Memberships by email need it. */
  emailVerifiedAt: number | null;
}

export interface MemberRecord {
  mapId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  addedAt: number;
}

/** A pending invitation: a single-use link (its `id`, signed) that the invited address accepts before `expiresAt`. */
export interface InvitationRecord {
  id: string;
  mapId: string;
  email: string;
  role: MemberRole;
  invitedBy: string;
  createdAt: number;
  expiresAt: number;
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  scope: TokenScope;
  createdAt: number;
  /** ms; null: never (tokens made before expiries existed). */
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AuditEntry {
  id: number;
  mapId: string;
  actorEmail: string;
  action: string;
  targetEmail: string | null;
  detail: Record<string, unknown> | null;
  createdAt: number;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'createdAt'>;

/**
 * How a person who is not a member of a map lost it, when they once were:
 * removed by the owner, or there when the map was deleted. Strangers have none.
 */
export interface FormerAccess {
  reason: 'removed' | 'deleted';
  /** The name of who did it (their email when they have no account any more). */
  by: string;
  at: number;
}

export interface NotificationRecord {
  id: number;
  userId: string;
  kind: 'mention';
  mapId: string;
  /** The map's title now. */
  mapTitle: string;
  touchpointId: string;
  /** The touchpoint's label when the comment was written. */
  touchpoint: string;
  commentId: string;
  actorId: string;
  actorName: string;
  excerpt: string;
  createdAt: number;
  readAt: number | null;
}

export type NewNotification = Omit<NotificationRecord, 'id' | 'mapTitle' | 'createdAt' | 'readAt'>;
export type StoredNotification = NewNotification & { id: number; createdAt: number };

/** A user with that email (or identity) exists already: two sign-ups raced. */
export class DuplicateUserError extends Error {}

export interface AccountStore {
  /** Throws DuplicateUserError when the email is taken. `emailVerified`: the address is vouched for (the operator's CLI, the demo). */
  createUser(user: { id: string; email: string; name: string; passwordHash: string | null; emailVerified?: boolean }): Promise<UserRecord>;
  /** Records that the user's current address is theirs (idempotent: the first time is kept). */
  markEmailVerified(userId: string): Promise<void>;
  /** Raises the user's session generation (every cookie session ends); returns the new one. */
  bumpSessionGeneration(userId: string): Promise<number>;
  /** Sets a new password hash and raises the session generation, in one transaction; returns the new generation. */
  setPassword(userId: string, passwordHash: string): Promise<number>;
  getUserById(id: string): Promise<UserRecord | null>;
  getUserByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Replaces the password hash `from` with `to` (a stronger hash of the same password, after a
   * sign-in); false when the stored hash is no longer `from` (the password changed meanwhile).
   */
  upgradePasswordHash(userId: string, from: string, to: string): Promise<boolean>;

  listMemberships(userId: string): Promise<Array<{ mapId: string; role: Role }>>;
  getRole(mapId: string, userId: string): Promise<Role | null>;
  listMembers(mapId: string): Promise<MemberRecord[]>;
  /** Sets a member's role (adding them if new), with an audit entry, in one transaction. */
  setMember(mapId: string, userId: string, role: Role, audit: NewAuditEntry | null): Promise<void>;
  /** Adds members to a map that has none yet (a workshop copy), with one audit entry, in one transaction. */
  setMembers(mapId: string, members: ReadonlyArray<{ userId: string; role: Role }>, audit: NewAuditEntry): Promise<void>;
  removeMember(mapId: string, userId: string, audit: NewAuditEntry): Promise<void>;
  /** The owner becomes `formerOwnerRole`, the new owner `owner`, atomically. */
  transferOwnership(mapId: string, fromUserId: string, toUserId: string, formerOwnerRole: MemberRole, audit: NewAuditEntry): Promise<void>;

  listInvitations(mapId: string): Promise<InvitationRecord[]>;
  /** Creates or replaces the invitation of (mapId, email): a new id is a new link, and the old link stops working. */
  setInvitation(invitation: Omit<InvitationRecord, 'createdAt'>, audit: NewAuditEntry): Promise<void>;
  getInvitation(id: string): Promise<InvitationRecord | null>;
  removeInvitation(mapId: string, email: string, audit: NewAuditEntry): Promise<void>;
  /**
   * Turns the invitation into a membership of `userId` and deletes it, in one
   * transaction; false when it is gone already (accepted, revoked, replaced).
   * Someone who is a member already keeps their role.
   */
  acceptInvitation(id: string, userId: string, audit: NewAuditEntry): Promise<boolean>;

  createToken(token: { id: string; userId: string; name: string; tokenHash: string; scope: TokenScope; expiresAt: number | null }): Promise<TokenRecord>;
  listTokens(userId: string): Promise<TokenRecord[]>;
  /** The not revoked token with this hash, marking it used unless it has expired (the caller refuses it then). */
  useToken(tokenHash: string): Promise<TokenRecord | null>;
  getToken(id: string): Promise<TokenRecord | null>;
  revokeToken(id: string): Promise<boolean>;

  audit(entry: NewAuditEntry): Promise<void>;
  listAudit(mapId: string, limit: number): Promise<AuditEntry[]>;

  /** Stores the notifications that are new (one per person and comment); returns those stored. */
  addNotifications(notifications: readonly NewNotification[]): Promise<StoredNotification[]>;
  /**
   * The user's own notifications, newest first, and how many are unread: only
   * on maps they are still a member of (a removed member no longer sees what is said there).
   */
  listNotifications(userId: string, limit: number): Promise<{ notifications: NotificationRecord[]; unread: number }>;
  /** Marks the user's own notifications read (those of `ids`, or all); returns how many changed. */
  markNotificationsRead(userId: string, ids: readonly number[] | 'all'): Promise<number>;
  /** Marks the user's notifications of one comment read (they opened its thread). */
  markThreadRead(userId: string, mapId: string, commentId: string): Promise<number>;

  /** Deletes the map, its documents, members and invitations (the audit log stays, naming the members it had). */
  deleteMap(mapId: string, audit: NewAuditEntry): Promise<void>;
  /** From the audit log: who last gave the user the role they have (a change or a transfer made by someone else), or null. */
  lastRoleChange(mapId: string, userId: string): Promise<{ by: string; at: number } | null>;
  /** From the audit log: how the user lost the map, if they were a member once. */
  formerAccess(mapId: string, userId: string): Promise<FormerAccess | null>;
}
