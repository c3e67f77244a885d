import type { Role } from '../lib/permissions/roles';
import { publishControl, type ControlMessage } from './fanout/control-message';
import { describeRedisUrl } from './fanout/redis-connection';
import { RedisFanout, channelPrefixOf } from './fanout/redis-fanout';
import type { FanoutMessage } from './fanout/fanout';
import type { LiveChanges } from './services/live-changes';
import type { AppendedSeq } from './store/doc-store';

/**
 * The CLI's end of the control channel. The CLI holds no socket: a command
 * only collects what running processes must act on, and once it succeeded
 * (everything is in the store) `tellRunningProcesses` publishes it over Redis.
 * The store is the truth and the change is made: a Redis that is down costs a
 * warning, never the command (processes then follow at their next role check).
 */

/** Short: an operator waits for it, and the change is stored already. */
const CLI_REDIS_DEADLINE_MS = 2_000;

export class CliLive implements LiveChanges {
  private readonly messages: ControlMessage[] = [];
  private readonly updates: FanoutMessage[] = [];

  setRole(mapId: string, userId: string, role: Role | null): void {
    this.messages.push({ type: 'role', mapId, userId, role });
  }

  endSessions(userId: string): void {
    this.messages.push({ type: 'sessions-ended', userId });
  }

  reopenMap(mapId: string): void {
    this.messages.push({ type: 'map-reopened', mapId });
  }

  closeMap(mapId: string): void {
    this.messages.push({ type: 'map-deleted', mapId });
  }

  async replaceRoom(room: string, replace: () => Promise<void>): Promise<void> {
    await replace();
    this.messages.push({ type: 'room-replaced', room });
  }

  stored(room: string, update: Uint8Array, at: AppendedSeq): void {
    this.updates.push({ kind: 'doc', room, payload: update, seq: at.seq, prevSeq: at.prevSeq });
  }

  /**
   * Publishes what the command collected (nothing without REDIS_URL or
   * without a change). Resolves to a warning for the operator when running
   * processes could not be told, else null; never throws.
   */
  async tellRunningProcesses(redisUrl: string | null, redisPrefix: string): Promise<string | null> {
    const count = this.messages.length + this.updates.length;
    if (!redisUrl || count === 0) return null;
    const failures: string[] = [];
    let fanout: RedisFanout;
    try {
      fanout = await RedisFanout.connect(redisUrl, {
        channelPrefix: channelPrefixOf(redisPrefix),
        deadlineMs: CLI_REDIS_DEADLINE_MS,
        onError: (error) => failures.push(error.message),
      });
    } catch (error) {
      // RedisUnavailableError names the server without its password.
      return warning(count, (error as Error).message);
    }
    // Document updates first: a control message (a merge reopening the map) may make sockets reconnect to them.
    for (const update of this.updates) fanout.publish({ ...update, sentAt: Date.now() });
    for (const message of this.messages) publishControl(fanout, message);
    // quit() waits for the publishes handed over; a failed one is reported through onError first.
    await fanout.close();
    return failures.length > 0 ? warning(count, `Redis at ${describeRedisUrl(redisUrl)}: ${failures[0]}`) : null;
  }
}

function warning(count: number, reason: string): string {
  const what = count === 1 ? 'The change is' : `The ${count} changes are`;
  return `Warning: ${what} stored, but running processes were not told at once (${reason}); open sockets follow at their next role check, open maps at their next look at the store.`;
}
