/**
 * The push's row rules and the CLI's CSV (lib/measurements): each bad row is
 * named by its index with a sentence; the CSV names lines and leaves empty
 * cells out.
 */
import { describe, expect, it } from 'vitest';
import { MetricsCsvError, parseMetricsCsv } from '../../lib/measurements/csv';
import { parseMetricsRows } from '../../lib/measurements/input';

const known = new Map([['CR-1', 'tp-1'], ['CR-2', 'tp-2']]);
const resolve = (row: { externalKey?: string; touchpointId?: string }) => {
  const id = row.touchpointId ?? known.get(row.externalKey ?? '');
  return id ? { touchpointId: id } : { problem: 'no such touchpoint' };
};

describe('parseMetricsRows', () => {
  it('accepts good rows and resolves external keys', () => {
    const result = parseMetricsRows('2026-11', [{ externalKey: 'CR-1', contacts: 3 }, { touchpointId: 'tp-2', nps: { promoters: 1, passives: 0, detractors: 0 } }], resolve);
    expect(result).toEqual({
      ok: true,
      period: '2026-11',
      rows: [
        { externalKey: 'CR-1', contacts: 3, touchpointId: 'tp-1' },
        { touchpointId: 'tp-2', nps: { promoters: 1, passives: 0, detractors: 0 } },
      ],
    });
  });

  it('names every bad row and a bad period', () => {
    const result = parseMetricsRows(
      '2026-1',
      [
        { externalKey: 'CR-1' },
        { externalKey: 'CR-1', touchpointId: 'tp-1', contacts: 1 },
        { externalKey: 'CR-2', csat: { responses: 0, satisfied: 0 } },
        { externalKey: 'CR-2', ces: { responses: 2, mean: 0.5 } },
        { externalKey: 'CR-2', nps: { promoters: 0, passives: 0, detractors: 0 } },
        { externalKey: 'CR-2', contacts: 1.5 },
        { externalKey: 'CR-2', verbatims: [{ text: '' }] },
        { externalKey: 'CR-2', contacts: 1, extra: true },
        { externalKey: 'CR-9', contacts: 1 },
        'not a row',
      ],
      resolve,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => ('row' in p ? p.row : p.path))).toEqual(['period', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.problems[1]?.message).toBe('a row needs at least one figure: contacts, csat, ces, nps or verbatims');
    expect(result.problems[3]?.message).toBe('csat.responses must be 1 or more');
    expect(result.problems[4]?.message).toBe('ces.mean must be from 1 to 7');
    expect(result.problems[9]?.message).toBe('no such touchpoint');
  });

  it('refuses the same touchpoint twice in a batch, by key and by id', () => {
    const result = parseMetricsRows('2026-11', [{ externalKey: 'CR-1', contacts: 1 }, { touchpointId: 'tp-1', contacts: 2 }], resolve);
    expect(result).toEqual({ ok: false, problems: [{ row: 1, message: 'names the same touchpoint as row 0: send one row per touchpoint and month' }] });
  });
});

describe('parseMetricsCsv', () => {
  it('reads the columns in any order and leaves empty cells out', () => {
    expect(parseMetricsCsv('contacts,externalKey,csat_responses,csat_satisfied\r\n12,CR-1,,\n,CR-2,4,3\n\n')).toEqual([
      { line: 2, row: { externalKey: 'CR-1', contacts: 12 } },
      { line: 3, row: { externalKey: 'CR-2', csat: { responses: 4, satisfied: 3 } } },
    ]);
  });

  it('names the line of a cell that is not a number, of a short line, and an unknown column', () => {
    expect(() => parseMetricsCsv('externalKey,contacts\nCR-1,1\nCR-2,lots')).toThrow(new MetricsCsvError('line 3: contacts "lots" is not a number'));
    expect(() => parseMetricsCsv('externalKey,contacts\nCR-1')).toThrow(new MetricsCsvError('line 2: 1 cells where the header has 2'));
    expect(() => parseMetricsCsv('externalKey,calls\nCR-1,1')).toThrow(/line 1: unknown column "calls"/);
    expect(() => parseMetricsCsv('externalKey,contacts\n')).toThrow(/no rows/);
  });
});
