/**
 * Issue 16: the exchange formats of lib/exchange (CSV, JSON) and the layout of
 * imported maps, on the cases people hit: quoting, Unicode, formula-like
 * cells, a spreadsheet saved with semicolons, their own column names, and
 * bad rows reported by number with nothing applied.
 */
import { caughtImportError } from '../support/import-error';
import { describe, expect, it } from 'vitest';
import { exportCsv, importCsv, readCsvRows } from '../../lib/exchange/csv';
import { contentDisposition, exportFileName } from '../../lib/exchange/formats';
import { buildMap, type ImportedJourney } from '../../lib/exchange/imported-journey';
import { attributeImported, exportJson, importJson } from '../../lib/exchange/json';
import { ROW_COLUMNS, orderedTouchpoints, touchpointRows } from '../../lib/exchange/touchpoint-rows';
import { CARD_HEIGHT, CARD_WIDTH, mapBounds, pictureFrame, tidyPositions } from '../../lib/journey/layout';
import { blankMap, demoMap } from '../../lib/journey/templates';
import type { JourneyMap } from '../../lib/journey/types';


const importText = (csv: string, mapping?: Parameters<typeof importCsv>[1]['mapping']): JourneyMap => buildMap(importCsv(csv, { title: 'Imported', ...(mapping ? { mapping } : {}) }));

function withTouchpoint(label: string, owner: string | null): JourneyMap {
  const { map } = blankMap({ title: 'Quoting' });
  map.touchpoints.t1 = { id: 't1', kind: 'touchpoint', stageId: 'stage-buy', label, channel: 'web', owner, emotion: -2, contactVolume: 1200, x: 0, y: 0, painPoints: [{ id: 'p1', text: 'Slow, "really" slow', severity: 4, frequency: 5 }], externalKey: 'WEB-1' };
  return map;
}

describe('CSV export', () => {
  it('has a BOM, the header of the export columns and a row per touchpoint (not the hub), in stage order', () => {
    const { map, discussion } = demoMap();
    const csv = exportCsv(map, discussion);
    expect(csv.startsWith('\uFEFFstage,label,channel,owner,externalKey,emotion,contactsEstimate,')).toBe(true);
    const rows = readCsvRows(csv).filter((row) => row.some((cell) => cell !== ''));
    expect(rows[0]).toEqual([...ROW_COLUMNS]);
    expect(rows).toHaveLength(Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint').length + 1);
    const stageOrder = map.stages.map((s) => s.name);
    const stagesInRows = rows.slice(1).map((row) => row[0] ?? '');
    expect(stagesInRows.map((name) => stageOrder.indexOf(name))).toEqual([...stagesInRows.map((name) => stageOrder.indexOf(name))].sort((a, b) => a - b));
  });

  it('quotes commas, quotes and line breaks, and keeps Unicode as it is', () => {
    const csv = exportCsv(withTouchpoint('Rückruf, "bitte"\nheute 📞', 'Kundendienst'), null);
    expect(csv).toContain('"Rückruf, ""bitte""\nheute 📞"');
    const [, row] = readCsvRows(csv);
    expect(row?.[1]).toBe('Rückruf, "bitte"\nheute 📞');
    expect(row?.[11]).toBe('S4 F5: Slow, "really" slow');
  });

  it('writes a formula-like cell with a leading apostrophe, so a spreadsheet shows it as text; the import takes it off', () => {
    for (const hostile of ['=cmd|" /C calc"!A0', '+SUM(A1)', '-1+2', '@HYPERLINK("http://x")']) {
      const map = withTouchpoint(hostile, hostile);
      const csv = exportCsv(map, null);
      const [, row] = readCsvRows(csv);
      expect(row?.[1]).toBe(`'${hostile}`);
      expect(row?.[3]).toBe(`'${hostile}`);
      const back = orderedTouchpoints(importText(csv))[0];
      expect(back?.label).toBe(hostile);
      expect(back?.owner).toBe(hostile);
    }
    // A negative emotion is a number, not a formula.
    expect(readCsvRows(exportCsv(withTouchpoint('Web', null), null))[1]?.[5]).toBe('-2');
  });

  it('adds the latest measured figures and, with the discussion, open comments and dots', () => {
    const { map, discussion } = demoMap();
    const first = orderedTouchpoints(map)[0];
    if (!first) throw new Error('the demo has touchpoints');
    const rows = touchpointRows(map, discussion, new Map([[first.id, { period: '2026-11', contacts: 420, csat: 71.4286 }]]));
    expect(rows[0]).toMatchObject({ measuredPeriod: '2026-11', measuredContacts: 420, measuredCsat: 71.4 });
    expect(rows[1]).toMatchObject({ measuredPeriod: '', measuredContacts: null, measuredCsat: null });
    expect(typeof rows[0]?.openComments).toBe('number');
    expect(touchpointRows(map, null)[0]).toMatchObject({ openComments: null, dots: null });
  });
});

describe('CSV import', () => {
  it("reads a spreadsheet of the team's own columns with a mapping, and one saved with semicolons", () => {
    const own = 'Phase,Touchpoint,Kanal,Team,Gefühl,Kontakte\r\nKaufen,Online-Shop,web,E-Commerce,1,300\r\nKaufen,Hotline,Phone,Vertrieb,-1,1200\r\nNutzen,App,app,,,\r\n';
    const map = importText(own, { stage: 'Phase', label: 'Touchpoint', channel: 'Kanal', owner: 'Team', emotion: 'Gefühl', contactsEstimate: 'Kontakte' });
    expect(map.stages.map((s) => s.name)).toEqual(['Kaufen', 'Nutzen']);
    expect(orderedTouchpoints(map).map((t) => [t.label, t.channel, t.owner, t.emotion, t.contactVolume])).toEqual([
      ['Online-Shop', 'web', 'E-Commerce', 1, 300],
      ['Hotline', 'phone', 'Vertrieb', -1, 1200],
      ['App', 'app', null, null, 0],
    ]);
    const semicolons = 'stage;label;painPoints\nGet help;Hotline;"S2 F3: Hold music; loops\nNobody calls back"\n';
    const hotline = orderedTouchpoints(importText(semicolons))[0];
    expect(hotline?.painPoints.map((p) => [p.text, p.severity, p.frequency])).toEqual([
      ['Hold music; loops', 2, 3],
      ['Nobody calls back', 3, 3],
    ]);
  });

  it('reports every bad row by its number (the header is row 1) with a sentence, and builds nothing', () => {
    const csv = ['stage,label,channel,emotion,contactsEstimate,externalKey', 'Buy,Shop,web,1,10,K1', 'Buy,,web,1,10,', 'Buy,Hotline,fax,0,5,', 'Use,App,app,7,0,', 'Use,Portal,web,0,-3,', 'Use,Chat,chat,0,1,K1'].join('\n');
    const error = caughtImportError(() => importText(csv));
    expect(error.details).toEqual([
      { row: 3, message: 'label must not be empty' },
      { row: 4, message: expect.stringMatching(/^channel must be one of web, app, .* \(got "fax"\)$/) as unknown },
      { row: 5, message: expect.stringMatching(/^emotion must be between -2 and 2 \(got 7\)/) as unknown },
      { row: 6, message: expect.stringMatching(/^contactVolume must be/) as unknown },
      { row: 7, message: 'externalKey "K1" is already row 2\'s; keys are unique within a map' },
    ]);
    expect(error.message).toBe('5 rows are not valid; nothing was imported');
  });

  it('says which column is missing: a mapping naming a column the file lacks, a file with no label column', () => {
    expect(caughtImportError(() => importText('Phase,Name\nBuy,Shop\n', { label: 'Touchpoint' })).message).toMatch(/reads label from the column "Touchpoint", which the file does not have \(its columns: "Phase", "Name"\)/);
    expect(caughtImportError(() => importText('Phase,Name\nBuy,Shop\n')).message).toMatch(/No column holds the touchpoints' labels/);
    expect(caughtImportError(() => importText('')).message).toMatch(/empty/);
  });

  it('refuses a file with an unclosed quote, naming the row', () => {
    expect(caughtImportError(() => readCsvRows('stage,label\nBuy,"Shop\n')).message).toMatch(/Row \d+: .*[Qq]uote/);
  });
});

describe('an imported map is laid out by stage', () => {
  it('puts each stage in a column of its own, cards without overlaps, the stageless after the stages, the hub below them all', () => {
    const journey: ImportedJourney = {
      title: 'Layout',
      persona: '',
      stages: ['A', 'B'],
      touchpoints: [
        ...Array.from({ length: 5 }, (_, i) => ({ row: i + 2, stage: i % 2 ? 'B' : 'A', label: `Card ${i}`, channel: 'web' as const, owner: null, externalKey: null, emotion: null, contactVolume: 0, painPoints: [] })),
        { row: 7, stage: '', label: 'Nowhere', channel: 'other' as const, owner: null, externalKey: null, emotion: null, contactVolume: 0, painPoints: [] },
      ],
    };
    const map = buildMap(journey);
    const cards = Object.values(map.touchpoints);
    for (const a of cards) {
      for (const b of cards) {
        if (a === b) continue;
        const apart = a.x + CARD_WIDTH <= b.x || b.x + CARD_WIDTH <= a.x || a.y + CARD_HEIGHT <= b.y || b.y + CARD_HEIGHT <= a.y;
        expect(apart, `${a.label} and ${b.label} overlap`).toBe(true);
      }
    }
    const column = (label: string) => Math.floor((cards.find((c) => c.label === label)?.x ?? -1) / 280);
    expect([column('Card 0'), column('Card 1'), column('Card 2'), column('Nowhere')]).toEqual([0, 1, 0, 2]);
    const hub = cards.find((c) => c.kind === 'hub');
    expect(hub?.y).toBeGreaterThan(Math.max(...cards.filter((c) => c.kind === 'touchpoint').map((c) => c.y)));
  });

  it('tidies the demo map without overlaps and keeps each card in its stage', () => {
    const { map } = demoMap();
    const positions = tidyPositions(map);
    const boxes = [...positions.entries()].filter(([id]) => map.touchpoints[id]?.kind === 'touchpoint').map(([, at]) => at);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a.x !== b.x || Math.abs(a.y - b.y) >= CARD_HEIGHT).toBe(true);
    for (const tp of Object.values(map.touchpoints)) {
      if (tp.kind !== 'touchpoint' || tp.stageId === null) continue;
      expect(Math.floor((positions.get(tp.id)?.x ?? -1) / 280)).toBe(map.stages.findIndex((s) => s.id === tp.stageId));
    }
  });
});

describe('a picture of the whole map', () => {
  it('frames the map with a margin at 100 %, and scales a map too big for a browser canvas down to 12,000 px a side', () => {
    const { map } = demoMap();
    const inner = mapBounds(map);
    expect(pictureFrame(map)).toMatchObject({ zoom: 1, width: inner.width + 48, height: inner.height + 48 });
    const tall = blankMap().map;
    for (let i = 0; i < 400; i++) tall.touchpoints[`t${i}`] = { id: `t${i}`, kind: 'touchpoint', stageId: 'stage-buy', label: 'Card', channel: 'web', owner: null, emotion: null, contactVolume: 0, x: 0, y: 200 + i * 140, painPoints: [], externalKey: null };
    const frame = pictureFrame(tall);
    expect(frame.zoom).toBeLessThan(1);
    expect(frame.height).toBeLessThanOrEqual(12_000);
    expect(frame.width).toBe(Math.ceil(frame.bounds.width * frame.zoom));
  });
});

describe('JSON', () => {
  it('leaves the discussion out when asked, and the server-only figures signal always', () => {
    const { map, discussion } = demoMap();
    map.meta.figuresAt = 123;
    const file = JSON.parse(exportJson(map, null, new Date(0))) as Record<string, unknown>;
    expect(file).not.toHaveProperty('discussion');
    expect((file.map as JourneyMap).meta).not.toHaveProperty('figuresAt');
    expect(importJson(exportJson(map, discussion, new Date(0))).discussion).toEqual(discussion);
  });

  it('names what is wrong by its path, and says so when the file is no JSON or no map of ours', () => {
    const { map } = demoMap();
    const first = Object.keys(map.touchpoints).find((id) => id !== map.meta.hubId) ?? '';
    const broken = JSON.parse(exportJson(map, null, new Date(0))) as { map: JourneyMap };
    (broken.map.touchpoints[first] as unknown as Record<string, unknown>).emotion = 9;
    const error = caughtImportError(() => importJson(JSON.stringify(broken)));
    expect(error.details[0]).toMatchObject({ path: `map.touchpoints.${first}.emotion`, message: expect.stringMatching(/emotion must be between -2 and 2 \(got 9\)/) as unknown });
    expect(caughtImportError(() => importJson('{"format": "journeyhub-map",')).message).toMatch(/^The file is not JSON/);
    expect(caughtImportError(() => importJson('{"hello": 1}')).message).toMatch(/format must be "journeyhub-map"/);
  });
});

describe('who an imported discussion is by', () => {
  it("keeps the importer's own comments and dots as theirs and marks everyone else's as imported, once", () => {
    const { discussion } = demoMap();
    const [first] = Object.values(discussion.comments);
    if (!first) throw new Error('the demo has comments');
    const marked = attributeImported(discussion, first.authorId);
    for (const comment of Object.values(marked.comments)) {
      if (comment.authorId === first.authorId) expect(comment.authorName).not.toMatch(/imported/);
      else expect(comment).toMatchObject({ authorId: expect.stringMatching(/^imported:/) as unknown, authorName: expect.stringMatching(/ \(imported\)$/) as unknown });
    }
    expect(attributeImported(marked, 'someone-else')).toEqual(attributeImported(discussion, 'someone-else'));
    expect(Object.values(marked.comments).map((c) => c.body)).toEqual(Object.values(discussion.comments).map((c) => c.body));
  });
});

describe('file names', () => {
  it('come from the title, in any script, and travel in Content-Disposition as ASCII and as UTF-8', () => {
    expect(exportFileName('Réclamations: 2026 / Q4', 'csv')).toBe('Réclamations-2026-Q4.csv');
    expect(exportFileName('"; rm -rf / #', 'json')).toBe('rm-rf.json');
    expect(exportFileName('***', 'mermaid')).toBe('journey-map.mmd');
    expect(contentDisposition('Réclamations.csv')).toBe(`attachment; filename="Reclamations.csv"; filename*=UTF-8''R%C3%A9clamations.csv`);
  });
});
