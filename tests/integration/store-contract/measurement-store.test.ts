/**
 * The measured figures' store (server/store/measurement-store.ts), one suite
 * for every engine (DESIGN.md, "Measured data and outcomes"): a push replaces
 * whole rows in one transaction, all or nothing; the same batch twice leaves
 * the same data; rows list by month then touchpoint and go with their map.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeasurementStore, ResolvedRow } from '../../../server/store/measurement-store';
import { ENGINES, announceSkips, type OpenedEngine } from './engines';

announceSkips('MeasurementStore contract');

const FULL: ResolvedRow = {
  touchpointId: 'tp-1',
  contacts: 12,
  csat: { responses: 10, satisfied: 7 },
  ces: { responses: 4, mean: 2.5 },
  nps: { promoters: 3, passives: 2, detractors: 1 },
  verbatims: [{ text: 'Took three calls', score: 2, at: '2026-11-03' }],
};

describe.each(ENGINES)('MeasurementStore contract: $name', (engine) => {
  describe.skipIf(engine.skipReason !== null)(engine.name, () => {
    let opened: OpenedEngine;
    let store: MeasurementStore;
    const addMap = (id: string) => opened.store.createMap({ id, title: 'Figures', template: 'blank' }, {});

    beforeEach(async () => {
      opened = await engine.open();
      store = opened.measurements;
    });
    afterEach(async () => {
      await opened.close();
    });

    it('replace is all or nothing: a row the database refuses leaves the month as it was', async () => {
      await addMap('m1');
      await store.replace('m1', '2026-11', [{ touchpointId: 'tp-1', contacts: 1 }], 1);
      // A row without a touchpoint breaks NOT NULL in the middle of the batch: in a statement of several rows, and alone.
      for (const size of [3, 120]) {
        const broken: ResolvedRow[] = Array.from({ length: size }, (_, i) => ({ touchpointId: `tp-${String(i).padStart(3, '0')}`, contacts: i }));
        broken.splice(Math.floor(size / 2), 0, { contacts: 4 } as ResolvedRow);
        await expect(store.replace('m1', '2026-11', broken, 2)).rejects.toThrow(/null/i);
        expect(await store.list('m1')).toEqual([{ touchpointId: 'tp-1', period: '2026-11', contacts: 1 }]);
      }
      // Several months at once: one bad month stores none of them.
      await expect(store.replaceMonths('m1', [{ period: '2026-12', rows: [FULL] }, { period: '2027-01', rows: [{ contacts: 1 } as ResolvedRow] }], 3)).rejects.toThrow(/null/i);
      expect(await store.list('m1')).toHaveLength(1);
    });

    it('the same batch twice leaves the same data; a row is replaced whole', async () => {
      await addMap('m1');
      const many: ResolvedRow[] = Array.from({ length: 130 }, (_, i) => ({ touchpointId: `tp-x${i}`, contacts: i, ...(i % 7 === 0 ? { ces: { responses: 2, mean: 6.5 } } : {}) }));
      const batch: ResolvedRow[] = [FULL, { touchpointId: 'tp-0', contacts: 4 }, ...many, { touchpointId: 'tp-10', nps: { promoters: 1, passives: 0, detractors: 0 } }];
      await store.replace('m1', '2026-11', batch, 1);
      const once = await store.list('m1');
      await store.replace('m1', '2026-11', batch, 2);
      expect(once).toHaveLength(batch.length);
      expect(once.find((row) => row.touchpointId === 'tp-1')).toEqual({ ...FULL, period: '2026-11' });
      expect(once.find((row) => row.touchpointId === 'tp-x7')).toEqual({ touchpointId: 'tp-x7', period: '2026-11', contacts: 7, ces: { responses: 2, mean: 6.5 } });
      expect(await store.list('m1')).toEqual(once);
      await store.replace('m1', '2026-11', [{ touchpointId: 'tp-1', contacts: 99 }], 3);
      expect((await store.list('m1')).find((row) => row.touchpointId === 'tp-1')).toEqual({ touchpointId: 'tp-1', period: '2026-11', contacts: 99 });
    });

    it('lists by period then touchpoint, within from/to, per map; the latest month; a month deleted; a map deleted takes its rows', async () => {
      await addMap('m1');
      await addMap('m2');
      for (const period of ['2026-12', '2026-10', '2026-11']) await store.replace('m1', period, [{ touchpointId: 'b', contacts: 1 }, { touchpointId: 'a', contacts: 2 }], 1);
      await store.replace('m2', '2026-11', [{ touchpointId: 'a', contacts: 7 }], 1);
      const keys = (rows: Array<{ period: string; touchpointId: string }>) => rows.map((row) => `${row.period}/${row.touchpointId}`);
      expect(keys(await store.list('m1'))).toEqual(['2026-10/a', '2026-10/b', '2026-11/a', '2026-11/b', '2026-12/a', '2026-12/b']);
      expect(keys(await store.list('m1', '2026-11', '2026-11'))).toEqual(['2026-11/a', '2026-11/b']);
      expect(keys(await store.list('m1', '2026-11', null))).toEqual(['2026-11/a', '2026-11/b', '2026-12/a', '2026-12/b']);
      expect(await store.latestPeriod('m1')).toBe('2026-12');
      expect(await store.latestPeriod('nothing')).toBeNull();
      expect(await store.deletePeriod('m1', '2026-11')).toBe(2);
      expect(await store.deletePeriod('m1', '2026-11')).toBe(0);
      expect(keys(await store.list('m1'))).toEqual(['2026-10/a', '2026-10/b', '2026-12/a', '2026-12/b']);
      expect(keys(await store.list('m2'))).toEqual(['2026-11/a']);
      await opened.accounts.deleteMap('m1', { mapId: 'm1', actorEmail: 'lead@example.com', action: 'map.deleted', targetEmail: null, detail: null });
      expect(await store.list('m1')).toEqual([]);
      expect(keys(await store.list('m2'))).toEqual(['2026-11/a']);
    });

    it('property: pushing a batch twice leaves what pushing it once left, whatever was stored before', async () => {
      await addMap('m1');
      const count = fc.nat({ max: 1_000_000 });
      const figures = fc.record(
        {
          contacts: count,
          csat: fc.nat({ max: 500 }).chain((satisfied) => fc.record({ responses: fc.integer({ min: Math.max(1, satisfied), max: 1_000 }), satisfied: fc.constant(satisfied) })),
          ces: fc.record({ responses: fc.integer({ min: 1, max: 1_000 }), mean: fc.double({ min: 1, max: 7, noNaN: true }) }),
          nps: fc.record({ promoters: fc.nat({ max: 99 }), passives: fc.nat({ max: 99 }), detractors: fc.integer({ min: 1, max: 99 }) }),
          verbatims: fc.array(fc.record({ text: fc.string({ minLength: 1, maxLength: 40 }) }, { requiredKeys: ['text'] }), { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: [] },
      );
      const batch = fc.uniqueArray(fc.record({ touchpointId: fc.constantFrom('a', 'b', 'c', 'd', 'e'), figures }), { selector: (row) => row.touchpointId, minLength: 1, maxLength: 5 });
      const period = fc.constantFrom('2026-10', '2026-11');
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(period, batch), { maxLength: 3 }), period, batch, async (before, month, rows) => {
          const mapId = `m-prop-${run++}`;
          await addMap(mapId);
          const resolved = (list: typeof rows): ResolvedRow[] => list.map(({ touchpointId, figures: f }) => ({ touchpointId, ...f }));
          for (const [p, b] of before) await store.replace(mapId, p, resolved(b), 1);
          await store.replace(mapId, month, resolved(rows), 2);
          const once = await store.list(mapId);
          await store.replace(mapId, month, resolved(rows), 3);
          expect(await store.list(mapId)).toEqual(once);
        }),
        { numRuns: 25 },
      );
    });

    it('rows of a map that does not exist are refused', async () => {
      await expect(store.replace('no-such-map', '2026-11', [{ touchpointId: 'a', contacts: 1 }], 1)).rejects.toThrow();
    });
  });
});
