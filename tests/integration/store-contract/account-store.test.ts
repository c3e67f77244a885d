/**
 * The AccountStore and HistoryStore contracts, one suite for every engine:
 * users, members, invitations, tokens, the audit log, notifications, workshop
 * copies and versions behave the same on SQLite and PostgreSQL.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateUserError, type AccountStore, type NewAuditEntry } from '../../../server/accounts/account-store';
import type { DocStore } from '../../../server/store/doc-store';
import type { HistoryStore } from '../../../server/store/history-store';
import { ENGINES, announceSkips, type OpenedEngine } from './engines';
import { waitFor } from '../../support/wait';

announceSkips('AccountStore and HistoryStore contract');

const audit = (mapId: string, action: string, targetEmail: string | null = null, actorEmail = 'ann@example.com'): NewAuditEntry => ({
  mapId,
  actorEmail,
  action,
  targetEmail,
  detail: { note: "it's \u{1F600}" },
});

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe.each(ENGINES)('AccountStore and HistoryStore contract: $name', (engine) => {
  describe.skipIf(engine.skipReason !== null)(engine.name, () => {
    let opened: OpenedEngine;
    let accounts: AccountStore;
    let history: HistoryStore;
    let store: DocStore;

    beforeEach(async () => {
      opened = await engine.open();
      ({ accounts, history, store } = opened);
      await store.createMap({ id: 'm', title: 'Billing', template: 'blank' }, {});
      await accounts.createUser({ id: 'ann', email: 'Ann@Example.com', name: 'Ann', passwordHash: 'h1' });
      await accounts.createUser({ id: 'bob', email: 'bob@example.com', name: 'Bob', passwordHash: null, emailVerified: true });
    });
    afterEach(async () => {
      await opened.close();
    });

    describe('users', () => {
      it('emails are unique and found whatever their case; a second sign-up with the same address is a DuplicateUserError', async () => {
        await expect(accounts.createUser({ id: 'ann2', email: 'ann@EXAMPLE.com', name: 'Ann again', passwordHash: null })).rejects.toBeInstanceOf(DuplicateUserError);
        const ann = await accounts.getUserByEmail('ANN@example.COM');
        expect(ann).toMatchObject({ id: 'ann', email: 'Ann@Example.com', name: 'Ann', passwordHash: 'h1', sessionGeneration: 0, emailVerifiedAt: null });
        expect(typeof ann?.createdAt).toBe('number');
        expect(await accounts.getUserById('ann')).toEqual(ann);
        expect(await accounts.getUserByEmail("x' OR '1'='1")).toBeNull();
        expect(await accounts.getUserById('nobody')).toBeNull();
        expect(typeof (await accounts.getUserById('bob'))?.emailVerifiedAt).toBe('number');
      });

      it('verification is kept from the first time; generations rise with every sign-out everywhere and password change', async () => {
        await accounts.markEmailVerified('ann');
        const first = (await accounts.getUserById('ann'))?.emailVerifiedAt;
        expect(typeof first).toBe('number');
        await accounts.markEmailVerified('ann');
        expect((await accounts.getUserById('ann'))?.emailVerifiedAt).toBe(first);

        expect(await accounts.bumpSessionGeneration('ann')).toBe(1);
        expect(await accounts.setPassword('ann', 'h2')).toBe(2);
        expect(await accounts.bumpSessionGeneration('nobody')).toBe(0);
        expect(await accounts.upgradePasswordHash('ann', 'h1', 'h3')).toBe(false);
        expect(await accounts.upgradePasswordHash('ann', 'h2', 'h3')).toBe(true);
        expect(await accounts.getUserById('ann')).toMatchObject({ passwordHash: 'h3', sessionGeneration: 2 });
      });
    });

    describe('members', () => {
      it('set, listed owner first, changed, removed, each with its audit entry; one owner at most', async () => {
        await accounts.setMember('m', 'ann', 'owner', audit('m', 'member.added', 'Ann@Example.com'));
        await accounts.setMember('m', 'bob', 'viewer', null);
        expect(await accounts.listMembers('m')).toEqual([
          expect.objectContaining({ mapId: 'm', userId: 'ann', email: 'Ann@Example.com', name: 'Ann', role: 'owner' }),
          expect.objectContaining({ mapId: 'm', userId: 'bob', role: 'viewer' }),
        ]);
        expect(typeof (await accounts.listMembers('m'))[0]?.addedAt).toBe('number');
        await expect(accounts.setMember('m', 'bob', 'owner', null)).rejects.toThrow();
        expect(await accounts.getRole('m', 'bob')).toBe('viewer');
        await accounts.setMember('m', 'bob', 'editor', audit('m', 'member.role_changed', 'bob@example.com'));
        expect(await accounts.listMemberships('bob')).toEqual([{ mapId: 'm', role: 'editor' }]);
        expect(await accounts.lastRoleChange('m', 'bob')).toEqual({ by: 'Ann', at: expect.any(Number) });
        expect(await accounts.lastRoleChange('m', 'ann')).toBeNull();

        await accounts.transferOwnership('m', 'ann', 'bob', 'editor', audit('m', 'ownership.transferred', 'bob@example.com'));
        expect(await accounts.getRole('m', 'ann')).toBe('editor');
        expect(await accounts.getRole('m', 'bob')).toBe('owner');

        await accounts.removeMember('m', 'ann', audit('m', 'member.removed', 'ANN@example.com', 'bob@example.com'));
        expect(await accounts.getRole('m', 'ann')).toBeNull();
        expect(await accounts.formerAccess('m', 'ann')).toEqual({ reason: 'removed', by: 'Bob', at: expect.any(Number) });
        expect(await accounts.formerAccess('m', 'bob')).toBeNull();

        const entries = await accounts.listAudit('m', 10);
        expect(entries.map((e) => e.action)).toEqual(['member.removed', 'ownership.transferred', 'member.role_changed', 'member.added']);
        expect(entries[0]).toMatchObject({ mapId: 'm', actorEmail: 'bob@example.com', targetEmail: 'ANN@example.com', detail: { note: "it's \u{1F600}" } });
        expect(typeof entries[0]?.id).toBe('number');
        expect(await accounts.listAudit('m', 1)).toHaveLength(1);
      });

      it('setMembers adds several at once, with one audit entry', async () => {
        await accounts.setMembers(
          'm',
          [
            { userId: 'ann', role: 'owner' },
            { userId: 'bob', role: 'commenter' },
          ],
          audit('m', 'workshop.started'),
        );
        expect((await accounts.listMembers('m')).map((m) => [m.userId, m.role])).toEqual([
          ['ann', 'owner'],
          ['bob', 'commenter'],
        ]);
        expect(await accounts.listAudit('m', 10)).toHaveLength(1);
      });

      it('deleting a map deletes its documents, members and invitations; the audit log names who was a member', async () => {
        await store.append([{ room: 'm', update: bytes(1) }, { room: 'm.discussion', update: bytes(2), claims: { userId: 'ann', clientIds: [1] } }]);
        await accounts.setMember('m', 'ann', 'owner', null);
        await accounts.setInvitation({ id: 'inv', mapId: 'm', email: 'cy@example.com', role: 'viewer', invitedBy: 'ann', expiresAt: Date.now() + 1000 }, audit('m', 'invited'));
        await accounts.deleteMap('m', audit('m', 'map.deleted', null, 'bob@example.com'));
        expect(await store.getMap('m')).toBeNull();
        expect((await store.load('m')).updates).toEqual([]);
        expect((await store.load('m.discussion')).updates).toEqual([]);
        expect(await store.loadClientIdOwners('m.discussion')).toEqual(new Map());
        expect(await accounts.listMembers('m')).toEqual([]);
        expect(await accounts.getInvitation('inv')).toBeNull();
        expect(await accounts.formerAccess('m', 'ann')).toEqual({ reason: 'deleted', by: 'Bob', at: expect.any(Number) });
        expect((await accounts.listAudit('m', 1))[0]?.detail).toEqual({ note: "it's \u{1F600}", memberIds: ['ann'] });
      });
    });

    describe('invitations', () => {
      it('one per address and map whatever its case: a new one replaces the old link; accepted once', async () => {
        const expiresAt = Date.now() + 60_000;
        await accounts.setInvitation({ id: 'old', mapId: 'm', email: 'Cy@Example.com', role: 'viewer', invitedBy: 'ann', expiresAt }, audit('m', 'invited'));
        await accounts.setInvitation({ id: 'new', mapId: 'm', email: 'cy@example.com', role: 'editor', invitedBy: 'ann', expiresAt }, audit('m', 'invited'));
        await accounts.setInvitation({ id: 'dee', mapId: 'm', email: 'Dee@example.com', role: 'commenter', invitedBy: 'ann', expiresAt }, audit('m', 'invited'));
        expect(await accounts.getInvitation('old')).toBeNull();
        const listed = await accounts.listInvitations('m');
        expect(listed.map((i) => [i.id, i.email, i.role])).toEqual([
          ['new', 'Cy@Example.com', 'editor'],
          ['dee', 'Dee@example.com', 'commenter'],
        ]);
        expect(listed[0]).toEqual({ id: 'new', mapId: 'm', email: 'Cy@Example.com', role: 'editor', invitedBy: 'ann', createdAt: expect.any(Number), expiresAt });

        await accounts.createUser({ id: 'cy', email: 'cy@example.com', name: 'Cy', passwordHash: null });
        const [first, second] = await Promise.all([accounts.acceptInvitation('new', 'cy', audit('m', 'accepted')), accounts.acceptInvitation('new', 'cy', audit('m', 'accepted'))]);
        expect([first, second].sort()).toEqual([false, true]);
        expect(await accounts.getRole('m', 'cy')).toBe('editor');

        // A member already keeps their role.
        await accounts.setMember('m', 'bob', 'viewer', null);
        await accounts.setInvitation({ id: 'b', mapId: 'm', email: 'bob@example.com', role: 'editor', invitedBy: 'ann', expiresAt }, audit('m', 'invited'));
        expect(await accounts.acceptInvitation('b', 'bob', audit('m', 'accepted'))).toBe(true);
        expect(await accounts.getRole('m', 'bob')).toBe('viewer');

        await accounts.removeInvitation('m', 'DEE@EXAMPLE.COM', audit('m', 'revoked'));
        expect(await accounts.listInvitations('m')).toEqual([]);
      });
    });

    // Declared for PostgreSQL only (two connections racing on a row lock), so that SQLite's suite has nothing skipped.
    const onPostgres = (name: string, test: () => Promise<void>): void => {
      if (engine.name === 'postgres') it(name, test);
    };

    onPostgres('an invitation accepted by another process while this acceptance waits is not accepted twice', async () => {
      await accounts.setInvitation(
        { id: 'once', mapId: 'm', email: 'bob@example.com', role: 'editor', invitedBy: 'ann', expiresAt: Date.now() + 60_000 },
        audit('m', 'invited'),
      );
      const other = new pg.Client({ connectionString: opened.pgUrl ?? '' });
      await other.connect();
      try {
        // The other process has taken the invitation and not committed yet.
        await other.query('BEGIN');
        await other.query("DELETE FROM map_invitations WHERE id = 'once'");
        let settled = false;
        const mine = accounts.acceptInvitation('once', 'bob', audit('m', 'accepted')).finally(() => (settled = true));
        // Wait (no sleep) until this acceptance is blocked on the other's row lock, or has answered without waiting.
        await waitFor(
          async () => {
            if (settled) return true;
            // Inside a transaction pg_stat_activity is a snapshot taken at its first read: without a fresh one, a first look
            // taken before the acceptance blocked would be all this loop ever sees.
            await other.query('SELECT pg_stat_clear_snapshot()');
            const { rows } = await other.query<{ n: number }>(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%map_invitations%' AND pid <> pg_backend_pid()",
            );
            return Number(rows[0]?.n) > 0;
          },
          { timeout: 10_000, interval: 1, message: 'the acceptance to wait for the other connection or to answer' },
        );
        await other.query('COMMIT');
        expect(await mine).toBe(false);
        expect(await accounts.getRole('m', 'bob')).toBeNull();
      } finally {
        await other.end();
      }
    });

    describe('personal access tokens', () => {
      it('created, listed, used (marked), expired (not marked), revoked once', async () => {
        const created = await accounts.createToken({ id: 't1', userId: 'ann', name: 'ci', tokenHash: 'hash1', scope: 'metrics', expiresAt: null });
        expect(created).toEqual({ id: 't1', userId: 'ann', name: 'ci', scope: 'metrics', createdAt: expect.any(Number), expiresAt: null, lastUsedAt: null, revokedAt: null });
        await accounts.createToken({ id: 't2', userId: 'ann', name: 'old', tokenHash: 'hash2', scope: 'read', expiresAt: Date.now() - 1 });
        await expect(accounts.createToken({ id: 't3', userId: 'ann', name: 'dup', tokenHash: 'hash1', scope: 'read', expiresAt: null })).rejects.toThrow();
        expect((await accounts.listTokens('ann')).map((t) => t.id).sort()).toEqual(['t1', 't2']);

        const used = await accounts.useToken('hash1');
        expect(typeof used?.lastUsedAt).toBe('number');
        expect((await accounts.getToken('t1'))?.lastUsedAt).toBe(used?.lastUsedAt);
        const expired = await accounts.useToken('hash2');
        expect(expired).toMatchObject({ id: 't2', lastUsedAt: null });
        expect((await accounts.getToken('t2'))?.lastUsedAt).toBeNull();
        expect(await accounts.useToken('no such hash')).toBeNull();

        expect(await accounts.revokeToken('t1')).toBe(true);
        expect(await accounts.revokeToken('t1')).toBe(false);
        expect(await accounts.useToken('hash1')).toBeNull();
        expect(typeof (await accounts.getToken('t1'))?.revokedAt).toBe('number');
        expect(await accounts.getToken('nope')).toBeNull();
      });
    });

    describe('notifications', () => {
      const mention = (userId: string, commentId: string) => ({
        userId,
        kind: 'mention' as const,
        mapId: 'm',
        touchpointId: 'tp',
        touchpoint: 'Billing',
        commentId,
        actorId: 'ann',
        actorName: 'Ann',
        excerpt: '@Bob look',
      });

      it('one per person and comment; listed newest first for members only; marked read by id, thread or all', async () => {
        await accounts.setMember('m', 'bob', 'editor', null);
        const stored = await accounts.addNotifications([mention('bob', 'c1'), mention('bob', 'c2'), mention('bob', 'c1')]);
        expect(stored.map((n) => n.commentId)).toEqual(['c1', 'c2']);
        expect(stored.every((n) => typeof n.id === 'number' && typeof n.createdAt === 'number')).toBe(true);
        expect(await accounts.addNotifications([mention('bob', 'c2')])).toEqual([]);
        await accounts.addNotifications([mention('bob', 'c3')]);

        const listed = await accounts.listNotifications('bob', 10);
        expect(listed.unread).toBe(3);
        expect(listed.notifications.map((n) => n.commentId)).toEqual(['c3', 'c2', 'c1']);
        expect(listed.notifications[0]).toMatchObject({ userId: 'bob', mapId: 'm', mapTitle: 'Billing', touchpointId: 'tp', actorName: 'Ann', readAt: null });

        const [c1] = stored;
        // Ids no notification has (a fraction, past 2^53, another user's) change nothing and fail nothing.
        expect(await accounts.markNotificationsRead('bob', [c1?.id ?? 0, c1?.id ?? 0, 1.5, 2 ** 60, -1])).toBe(1);
        expect(await accounts.markNotificationsRead('ann', [stored[1]?.id ?? 0])).toBe(0);
        expect(await accounts.markThreadRead('bob', 'm', 'c2')).toBe(1);
        expect((await accounts.listNotifications('bob', 10)).unread).toBe(1);
        expect(await accounts.markNotificationsRead('bob', 'all')).toBe(1);
        expect(await accounts.listNotifications('bob', 1)).toMatchObject({ unread: 0, notifications: [{ commentId: 'c3' }] });

        await accounts.removeMember('m', 'bob', audit('m', 'member.removed', 'bob@example.com'));
        expect(await accounts.listNotifications('bob', 10)).toEqual({ notifications: [], unread: 0 });
      });
    });

    describe('history', () => {
      it('masters, workshop copies (rebased, merged) and versions, newest first', async () => {
        expect(await history.isMaster('m')).toBe(false);
        await history.setMaster('m', true);
        expect(await history.isMaster('m')).toBe(true);
        await history.setMaster('m', false);
        expect(await history.isMaster('m')).toBe(false);
        expect(await history.isMaster('nope')).toBe(false);

        await store.createMap({ id: 'copy', title: 'Copy', template: 'blank' }, {});
        await history.addWorkshopCopy({ mapId: 'copy', masterId: 'm', baseMapState: bytes(0, 1), baseDiscussionState: bytes(2), startedBy: 'ann', startedAt: 1_700_000_000_000 });
        expect(await history.getWorkshopCopy('copy')).toEqual({
          mapId: 'copy',
          masterId: 'm',
          baseMapState: bytes(0, 1),
          baseDiscussionState: bytes(2),
          startedBy: 'ann',
          startedAt: 1_700_000_000_000,
          status: 'open',
          mergedAt: null,
          mergedBy: null,
        });
        expect(await history.mergedInto('copy')).toBeNull();
        await history.rebaseWorkshopCopy('copy', bytes(5), bytes(6, 0));
        expect((await history.listWorkshopCopies('m')).map((c) => [c.mapId, Array.from(c.baseMapState), Array.from(c.baseDiscussionState)])).toEqual([['copy', [5], [6, 0]]]);
        await history.markMerged('copy', 'bob');
        expect(await history.getWorkshopCopy('copy')).toMatchObject({ status: 'merged', mergedBy: 'bob', mergedAt: expect.any(Number) });
        expect(await history.mergedInto('copy')).toEqual({ masterId: 'm', mergedAt: expect.any(Number) });
        expect(await history.getWorkshopCopy('nope')).toBeNull();

        const at = 1_700_000_000_000;
        await history.addVersion({ id: 'v1', mapId: 'm', name: 'First', kind: 'named', createdBy: 'ann', createdAt: at, mapState: bytes(1), discussionState: bytes() });
        await history.addVersion({ id: 'v2', mapId: 'm', name: 'Same ms', kind: 'auto', createdBy: 'system', createdAt: at, mapState: bytes(2), discussionState: bytes(3) });
        await history.addVersion({ id: 'v0', mapId: 'm', name: 'Earlier', kind: 'named', createdBy: 'ann', createdAt: at - 1, mapState: bytes(0), discussionState: bytes(0) });
        expect((await history.listVersions('m')).map((v) => v.id)).toEqual(['v2', 'v1', 'v0']);
        expect((await history.listVersions('m'))[0]).toEqual({ id: 'v2', mapId: 'm', name: 'Same ms', kind: 'auto', createdBy: 'system', createdAt: at });
        const v1 = await history.getVersion('m', 'v1');
        expect(v1 && Array.from(v1.mapState)).toEqual([1]);
        expect(v1?.discussionState.byteLength).toBe(0);
        expect(await history.getVersion('other', 'v1')).toBeNull();
      });
    });
  });
});
