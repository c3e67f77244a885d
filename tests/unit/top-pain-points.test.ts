import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstTouchpointOfEachStage, topPainPoints } from '../../lib/annotations/top-pain-points';
import { journeyMap, stage, touchpoint } from './annotations-factory';

/** The obvious way: every pain point, sorted (stably), the first `count`. */
function naive(map: Parameters<typeof topPainPoints>[0], count: number) {
  return Object.values(map.touchpoints)
    .flatMap((tp) => tp.painPoints.map((p) => ({ ...p, touchpoint: tp, score: p.severity * p.frequency })))
    .sort((a, b) => b.score - a.score || a.text.localeCompare(b.text))
    .slice(0, count);
}

const painArb = fc.record({ severity: fc.integer({ min: 1, max: 5 }), frequency: fc.integer({ min: 1, max: 5 }), text: fc.constantFrom('a', 'b', 'c', 'Queue', 'queue') });

describe('topPainPoints', () => {
  it('is the stable sort by score, then text, cut to the count, on random maps', () => {
    fc.assert(
      fc.property(fc.array(fc.array(painArb, { maxLength: 4 }), { maxLength: 30 }), fc.integer({ min: 0, max: 12 }), (cards, count) => {
        let n = 0;
        const map = journeyMap({
          stages: [stage('s1')],
          touchpoints: cards.map((pains, i) => touchpoint(`t${i}`, 's1', { painPoints: pains.map((p) => ({ ...p, id: `p${n++}` })) })),
        });
        expect(topPainPoints(map, count)).toEqual(naive(map, count));
      }),
    );
  });
});

describe('firstTouchpointOfEachStage', () => {
  it('names the first touchpoint of each stage in map order, and no stage without one', () => {
    const map = journeyMap({ stages: [stage('s1'), stage('s2'), stage('s3')], touchpoints: [touchpoint('a', 's2'), touchpoint('b', 's1'), touchpoint('c', 's2'), touchpoint('d', null)] });
    expect(Object.fromEntries(firstTouchpointOfEachStage(map))).toEqual({ s2: 'a', s1: 'b' });
  });
});
