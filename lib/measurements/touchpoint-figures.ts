import type { JourneyMap, Touchpoint } from '../journey/types';
import type { StoredMetricsRow, Verbatim } from './input';
import { monthIndex, periodOfIndex } from './period';

/**
 * One touchpoint's figures for one month, as the canvas shows them: the
 * contact center's row for it (DESIGN.md, "Measured data and outcomes"; one
 * row per touchpoint and month, so nothing is pooled here), with CSAT, CES
 * and NPS as the stage annotations compute them.
 */
export interface TouchpointFigures {
  contacts: number | null;
  /** 100 × satisfied / responses; null without responses. */
  csat: number | null;
  csatResponses: number;
  ces: number | null;
  /** 100 × (promoters − detractors) / answers; null without answers. */
  nps: number | null;
  verbatims: readonly Verbatim[];
}

const NO_VERBATIMS: readonly Verbatim[] = [];

export function figuresOfRow(row: Omit<StoredMetricsRow, 'externalKey'>): TouchpointFigures {
  const csat = row.csat && row.csat.responses > 0 ? row.csat : null;
  const ces = row.ces && row.ces.responses > 0 ? row.ces : null;
  const answers = row.nps ? row.nps.promoters + row.nps.passives + row.nps.detractors : 0;
  return {
    contacts: typeof row.contacts === 'number' ? row.contacts : null,
    csat: csat ? (100 * csat.satisfied) / csat.responses : null,
    csatResponses: csat?.responses ?? 0,
    ces: ces ? ces.mean : null,
    nps: row.nps && answers > 0 ? (100 * (row.nps.promoters - row.nps.detractors)) / answers : null,
    verbatims: row.verbatims ?? NO_VERBATIMS,
  };
}

/** Each touchpoint's figures for `period`, by touchpoint id; touchpoints without a row that month are absent. */
export function touchpointFigures(rows: readonly Omit<StoredMetricsRow, 'externalKey'>[], period: string | null): Map<string, TouchpointFigures> {
  const figures = new Map<string, TouchpointFigures>();
  if (period === null) return figures;
  for (const row of rows) if (row.period === period) figures.set(row.touchpointId, figuresOfRow(row));
  return figures;
}

/** The months that have figures, the latest first. */
export function periodsOf(rows: readonly { period: string }[]): string[] {
  const indexes = new Set<number>();
  for (const row of rows) {
    const index = monthIndex(row.period);
    if (index !== null) indexes.add(index);
  }
  return [...indexes].sort((a, b) => b - a).map(periodOfIndex);
}

export interface AboveEstimate {
  touchpoint: Touchpoint;
  measured: number;
  estimate: number;
  /** measured − estimate, > 0. */
  excess: number;
}

/**
 * Touchpoints whose measured contacts exceed the workshop's estimate
 * (`contactVolume`), the largest excess first (ties by label): where the map
 * underestimates what reaches the contact center.
 */
export function contactsAboveEstimate(map: JourneyMap, figures: ReadonlyMap<string, TouchpointFigures>, limit: number): AboveEstimate[] {
  const above: AboveEstimate[] = [];
  for (const [id, f] of figures) {
    const touchpoint = map.touchpoints[id];
    if (!touchpoint || touchpoint.kind !== 'touchpoint' || f.contacts === null) continue;
    const excess = f.contacts - touchpoint.contactVolume;
    if (excess > 0) above.push({ touchpoint, measured: f.contacts, estimate: touchpoint.contactVolume, excess });
  }
  above.sort((a, b) => b.excess - a.excess || a.touchpoint.label.localeCompare(b.touchpoint.label) || a.touchpoint.id.localeCompare(b.touchpoint.id));
  return above.slice(0, limit);
}

/** 'YYYY-MM' as a person reads it: "Nov 2026". */
export function periodLabel(period: string): string {
  const index = monthIndex(period);
  if (index === null) return period;
  const year = Math.floor(index / 12);
  return `${MONTHS[index - year * 12] ?? ''} ${year}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
