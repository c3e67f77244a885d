/**
 * Issue 16 §2: a file into an empty map, through the schema's writers in one
 * transaction: the file's stages replace the empty ones, its cards come with
 * their places, the map's own hub stands for the file's, one undo takes it
 * all back, and a file that cannot go in changes nothing.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importCsv } from '../../lib/exchange/csv';
import { fillEmptyMap } from '../../lib/exchange/fill-empty-map';
import { ImportError } from '../../lib/exchange/import-error';
import { buildMap } from '../../lib/exchange/imported-journey';
import { mapUndoScope, readMap, writeMap } from '../../lib/journey/schema';
import { blankMap, demoMap } from '../../lib/journey/templates';
import type { JourneyMap } from '../../lib/journey/types';

const system = { userId: 'system', kind: 'system' } as const;
const alice = { userId: 'alice', kind: 'local' } as const;

function docOf(map: JourneyMap): Y.Doc {
  const doc = new Y.Doc();
  writeMap(doc, map, system);
  return doc;
}

describe('fillEmptyMap', () => {
  it("pours a spreadsheet into a blank map: the file's stages, its cards laid out, the hub below them; one undo puts the blank map back", () => {
    const doc = docOf(blankMap({ title: 'Workshop Tuesday' }).map);
    const before = readMap(doc);
    const undo = new Y.UndoManager(mapUndoScope(doc), { trackedOrigins: new Set([alice]) });
    const imported = buildMap(importCsv('stage,label,owner\nKaufen,Online-Shop,E-Commerce\nKaufen,Hotline,Vertrieb\nNutzen,App,\n', { title: 'From the file' }));
    expect(fillEmptyMap(doc, imported, alice)).toEqual({ stages: 2, touchpoints: 3 });
    const after = readMap(doc);
    expect(after.meta.title).toBe('Workshop Tuesday');
    expect(after.stages.map((s) => s.name)).toEqual(['Kaufen', 'Nutzen']);
    const cards = Object.values(after.touchpoints).filter((t) => t.kind === 'touchpoint');
    expect(cards.map((t) => [t.label, after.stages.find((s) => s.id === t.stageId)?.name, t.x, t.y])).toEqual(
      Object.values(imported.touchpoints).filter((t) => t.kind === 'touchpoint').map((t) => [t.label, imported.stages.find((s) => s.id === t.stageId)?.name, t.x, t.y]),
    );
    const hub = after.touchpoints[after.meta.hubId];
    expect(hub?.y).toBe(imported.touchpoints[imported.meta.hubId]?.y);
    undo.undo();
    expect(readMap(doc)).toEqual(before);
  });

  it("brings a whole exported map in: ids, pain points, connections and actions, the file's hub read as this map's", () => {
    const { map: demo } = demoMap();
    // The file's hub has an id of its own.
    const file: JourneyMap = JSON.parse(JSON.stringify(demo).replaceAll('"hub"', '"their-hub"')) as JourneyMap;
    expect(file.meta.hubId).toBe('their-hub');
    const doc = docOf(blankMap().map);
    fillEmptyMap(doc, file, alice);
    const after = readMap(doc);
    expect(after.meta.hubId).toBe('hub');
    expect(Object.keys(after.touchpoints).sort()).toEqual(Object.keys(demo.touchpoints).sort());
    for (const [id, tp] of Object.entries(demo.touchpoints)) if (tp.kind === 'touchpoint') expect(after.touchpoints[id]).toEqual(tp);
    expect(Object.values(after.connections).map((c) => [c.source, c.target]).sort()).toEqual(Object.values(demo.connections).map((c) => [c.source, c.target]).sort());
    expect(after.actions).toEqual(demo.actions);
    expect(after.stages).toEqual(demo.stages);
  });

  it('refuses a map that has touchpoints, and a file that cannot go in, changing nothing', () => {
    const demo = docOf(demoMap().map);
    const state = Y.encodeStateVector(demo);
    expect(() => fillEmptyMap(demo, buildMap(importCsv('label\nShop\n', { title: 'x' })), alice)).toThrow(ImportError);
    expect(Y.encodeStateVector(demo)).toEqual(state);

    const blank = docOf(blankMap().map);
    const blankState = Y.encodeStateVector(blank);
    const bad = buildMap(importCsv('stage,label\nKaufen,Shop\nKaufen,Hotline\n', { title: 'x' }));
    // Two cards under one external key: the second write refuses it, after the stages were already replaced in the scratch copy.
    for (const tp of Object.values(bad.touchpoints)) if (tp.kind === 'touchpoint') tp.externalKey = 'SAME';
    expect(() => fillEmptyMap(blank, bad, alice)).toThrow(/SAME/);
    expect(Y.encodeStateVector(blank)).toEqual(blankState);
  });
});
