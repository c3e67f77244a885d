/**
 * One colour per stage, the same in both charts and their legend: ten hues
 * that stay apart for the common colour-vision deficiencies and print dark
 * enough on white; past ten, the hues repeat dashed.
 */
const HUES = ['#4f46e5', '#d97706', '#059669', '#dc2626', '#0891b2', '#db2777', '#7c3aed', '#65a30d', '#475569', '#ea580c'];

export interface SeriesStyle {
  color: string;
  dash: string | undefined;
}

export function seriesStyle(index: number): SeriesStyle {
  return { color: HUES[index % HUES.length] ?? '#475569', dash: index < HUES.length ? undefined : '6 4' };
}
