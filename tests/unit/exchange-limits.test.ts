/**
 * A hostile file within the 10 MiB the import route takes: what the format
 * code would build of it is bounded before it is built (rows, columns,
 * entries, nesting), and each is refused with a sentence naming the limit.
 */
import { describe, expect, it } from 'vitest';
import { importCsv, readCsvRows } from '../../lib/exchange/csv';
import { caughtImportError } from '../support/import-error';
import { MAX_IMPORTED_TOUCHPOINTS } from '../../lib/exchange/imported-journey';
import { exportJson, importJson } from '../../lib/exchange/json';
import { blankMap } from '../../lib/journey/templates';

const MIB = 1024 * 1024;

const refusal = (run: () => unknown): string => caughtImportError(run).message;

describe('CSV', () => {
  it('10 MiB of line breaks: refused by its row count, not read into ten million rows', () => {
    expect(refusal(() => readCsvRows(`label\n${'\n'.repeat(10 * MIB)}`))).toMatch(/at most 20,000 rows/);
    expect(refusal(() => readCsvRows(`label\n${'x\n'.repeat(20_002)}`))).toMatch(/at most 20,000 rows/);
    expect(readCsvRows(`label\n${'x\n'.repeat(20_000)}`).length).toBeGreaterThan(20_000);
  });

  it('a row of 5 million commas: refused by its column count', () => {
    expect(refusal(() => readCsvRows(`label,stage\nShop,${','.repeat(5 * MIB)}\n`))).toMatch(/at most 200 columns/);
    expect(refusal(() => importCsv(`${'x,'.repeat(300)}label\nShop\n`, { title: 'Wide' }))).toMatch(/at most 200 columns/);
  });
});

describe('JSON', () => {
  it('10 MiB of nested brackets: a sentence, no stack overflow', () => {
    expect(refusal(() => importJson('['.repeat(10 * MIB)))).toMatch(/^The file is not JSON/);
    expect(refusal(() => importJson(`{"format":"journeyhub-map","version":1,"map":${'['.repeat(MIB)}${']'.repeat(MIB)}}`))).toMatch(/map/);
  });

  it('more touchpoints or comments than a map takes: refused by their count before each is checked', () => {
    const { map } = blankMap();
    const file = JSON.parse(exportJson(map, { comments: {}, votes: {} }, new Date(0))) as { map: { touchpoints: Record<string, unknown> }; discussion: { comments: Record<string, unknown> } };
    for (let i = 0; i <= MAX_IMPORTED_TOUCHPOINTS; i++) file.map.touchpoints[`t${i}`] = {};
    expect(refusal(() => importJson(JSON.stringify(file)))).toBe(`The map has ${(MAX_IMPORTED_TOUCHPOINTS + 2).toLocaleString('en-US')} touchpoints; a map takes at most ${MAX_IMPORTED_TOUCHPOINTS.toLocaleString('en-US')}`);
    const talkative = JSON.parse(exportJson(map, { comments: {}, votes: {} }, new Date(0))) as typeof file;
    for (let i = 0; i <= 50_000; i++) talkative.discussion.comments[`c${i}`] = {};
    expect(refusal(() => importJson(JSON.stringify(talkative)))).toMatch(/^The discussion has 50,001 comments; a map takes at most 50,000$/);
  });
});
