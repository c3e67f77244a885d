/**
 * The figuresAt signal of a push (DESIGN.md, "Measured data and outcomes":
 * open canvases hear that the figures changed) made without copying the map
 * document: figuresChangedUpdate must be the very update Yjs makes for
 * markFiguresChanged, byte for byte, whatever the key's history; and
 * readTouchpointKeys must read the keys readMap reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addTouchpoint, createMapReader, figuresChangedUpdate, markFiguresChanged, readMap, readTouchpointKeys, updateTouchpoint, writeMap } from '../../lib/journey/schema';
import { demoMap } from '../../lib/journey/templates';
import type { EditOrigin } from '../../lib/journey/origin';
import { addBenchTouchpoints } from '../bench/sync/fixture';

const SYSTEM: EditOrigin = { userId: 'system', kind: 'system' };

function createMapDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeMap(doc, demoMap().map, SYSTEM);
  return doc;
}

/** What Yjs encodes for markFiguresChanged on a copy of `doc` written as `clientId`. */
function yjsUpdate(doc: Y.Doc, at: number, clientId: number): Uint8Array {
  const copy = new Y.Doc();
  copy.clientID = clientId;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  let update: Uint8Array | null = null;
  copy.on('update', (u: Uint8Array) => (update = u));
  markFiguresChanged(copy, at, SYSTEM);
  copy.destroy();
  if (update === null) throw new Error('no update');
  return update;
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('figuresChangedUpdate', () => {
  it('is the update Yjs makes: first signal, a later one, after the key was deleted', () => {
    const doc = createMapDoc();
    const check = (at: number) => {
      const mine = figuresChangedUpdate(doc, at, 4242 + at);
      expect(Array.from(mine)).toEqual(Array.from(yjsUpdate(doc, at, 4242 + at)));
      Y.applyUpdate(doc, mine);
      expect(readMap(doc).meta.figuresAt).toBe(at);
    };
    check(1);
    check(2);
    doc.transact(() => doc.getMap('meta').delete('figuresAt'));
    check(3);
    check(4);
  });

  it('leaves the document as it is', () => {
    const doc = createMapDoc();
    markFiguresChanged(doc, 5, SYSTEM);
    const before = Y.encodeStateAsUpdate(doc);
    figuresChangedUpdate(doc, 6);
    expect(Array.from(Y.encodeStateAsUpdate(doc))).toEqual(Array.from(before));
  });

  it('refuses a client id that has written the document (its clock would repeat)', () => {
    const doc = createMapDoc();
    expect(() => figuresChangedUpdate(doc, 1, doc.clientID)).toThrow(RangeError);
  });

  it('property: equals Yjs over any history of signals from several copies, synced in any order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), doc: fc.nat(2), at: fc.nat({ max: 1e12 }) }),
      fc.record({ kind: fc.constant('delete' as const), doc: fc.nat(2) }),
      fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
    );
    // The rest of a map does not enter the signal: a document with a meta map is enough, and quick to copy.
    const small = new Y.Doc();
    small.getMap('meta').set('title', 'A map');
    const base = Y.encodeStateAsUpdate(small);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.nat({ max: 1e12 }), (ops, at) => {
        const docs = [0, 1, 2].map(() => {
          const copy = new Y.Doc();
          Y.applyUpdate(copy, base);
          return copy;
        });
        for (const step of ops) {
          if (step.kind === 'sync') {
            const [from, to] = [docs[step.from], docs[step.to]];
            if (from && to && from !== to) sync(from, to);
            continue;
          }
          const doc = docs[step.doc];
          if (!doc) continue;
          if (step.kind === 'set') markFiguresChanged(doc, step.at, SYSTEM);
          else doc.transact(() => doc.getMap('meta').delete('figuresAt'));
        }
        for (const doc of docs) {
          const clientId = 7_000_000 + docs.indexOf(doc);
          const mine = figuresChangedUpdate(doc, at, clientId);
          expect(Array.from(mine)).toEqual(Array.from(yjsUpdate(doc, at, clientId)));
          Y.applyUpdate(doc, mine);
          expect(doc.getMap('meta').get('figuresAt')).toBe(Math.trunc(at));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('readTouchpointKeys', () => {
  it('reads every touchpoint id (the hub too) with the external key readMap reads', () => {
    const doc = createMapDoc();
    const ids = addBenchTouchpoints(doc, 40, 7);
    ids.forEach((id, i) => {
      if (i % 3 === 0) updateTouchpoint(doc, id, { externalKey: `KEY-${i}` }, SYSTEM);
    });
    const map = readMap(doc);
    const expected = new Map(Object.values(map.touchpoints).map((t) => [t.id, t.externalKey]));
    expect(readTouchpointKeys(doc)).toEqual(expected);
    expect(expected.size).toBeGreaterThan(40);
  });

  it('skips entries that are not touchpoints, as readMap does', () => {
    const doc = createMapDoc();
    const id = addTouchpoint(doc, { label: 'Bill', stageId: null }, SYSTEM);
    doc.transact(() => doc.getMap('touchpoints').set('junk', 7));
    const keys = readTouchpointKeys(doc);
    expect(keys.has(id)).toBe(true);
    expect(keys.has('junk')).toBe(false);
    expect(Object.keys(createMapReader(doc).read().touchpoints).includes('junk')).toBe(false);
  });
});
