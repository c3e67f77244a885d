/**
 * The Fanout contract (issue 14 §4): one suite for the in-process bus and for
 * Redis. A message reaches the other subscribers of its room and nobody
 * else, never its sender, byte for byte, in the order one publisher sent it;
 * unsubscribing and closing stop delivery. Then what only Redis can do
 * wrong: a dropped link, a frame someone else wrote, a server that is not there.
 *
 * Asserting that something did NOT arrive needs no sleep: Redis delivers one
 * publisher's messages, and everything one PUBLISH sends to its subscribers,
 * in order. So a marker sent after the message in question, received, proves
 * the message would have arrived before it.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_CHANNEL, decodeControlMessage, publishControl } from '../../server/fanout/control-message';
import type { Fanout, FanoutMessage } from '../../server/fanout/fanout';
import { LocalBus } from '../../server/fanout/local-fanout';
import { RedisFanout } from '../../server/fanout/redis-fanout';
import { RedisUnavailableError } from '../../server/fanout/redis-connection';
import { waitFor } from '../support/wait';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason, uniquePrefix } from '../support/redis';

announceRedisSkip('Fanout contract');

const DEADLINE_MS = 5_000;
const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (message: FanoutMessage) => Buffer.from(message.payload).toString('utf8');
const say = (room: string, words: string, extra: Partial<FanoutMessage> = {}): FanoutMessage => ({ kind: 'doc', room, payload: Buffer.from(words), ...extra });

/** Everything one subscription received, and a way to wait for a message. */
class Inbox {
  readonly messages: FanoutMessage[] = [];
  private readonly waiters = new Set<() => void>();

  readonly take = (message: FanoutMessage) => {
    this.messages.push(message);
    for (const waiter of [...this.waiters]) waiter();
  };

  until(what: string, test: (messages: FanoutMessage[]) => boolean): Promise<void> {
    return waitFor(() => test(this.messages), { timeout: DEADLINE_MS, message: what }, (wake) => {
      this.waiters.add(wake);
      return () => this.waiters.delete(wake);
    }).then(() => undefined);
  }

  untilText(words: string): Promise<void> {
    return this.until(`"${words}"`, (messages) => messages.some((m) => text(m) === words));
  }

  texts(): string[] {
    return this.messages.map(text);
  }
}

interface FanoutEngine {
  name: 'local' | 'redis';
  skipReason: string | null;
  /** A fresh world: `connect()` is another process on it. */
  open(): { connect(): Promise<Fanout>; close(): Promise<void> };
}

const local: FanoutEngine = {
  name: 'local',
  skipReason: null,
  open() {
    const bus = new LocalBus();
    return { connect: async () => bus.connect({}), close: async () => {} };
  },
};

const redis: FanoutEngine = {
  name: 'redis',
  skipReason: redisSkipReason,
  open() {
    const prefix = uniquePrefix('fanout');
    const opened: RedisFanout[] = [];
    return {
      async connect() {
        const fanout = await RedisFanout.connect(TEST_REDIS_URL, { channelPrefix: prefix });
        opened.push(fanout);
        return fanout;
      },
      async close() {
        await Promise.all(opened.map((fanout) => fanout.close()));
      },
    };
  },
};

describe.each([local, redis])('Fanout contract: $name', (engine) => {
  describe.skipIf(engine.skipReason !== null)(engine.name, () => {
    let world: ReturnType<FanoutEngine['open']>;
    let a: Fanout;
    let b: Fanout;
    let c: Fanout;

    beforeEach(async () => {
      world = engine.open();
      [a, b, c] = await Promise.all([world.connect(), world.connect(), world.connect()]);
    });
    afterEach(async () => {
      await world.close();
    });

    it('names its engine', () => {
      expect(a.engine).toBe(engine.name);
    });

    it('reaches every other subscriber of the room, not its sender, not another room', async () => {
      const [atA, atB, atC, atCOther] = [new Inbox(), new Inbox(), new Inbox(), new Inbox()];
      await Promise.all([a.subscribe('r', atA.take).ready, b.subscribe('r', atB.take).ready, c.subscribe('r', atC.take).ready, c.subscribe('other', atCOther.take).ready]);
      a.publish(say('r', 'hello'));
      await Promise.all([atB.untilText('hello'), atC.untilText('hello')]);
      // The markers follow "hello" out of Redis: had A or C's other room been sent it, it would be there already.
      b.publish(say('r', 'marker'));
      b.publish(say('other', 'marker'));
      await Promise.all([atA.untilText('marker'), atCOther.untilText('marker')]);
      expect(atA.texts()).toEqual(['marker']);
      expect(atCOther.texts()).toEqual(['marker']);
      expect(atB.texts()).toEqual(['hello']);
      expect(atB.messages[0]).toMatchObject({ kind: 'doc', room: 'r' });
    });

    it('two subscriptions of one process to one room both receive, and neither gets the process its own', async () => {
      const [first, second, atB] = [new Inbox(), new Inbox(), new Inbox()];
      await Promise.all([a.subscribe('r', first.take).ready, a.subscribe('r', second.take).ready, b.subscribe('r', atB.take).ready]);
      a.publish(say('r', 'mine'));
      await atB.untilText('mine');
      b.publish(say('r', 'theirs'));
      await Promise.all([first.untilText('theirs'), second.untilText('theirs')]);
      expect(first.texts()).toEqual(['theirs']);
      expect(second.texts()).toEqual(['theirs']);
    });

    it('carries a control message on the control channel to every other process, whole, never back to its sender', async () => {
      const [atA, atB, atC] = [new Inbox(), new Inbox(), new Inbox()];
      await Promise.all([a, b, c].map((fanout, i) => fanout.subscribe(CONTROL_CHANNEL, [atA, atB, atC][i]?.take ?? (() => {})).ready));
      const message = { type: 'role', mapId: 'm1', userId: 'u1', role: 'viewer' } as const;
      publishControl(a, message);
      await Promise.all([atB, atC].map((inbox) => inbox.until('the control message', (messages) => messages.length === 1)));
      for (const inbox of [atB, atC]) {
        expect(inbox.messages[0]).toMatchObject({ kind: 'control', room: CONTROL_CHANNEL });
        expect(decodeControlMessage(inbox.messages[0]?.payload ?? new Uint8Array())).toEqual({ ok: true, message });
      }
      b.publish(say(CONTROL_CHANNEL, 'marker'));
      await atA.untilText('marker');
      expect(atA.texts()).toEqual(['marker']);
    });

    it('carries a binary payload byte for byte, every kind, and seq when there is one', async () => {
      const atB = new Inbox();
      await b.subscribe('r', atB.take).ready;
      const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
      const large = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 256);
      const sent: FanoutMessage[] = [
        { kind: 'doc', room: 'r', payload: everyByte, seq: 41 },
        { kind: 'awareness', room: 'r', payload: new Uint8Array() },
        { kind: 'control', room: 'r', payload: bytes(0, 0, 0) },
        { kind: 'control', room: 'r', payload: bytes(0xff) },
        { kind: 'doc', room: 'r', payload: large, seq: 2 ** 40 },
      ];
      for (const message of sent) a.publish(message);
      await atB.until('five messages', (messages) => messages.length === sent.length);
      expect(atB.messages.map((m) => ({ ...m, payload: Buffer.from(m.payload).toString('hex') }))).toEqual(
        sent.map((m) => ({ ...m, payload: Buffer.from(m.payload).toString('hex') })),
      );
      for (const message of atB.messages) expect(message.payload).toBeInstanceOf(Uint8Array);
    });

    it("keeps one publisher's order within a room", async () => {
      const atB = new Inbox();
      await b.subscribe('r', atB.take).ready;
      const words = Array.from({ length: 500 }, (_, i) => `edit ${i}`);
      for (const word of words) a.publish(say('r', word));
      await atB.until('500 edits', (messages) => messages.length === words.length);
      expect(atB.texts()).toEqual(words);
    });

    it('unsubscribing stops delivery to that subscriber only', async () => {
      const [gone, stays, marker] = [new Inbox(), new Inbox(), new Inbox()];
      const unsubscribe = a.subscribe('r', gone.take);
      await Promise.all([unsubscribe.ready, a.subscribe('r', stays.take).ready, a.subscribe('marker', marker.take).ready]);
      unsubscribe();
      unsubscribe();
      b.publish(say('r', 'after'));
      b.publish(say('marker', 'marker'));
      await Promise.all([stays.untilText('after'), marker.untilText('marker')]);
      expect(gone.texts()).toEqual([]);
    });

    it('the last unsubscribe of a room, then a new subscribe: delivery resumes', async () => {
      const [first, again] = [new Inbox(), new Inbox()];
      const unsubscribe = a.subscribe('r', first.take);
      await unsubscribe.ready;
      unsubscribe();
      await a.subscribe('r', again.take).ready;
      // A stale unsubscribe, called again after the room was subscribed anew, must not end the new subscription.
      unsubscribe();
      b.publish(say('r', 'back'));
      await again.untilText('back');
      expect(first.texts()).toEqual([]);
    });

    it('close stops delivery to it and publishing from it, and can be called twice', async () => {
      const [atA, atB] = [new Inbox(), new Inbox()];
      await Promise.all([a.subscribe('r', atA.take).ready, b.subscribe('r', atB.take).ready]);
      await a.close();
      await a.close();
      expect(() => a.publish(say('r', 'from the closed one'))).not.toThrow();
      a.subscribe('r', atA.take)();
      b.publish(say('r', 'to the closed one'));
      c.publish(say('r', 'marker'));
      await atB.untilText('marker');
      expect(atA.texts()).toEqual([]);
      expect(atB.texts()).toEqual(['marker']);
    });

  });
});

describe.skipIf(redisSkipReason !== null)('RedisFanout: what only Redis can do wrong', () => {
  let prefix: string;
  let admin: Redis;
  const opened: RedisFanout[] = [];
  const errors: string[] = [];
  const connect = async () => {
    const fanout = await RedisFanout.connect(TEST_REDIS_URL, { channelPrefix: prefix, onError: (error) => errors.push(error.message) });
    opened.push(fanout);
    return fanout;
  };

  beforeEach(() => {
    prefix = uniquePrefix('fanout');
    admin = new Redis(TEST_REDIS_URL);
    errors.length = 0;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((fanout) => fanout.close()));
    admin.disconnect();
  });

  it('the listening link is cut: onReconnect is called once every room listens again, and delivery resumes', async () => {
    const [a, b] = [await connect(), await connect()];
    const [atA, atOther] = [new Inbox(), new Inbox()];
    await Promise.all([a.subscribe('r', atA.take).ready, a.subscribe('other', atOther.take).ready]);
    let reconnects = 0;
    a.onReconnect(() => {
      reconnects += 1;
    });
    const reconnected = waitFor(() => reconnects > 0, { timeout: DEADLINE_MS, message: 'onReconnect' });
    // Only this connection: the Redis server is shared with other test files.
    expect(await admin.client('KILL', 'ID', String((await a.clientIds()).listener))).toBe(1);
    await reconnected;
    expect(reconnects).toBe(1);
    b.publish(say('r', 'after the cut'));
    b.publish(say('other', 'and here'));
    await Promise.all([atA.untilText('after the cut'), atOther.untilText('and here')]);
  });

  it('the publishing link is cut: what is published meanwhile is sent once it is back', async () => {
    const [a, b] = [await connect(), await connect()];
    const atB = new Inbox();
    await b.subscribe('r', atB.take).ready;
    expect(await admin.client('KILL', 'ID', String((await a.clientIds()).publisher))).toBe(1);
    a.publish(say('r', 'queued'));
    await atB.untilText('queued');
  });

  it('a frame someone else wrote on the channel is refused with a reason; the next good one arrives', async () => {
    const [a, b] = [await connect(), await connect()];
    const atA = new Inbox();
    await a.subscribe('r', atA.take).ready;
    await admin.publish(`${prefix}r`, '{"kind":"doc","payload":"AAAA"}');
    await admin.publish(`${prefix}r`, Buffer.alloc(0));
    b.publish(say('r', 'good'));
    await atA.untilText('good');
    expect(atA.texts()).toEqual(['good']);
    expect(errors.filter((e) => e.startsWith('refused a fan-out frame'))).toHaveLength(2);
  });

  it('a subscriber that throws does not keep the message from the others of its process', async () => {
    const [a, b] = [await connect(), await connect()];
    const atB = new Inbox();
    await Promise.all([
      b.subscribe('r', () => {
        throw new Error('a room failed');
      }).ready,
      b.subscribe('r', atB.take).ready,
    ]);
    a.publish(say('r', 'still here'));
    await atB.untilText('still here');
    expect(errors).toContain('a room failed');
  });

  it('a message on a channel of another prefix never arrives', async () => {
    const a = await connect();
    const atA = new Inbox();
    await a.subscribe('r', atA.take).ready;
    const stranger = await RedisFanout.connect(TEST_REDIS_URL, { channelPrefix: uniquePrefix('elsewhere') });
    opened.push(stranger);
    stranger.publish(say('r', 'elsewhere'));
    const b = await connect();
    b.publish(say('r', 'here'));
    await atA.untilText('here');
    expect(atA.texts()).toEqual(['here']);
  });
});

describe('RedisFanout at start', () => {
  it('a Redis that refuses the connection stops the start with a sentence naming REDIS_URL, without the password', async () => {
    const error = await RedisFanout.connect('redis://:hunter2@127.0.0.1:1', { deadlineMs: 2_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/^Could not reach the Redis server of REDIS_URL \(127\.0\.0\.1:1\): .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('a Redis that never answers: the deadline ends the wait', async () => {
    // A listening socket that accepts and says nothing: the connect deadline, not a hang.
    const net = await import('node:net');
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as import('node:net').AddressInfo;
    try {
      const error = await RedisFanout.connect(`redis://127.0.0.1:${port}`, { deadlineMs: 500 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toContain(`REDIS_URL (127.0.0.1:${port})`);
    } finally {
      silent.close();
    }
  });
});
