import type { Fanout, FanoutMessage } from './fanout';

/**
 * In-process fan-out: a bus shared by every collaboration server in this
 * process (one in production; several in tests that run two servers side by
 * side). Each subscriber is tagged with its server so nothing echoes back.
 */
export class LocalBus {
  private readonly rooms = new Map<string, Set<{ owner: object; onMessage: (m: FanoutMessage) => void }>>();

  connect(owner: object): Fanout {
    return {
      engine: 'local',
      publish: (message) => {
        for (const sub of this.rooms.get(message.room) ?? []) if (sub.owner !== owner) sub.onMessage(message);
      },
      subscribe: (room, onMessage) => {
        const entry = { owner, onMessage };
        let subs = this.rooms.get(room);
        if (!subs) this.rooms.set(room, (subs = new Set()));
        subs.add(entry);
        return () => {
          subs.delete(entry);
          if (subs.size === 0) this.rooms.delete(room);
        };
      },
      close: async () => {
        for (const [room, subs] of this.rooms) {
          for (const sub of subs) if (sub.owner === owner) subs.delete(sub);
          if (subs.size === 0) this.rooms.delete(room);
        }
      },
    };
  }
}

export const processBus = new LocalBus();
