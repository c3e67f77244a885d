import type { TokenScope } from '../../lib/permissions/account-input';
import type { MemberRole, Role } from '../../lib/permissions/roles';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/sqlite';
import {
  DuplicateUserError,
  type AccountStore,
  type AuditEntry,
  type FormerAccess,
  type InvitationRecord,
  type MemberRecord,
  type NewAuditEntry,
  type NewNotification,
  type NotificationRecord,
  type StoredNotification,
  type TokenRecord,
  type UserRecord,
} from './account-store';
import { toAudit, toToken, toUser, type AuditRow, type TokenRow, type UserRow } from './account-rows';


const INVITATION_COLUMNS = 'id, map_id AS mapId, email, role, invited_by AS invitedBy, created_at AS createdAt, expires_at AS expiresAt';

const NOTIFICATION_COLUMNS = `n.id, n.user_id AS userId, n.kind, n.map_id AS mapId, m.title AS mapTitle, n.touchpoint_id AS touchpointId,
  n.touchpoint, n.comment_id AS commentId, n.actor_id AS actorId, n.actor_name AS actorName, n.excerpt, n.created_at AS createdAt, n.read_at AS readAt`;

const STILL_MEMBER = 'EXISTS (SELECT 1 FROM map_members mm WHERE mm.map_id = n.map_id AND mm.user_id = n.user_id)';

/** AccountStore on better-sqlite3; every write that changes membership records its audit entry in the same transaction. */
export class SqliteAccountStore implements AccountStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  /** A prepared statement, prepared once: role checks run on every websocket connect. */
  private sql<P extends unknown[] = unknown[], R = unknown>(source: string): Statement<P, R> {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  private writeAudit(entry: NewAuditEntry): void {
    this
      .sql('INSERT INTO audit_log (map_id, actor_email, action, target_email, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.mapId, entry.actorEmail, entry.action, entry.targetEmail, entry.detail ? JSON.stringify(entry.detail) : null, Date.now());
  }

  async createUser(user: { id: string; email: string; name: string; passwordHash: string | null; emailVerified?: boolean }): Promise<UserRecord> {
    const now = Date.now();
    const emailVerifiedAt = user.emailVerified ? now : null;
    try {
      this.db
        .prepare('INSERT INTO users (id, email, name, password_hash, created_at, email_verified_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(user.id, user.email, user.name, user.passwordHash, now, emailVerifiedAt);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateUserError(`An account with the email ${user.email} already exists`);
      throw error;
    }
    return { id: user.id, email: user.email, name: user.name, passwordHash: user.passwordHash, sessionGeneration: 0, createdAt: now, emailVerifiedAt };
  }

  async markEmailVerified(userId: string): Promise<void> {
    this.sql('UPDATE users SET email_verified_at = ? WHERE id = ? AND email_verified_at IS NULL').run(Date.now(), userId);
  }

  async bumpSessionGeneration(userId: string): Promise<number> {
    const row = this
      .sql<[string], { session_generation: number }>('UPDATE users SET session_generation = session_generation + 1 WHERE id = ? RETURNING session_generation')
      .get(userId);
    return row?.session_generation ?? 0;
  }

  async setPassword(userId: string, passwordHash: string): Promise<number> {
    const row = this
      .sql<[string, string], { session_generation: number }>(
        'UPDATE users SET password_hash = ?, session_generation = session_generation + 1 WHERE id = ? RETURNING session_generation',
      )
      .get(passwordHash, userId);
    return row?.session_generation ?? 0;
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    const row = this.sql<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row ? toUser(row) : null;
  }

  async getUserByEmail(email: string): Promise<UserRecord | null> {
    const row = this.sql<[string], UserRow>('SELECT * FROM users WHERE email = ?').get(email);
    return row ? toUser(row) : null;
  }

  async upgradePasswordHash(userId: string, from: string, to: string): Promise<boolean> {
    return this.sql<[string, string, string], never>('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(to, userId, from).changes === 1;
  }

  async listMemberships(userId: string): Promise<Array<{ mapId: string; role: Role }>> {
    return this
      .sql<[string], { mapId: string; role: Role }>('SELECT map_id AS mapId, role FROM map_members WHERE user_id = ?')
      .all(userId);
  }

  async getRole(mapId: string, userId: string): Promise<Role | null> {
    const row = this.sql<[string, string], { role: Role }>('SELECT role FROM map_members WHERE map_id = ? AND user_id = ?').get(mapId, userId);
    return row?.role ?? null;
  }

  async listMembers(mapId: string): Promise<MemberRecord[]> {
    return this
      .sql<[string], MemberRecord>(
        `SELECT m.map_id AS mapId, m.user_id AS userId, u.email, u.name, m.role, m.added_at AS addedAt
         FROM map_members m JOIN users u ON u.id = m.user_id WHERE m.map_id = ?
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 WHEN 'commenter' THEN 2 ELSE 3 END, u.email`,
      )
      .all(mapId);
  }

  async setMember(mapId: string, userId: string, role: Role, audit: NewAuditEntry | null): Promise<void> {
    this.db
      .transaction(() => {
        this
          .sql(
            `INSERT INTO map_members (map_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (map_id, user_id) DO UPDATE SET role = excluded.role`,
          )
          .run(mapId, userId, role, Date.now());
        if (audit) this.writeAudit(audit);
      })
      .immediate();
  }

  async setMembers(mapId: string, members: ReadonlyArray<{ userId: string; role: Role }>, audit: NewAuditEntry): Promise<void> {
    this.db
      .transaction(() => {
        const now = Date.now();
        for (const { userId, role } of members) {
          this
            .sql(
              `INSERT INTO map_members (map_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (map_id, user_id) DO UPDATE SET role = excluded.role`,
            )
            .run(mapId, userId, role, now);
        }
        this.writeAudit(audit);
      })
      .immediate();
  }

  async removeMember(mapId: string, userId: string, audit: NewAuditEntry): Promise<void> {
    this.db
      .transaction(() => {
        this.sql('DELETE FROM map_members WHERE map_id = ? AND user_id = ?').run(mapId, userId);
        this.writeAudit(audit);
      })
      .immediate();
  }

  async transferOwnership(mapId: string, fromUserId: string, toUserId: string, formerOwnerRole: MemberRole, audit: NewAuditEntry): Promise<void> {
    this.db
      .transaction(() => {
        // The old owner steps down first: the unique index allows one owner at a time.
        this.sql('UPDATE map_members SET role = ? WHERE map_id = ? AND user_id = ?').run(formerOwnerRole, mapId, fromUserId);
        this
          .sql(
            `INSERT INTO map_members (map_id, user_id, role, added_at) VALUES (?, ?, 'owner', ?)
             ON CONFLICT (map_id, user_id) DO UPDATE SET role = 'owner'`,
          )
          .run(mapId, toUserId, Date.now());
        this.writeAudit(audit);
      })
      .immediate();
  }

  async listInvitations(mapId: string): Promise<InvitationRecord[]> {
    return this
      .sql<[string], InvitationRecord>(
        `SELECT ${INVITATION_COLUMNS} FROM map_invitations WHERE map_id = ? ORDER BY email`,
      )
      .all(mapId);
  }

  async setInvitation(invitation: Omit<InvitationRecord, 'createdAt'>, audit: NewAuditEntry): Promise<void> {
    this.db
      .transaction(() => {
        this
          .sql(
            `INSERT INTO map_invitations (id, map_id, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (map_id, email) DO UPDATE SET id = excluded.id, role = excluded.role, invited_by = excluded.invited_by,
               created_at = excluded.created_at, expires_at = excluded.expires_at`,
          )
          .run(invitation.id, invitation.mapId, invitation.email, invitation.role, invitation.invitedBy, Date.now(), invitation.expiresAt);
        this.writeAudit(audit);
      })
      .immediate();
  }

  async removeInvitation(mapId: string, email: string, audit: NewAuditEntry): Promise<void> {
    this.db
      .transaction(() => {
        this.sql('DELETE FROM map_invitations WHERE map_id = ? AND email = ?').run(mapId, email);
        this.writeAudit(audit);
      })
      .immediate();
  }

  async getInvitation(id: string): Promise<InvitationRecord | null> {
    return this.sql<[string], InvitationRecord>(`SELECT ${INVITATION_COLUMNS} FROM map_invitations WHERE id = ?`).get(id) ?? null;
  }

  async acceptInvitation(id: string, userId: string, audit: NewAuditEntry): Promise<boolean> {
    return this.db
      .transaction(() => {
        const invitation = this.sql<[string], { map_id: string; role: MemberRole }>('SELECT map_id, role FROM map_invitations WHERE id = ?').get(id);
        if (!invitation) return false;
        this
          .sql('INSERT INTO map_members (map_id, user_id, role, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(invitation.map_id, userId, invitation.role, Date.now());
        this.sql('DELETE FROM map_invitations WHERE id = ?').run(id);
        this.writeAudit(audit);
        return true;
      })
      .immediate();
  }

  async createToken(token: { id: string; userId: string; name: string; tokenHash: string; scope: TokenScope; expiresAt: number | null }): Promise<TokenRecord> {
    const now = Date.now();
    this
      .sql('INSERT INTO personal_access_tokens (id, user_id, name, token_hash, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(token.id, token.userId, token.name, token.tokenHash, token.scope, now, token.expiresAt);
    return { id: token.id, userId: token.userId, name: token.name, scope: token.scope, createdAt: now, expiresAt: token.expiresAt, lastUsedAt: null, revokedAt: null };
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    return this
      .sql<[string], TokenRow>('SELECT * FROM personal_access_tokens WHERE user_id = ? ORDER BY created_at DESC')
      .all(userId)
      .map(toToken);
  }

  async useToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = this
      .sql<[string], TokenRow>('SELECT * FROM personal_access_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(tokenHash);
    if (!row) return null;
    const now = Date.now();
    if (row.expires_at !== null && row.expires_at <= now) return toToken(row);
    this.sql('UPDATE personal_access_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    return toToken({ ...row, last_used_at: now });
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const row = this.sql<[string], TokenRow>('SELECT * FROM personal_access_tokens WHERE id = ?').get(id);
    return row ? toToken(row) : null;
  }

  async revokeToken(id: string): Promise<boolean> {
    return this.sql('UPDATE personal_access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(Date.now(), id).changes > 0;
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    this.writeAudit(entry);
  }

  async listAudit(mapId: string, limit: number): Promise<AuditEntry[]> {
    return this
      .sql<[string, number], AuditRow>('SELECT * FROM audit_log WHERE map_id = ? ORDER BY id DESC LIMIT ?')
      .all(mapId, limit)
      .map(toAudit);
  }

  async addNotifications(notifications: readonly NewNotification[]): Promise<StoredNotification[]> {
    return this.db
      .transaction(() => {
        const now = Date.now();
        const stored: StoredNotification[] = [];
        for (const n of notifications) {
          const { changes, lastInsertRowid } = this
            .sql(
              `INSERT INTO notifications (user_id, kind, map_id, touchpoint_id, comment_id, actor_id, actor_name, touchpoint, excerpt, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
            )
            .run(n.userId, n.kind, n.mapId, n.touchpointId, n.commentId, n.actorId, n.actorName, n.touchpoint, n.excerpt, now);
          if (changes > 0) stored.push({ ...n, id: Number(lastInsertRowid), createdAt: now });
        }
        return stored;
      })
      .immediate();
  }

  async listNotifications(userId: string, limit: number): Promise<{ notifications: NotificationRecord[]; unread: number }> {
    const notifications = this
      .sql<[string, number], NotificationRecord>(
        `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n JOIN maps m ON m.id = n.map_id
         WHERE n.user_id = ? AND ${STILL_MEMBER} ORDER BY n.id DESC LIMIT ?`,
      )
      .all(userId, limit);
    const unread =
      this.sql<[string], { unread: number }>(`SELECT count(*) AS unread FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL AND ${STILL_MEMBER}`).get(userId)?.unread ?? 0;
    return { notifications, unread };
  }

  async markNotificationsRead(userId: string, ids: readonly number[] | 'all'): Promise<number> {
    const now = Date.now();
    if (ids === 'all') return this.sql('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, userId).changes;
    return this.db
      .transaction(() => {
        let changed = 0;
        for (const id of new Set(ids)) {
          changed += this.sql('UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL').run(now, id, userId).changes;
        }
        return changed;
      })
      .immediate();
  }

  async markThreadRead(userId: string, mapId: string, commentId: string): Promise<number> {
    return this
      .sql('UPDATE notifications SET read_at = ? WHERE user_id = ? AND map_id = ? AND comment_id = ? AND read_at IS NULL')
      .run(Date.now(), userId, mapId, commentId).changes;
  }

  async deleteMap(mapId: string, audit: NewAuditEntry): Promise<void> {
    this.db
      .transaction(() => {
        for (const room of [mapId, `${mapId}.discussion`]) {
          this.sql('DELETE FROM doc_updates WHERE room = ?').run(room);
          this.sql('DELETE FROM doc_snapshots WHERE room = ?').run(room);
          this.sql('DELETE FROM doc_client_id_owners WHERE room = ?').run(room);
        }
        // Who was a member is kept in the entry: they may learn later that the map was deleted, and by whom.
        const memberIds = this.sql<[string], { user_id: string }>('SELECT user_id FROM map_members WHERE map_id = ?').all(mapId).map((r) => r.user_id);
        this.sql('DELETE FROM maps WHERE id = ?').run(mapId);
        this.writeAudit({ ...audit, detail: { ...audit.detail, memberIds } });
      })
      .immediate();
  }

  async lastRoleChange(mapId: string, userId: string): Promise<{ by: string; at: number } | null> {
    const row = this.sql<[string, string, string], { actor_email: string; actor_name: string | null; created_at: number }>(
      `SELECT a.actor_email, u.name AS actor_name, a.created_at FROM audit_log a LEFT JOIN users u ON u.email = a.actor_email
       WHERE a.map_id = ? AND a.action IN ('member.role_changed', 'ownership.transferred') AND a.target_email = (SELECT email FROM users WHERE id = ?) COLLATE NOCASE
         AND a.actor_email <> (SELECT email FROM users WHERE id = ?) COLLATE NOCASE
       ORDER BY a.id DESC LIMIT 1`,
    ).get(mapId, userId, userId);
    return row ? { by: row.actor_name ?? row.actor_email, at: row.created_at } : null;
  }

  async formerAccess(mapId: string, userId: string): Promise<FormerAccess | null> {
    type Row = AuditRow & { actor_name: string | null };
    const latest = (action: string, targetEmail: string | null) =>
      this.sql<[string, string, string | null, string | null], Row>(
        `SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.email = a.actor_email
         WHERE a.map_id = ? AND a.action = ? AND (? IS NULL OR a.target_email = ? COLLATE NOCASE) ORDER BY a.id DESC LIMIT 1`,
      ).get(mapId, action, targetEmail, targetEmail);
    const access = (reason: FormerAccess['reason'], row: Row): FormerAccess => ({ reason, by: row.actor_name ?? row.actor_email, at: row.created_at });
    const deleted = latest('map.deleted', null);
    const memberIds = deleted ? toAudit(deleted).detail?.memberIds : undefined;
    if (deleted && Array.isArray(memberIds) && memberIds.includes(userId)) return access('deleted', deleted);
    const user = this.sql<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(userId);
    const removed = user ? latest('member.removed', user.email) : undefined;
    return removed ? access('removed', removed) : null;
  }
}
