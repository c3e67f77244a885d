import type { Role } from '../../lib/permissions/roles';
import { CONTROL_CHANNEL, decodeControlMessage, publishControl, type ControlMessage } from '../fanout/control-message';
import type { Fanout, FanoutMessage, FanoutSubscription } from '../fanout/fanout';
import type { Logger } from '../logger';

/**
 * The control channel's end in a collaboration server: a change made here
 * (a role, a removal, a sign-out, a merge, a deletion, a replaced room) is
 * acted on at once by this process's sockets AND published; a change another
 * process (or the CLI) published is acted on here only, never published again
 * (so nothing echoes around the processes).
 */

/** What this process does to its own sockets and rooms for each message. */
export interface LocalEffects {
  setRole(mapId: string, userId: string, role: Role | null): void;
  endSessions(userId: string): void;
  reopenMap(mapId: string): void;
  closeMap(mapId: string): void;
  /** Closes the room's sockets (they reconnect) and lets go of it without compacting what it held. */
  roomReplaced(room: string): Promise<void>;
}

export interface ControlOptions {
  fanout: Fanout;
  logger: Logger;
  local: LocalEffects;
}

export class Control {
  private readonly subscription: FanoutSubscription;

  constructor(private readonly options: ControlOptions) {
    this.subscription = options.fanout.subscribe(CONTROL_CHANNEL, (message) => this.receive(message));
  }

  /** Settles once messages other processes publish from now on reach this one. */
  get ready(): Promise<void> {
    return this.subscription.ready;
  }

  /** A change made in this process: acted on here, then told to the others. */
  async publish(message: ControlMessage): Promise<void> {
    const acted = this.act(message);
    publishControl(this.options.fanout, message);
    await acted;
  }

  stop(): void {
    this.subscription();
  }

  /** From another process: read whole, or refused with a reason and nothing done. */
  private receive(message: FanoutMessage): void {
    const refuse = (reason: string) => this.options.logger.warn({ reason, bytes: message.payload.byteLength }, 'refused a control message');
    if (message.kind !== 'control') return refuse(`a ${message.kind} message on the control channel`);
    const decoded = decodeControlMessage(message.payload);
    if (!decoded.ok) return refuse(decoded.reason);
    this.options.logger.info({ control: decoded.message }, 'a change made in another process');
    void this.act(decoded.message);
  }

  private async act(message: ControlMessage): Promise<void> {
    const { local, logger } = this.options;
    try {
      switch (message.type) {
        case 'role':
          return local.setRole(message.mapId, message.userId, message.role);
        case 'sessions-ended':
          return local.endSessions(message.userId);
        case 'map-reopened':
          return local.reopenMap(message.mapId);
        case 'map-deleted':
          return local.closeMap(message.mapId);
        case 'room-replaced':
          return await local.roomReplaced(message.room);
      }
    } catch (error) {
      logger.error({ err: error, control: message }, 'could not act on a control message');
    }
  }
}
