import type { Fanout, FanoutMessage, FanoutSubscription } from './fanout';

type Subscriber = { owner: object; onMessage: (m: FanoutMessage) => void };

const READY = Promise.resolve();

/**
 * In-process fan-out: a bus shared by every collaboration server in this
 * process (one in production; several in tests that run two servers side by
 * side). Each subscriber is tagged with its server so nothing echoes back.
 */
export class LocalBus {
  private readonly rooms = new Map<string, Set<Subscriber>>();

  connect(owner: object): Fanout {
    let closed = false;
    return {
      engine: 'local',
      publish: (message) => {
        if (closed) return;
        for (const sub of this.rooms.get(message.room) ?? []) if (sub.owner !== owner) sub.onMessage(message);
      },
      subscribe: (room, onMessage) => {
        const entry = { owner, onMessage };
        let subs = this.rooms.get(room);
        if (!subs) this.rooms.set(room, (subs = new Set()));
        if (!closed) subs.add(entry);
        const unsubscribe = () => {
          subs.delete(entry);
          if (subs.size === 0 && this.rooms.get(room) === subs) this.rooms.delete(room);
        };
        return Object.assign(unsubscribe, { ready: READY }) satisfies FanoutSubscription;
      },
      // Nothing between two servers of one process can drop.
      onReconnect: () => () => {},
      close: async () => {
        closed = true;
        for (const [room, subs] of this.rooms) {
          for (const sub of subs) if (sub.owner === owner) subs.delete(sub);
          if (subs.size === 0) this.rooms.delete(room);
        }
      },
    };
  }
}

export const processBus = new LocalBus();
