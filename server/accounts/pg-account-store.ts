import type { TokenScope } from '../../lib/permissions/account-input';
import type { MemberRole, Role } from '../../lib/permissions/roles';
import { inTransaction, type PgClient, type PgPool } from '../db/postgres';
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


const USER_COLUMNS = 'id, email, name, password_hash, session_generation, created_at, email_verified_at';
const TOKEN_COLUMNS = 'id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at';
const AUDIT_COLUMNS = 'a.id, a.map_id, a.actor_email, a.action, a.target_email, a.detail, a.created_at';
const INVITATION_COLUMNS = 'id, map_id AS "mapId", email, role, invited_by AS "invitedBy", created_at AS "createdAt", expires_at AS "expiresAt"';
const NOTIFICATION_COLUMNS = `n.id, n.user_id AS "userId", n.kind, n.map_id AS "mapId", m.title AS "mapTitle", n.touchpoint_id AS "touchpointId",
  n.touchpoint, n.comment_id AS "commentId", n.actor_id AS "actorId", n.actor_name AS "actorName", n.excerpt, n.created_at AS "createdAt", n.read_at AS "readAt"`;
const STILL_MEMBER = 'EXISTS (SELECT 1 FROM map_members mm WHERE mm.map_id = n.map_id AND mm.user_id = n.user_id)';
const UPSERT_MEMBER = `INSERT INTO map_members (map_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (map_id, user_id) DO UPDATE SET role = excluded.role`;

const UNIQUE_VIOLATION = '23505';

async function writeAudit(client: PgClient | PgPool, entry: NewAuditEntry): Promise<void> {
  await client.query('INSERT INTO audit_log (map_id, actor_email, action, target_email, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    entry.mapId,
    entry.actorEmail,
    entry.action,
    entry.targetEmail,
    entry.detail ? JSON.stringify(entry.detail) : null,
    Date.now(),
  ]);
}

/** AccountStore on PostgreSQL; every write that changes membership records its audit entry in the same transaction. */
export class PgAccountStore implements AccountStore {
  constructor(private readonly pool: PgPool) {}

  async createUser(user: { id: string; email: string; name: string; passwordHash: string | null; emailVerified?: boolean }): Promise<UserRecord> {
    const now = Date.now();
    const emailVerifiedAt = user.emailVerified ? now : null;
    try {
      await this.pool.query('INSERT INTO users (id, email, name, password_hash, created_at, email_verified_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        user.id,
        user.email,
        user.name,
        user.passwordHash,
        now,
        emailVerifiedAt,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new DuplicateUserError(`An account with the email ${user.email} already exists`);
      throw error;
    }
    return { id: user.id, email: user.email, name: user.name, passwordHash: user.passwordHash, sessionGeneration: 0, createdAt: now, emailVerifiedAt };
  }

  async markEmailVerified(userId: string): Promise<void> {
    await this.pool.query('UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL', [Date.now(), userId]);
  }

  async bumpSessionGeneration(userId: string): Promise<number> {
    const { rows } = await this.pool.query<{ session_generation: number }>(
      'UPDATE users SET session_generation = session_generation + 1 WHERE id = $1 RETURNING session_generation',
      [userId],
    );
    return rows[0]?.session_generation ?? 0;
  }

  async setPassword(userId: string, passwordHash: string): Promise<number> {
    const { rows } = await this.pool.query<{ session_generation: number }>(
      'UPDATE users SET password_hash = $1, session_generation = session_generation + 1 WHERE id = $2 RETURNING session_generation',
      [passwordHash, userId],
    );
    return rows[0]?.session_generation ?? 0;
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    const row = (await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id])).rows[0];
    return row ? toUser(row) : null;
  }

  async getUserByEmail(email: string): Promise<UserRecord | null> {
    const row = (await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email])).rows[0];
    return row ? toUser(row) : null;
  }

  async upgradePasswordHash(userId: string, from: string, to: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3', [to, userId, from]);
    return result.rowCount === 1;
  }

  async listMemberships(userId: string): Promise<Array<{ mapId: string; role: Role }>> {
    const { rows } = await this.pool.query<{ mapId: string; role: Role }>('SELECT map_id AS "mapId", role FROM map_members WHERE user_id = $1', [userId]);
    return rows;
  }

  async getRole(mapId: string, userId: string): Promise<Role | null> {
    const row = (await this.pool.query<{ role: Role }>('SELECT role FROM map_members WHERE map_id = $1 AND user_id = $2', [mapId, userId])).rows[0];
    return row?.role ?? null;
  }

  async listMembers(mapId: string): Promise<MemberRecord[]> {
    const { rows } = await this.pool.query<MemberRecord>(
      `SELECT m.map_id AS "mapId", m.user_id AS "userId", u.email, u.name, m.role, m.added_at AS "addedAt"
       FROM map_members m JOIN users u ON u.id = m.user_id WHERE m.map_id = $1
       ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 WHEN 'commenter' THEN 2 ELSE 3 END, lower(u.email) COLLATE "C"`,
      [mapId],
    );
    return rows;
  }

  async setMember(mapId: string, userId: string, role: Role, audit: NewAuditEntry | null): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(UPSERT_MEMBER, [mapId, userId, role, Date.now()]);
      if (audit) await writeAudit(client, audit);
    });
  }

  async setMembers(mapId: string, members: ReadonlyArray<{ userId: string; role: Role }>, audit: NewAuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const now = Date.now();
      for (const { userId, role } of members) await client.query(UPSERT_MEMBER, [mapId, userId, role, now]);
      await writeAudit(client, audit);
    });
  }

  async removeMember(mapId: string, userId: string, audit: NewAuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM map_members WHERE map_id = $1 AND user_id = $2', [mapId, userId]);
      await writeAudit(client, audit);
    });
  }

  async transferOwnership(mapId: string, fromUserId: string, toUserId: string, formerOwnerRole: MemberRole, audit: NewAuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // The old owner steps down first: the unique index allows one owner at a time.
      await client.query('UPDATE map_members SET role = $1 WHERE map_id = $2 AND user_id = $3', [formerOwnerRole, mapId, fromUserId]);
      await client.query(
        `INSERT INTO map_members (map_id, user_id, role, added_at) VALUES ($1, $2, 'owner', $3)
         ON CONFLICT (map_id, user_id) DO UPDATE SET role = 'owner'`,
        [mapId, toUserId, Date.now()],
      );
      await writeAudit(client, audit);
    });
  }

  async listInvitations(mapId: string): Promise<InvitationRecord[]> {
    const { rows } = await this.pool.query<InvitationRecord>(`SELECT ${INVITATION_COLUMNS} FROM map_invitations WHERE map_id = $1 ORDER BY lower(email) COLLATE "C"`, [mapId]);
    return rows;
  }

  async setInvitation(invitation: Omit<InvitationRecord, 'createdAt'>, audit: NewAuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO map_invitations (id, map_id, email, role, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (map_id, lower(email)) DO UPDATE SET id = excluded.id, role = excluded.role, invited_by = excluded.invited_by,
           created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [invitation.id, invitation.mapId, invitation.email, invitation.role, invitation.invitedBy, Date.now(), invitation.expiresAt],
      );
      await writeAudit(client, audit);
    });
  }

  async removeInvitation(mapId: string, email: string, audit: NewAuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM map_invitations WHERE map_id = $1 AND lower(email) = lower($2)', [mapId, email]);
      await writeAudit(client, audit);
    });
  }

  async getInvitation(id: string): Promise<InvitationRecord | null> {
    return (await this.pool.query<InvitationRecord>(`SELECT ${INVITATION_COLUMNS} FROM map_invitations WHERE id = $1`, [id])).rows[0] ?? null;
  }

  async acceptInvitation(id: string, userId: string, audit: NewAuditEntry): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // DELETE … RETURNING: of two acceptances of one link, the second finds nothing (SQLite gets this from its single writer).
      const invitation = (await client.query<{ map_id: string; role: MemberRole }>('DELETE FROM map_invitations WHERE id = $1 RETURNING map_id, role', [id])).rows[0];
      if (!invitation) return false;
      await client.query('INSERT INTO map_members (map_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        invitation.map_id,
        userId,
        invitation.role,
        Date.now(),
      ]);
      await writeAudit(client, audit);
      return true;
    });
  }

  async createToken(token: { id: string; userId: string; name: string; tokenHash: string; scope: TokenScope; expiresAt: number | null }): Promise<TokenRecord> {
    const now = Date.now();
    await this.pool.query(
      'INSERT INTO personal_access_tokens (id, user_id, name, token_hash, scope, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [token.id, token.userId, token.name, token.tokenHash, token.scope, now, token.expiresAt],
    );
    return { id: token.id, userId: token.userId, name: token.name, scope: token.scope, createdAt: now, expiresAt: token.expiresAt, lastUsedAt: null, revokedAt: null };
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens WHERE user_id = $1 ORDER BY created_at DESC`, [userId]);
    return rows.map(toToken);
  }

  async useToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = (await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash])).rows[0];
    if (!row) return null;
    const now = Date.now();
    if (row.expires_at !== null && row.expires_at <= now) return toToken(row);
    await this.pool.query('UPDATE personal_access_tokens SET last_used_at = $1 WHERE id = $2', [now, row.id]);
    return toToken({ ...row, last_used_at: now });
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const row = (await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens WHERE id = $1`, [id])).rows[0];
    return row ? toToken(row) : null;
  }

  async revokeToken(id: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE personal_access_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [Date.now(), id]);
    return (result.rowCount ?? 0) > 0;
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    await writeAudit(this.pool, entry);
  }

  async listAudit(mapId: string, limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log a WHERE a.map_id = $1 ORDER BY a.id DESC LIMIT $2`, [mapId, limit]);
    return rows.map(toAudit);
  }

  async addNotifications(notifications: readonly NewNotification[]): Promise<StoredNotification[]> {
    return inTransaction(this.pool, async (client) => {
      const now = Date.now();
      const stored: StoredNotification[] = [];
      for (const n of notifications) {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO notifications (user_id, kind, map_id, touchpoint_id, comment_id, actor_id, actor_name, touchpoint, excerpt, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
          [n.userId, n.kind, n.mapId, n.touchpointId, n.commentId, n.actorId, n.actorName, n.touchpoint, n.excerpt, now],
        );
        const id = rows[0]?.id;
        if (id !== undefined) stored.push({ ...n, id, createdAt: now });
      }
      return stored;
    });
  }

  async listNotifications(userId: string, limit: number): Promise<{ notifications: NotificationRecord[]; unread: number }> {
    const { rows: notifications } = await this.pool.query<NotificationRecord>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n JOIN maps m ON m.id = n.map_id
       WHERE n.user_id = $1 AND ${STILL_MEMBER} ORDER BY n.id DESC LIMIT $2`,
      [userId, limit],
    );
    const { rows } = await this.pool.query<{ unread: number }>(
      `SELECT count(*) AS unread FROM notifications n WHERE n.user_id = $1 AND n.read_at IS NULL AND ${STILL_MEMBER}`,
      [userId],
    );
    return { notifications, unread: rows[0]?.unread ?? 0 };
  }

  async markNotificationsRead(userId: string, ids: readonly number[] | 'all'): Promise<number> {
    const now = Date.now();
    if (ids === 'all') return (await this.pool.query('UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL', [now, userId])).rowCount ?? 0;
    // An id that is no notification's (a fraction, past bigint) matches none, as in SQLite, instead of failing the statement.
    const wanted = [...new Set(ids)].filter((id) => Number.isSafeInteger(id));
    if (wanted.length === 0) return 0;
    const result = await this.pool.query('UPDATE notifications SET read_at = $1 WHERE id = ANY($2::bigint[]) AND user_id = $3 AND read_at IS NULL', [now, wanted, userId]);
    return result.rowCount ?? 0;
  }

  async markThreadRead(userId: string, mapId: string, commentId: string): Promise<number> {
    const result = await this.pool.query(
      'UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND map_id = $3 AND comment_id = $4 AND read_at IS NULL',
      [Date.now(), userId, mapId, commentId],
    );
    return result.rowCount ?? 0;
  }

  async deleteMap(mapId: string, audit: NewAuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const rooms = [mapId, `${mapId}.discussion`];
      await client.query('DELETE FROM doc_updates WHERE room = ANY($1::text[])', [rooms]);
      await client.query('DELETE FROM doc_snapshots WHERE room = ANY($1::text[])', [rooms]);
      await client.query('DELETE FROM doc_client_id_owners WHERE room = ANY($1::text[])', [rooms]);
      // Who was a member is kept in the entry: they may learn later that the map was deleted, and by whom.
      const { rows } = await client.query<{ user_id: string }>('SELECT user_id FROM map_members WHERE map_id = $1', [mapId]);
      await client.query('DELETE FROM maps WHERE id = $1', [mapId]);
      await writeAudit(client, { ...audit, detail: { ...audit.detail, memberIds: rows.map((r) => r.user_id) } });
    });
  }

  async lastRoleChange(mapId: string, userId: string): Promise<{ by: string; at: number } | null> {
    const row = (
      await this.pool.query<{ actor_email: string; actor_name: string | null; created_at: number }>(
        `SELECT a.actor_email, u.name AS actor_name, a.created_at FROM audit_log a LEFT JOIN users u ON lower(u.email) = lower(a.actor_email)
         WHERE a.map_id = $1 AND a.action IN ('member.role_changed', 'ownership.transferred')
           AND lower(a.target_email) = (SELECT lower(email) FROM users WHERE id = $2)
           AND lower(a.actor_email) <> (SELECT lower(email) FROM users WHERE id = $2)
         ORDER BY a.id DESC LIMIT 1`,
        [mapId, userId],
      )
    ).rows[0];
    return row ? { by: row.actor_name ?? row.actor_email, at: row.created_at } : null;
  }

  async formerAccess(mapId: string, userId: string): Promise<FormerAccess | null> {
    type Row = AuditRow & { actor_name: string | null };
    const latest = async (action: string, targetEmail: string | null): Promise<Row | undefined> =>
      (
        await this.pool.query<Row>(
          `SELECT ${AUDIT_COLUMNS}, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON lower(u.email) = lower(a.actor_email)
           WHERE a.map_id = $1 AND a.action = $2 AND ($3::text IS NULL OR lower(a.target_email) = lower($3::text)) ORDER BY a.id DESC LIMIT 1`,
          [mapId, action, targetEmail],
        )
      ).rows[0];
    const access = (reason: FormerAccess['reason'], row: Row): FormerAccess => ({ reason, by: row.actor_name ?? row.actor_email, at: row.created_at });
    const deleted = await latest('map.deleted', null);
    const memberIds = deleted ? toAudit(deleted).detail?.memberIds : undefined;
    if (deleted && Array.isArray(memberIds) && memberIds.includes(userId)) return access('deleted', deleted);
    const user = await this.getUserById(userId);
    const removed = user ? await latest('member.removed', user.email) : undefined;
    return removed ? access('removed', removed) : null;
  }
}
