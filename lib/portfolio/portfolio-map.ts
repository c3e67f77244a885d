import { annotateMap } from '../annotations';
import type { MapAnnotations, MeasurementRow } from '../annotations/types';
import type { JourneyMap } from '../journey/types';
import type { Role } from '../permissions/roles';

/**
 * One map as the portfolio and the teams page read it: the person's role, the
 * plain map document and the measured rows of its latest month (the only
 * month either page shows; the server reads no other).
 */
export interface PortfolioMapInput {
  id: string;
  title: string;
  role: Role;
  updatedAt: number;
  map: JourneyMap;
  /** Rows of one month, the map's latest; [] without figures. Rows of another month are ignored. */
  rows: readonly MeasurementRow[];
}

/** A map whose stored state cannot be read: listed, never failing the page. */
export interface DamagedMapInput {
  id: string;
  title: string;
  role: Role;
  updatedAt: number;
  damaged: true;
  damagedMessage: string;
}

export interface PortfolioMap extends PortfolioMapInput {
  annotations: MapAnnotations;
  /** The rows of `annotations.measuredPeriod`, by touchpoint id. */
  rowsByTouchpoint: ReadonlyMap<string, MeasurementRow>;
}

/** The period the rows describe: the latest among them (DESIGN.md's P without a chosen period). */
function latestPeriod(rows: readonly MeasurementRow[]): string | undefined {
  let latest: string | undefined;
  for (const row of rows) if (typeof row.period === 'string' && (latest === undefined || row.period > latest)) latest = row.period;
  return latest;
}

/** Annotates the map once with its latest month, for both pages. */
export function preparePortfolioMap(input: PortfolioMapInput): PortfolioMap {
  const period = latestPeriod(input.rows);
  const rows = period === undefined ? [] : input.rows.filter((row) => row.period === period);
  const annotations = annotateMap(input.map, undefined, period === undefined ? undefined : { rows, period });
  const rowsByTouchpoint = new Map<string, MeasurementRow>();
  for (const row of rows) rowsByTouchpoint.set(row.touchpointId, row);
  return { ...input, rows, annotations, rowsByTouchpoint };
}

/** The ids of the map's touchpoints that count in its stages: kind `touchpoint`, in a stage that exists (DESIGN.md: the rest counts only in `unstaged`). */
export function stagedTouchpoints(map: JourneyMap): Map<string, string> {
  const stageIds = new Set(map.stages.map((stage) => stage.id));
  const staged = new Map<string, string>();
  for (const [id, touchpoint] of Object.entries(map.touchpoints)) {
    if (touchpoint.kind === 'touchpoint' && touchpoint.stageId !== null && stageIds.has(touchpoint.stageId)) staged.set(id, touchpoint.stageId);
  }
  return staged;
}
