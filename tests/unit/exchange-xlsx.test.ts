/**
 * XLSX export and import (lib/exchange/xlsx.ts): the three sheets read back
 * with exceljs itself, texts a spreadsheet would run as formulas kept as
 * texts, export → import → buildMap giving back every touchpoint's fields,
 * a team's own workbook with its own columns and a bad row reported by its
 * spreadsheet number, and the bounds against a hostile file.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { annotateMap } from '../../lib/annotations';
import { ImportError } from '../../lib/exchange/import-error';
import { buildMap } from '../../lib/exchange/imported-journey';
import { ROW_COLUMNS, orderedTouchpoints, touchpointRows } from '../../lib/exchange/touchpoint-rows';
import { ACTION_COLUMNS, MAX_XLSX_BYTES, STAGE_COLUMNS, STAGE_MEASURED_COLUMNS, exportXlsx, importXlsx, readXlsxRows } from '../../lib/exchange/xlsx';
import { blankMap, demoMap } from '../../lib/journey/templates';
import { CHANNELS, type JourneyMap, type Touchpoint } from '../../lib/journey/types';

async function rejection(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return workbook;
}

async function workbookBytes(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as unknown as Uint8Array);
}

/** A sheet's rows as exceljs reads them (values, without exceljs's leading hole). */
function sheetValues(sheet: ExcelJS.Worksheet | undefined): unknown[][] {
  if (!sheet) throw new Error('no such sheet');
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

const HOSTILE = '=cmd|" /C calc"!A0';
/** Texts a careless writer loses: our own apostrophe escape, XML's forbidden characters, CR, a literal _xHHHH_ escape, a lone surrogate. */
const TRICKY = ["'=already escaped", "''+twice", 'bell\u0007 and\u0001 control', 'line\rbreak', 'a _x0041_ literal', 'lone \uD800 surrogate', '\uFFFF end'];

/** The demo with a hostile label, Unicode, and actions of every kind. */
function exportedDemo(): { map: JourneyMap; discussion: ReturnType<typeof demoMap>['discussion'] } {
  const { map, discussion } = demoMap();
  const [first, ...rest] = orderedTouchpoints(map);
  const second = rest.find((touchpoint) => touchpoint.painPoints.length > 0);
  if (!first || !second) throw new Error('the demo has touchpoints with pain points');
  first.label = HOSTILE;
  second.label = 'Rückruf, "bitte" 📞 日本語';
  second.painPoints.push({ id: 'pp-more', text: 'Nobody calls back, "ever"', severity: 2, frequency: 3 });
  const pain = second.painPoints[0];
  if (!pain) throw new Error('unreachable');
  map.actions = {
    b: { id: 'b', touchpointId: second.id, painPointId: pain.id, title: 'Call back within a day', ownerTeam: 'Care', due: '2026-03-01', status: 'done', doneAt: Date.UTC(2026, 1, 20, 9), createdAt: Date.UTC(2026, 0, 5, 8, 30) },
    a: { id: 'a', touchpointId: 'tp-gone', painPointId: null, title: '+Fix the IVR', ownerTeam: null, due: null, status: 'proposed', doneAt: null, createdAt: Date.UTC(2025, 11, 1) },
  };
  return { map, discussion };
}

describe('XLSX export', () => {
  it('writes Touchpoints, Stages and Actions, each with its header bold and frozen, and the title in the properties', async () => {
    const { map, discussion } = exportedDemo();
    const workbook = await load(await exportXlsx(map, discussion));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Touchpoints', 'Stages', 'Actions']);
    expect(workbook.title).toBe('Switching to FiberNet broadband');
    expect(workbook.created.getTime()).toBe(0);
    expect(workbook.modified.getTime()).toBe(0);
    const [touchpoints, stages, actions] = workbook.worksheets.map(sheetValues);
    expect(touchpoints?.[0]).toEqual([...ROW_COLUMNS]);
    expect(stages?.[0]).toEqual([...STAGE_COLUMNS]);
    expect(actions?.[0]).toEqual([...ACTION_COLUMNS]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.getCell('A1').font?.bold, sheet.name).toBe(true);
      expect(sheet.getCell('A2').font?.bold, sheet.name).toBeFalsy();
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    // Wide enough for the label, not wider than a screen.
    const label = workbook.getWorksheet('Touchpoints')?.getColumn(2).width ?? 0;
    expect(label).toBeGreaterThanOrEqual(HOSTILE.length);
    expect(label).toBeLessThanOrEqual(60);
  });

  it('has a Touchpoints row per touchpoint in the CSV order, numbers as numbers and texts as they are, a formula-like text as a string', async () => {
    const { map, discussion } = exportedDemo();
    const workbook = await load(await exportXlsx(map, discussion));
    const sheet = workbook.getWorksheet('Touchpoints');
    const rows = touchpointRows(map, discussion);
    expect(sheet?.actualRowCount).toBe(rows.length + 1);
    const values = sheetValues(sheet);
    expect(values.slice(1).map((row) => row[1])).toEqual(rows.map((row) => row.label));
    const hostile = sheet?.getCell('B2');
    expect(hostile?.value).toBe(HOSTILE);
    expect(hostile?.type).toBe(ExcelJS.ValueType.String);
    expect(hostile?.formula).toBeUndefined();
    const unicode = rows.findIndex((row) => row.label === 'Rückruf, "bitte" 📞 日本語');
    expect(unicode).toBeGreaterThan(0);
    expect(sheet?.getCell(unicode + 2, 2).value).toBe('Rückruf, "bitte" 📞 日本語');
    const emotion = ROW_COLUMNS.indexOf('emotion');
    expect(values.slice(1).map((row) => row[emotion])).toEqual(rows.map((row) => row.emotion ?? undefined));
    expect(typeof values[1]?.[emotion]).toBe('number');
    expect(typeof values[1]?.[ROW_COLUMNS.indexOf('dots')]).toBe('number');
    // The pain points, a line each, as the CSV writes them.
    expect(values[unicode + 1]?.[ROW_COLUMNS.indexOf('painPoints')]).toBe(rows[unicode]?.painPoints);
    expect(rows[unicode]?.painPoints).toContain('\n');
  });

  it('has a Stages row per stage annotation and an Actions row per action, oldest first', async () => {
    const { map, discussion } = exportedDemo();
    const workbook = await load(await exportXlsx(map, discussion));
    const annotations = annotateMap(map, discussion);
    const stages = sheetValues(workbook.getWorksheet('Stages')).slice(1);
    expect(stages).toHaveLength(map.stages.length);
    stages.forEach((row, index) => {
      const stage = annotations.stages[index];
      if (!stage) throw new Error('a row per stage');
      const cell = (column: (typeof STAGE_COLUMNS)[number]) => row[STAGE_COLUMNS.indexOf(column)];
      expect(cell('stage')).toBe(stage.name);
      expect(cell('touchpoints')).toBe(stage.touchpoints);
      expect(cell('pain')).toBe(stage.pain);
      expect(cell('painLevel')).toBe(stage.painLevel);
      expect(cell('owners') ?? '').toBe(stage.owners.join(', '));
      expect(cell('accountable') ?? null).toBe(stage.accountable);
      expect(cell('ownership')).toBe(stage.ownership);
      expect(cell('suggestedOwner') ?? null).toBe(stage.suggestedOwner);
      expect(cell('hubCoverage') ?? null).toBe(stage.hubCoverage);
      expect(cell('failureDemand')).toBe(stage.failureDemand);
      expect(cell('openComments')).toBe(stage.openComments);
      expect(cell('votes')).toBe(stage.votes);
    });
    expect(annotations.stages.some((stage) => stage.openComments > 0)).toBe(true);
    const pain = orderedTouchpoints(map).find((t) => t.label.startsWith('Rückruf'))?.painPoints[0]?.text;
    expect(pain).toBeTruthy();
    expect(sheetValues(workbook.getWorksheet('Actions')).slice(1)).toEqual([
      ['+Fix the IVR', undefined, undefined, undefined, undefined, 'proposed', undefined, '2025-12-01T00:00:00.000Z'],
      ['Call back within a day', 'Rückruf, "bitte" 📞 日本語', pain, 'Care', '2026-03-01', 'done', '2026-02-20', '2026-01-05T08:30:00.000Z'],
    ]);
  });

  it('adds the measured columns when the annotations carry figures, and leaves comments and votes empty without the discussion', async () => {
    const { map } = demoMap();
    const annotations = annotateMap(map, undefined, { rows: [{ touchpointId: 'tp-ivr', period: '2026-05', contacts: 1200, csat: { responses: 7, satisfied: 5 } }] });
    const workbook = await load(await exportXlsx(map, null, undefined, annotations));
    const stages = sheetValues(workbook.getWorksheet('Stages'));
    expect(stages[0]).toEqual([...STAGE_COLUMNS, ...STAGE_MEASURED_COLUMNS]);
    const withIvr = annotations.stages.findIndex((stage) => stage.measured?.contacts === 1200);
    expect(withIvr).toBeGreaterThanOrEqual(0);
    expect(stages[withIvr + 1]?.slice(STAGE_COLUMNS.length)).toEqual(['2026-05', 1200, 71.4]);
    expect(stages[1]?.[STAGE_COLUMNS.indexOf('openComments')]).toBeUndefined();
    expect(stages[1]?.[STAGE_COLUMNS.indexOf('votes')]).toBeUndefined();
  });

  it('is the same bytes whenever it is made (the zip entries carry exportedAt, not the time of writing)', async () => {
    const { map, discussion } = exportedDemo();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2021, 3, 5, 10, 11, 12));
    const before = await exportXlsx(map, discussion);
    vi.setSystemTime(Date.UTC(2031, 8, 9, 22, 1, 2));
    const after = await exportXlsx(map, discussion);
    expect(Buffer.from(after).equals(Buffer.from(before))).toBe(true);
    const dated = await exportXlsx(map, discussion, undefined, undefined, new Date(Date.UTC(2026, 4, 1, 12)));
    expect((await load(dated)).created.toISOString()).toBe('2026-05-01T12:00:00.000Z');
  });

  afterEach(() => {
    vi.useRealTimers();
  });
});

// ---------------------------------------------------------------------------

/** Text as people type it, and as they should not: formula-like starts, our own escapes, characters XML cannot hold. */
const text = (max: number) =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }),
      fc.constantFrom(HOSTILE, '+1', '-2', '@SUM(1)', 'Say "hi", then leave', 'Ünïcödé 🚀 日本語', ...TRICKY),
    )
    .map((value) => value.trim().slice(0, max))
    .filter((value) => value.length > 0);

const touchpointArb = fc.record({
  stage: fc.option(fc.nat({ max: 3 }), { nil: null }),
  label: text(60),
  channel: fc.constantFrom(...CHANNELS),
  owner: fc.option(text(40), { nil: null }),
  emotion: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
  contactVolume: fc.nat({ max: 100_000 }),
  key: fc.boolean(),
  y: fc.integer({ min: 0, max: 3000 }),
  pains: fc.array(fc.record({ text: text(80).filter((t) => !/[\r\n]/.test(t) && !/^S\d+\s*F\d+\s*:/i.test(t)), severity: fc.integer({ min: 1, max: 5 }), frequency: fc.integer({ min: 1, max: 5 }) }), { maxLength: 3 }),
});

type TouchpointSpec = typeof touchpointArb extends fc.Arbitrary<infer T> ? T : never;

function randomMap(stageNames: string[], specs: TouchpointSpec[]): JourneyMap {
  const { map } = blankMap({ title: 'Random journey' });
  map.stages = stageNames.map((name, i) => ({ id: `s${i}`, name, accountable: null }));
  specs.forEach((t, i) => {
    const touchpoint: Touchpoint = {
      id: `t${i}`,
      kind: 'touchpoint',
      stageId: t.stage !== null && t.stage < map.stages.length ? `s${t.stage}` : null,
      label: t.label,
      channel: t.channel,
      owner: t.owner,
      emotion: t.emotion,
      contactVolume: t.contactVolume,
      x: 0,
      y: t.y,
      painPoints: t.pains.map((p, j) => ({ id: `p${i}-${j}`, ...p })),
      externalKey: t.key ? `KEY-${i}` : null,
    };
    map.touchpoints[touchpoint.id] = touchpoint;
  });
  return map;
}

function fields(map: JourneyMap) {
  const stageName = (id: string | null) => map.stages.find((s) => s.id === id)?.name ?? '';
  return orderedTouchpoints(map).map((t) => ({
    stage: stageName(t.stageId),
    label: t.label,
    channel: t.channel,
    owner: t.owner,
    externalKey: t.externalKey,
    emotion: t.emotion,
    contactVolume: t.contactVolume,
    painPoints: t.painPoints.map(({ text: body, severity, frequency }) => ({ text: body, severity, frequency })),
  }));
}

describe('XLSX export → import', () => {
  it('gives back every touchpoint with its stage, fields and pain points, in the same order, for random maps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(text(30), { maxLength: 4, selector: (name) => name.toLowerCase() }), fc.array(touchpointArb, { maxLength: 10 }), async (stageNames, specs) => {
        const map = randomMap(stageNames, specs);
        const imported = buildMap(await importXlsx(await exportXlsx(map, null), { title: 'Back' }));
        expect(fields(imported)).toEqual(fields(map));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  });

  it('gives back the demo map, its hostile, Unicode and tricky texts included', async () => {
    const { map, discussion } = exportedDemo();
    const touchpoints = orderedTouchpoints(map).slice(2);
    TRICKY.forEach((tricky, index) => {
      const touchpoint = touchpoints[index];
      if (!touchpoint) throw new Error('the demo has enough touchpoints');
      touchpoint.label = tricky;
      touchpoint.owner = `${tricky} team`;
    });
    const imported = buildMap(await importXlsx(await exportXlsx(map, discussion), { title: 'Demo again' }));
    expect(imported.meta.title).toBe('Demo again');
    expect(fields(imported)).toEqual(fields(map));
    expect(fields(imported)[0]?.label).toBe(HOSTILE);
    expect(fields(imported).map((t) => t.label)).toEqual(expect.arrayContaining(TRICKY));
  });
});

// ---------------------------------------------------------------------------

describe('XLSX import', () => {
  it("reads a team's own workbook: its column names by a mapping, rich text, formulas by their saved result, dates, merged stages", async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('Reise');
      sheet.addRow(['Phase', 'Touchpoint', 'Kanal', 'Team', 'Gefühl', 'Kontakte', 'Seit']);
      sheet.addRow(['Kaufen', { richText: [{ text: 'Online-' }, { text: 'Shop', font: { bold: true } }] }, 'web', 'E-Commerce', 1, { formula: '150*2', result: 300 }, new Date(Date.UTC(2025, 5, 30))]);
      sheet.addRow([null, 'Hotline', 'Phone', 'Vertrieb', -1, 1200]);
      sheet.addRow(['Nutzen', { formula: 'CONCAT("A","pp")' }, 'app', { text: 'Support', hyperlink: 'https://example.com' }, null, 0.5]);
      sheet.mergeCells('A2:A3');
      workbook.addWorksheet('Notizen').addRow(['not read']);
    });
    expect(await readXlsxRows(bytes)).toEqual([
      ['Phase', 'Touchpoint', 'Kanal', 'Team', 'Gefühl', 'Kontakte', 'Seit'],
      ['Kaufen', 'Online-Shop', 'web', 'E-Commerce', '1', '300', '2025-06-30'],
      ['Kaufen', 'Hotline', 'Phone', 'Vertrieb', '-1', '1200'],
      ['Nutzen', '=CONCAT("A","pp")', 'app', 'Support', '', '0.5'],
    ]);
    const journey = await importXlsx(bytes, { title: 'Reise', mapping: { stage: 'Phase', label: 'Touchpoint', channel: 'Kanal', owner: 'Team', emotion: 'Gefühl', contactsEstimate: 'Kontakte' } });
    expect(journey.stages).toEqual(['Kaufen', 'Nutzen']);
    expect(journey.touchpoints.map((t) => [t.row, t.stage, t.label, t.channel, t.owner, t.emotion, t.contactVolume])).toEqual([
      [2, 'Kaufen', 'Online-Shop', 'web', 'E-Commerce', 1, 300],
      [3, 'Kaufen', 'Hotline', 'phone', 'Vertrieb', -1, 1200],
      [4, 'Nutzen', '=CONCAT("A","pp")', 'app', 'Support', null, 0.5],
    ]);
  });

  it('reports a bad row by its spreadsheet number (the header is row 1, empty rows count) and builds nothing', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('Journey');
      sheet.addRow(['Step', 'Feeling']);
      sheet.addRow(['Shop', 1]);
      sheet.addRow([]);
      sheet.addRow(['Hotline', 9]);
    });
    const rows = await readXlsxRows(bytes);
    expect(rows).toEqual([['Step', 'Feeling'], ['Shop', '1'], [], ['Hotline', '9']]);
    const error = await rejection((async () => buildMap(await importXlsx(bytes, { title: 'Bad', mapping: { label: 'Step', emotion: 'Feeling' } })))());
    expect(error.details).toEqual([{ row: 4, message: expect.stringMatching(/^emotion must be between -2 and 2 \(got 9\)/) as unknown }]);
    expect(error.message).toBe('One row is not valid; nothing was imported');
  });

  it('refuses what is not an XLSX workbook with a sentence', async () => {
    const garbage = await rejection(readXlsxRows(new TextEncoder().encode('stage,label\nBuy,Shop\n')));
    expect(garbage.message).toMatch(/^The file is not an XLSX workbook: it is not a zip archive.*\.xlsx/);
    const xls = await rejection(readXlsxRows(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])));
    expect(xls.message).toMatch(/Excel 97-2003 workbook \(\.xls\)/);
    expect((await rejection(readXlsxRows(new Uint8Array()))).message).toMatch(/^The file is empty/);
    const notAWorkbook = await rejection(readXlsxRows(zip([{ name: 'readme.txt', data: new TextEncoder().encode('hello') }])));
    expect(notAWorkbook.message).toMatch(/has no worksheet/);
    const cut = await exportXlsx(demoMap().map, null);
    expect((await rejection(readXlsxRows(cut.subarray(0, cut.length - 200)))).message).toMatch(/^The file is not an XLSX workbook/);
  });
});

// ---------------------------------------------------------------------------

/**
 * A zip made by hand: each entry deflated, declaring the size given (or its
 * real one); with `zip64`, its sizes, offsets and counts in ZIP64 records
 * (what a streaming writer may do), the classic fields all ones.
 */
function zip(files: { name: string; data: Uint8Array; declared?: number }[], { zip64 = false } = {}): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const body = deflateRawSync(file.data);
    const size = file.declared ?? file.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(zip64 ? 45 : 20, 4);
    record.writeUInt16LE(zip64 ? 45 : 20, 6);
    record.writeUInt16LE(8, 10);
    record.writeUInt32LE(zip64 ? 0xffffffff : body.length, 20);
    record.writeUInt32LE(zip64 ? 0xffffffff : size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    parts.push(local, name, body);
    central.push(record, name, extra);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(files.length), 24);
    record.writeBigUInt64LE(BigInt(files.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : files.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : files.length, 10);
  end.writeUInt32LE(zip64 ? 0xffffffff : directory.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, ...tail, end]));
}

/** The least of a workbook, as another program may write it: no styles, no shared strings, texts inline. */
function minimalWorkbook(rows: string[][]): { name: string; data: Uint8Array }[] {
  const xml = (text: string) => new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${text}`);
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const sheetRows = rows.map((row, r) => `<row r="${r + 1}">${row.map((cell, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${escape(cell)}</t></is></c>`).join('')}</row>`).join('');
  return [
    { name: '[Content_Types].xml', data: xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: '_rels/.rels', data: xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>') },
    { name: 'xl/workbook.xml', data: xml('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    { name: 'xl/_rels/workbook.xml.rels', data: xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: xml(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`) },
  ];
}

describe('XLSX import of workbooks from other writers', () => {
  const rows = [
    ['stage', 'label', 'emotion'],
    ['Buy', 'Shop & <more>', '1'],
  ];

  it('reads inline strings from a workbook without styles or shared strings', async () => {
    expect(await readXlsxRows(zip(minimalWorkbook(rows)))).toEqual(rows);
  });

  it('reads an archive with data before it (as a self-extracting one has), as JSZip does', async () => {
    const archive = zip(minimalWorkbook(rows));
    const prefixed = new Uint8Array(archive.length + 100);
    prefixed.set(new TextEncoder().encode('#!/bin/sh\necho not really\n'), 0);
    prefixed.set(archive, 100);
    expect(await readXlsxRows(prefixed)).toEqual(rows);
  });

  it('reads a ZIP64 archive, and still counts what its entries declare', async () => {
    expect(await readXlsxRows(zip(minimalWorkbook(rows), { zip64: true }))).toEqual(rows);
    const declared = zip([...minimalWorkbook(rows), { name: 'xl/media/big.bin', data: new Uint8Array(10), declared: 40 * 1024 * 1024 }], { zip64: true });
    expect((await rejection(readXlsxRows(declared))).message).toMatch(/unpacks to more than 16 MiB/);
  });
});

describe('XLSX import bounds a hostile file', () => {
  it('refuses more than 20,000 rows of touchpoints under the header, and reads 20,000', async () => {
    const rows = (count: number) =>
      workbookBytes((workbook) => {
        const sheet = workbook.addWorksheet('Many');
        sheet.addRow(['label']);
        for (let i = 1; i <= count; i += 1) sheet.addRow([`Touchpoint ${i}`]);
      });
    const error = await rejection(readXlsxRows(await rows(20_001)));
    expect(error.message).toBe('The sheet has more than 20,000 rows of touchpoints; a file takes at most 20,000 rows');
    expect(await readXlsxRows(await rows(20_000))).toHaveLength(20_001);
  });

  it('takes as many blank rows as touchpoint rows (as CSV does), and refuses a value past row 40,001', async () => {
    const lone = (rowNumber: number) =>
      workbookBytes((workbook) => {
        const sheet = workbook.addWorksheet('Sparse');
        sheet.addRow(['label']);
        sheet.getRow(rowNumber).getCell(1).value = 'Far down';
      });
    const far = await readXlsxRows(await lone(40_001));
    expect(far).toHaveLength(40_001);
    expect(far[40_000]).toEqual(['Far down']);
    expect(far[20_000]).toEqual([]);
    expect((await rejection(readXlsxRows(await lone(40_002)))).message).toBe('The sheet has values in row 40,002, past 40,001 rows, most of them blank; a file takes at most 20,000 rows of touchpoints');
  });

  it('refuses a value beyond the 200th column, and reads one in it', async () => {
    const wide = (column: number) =>
      workbookBytes((workbook) => {
        const sheet = workbook.addWorksheet('Wide');
        sheet.addRow(['label']);
        sheet.getRow(2).getCell(column).value = 'far right';
      });
    const error = await rejection(readXlsxRows(await wide(201)));
    expect(error.message).toBe('Row 2 has a value in column 201; a file takes at most 200 columns');
    expect(error.details).toEqual([{ row: 2, message: error.message }]);
    expect((await readXlsxRows(await wide(200)))[1]?.[199]).toBe('far right');
  });

  it('refuses a file over 10 MiB without opening it', async () => {
    const error = await rejection(readXlsxRows(new Uint8Array(MAX_XLSX_BYTES + 1)));
    expect(error.message).toMatch(/^The file is 10\.0 MiB; an XLSX import takes at most 10 MiB$/);
  });

  it('refuses a zip that declares more than 16 MiB unpacked, and one that inflates to more than it declares, before exceljs inflates it', async () => {
    const honest = zip([{ name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(17 * 1024 * 1024) }]);
    expect(honest.byteLength).toBeLessThan(100_000);
    expect((await rejection(readXlsxRows(honest))).message).toBe('The workbook unpacks to more than 16 MiB; an import unpacks at most that much');
    // Declares 1 KiB, inflates to 64 MiB: JSZip would only notice after inflating all of it.
    const lying = zip([{ name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(64 * 1024 * 1024), declared: 1024 }]);
    expect((await rejection(readXlsxRows(lying))).message).toMatch(/^The file is not an XLSX workbook: its zip archive is damaged \(an entry inflates to more than it declares\)/);
    // Refused on the sizes it declares, before inflating anything.
    const declared = zip([{ name: 'xl/worksheets/sheet1.xml', data: new TextEncoder().encode('<worksheet/>'), declared: 17 * 1024 * 1024 }]);
    expect((await rejection(readXlsxRows(declared))).message).toBe('The workbook unpacks to more than 16 MiB; an import unpacks at most that much');
    // Many entries of a little each add up too.
    const many = zip(Array.from({ length: 9 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: new Uint8Array(4 * 1024 * 1024) })));
    expect((await rejection(readXlsxRows(many))).message).toMatch(/unpacks to more than 16 MiB/);
  });
});
