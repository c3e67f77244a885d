import type { ServiceContext } from './context';

/**
 * A change the server makes to a document itself (a rename, a restore, a
 * merge, the figures' signal): in a server process through the collaboration
 * server, stored before anyone is sent it; from the CLI straight to the store,
 * then told to running processes (ctx.live.stored) so that their clients
 * have it at once rather than at their next poll of the store.
 */
export async function submitUpdate(ctx: ServiceContext, room: string, update: Uint8Array): Promise<void> {
  if (ctx.collab) {
    await ctx.collab.submitServerUpdate(room, update);
    return;
  }
  const [at] = await ctx.store.append([{ room, update }]);
  if (at) ctx.live.stored(room, update, at);
}
