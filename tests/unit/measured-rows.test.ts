/**
 * The push's quick row check (lib/measurements/input.ts, quickRow) may only
 * ever agree with the zod schema: a row it takes is one MetricsRowInput takes,
 * giving the same data; anything else it leaves to zod, which names the
 * problem. Hostile rows first: every rule of DESIGN.md, "Measured data and
 * outcomes", broken one at a time, then random rows near the valid shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsRowInput, parseMetricsRows, quickRow } from '../../lib/measurements/input';

const GOOD = {
  touchpointId: 'tp-1',
  contacts: 120,
  csat: { responses: 100, satisfied: 80 },
  ces: { responses: 50, mean: 3.5 },
  nps: { promoters: 10, passives: 5, detractors: 2 },
};

/** The data zod gives, or null when zod refuses the row. */
function zodRow(raw: unknown): MetricsRowInput | null {
  const parsed = MetricsRowInput.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

const withProto = Object.assign(Object.create({ contacts: 5 }) as object, { touchpointId: 'tp-1' });
const polluted = JSON.parse('{"touchpointId":"tp-1","contacts":1,"__proto__":{"x":1}}') as unknown;

const HOSTILE: Array<[string, unknown]> = [
  ['not an object', 'row'],
  ['null', null],
  ['an array', [GOOD]],
  ['no figure', { touchpointId: 'tp-1' }],
  ['both keys', { ...GOOD, externalKey: 'CR-1' }],
  ['no key', { contacts: 1 }],
  ['an empty key', { externalKey: '', contacts: 1 }],
  ['a key of 201 characters', { externalKey: 'k'.repeat(201), contacts: 1 }],
  ['a key that is a number', { externalKey: 7, contacts: 1 }],
  ['an unknown field', { ...GOOD, extra: true }],
  ['a "__proto__" field', polluted],
  ['figures from a prototype', withProto],
  ['a field set to undefined', { ...GOOD, ces: undefined }],
  ['negative contacts', { ...GOOD, contacts: -1 }],
  ['fractional contacts', { ...GOOD, contacts: 1.5 }],
  ['contacts as text', { ...GOOD, contacts: '12' }],
  ['contacts NaN', { ...GOOD, contacts: Number.NaN }],
  ['contacts Infinity', { ...GOOD, contacts: Number.POSITIVE_INFINITY }],
  ['contacts above 2^53', { ...GOOD, contacts: 2 ** 53 }],
  ['csat with no responses', { ...GOOD, csat: { responses: 0, satisfied: 0 } }],
  ['csat satisfied above responses', { ...GOOD, csat: { responses: 3, satisfied: 4 } }],
  ['csat with an extra field', { ...GOOD, csat: { responses: 3, satisfied: 1, mean: 2 } }],
  ['csat missing satisfied', { ...GOOD, csat: { responses: 3 } }],
  ['csat as an array', { ...GOOD, csat: [3, 1] }],
  ['ces mean below 1', { ...GOOD, ces: { responses: 2, mean: 0.5 } }],
  ['ces mean above 7', { ...GOOD, ces: { responses: 2, mean: 7.01 } }],
  ['ces mean NaN', { ...GOOD, ces: { responses: 2, mean: Number.NaN } }],
  ['ces with no responses', { ...GOOD, ces: { responses: 0, mean: 3 } }],
  ['nps with no answer', { ...GOOD, nps: { promoters: 0, passives: 0, detractors: 0 } }],
  ['nps with a negative count', { ...GOOD, nps: { promoters: 3, passives: -1, detractors: 0 } }],
  ['nps missing detractors', { ...GOOD, nps: { promoters: 3, passives: 1 } }],
  ['verbatims not a list', { ...GOOD, verbatims: { text: 'hi' } }],
  ['an empty verbatim', { ...GOOD, verbatims: [{ text: '' }] }],
  ['a verbatim with a bad date', { ...GOOD, verbatims: [{ text: 'hi', at: '2026-02-30' }] }],
  ['21 verbatims', { ...GOOD, verbatims: Array.from({ length: 21 }, () => ({ text: 'hi' })) }],
];

describe('quickRow', () => {
  it.each(HOSTILE)('leaves a row with %s to zod', (_, raw) => {
    expect(quickRow(raw)).toBeNull();
  });

  it('takes the rows a feed sends, with the data zod gives', () => {
    const rows: unknown[] = [
      GOOD,
      { externalKey: 'CR-1', contacts: 0 },
      { touchpointId: 'tp-2', csat: { responses: 1, satisfied: 0 } },
      { touchpointId: 'tp-2', ces: { responses: 1, mean: 1 } },
      { touchpointId: 'tp-2', ces: { responses: 1, mean: 7 } },
      { touchpointId: 'tp-2', nps: { promoters: 0, passives: 0, detractors: 1 } },
      { ...GOOD, verbatims: [{ text: 'Took three calls', score: 2, at: '2026-11-03' }, { text: 'ok' }] },
      { externalKey: 'k'.repeat(200), verbatims: [] },
    ];
    for (const raw of rows) {
      const quick = quickRow(raw);
      expect(quick).not.toBeNull();
      expect(quick).toStrictEqual(zodRow(raw));
    }
  });

  it('property: a row quickRow takes, zod takes with the same data', () => {
    const count = fc.oneof(fc.nat({ max: 1000 }), fc.integer({ min: -3, max: 3 }), fc.double(), fc.constant(2 ** 53), fc.string({ maxLength: 2 }));
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
    const junk = fc.oneof(fc.constant(null), fc.constant([]), fc.string({ maxLength: 3 }), fc.boolean(), fc.double());
    const figures = fc.record(
      {
        contacts: fc.oneof(count, junk),
        csat: fc.oneof(fc.record({ responses: count, satisfied: count }, { requiredKeys: [] }), junk),
        ces: fc.oneof(fc.record({ responses: count, mean: fc.oneof(fc.double({ min: 0, max: 8 }), count) }, { requiredKeys: [] }), junk),
        nps: fc.oneof(fc.record({ promoters: count, passives: count, detractors: count }, { requiredKeys: [] }), junk),
        verbatims: fc.oneof(
          fc.array(fc.record({ text: fc.string({ maxLength: 4 }), score: maybe(fc.double()), at: maybe(fc.constantFrom('2026-11-03', '2026-13-01', 'x')) }, { requiredKeys: ['text'] }), { maxLength: 3 }),
          junk,
        ),
        externalKey: fc.oneof(fc.string({ maxLength: 3 }), junk),
        touchpointId: fc.oneof(fc.string({ maxLength: 3 }), junk),
        extra: junk,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(figures, (raw) => {
        const quick = quickRow(raw);
        if (quick !== null) expect(quick).toStrictEqual(zodRow(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('parseMetricsRows gives the same answer with the quick check as zod alone would', () => {
    const rows = [GOOD, { ...GOOD, touchpointId: 'tp-2', contacts: -1 }, { externalKey: 'CR-1', contacts: 3 }];
    const resolve = (row: MetricsRowInput) => ({ touchpointId: row.touchpointId ?? 'tp-9' });
    expect(parseMetricsRows('2026-11', rows, resolve)).toEqual({ ok: false, problems: [{ row: 1, message: 'contacts must be 0 or more' }] });
    expect(parseMetricsRows('2026-11', [GOOD, rows[2]], resolve)).toStrictEqual({
      ok: true,
      period: '2026-11',
      rows: [
        { ...zodRow(GOOD), touchpointId: 'tp-1' },
        { ...zodRow(rows[2]), touchpointId: 'tp-9' },
      ],
    });
  });
});
