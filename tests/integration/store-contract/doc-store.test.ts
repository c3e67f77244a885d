/**
 * The DocStore contract (server/store/doc-store.ts), one suite for every
 * engine: SQLite and PostgreSQL must behave the same, byte for byte.
 * DESIGN.md, "An incoming update, step by step": append resolves once the
 * update is durable; compaction never drops an update it has not folded in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AppendedSeq, DocStore } from '../../../server/store/doc-store';
import { loadStoredDoc } from '../../../server/store/apply-stored';
import { ClientIdClaimLost } from '../../../server/store/doc-store';
import { snapshotDigest } from '../../../server/store/snapshot-digest';
import { ENGINES, announceSkips, type OpenedEngine } from './engines';

announceSkips('DocStore contract');

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const seqsOf = (appended: readonly AppendedSeq[]): number[] => appended.map((a) => a.seq);

describe.each(ENGINES)('DocStore contract: $name', (engine) => {
  describe.skipIf(engine.skipReason !== null)(engine.name, () => {
    let opened: OpenedEngine;
    let store: DocStore;

    beforeEach(async () => {
      opened = await engine.open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    it('names its engine', () => {
      expect(store.engine).toBe(engine.name);
    });

    it('a room never written to loads empty, at seq 0', async () => {
      expect(await store.load('nobody-here')).toEqual({ snapshot: null, snapshotSeq: null, updates: [], seqs: [], lastSeq: 0, logBytes: 0 });
      expect(await store.append([])).toEqual([]);
    });

    it('append returns one increasing seq per update, in batch order; load gives the bytes back exactly, in that order', async () => {
      const zeros = new Uint8Array(1024 * 1024);
      zeros[zeros.length - 1] = 7;
      const seqs = seqsOf(await store.append([
        { room: 'a', update: bytes(0, 1, 2) },
        { room: 'b', update: bytes(0xff) },
        { room: 'a', update: zeros },
      ]));
      expect(seqs).toHaveLength(3);
      expect(seqs.every((seq) => Number.isSafeInteger(seq) && seq > 0)).toBe(true);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      const [more] = seqsOf(await store.append([{ room: 'a', update: bytes(3) }]));
      expect(more).toBeGreaterThan(seqs[2] ?? Infinity);

      const a = await store.load('a');
      expect(a.updates.map((u) => Array.from(u.subarray(0, 3)))).toEqual([[0, 1, 2], [0, 0, 0], [3]]);
      expect(a.updates[1]?.byteLength).toBe(zeros.byteLength);
      expect(a.updates[1]?.[zeros.length - 1]).toBe(7);
      expect(a.seqs).toEqual([seqs[0], seqs[2], more]);
      expect(a.lastSeq).toBe(more);
      expect(a.logBytes).toBe(3 + zeros.byteLength + 1);
      expect(a.snapshot).toBeNull();
      expect((await store.load('b')).updates.map((u) => Array.from(u))).toEqual([[0xff]]);
    });

    it('hostile room names are data, not SQL', async () => {
      const rooms = ["x'; DROP TABLE doc_updates; --", 'ü\u{1F600}"\\', '$1', 'a'.repeat(500)];
      for (const room of rooms) await store.append([{ room, update: bytes(1, 2) }]);
      for (const room of rooms) expect((await store.load(room)).updates.map((u) => Array.from(u))).toEqual([[1, 2]]);
    });

    it('the first claim of a Yjs client id in a room stands; claims are per room', async () => {
      await store.append([{ room: 'r', update: bytes(1), claims: { userId: 'ann', clientIds: [11, 2 ** 32 - 1] } }]);
      await store.append([{ room: 'r', update: bytes(2), claims: { userId: 'bob', clientIds: [12] } }]);
      // Ann again: her own id, claimed once more (a process that had forgotten it), is hers.
      await store.append([{ room: 'r', update: bytes(3), claims: { userId: 'ann', clientIds: [11] } }]);
      await store.append([{ room: 'other', update: bytes(4), claims: { userId: 'bob', clientIds: [11] } }]);
      expect(await store.loadClientIdOwners('r')).toEqual(
        new Map([
          [11, 'ann'],
          [2 ** 32 - 1, 'ann'],
          [12, 'bob'],
        ]),
      );
      expect(await store.loadClientIdOwners('other')).toEqual(new Map([[11, 'bob']]));
      expect(await store.loadClientIdOwners('empty')).toEqual(new Map());
    });

    it("a batch that claims an id someone else claimed first (another process, a moment before) is refused whole: nothing of it is stored, and the error names the owner", async () => {
      await store.append([{ room: 'race', update: bytes(1), claims: { userId: 'ann', clientIds: [77] } }]);
      const before = await store.load('race');
      const refused = store.append([
        { room: 'race', update: bytes(2) },
        { room: 'race', update: bytes(3), claims: { userId: 'mallory', clientIds: [78, 77] } },
      ]);
      await expect(refused).rejects.toBeInstanceOf(ClientIdClaimLost);
      await expect(refused).rejects.toMatchObject({ room: 'race', clientId: 77, owner: 'ann' });
      const after = await store.load('race');
      expect(after.updates.map((u) => Array.from(u))).toEqual(before.updates.map((u) => Array.from(u)));
      expect(await store.loadClientIdOwners('race')).toEqual(new Map([[77, 'ann']]));
    });

    it('append names the seq before each update in its room: the last update, else the snapshot, else 0', async () => {
      const [a1, b1, a2] = await store.append([
        { room: 'a', update: bytes(1) },
        { room: 'b', update: bytes(2) },
        { room: 'a', update: bytes(3) },
      ]);
      expect(a1).toEqual({ seq: a1?.seq, prevSeq: 0 });
      expect(b1?.prevSeq).toBe(0);
      expect(a2?.prevSeq).toBe(a1?.seq);
      const [a3] = await store.append([{ room: 'a', update: bytes(4) }]);
      expect(a3?.prevSeq).toBe(a2?.seq);
      await store.compact('a', bytes(9), a3?.seq ?? 0);
      const [a4] = await store.append([{ room: 'a', update: bytes(5) }]);
      expect(a4?.prevSeq).toBe(a3?.seq);
      await store.createMap({ id: 'm', title: 'T', template: 'blank' }, { m: bytes(5) });
      const [m1] = await store.append([{ room: 'm', update: bytes(6) }]);
      expect(m1?.prevSeq).toBe(0);
      expect(await store.lastSeqs(['a', 'b', 'm', 'never'])).toEqual(
        new Map([
          ['a', a4?.seq],
          ['b', b1?.seq],
          ['m', m1?.seq],
          ['never', 0],
        ]),
      );
      expect(await store.lastSeqs([])).toEqual(new Map());
    });

    it("snapshotDigest is the MD5 of the stored snapshot's bytes, the same on every engine; null without one", async () => {
      expect(await store.snapshotDigest('r')).toBeNull();
      await store.createMap({ id: 'm', title: 'T', template: 'blank' }, { m: bytes(5, 6) });
      expect(await store.snapshotDigest('m')).toBe(snapshotDigest(bytes(5, 6)));
      expect(await store.snapshotDigest('m')).toBe('8a7ea3516f353de45b95b4c3317f3c69');
      const [seq] = seqsOf(await store.append([{ room: 'm', update: bytes(7) }]));
      // Appends leave the snapshot as it is; a compaction writes a new one.
      expect(await store.snapshotDigest('m')).toBe(snapshotDigest(bytes(5, 6)));
      await store.compact('m', bytes(8, 9, 10), seq ?? 0);
      expect(await store.snapshotDigest('m')).toBe(snapshotDigest(bytes(8, 9, 10)));
    });

    it('loadSince gives the log after a seq, with the snapshot only when it folded some of it', async () => {
      const [s1, s2, s3] = seqsOf(await store.append([1, 2, 3].map((n) => ({ room: 'r', update: bytes(n) }))));
      expect(await store.loadSince('r', s1 ?? 0)).toMatchObject({ snapshot: null, snapshotSeq: null, seqs: [s2, s3], lastSeq: s3, logBytes: 2 });
      expect(await store.loadSince('r', s3 ?? 0)).toMatchObject({ snapshot: null, updates: [], seqs: [], lastSeq: s3 });
      expect((await store.loadSince('r', 0)).seqs).toEqual([s1, s2, s3]);
      await store.compact('r', bytes(8, 8), s2 ?? 0);
      // Behind the snapshot: it is needed.
      const behind = await store.loadSince('r', s1 ?? 0);
      expect(behind).toMatchObject({ snapshotSeq: s2, seqs: [s3], lastSeq: s3 });
      expect(behind.snapshot && Array.from(behind.snapshot)).toEqual([8, 8]);
      // At or past it: only the log.
      expect(await store.loadSince('r', s2 ?? 0)).toMatchObject({ snapshot: null, snapshotSeq: null, seqs: [s3], lastSeq: s3 });
      expect(await store.loadSince('never', 5)).toMatchObject({ snapshot: null, updates: [], lastSeq: 5 });
    });

    it('compact replaces the snapshot and drops the log up to its seq, keeping what came after', async () => {
      const [s1, s2, s3] = seqsOf(await store.append([
        { room: 'r', update: bytes(1) },
        { room: 'r', update: bytes(2) },
        { room: 'r', update: bytes(3) },
      ]));
      await store.compact('r', bytes(9, 9), s2 ?? 0);
      const after = await store.load('r');
      expect(after.snapshot && Array.from(after.snapshot)).toEqual([9, 9]);
      expect(after.snapshotSeq).toBe(s2);
      expect(after.seqs).toEqual([s3]);
      expect(after.lastSeq).toBe(s3);
      expect(after.logBytes).toBe(1);
      // An older compaction arriving late changes nothing.
      await store.compact('r', bytes(8), s1 ?? 0);
      const again = await store.load('r');
      expect(again.snapshotSeq).toBe(s2);
      expect(again.snapshot && Array.from(again.snapshot)).toEqual([9, 9]);
      // Compacting everything: lastSeq is the snapshot's.
      await store.compact('r', bytes(7), s3 ?? 0);
      expect(await store.load('r')).toMatchObject({ snapshotSeq: s3, updates: [], seqs: [], lastSeq: s3, logBytes: 0 });
    });

    it('setAside moves updates out of the log with their reason, once; unknown seqs are not counted', async () => {
      const [s1, s2, s3] = seqsOf(await store.append([
        { room: 'r', update: bytes(1) },
        { room: 'r', update: bytes(2) },
        { room: 'r', update: bytes(3) },
      ]));
      expect(await store.setAside('r', [])).toBe(0);
      expect(await store.setAside('r', [{ seq: s2 ?? 0, reason: 'Unexpected end of array' }, { seq: 999_999, reason: 'not there' }])).toBe(1);
      expect(await store.setAside('r', [{ seq: s2 ?? 0, reason: 'again' }])).toBe(0);
      expect(await store.setAside('elsewhere', [{ seq: s1 ?? 0, reason: 'wrong room' }])).toBe(0);
      expect((await store.load('r')).seqs).toEqual([s1, s3]);
      expect(await opened.setAsideRows('r')).toEqual([{ seq: s2, data: bytes(2), reason: 'Unexpected end of array' }]);
      expect(await store.countSetAside()).toBe(1);
    });

    it('replaceState keeps the old snapshot and log aside and makes the state the snapshot at the last seq; later seqs are higher', async () => {
      await store.createMap({ id: 'm', title: 'T', template: 'blank' }, { m: bytes(5) });
      const [s1, s2] = seqsOf(await store.append([
        { room: 'm', update: bytes(1) },
        { room: 'm', update: bytes(2) },
      ]));
      await store.replaceState('m', bytes(4, 2), 'restored by the operator');
      const loaded = await store.load('m');
      expect(loaded).toMatchObject({ updates: [], seqs: [] });
      // A seq of its own, past the replaced log: a compaction read before the replace cannot be taken for a newer state.
      expect(loaded.snapshotSeq).toBeGreaterThan(s2 ?? Infinity);
      expect(loaded.lastSeq).toBe(loaded.snapshotSeq);
      expect(loaded.snapshot && Array.from(loaded.snapshot)).toEqual([4, 2]);
      expect(await opened.setAsideRows('m')).toEqual([
        { seq: 0, data: bytes(5), reason: 'snapshot: restored by the operator' },
        { seq: s1, data: bytes(1), reason: 'restored by the operator' },
        { seq: s2, data: bytes(2), reason: 'restored by the operator' },
      ]);
      const [next] = await store.append([{ room: 'm', update: bytes(3) }]);
      expect(next?.seq).toBeGreaterThan(loaded.lastSeq);
      expect(next?.prevSeq).toBe(loaded.lastSeq);
      expect((await store.load('m')).seqs).toEqual([next?.seq]);
    });

    it('a compaction read before a replaceState and written after it does not put the old state back', async () => {
      const [s1, s2] = seqsOf(await store.append([1, 2].map((n) => ({ room: 'r', update: bytes(n) }))));
      const read = await store.load('r');
      expect(read.lastSeq).toBe(s2);
      await store.replaceState('r', bytes(4, 2), 'restored by the operator');
      // Another process's compaction of what it read before the replace lands now.
      await store.compact('r', bytes(6, 6, 6), read.lastSeq);
      const after = await store.load('r');
      expect(after.snapshot && Array.from(after.snapshot)).toEqual([4, 2]);
      expect(s1).toBeLessThan(s2 ?? 0);
    });

    it('maps: created with their initial states, read, renamed, listed newest first; an append touches its map, discussion included', async () => {
      const created = await store.createMap({ id: 'm1', title: 'First', template: 'blank' }, { m1: bytes(1), 'm1.discussion': bytes(2) });
      expect(created).toMatchObject({ id: 'm1', title: 'First', template: 'blank' });
      expect(typeof created.createdAt).toBe('number');
      expect(await store.getMap('m1')).toEqual(created);
      const loaded = await store.load('m1.discussion');
      expect(loaded.snapshotSeq).toBe(0);
      expect(loaded.snapshot && Array.from(loaded.snapshot)).toEqual([2]);
      await expect(store.createMap({ id: 'm1', title: 'Again', template: 'blank' }, {})).rejects.toThrow();
      expect((await store.getMap('m1'))?.title).toBe('First');

      await store.createMap({ id: 'm2', title: 'Second', template: 'blank' }, {});
      const renamed = await store.renameMap('m1', "O'Brien \u{1F600}");
      expect(renamed.title).toBe("O'Brien \u{1F600}");
      expect(renamed.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
      await expect(store.renameMap('missing', 'x')).rejects.toThrow(/missing/);
      expect(await store.getMap('missing')).toBeNull();

      // Pin the times so that the order does not depend on the clock's resolution.
      await store.append([{ room: 'm2.discussion', update: bytes(1) }]);
      const m2 = await store.getMap('m2');
      expect(m2?.updatedAt).toBeGreaterThanOrEqual(renamed.updatedAt);
      const listed = await store.listMaps();
      expect(listed.map((m) => m.id).sort()).toEqual(['m1', 'm2']);
      expect(listed.every((m, i) => i === 0 || (listed[i - 1]?.updatedAt ?? 0) >= m.updatedAt)).toBe(true);
    });

    it('two writers appending at once and a compactor folding the log as they go lose no update (another connection, as another process)', async () => {
      const room = 'shared';
      const other = await opened.connectAgain();
      const compactor = await opened.connectAgain();
      const EDITS = 120;
      const writer = async (target: DocStore, name: string): Promise<AppendedSeq[]> => {
        const doc = new Y.Doc();
        const seqs: AppendedSeq[] = [];
        for (let i = 0; i < EDITS; i++) {
          let update: Uint8Array | null = null;
          const capture = (u: Uint8Array) => (update = u);
          doc.once('update', capture);
          doc.getArray<string>('items').push([`${name}-${i}`]);
          if (!update) throw new Error('no update');
          const [appended] = await target.append([{ room, update }]);
          if (appended !== undefined) seqs.push(appended);
          // As the collaboration server does, one append per tick: SQLite's store never yields otherwise.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return seqs;
      };
      let writing = true;
      let compactions = 0;
      const compacting = (async () => {
        while (writing) {
          const stored = await compactor.load(room);
          if (stored.updates.length === 0) {
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          await compactor.compact(room, Y.encodeStateAsUpdate(loadStoredDoc(stored)), stored.lastSeq);
          compactions++;
        }
      })();
      const [seqsA, seqsB] = await Promise.all([writer(store, 'a'), writer(other, 'b')]);
      writing = false;
      await compacting;

      for (const appended of [seqsA, seqsB]) expect(seqsOf(appended).sort((x, y) => x - y)).toEqual(seqsOf(appended));
      expect(compactions).toBeGreaterThan(0);
      // One unbroken chain: each update names the one stored before it in the room, whoever wrote it, compactions or not.
      const chain = [...seqsA, ...seqsB].sort((x, y) => x.seq - y.seq);
      chain.forEach((link, index) => expect(link.prevSeq, `the update before seq ${link.seq}`).toBe(index === 0 ? 0 : chain[index - 1]?.seq));
      const items = loadStoredDoc(await store.load(room)).getArray<string>('items').toArray();
      expect(items).toHaveLength(2 * EDITS);
      for (let i = 0; i < EDITS; i++) {
        expect(items).toContain(`a-${i}`);
        expect(items).toContain(`b-${i}`);
      }
    });
  });
});
