import { excerptOf, mentionedPeople, threadHref, withoutControlCharacters } from '../../lib/journey/mentions';
import { readMap } from '../../lib/journey/schema';
import { MarkReadInput } from '../../lib/permissions/notification-input';
import type { NewNotification, NotificationRecord, StoredNotification } from '../accounts/account-store';
import type { WrittenComment } from '../collab/discussion-guard';
import type { Logger } from '../logger';
import type { Actor, ServiceContext } from './context';
import type { Mailer } from './mailer';
import { onMapDoc } from './map-doc';
import { parseInput } from './parse-input';

/** Bounds on the work one discussion update can cause: a client may write many comments, each naming everyone, in one. */
export const MAX_COMMENTS_PER_UPDATE = 20;
export const MAX_NOTIFICATIONS_PER_UPDATE = 50;
const LIST_LIMIT = 100;

export interface NotifyDeps {
  mailer: Mailer | null;
  /** The app's public URL (NEXTAUTH_URL), for links in mail. */
  baseUrl: () => string;
  logger: Logger;
}

export interface WrittenComments {
  mapId: string;
  authorId: string;
  authorName: string;
  comments: readonly WrittenComment[];
}

/** Touchpoint labels of a map, only when someone is to be notified: in the server, read off the live room (not the whole map back from the store). */
function touchpointLabels(ctx: ServiceContext, mapId: string): Promise<Record<string, string>> {
  return onMapDoc(ctx, mapId, (doc) => Object.fromEntries(Object.values(readMap(doc).touchpoints).map((t) => [t.id, t.label])));
}

/**
 * Comments stored after the discussion guard accepted them: each member they
 * @mention (not the author, not someone outside the map) gets one
 * notification per comment, and a mail when SMTP is configured.
 */
export async function notifyMentions(ctx: ServiceContext, written: WrittenComments, deps: NotifyDeps): Promise<StoredNotification[]> {
  const members = (await ctx.accounts.listMembers(written.mapId)).map((m) => ({ id: m.userId, name: m.name, email: m.email }));
  const mentions = written.comments
    .slice(0, MAX_COMMENTS_PER_UPDATE)
    .flatMap((comment) =>
      mentionedPeople(comment.body, members)
        .filter((person) => person.id !== written.authorId)
        .map((person) => ({ comment, person })),
    )
    .slice(0, MAX_NOTIFICATIONS_PER_UPDATE);
  if (mentions.length === 0) return [];
  const labels = await touchpointLabels(ctx, written.mapId);
  const fresh: NewNotification[] = mentions.map(({ comment, person }) => ({
    userId: person.id,
    kind: 'mention',
    mapId: written.mapId,
    touchpointId: comment.touchpointId,
    touchpoint: withoutControlCharacters(labels[comment.touchpointId] ?? 'a touchpoint'),
    commentId: comment.id,
    actorId: written.authorId,
    actorName: withoutControlCharacters(written.authorName),
    excerpt: excerptOf(comment.body),
  }));
  const stored = await ctx.accounts.addNotifications(fresh);
  deps.logger.info({ mapId: written.mapId, notified: stored.length }, 'mentions notified');
  if (deps.mailer && stored.length > 0) {
    const mapTitle = (await ctx.store.getMap(written.mapId))?.title ?? 'a journey map';
    const emails = new Map(members.map((m) => [m.id, m.email]));
    for (const n of stored) {
      const to = emails.get(n.userId);
      if (!to) continue;
      const link = new URL(threadHref(n.mapId, n.touchpointId, n.commentId), deps.baseUrl()).toString();
      deps.mailer.send({
        to,
        subject: `${n.actorName} mentioned you on "${mapTitle}"`,
        text: `${n.actorName} mentioned you in a comment on "${n.touchpoint}" (${mapTitle}):\n\n  ${n.excerpt}\n\nOpen the thread: ${link}\n`,
      });
    }
  }
  return stored;
}

export interface NotificationView {
  id: number;
  kind: 'mention';
  mapId: string;
  mapTitle: string;
  touchpointId: string;
  touchpoint: string;
  commentId: string;
  actorName: string;
  excerpt: string;
  createdAt: number;
  read: boolean;
  href: string;
}

const toView = (n: NotificationRecord): NotificationView => ({
  id: n.id,
  kind: n.kind,
  mapId: n.mapId,
  mapTitle: n.mapTitle,
  touchpointId: n.touchpointId,
  touchpoint: n.touchpoint,
  commentId: n.commentId,
  actorName: n.actorName,
  excerpt: n.excerpt,
  createdAt: n.createdAt,
  read: n.readAt !== null,
  href: threadHref(n.mapId, n.touchpointId, n.commentId),
});

/** The caller's own notifications on maps they are still a member of, newest first, with how many are unread. */
export async function listNotifications(ctx: ServiceContext, actor: Actor): Promise<{ notifications: NotificationView[]; unread: number }> {
  const { notifications, unread } = await ctx.accounts.listNotifications(actor.id, LIST_LIMIT);
  return { notifications: notifications.map(toView), unread };
}

/** Marks the caller's own notifications read: ids of someone else's change nothing. */
export async function markNotificationsRead(ctx: ServiceContext, actor: Actor, input: unknown): Promise<{ updated: number; unread: number }> {
  const parsed = parseInput(MarkReadInput, input);
  const updated = await ctx.accounts.markNotificationsRead(actor.id, 'all' in parsed ? 'all' : parsed.ids);
  const { unread } = await ctx.accounts.listNotifications(actor.id, 0);
  return { updated, unread };
}

/** The caller opened a thread (from the inbox or a mail's link): its mentions of them are read. */
export async function markThreadRead(ctx: ServiceContext, actor: Actor, mapId: string, commentId: string): Promise<void> {
  await ctx.accounts.markThreadRead(actor.id, mapId, commentId);
}
