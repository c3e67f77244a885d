import type { Role } from '../lib/permissions/roles';
import { publishControl, type ControlMessage } from './fanout/control-message';
import { describeRedisUrl } from './fanout/redis-connection';
import { RedisFanout, channelPrefixOf } from './fanout/redis-fanout';
import type { LiveChanges } from './services/live-changes';

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

  /**
   * Publishes what the command collected (nothing without REDIS_URL or
   * without a change). Resolves to a warning for the operator when running
   * processes could not be told, else null; never throws.
   */
  async tellRunningProcesses(redisUrl: string | null, redisPrefix: string): Promise<string | null> {
    if (!redisUrl || this.messages.length === 0) return null;
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
      return warning(this.messages.length, (error as Error).message);
    }
    for (const message of this.messages) publishControl(fanout, message);
    // quit() waits for the publishes handed over; a failed one is reported through onError first.
    await fanout.close();
    return failures.length > 0 ? warning(this.messages.length, `Redis at ${describeRedisUrl(redisUrl)}: ${failures[0]}`) : null;
  }
}

function warning(count: number, reason: string): string {
  const what = count === 1 ? 'The change is' : `The ${count} changes are`;
  return `Warning: ${what} stored, but running processes were not told at once (${reason}); open sockets follow at their next role check.`;
}
