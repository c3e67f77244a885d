/**
 * A workshop on one map spread over a cluster's processes (tests/support/
 * cluster.ts): stock clients, each on one process directly or on the proxy,
 * making seeded random edits and dropping and coming back; a ledger of what
 * each had received from the server (edit-ledger.ts: that is what it "saw");
 * and the end state: every client identical, and identical to a fresh joiner
 * on every process.
 */
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { expect } from 'vitest';
import { readMap } from '../../../lib/journey/schema';
import type { Cluster, Via } from '../../support/cluster';
import { waitFor } from '../../support/wait';
import { CollabClient, mapRoom, tokenFor } from './clients';
import { ReceivedFromServer, lostFrom, seenAt, type SeenByClient } from './edit-ledger';
import { randomEdit } from './journey-fuzz';
import { USERS, type UserKey } from './workspace';

export const WRITERS: readonly UserKey[] = ['owner', 'editor', 'editor2', 'editor3', 'editor4'];

/** Nine clients: two directly on each of the three processes, three through the proxy. */
export const SPREAD: readonly Via[] = [0, 1, 2, 0, 1, 2, 'proxy', 'proxy', 'proxy'];

export interface Member {
  label: string;
  via: Via;
  client: CollabClient;
  received: ReceivedFromServer;
}

/** The seed of a run: from the variable when set, else random; printed in every failure. */
export function seedFrom(variable: string): number {
  const given = process.env[variable];
  return given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

/** Same inserts (state vector) and same deletions (delete set). */
export const sameState = (a: Y.Doc, b: Y.Doc): boolean => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));

/** The map as the document's encoded state gives it (Y.encodeStateAsUpdate into a fresh document): what any new reader gets. */
export function encodedMap(doc: Y.Doc): ReturnType<typeof readMap> {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    return readMap(copy);
  } finally {
    copy.destroy();
  }
}

/**
 * Which waits a run of random steps makes: between any two live clients;
 * only between two direct clients of one process (Redis is down: nothing
 * crosses between processes); none (the database is down: nothing is stored).
 */
export type Waits = 'any' | 'same-process' | 'none';

const isLive = (member: Member): boolean => member.client.provider.wsconnected && member.client.provider.synced;

export class ClusterSession {
  readonly members: Member[] = [];
  /** Members that left for good (their client destroyed); their ledger entries still count. */
  readonly retired: Member[] = [];
  readonly ledger: SeenByClient[] = [];
  readonly log: string[] = [];
  readonly gen: prng.PRNG;
  private joined = 0;
  /** The fresh joiners of expectConverged, destroyed with the session. */
  private readonly joiners: CollabClient[] = [];

  constructor(
    readonly cluster: Cluster,
    readonly mapId: string,
    readonly seed: number,
  ) {
    this.gen = prng.create(seed);
  }

  join(via: Via, who: UserKey = WRITERS[this.joined % WRITERS.length] ?? 'editor'): Member {
    this.joined += 1;
    const client = this.cluster.client(via, mapRoom(this.mapId), USERS[who], tokenFor(who, this.mapId));
    const member: Member = { label: `#${this.joined} (${who} on ${via === 'proxy' ? 'the proxy' : `process ${via}`}, Yjs client ${client.doc.clientID})`, via, client, received: new ReceivedFromServer(client.provider) };
    this.members.push(member);
    return member;
  }

  async joinAll(spread: readonly Via[] = SPREAD): Promise<void> {
    const joined = spread.map((via) => this.join(via));
    await Promise.all(joined.map((member) => member.client.whenSynced()));
  }

  /** A client leaves for good (a closed tab): what it had not sent is gone with it, what it had received stays in the ledger. */
  retire(member: Member, why: string): void {
    member.client.destroy();
    this.members.splice(this.members.indexOf(member), 1);
    this.retired.push(member);
    this.note(`${member.label} ${why}`);
  }

  note(line: string): void {
    this.log.push(line);
  }

  /** Every member's edit right now, without waiting for anything. */
  everyoneEdits(tag: string, members: readonly Member[] = this.members): void {
    for (const member of members) this.note(`${tag} ${member.label} ${randomEdit(member.client.doc, this.gen, member.client.origin)}`);
  }

  /** What every member has received from the server so far, into the ledger. */
  recordSeen(tag: string): void {
    for (const member of this.members) this.ledger.push(seenAt(`${member.label} at ${tag}`, member.received));
  }

  /**
   * `steps` random steps: mostly 1–3 edits by one member, now and then a
   * disconnect or a reconnect, and now and then one live member waiting until
   * another live one has everything it made (so that edits are seen across
   * processes, not only in flight; see Waits).
   */
  async randomSteps(tag: string, steps: number, waits: Waits = 'any'): Promise<void> {
    for (let step = 0; step < steps; step++) {
      const member = prng.oneOf(this.gen, this.members);
      const { provider } = member.client;
      const roll = prng.int32(this.gen, 0, 99);
      if (roll < 6 && provider.shouldConnect) {
        provider.disconnect();
        this.note(`${tag}.${step} ${member.label} disconnects`);
      } else if (roll < 16 && !provider.shouldConnect) {
        provider.connect();
        this.note(`${tag}.${step} ${member.label} connects`);
      } else {
        const edits = prng.int32(this.gen, 1, 3);
        for (let e = 0; e < edits; e++) this.note(`${tag}.${step} ${member.label} ${randomEdit(member.client.doc, this.gen, member.client.origin)}`);
      }
      if (prng.int32(this.gen, 0, 9) === 0) {
        const live = this.members.filter(isLive);
        const [from, to] = [prng.oneOf(this.gen, live.length > 0 ? live : this.members), prng.oneOf(this.gen, live.length > 0 ? live : this.members)];
        const canSee = waits === 'any' || (waits === 'same-process' && from.via !== 'proxy' && from.via === to.via);
        if (live.length >= 2 && from !== to && canSee) {
          const clock = Y.getState(from.client.doc.store, from.client.doc.clientID);
          this.note(`${tag}.${step} ${to.label} waits for ${from.label}'s clock ${clock}`);
          await waitFor(() => !isLive(from) || !isLive(to) || Y.getState(to.client.doc.store, from.client.doc.clientID) >= clock, {
            message: `${to.label} to receive ${from.label}'s edits up to clock ${clock}`,
          });
        }
      } else if (prng.bool(this.gen)) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * Everyone reconnects and syncs; then every member holds the same state,
   * a fresh joiner on each process holds it too (the same inserts and
   * deletions, the same map, nothing pending), and nothing in the ledger is
   * missing from it. Returns a fresh joiner's document.
   */
  async expectConverged(timeout = 30_000): Promise<Y.Doc> {
    for (const member of this.members) if (!member.client.provider.shouldConnect) member.client.provider.connect();
    await Promise.all(this.members.map((member) => member.client.whenSynced({ timeout, message: `${member.label} to sync again` })));
    const first = this.members[0]?.client.doc;
    if (!first) throw new Error('no members');
    try {
      await waitFor(
        () => {
          // A client refused for good (44xx) never comes back: no use waiting for it.
          const refused = this.members.find((member) => member.client.closedWith);
          if (refused?.client.closedWith) throw new Error(`${refused.label} was refused for good with ${refused.client.closedWith.code} ${refused.client.closedWith.reason}`);
          return this.members.every((member) => sameState(member.client.doc, first));
        },
        { timeout, message: 'every client to hold the same state' },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; at the deadline: ${this.describeStates()}`, { cause: error });
    }
    const fresh: Y.Doc[] = [];
    for (const [i] of this.cluster.processes.entries()) {
      const joiner = await CollabClient.open(this.cluster.collabUrl(i), mapRoom(this.mapId), tokenFor('viewer', this.mapId), { timeout: 15_000 }, USERS.viewer);
      this.joiners.push(joiner);
      fresh.push(joiner.doc);
      const label = `a fresh joiner on process ${i}`;
      expect(joiner.doc.store.pendingStructs, `${label}: updates it cannot apply (missing what they build on)`).toBeNull();
      expect(sameState(joiner.doc, first), `${label}'s inserts and deletions against the clients'`).toBe(true);
      expect(encodedMap(joiner.doc), `${label}'s map against the clients'`).toEqual(encodedMap(first));
    }
    const expected = readMap(first);
    for (const member of this.members) {
      expect(member.client.doc.store.pendingStructs, `${member.label}: updates it cannot apply`).toBeNull();
      expect(readMap(member.client.doc), `${member.label}'s map against the others'`).toEqual(expected);
    }
    // Nobody here breaks a rule: any 4xxx close refused an honest client.
    const refusals = [...this.members, ...this.retired].flatMap(({ label, client }) => client.closes.filter((close) => close.code >= 4000).map((close) => `${label}: ${close.code} ${close.reason}`));
    expect(refusals.join('\n'), 'closes that refused a client').toBe('');
    const final = fresh[0] ?? first;
    const lost = this.ledger.flatMap((seen) => lostFrom(seen, final));
    expect(lost.join('\n'), 'edits some client had received, missing from the converged state').toBe('');
    return final;
  }

  /**
   * What each running process holds of the room, as a fresh reader gets it:
   * whether its state includes updates that cannot be applied (they build
   * on something the process never had), which a client that joins then
   * holds too, and sends back.
   */
  async processStates(): Promise<string[]> {
    return Promise.all(
      this.cluster.processes.map(async (server, i) => {
        if (!server.isRunning) return `process ${i}: not running`;
        const reader = this.cluster.client(i, mapRoom(this.mapId), USERS.viewer, tokenFor('viewer', this.mapId));
        try {
          await reader.whenSynced({ timeout: 5_000 });
          const pending = reader.doc.store.pendingStructs;
          return `process ${i}: ${pending ? `sends updates that cannot be applied (missing ${[...pending.missing].map(([id, clock]) => `${id}:${clock}`).join(', ')})` : 'sends a state that applies whole'}`;
        } catch (error) {
          return `process ${i}: a reader could not sync (${(error as Error).message})`;
        } finally {
          reader.destroy();
        }
      }),
    );
  }

  /** The failure message of a run: its seed, how to replay it, the last steps, and what each process holds. */
  async failure(error: unknown, variable: string, file: string): Promise<Error> {
    const states = await this.processStates().catch((reason: unknown) => [`(could not read the processes' states: ${String(reason)})`]);
    console.error(`what each process sends a new reader:\n  ${states.join('\n  ')}`);
    const replay = `${variable}=${this.seed} npx vitest run --project integration ${file}`;
    const processes = this.cluster.processes.map((server, i) => {
      // What each process had to say: refusals, warnings and errors, last first.
      const said = server.logs
        .filter((line) => line.level >= 40 || line.msg === 'socket refused')
        .slice(-6)
        .map((line) => `    ${line.msg} ${JSON.stringify({ ...line, level: undefined, time: undefined, msg: undefined, app: undefined }).slice(0, 300)}`);
      return `process ${i} (port ${server.port}): ${server.isRunning ? 'running' : 'exited'}; stderr: ${server.stderr.slice(-800) || '(none)'}\n${said.join('\n')}`;
    });
    console.error(`failed with ${variable}=${this.seed}; replay: ${replay}\nlast steps:\n  ${this.log.slice(-40).join('\n  ')}\nclients: ${this.describeStates()}\n${processes.join('\n')}`);
    return new Error(`failed with ${variable}=${this.seed} (replay: ${replay}): ${(error as Error).message}`, { cause: error });
  }

  destroy(): void {
    for (const client of [...this.members.map((member) => member.client), ...this.joiners]) client.destroy();
  }

  private describeStates(): string {
    return this.members
      .map(({ label, client }) => {
        const closes = client.closes.filter((close) => close.code !== 1000 && close.code !== 1006).map((close) => `${close.code} ${close.reason}`);
        const state = `${client.provider.wsconnected ? 'connected' : 'not connected'}, ${client.provider.synced ? 'synced' : 'not synced'}`;
        // Updates it holds and cannot apply: what it received builds on something nobody sent it.
        const pending = client.doc.store.pendingStructs ? `, holding updates it cannot apply (missing ${[...client.doc.store.pendingStructs.missing].map(([id, clock]) => `${id}:${clock}`).join(', ')})` : '';
        return `${label}: ${state}${pending}${closes.length > 0 ? `, closed with ${closes.slice(-3).join(' / ')}` : ''}`;
      })
      .join('; ');
  }
}
