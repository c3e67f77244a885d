import type { JourneyMap, PainPoint, Touchpoint } from '../journey/types';

export type RankedPainPoint = PainPoint & { touchpoint: Touchpoint; score: number };

/** Worse first: higher severity × frequency, then by text. */
const ranksBefore = (a: RankedPainPoint, b: RankedPainPoint): boolean => a.score > b.score || (a.score === b.score && a.text.localeCompare(b.text) < 0);

/**
 * The `count` worst pain points of a map (severity × frequency, then text;
 * in map order among equals), in one pass that keeps only those: panels show
 * them after every edit, on maps of thousands of pain points.
 */
export function topPainPoints(map: JourneyMap, count: number): RankedPainPoint[] {
  const top: RankedPainPoint[] = [];
  if (count <= 0) return top;
  for (const tp of Object.values(map.touchpoints)) {
    for (const p of tp.painPoints) {
      const score = p.severity * p.frequency;
      const last = top[count - 1];
      if (last && score < last.score) continue;
      const pain = { ...p, touchpoint: tp, score };
      if (last && !ranksBefore(pain, last)) continue;
      let at = top.length;
      while (at > 0 && ranksBefore(pain, top[at - 1] as RankedPainPoint)) at--;
      top.splice(at, 0, pain);
      if (top.length > count) top.pop();
    }
  }
  return top;
}

/** The first touchpoint (in map order) of each stage that has one. */
export function firstTouchpointOfEachStage(map: JourneyMap): Map<string, string> {
  const first = new Map<string, string>();
  for (const tp of Object.values(map.touchpoints)) if (tp.stageId !== null && !first.has(tp.stageId)) first.set(tp.stageId, tp.id);
  return first;
}
