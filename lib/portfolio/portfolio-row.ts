import { isOpen, isOverdue } from '../journey/actions';
import { reviewState, type ReviewState } from '../journey/review';
import type { Role } from '../permissions/roles';
import { stagedTouchpoints, type DamagedMapInput, type PortfolioMap } from './portfolio-map';

/**
 * One map's line on the portfolio (issue 13 §4): where the pain is, the
 * ownership gaps, the contacts it is estimated to drive and those measured,
 * CSAT, open and overdue actions, and whether its review is stale.
 */

/**
 * Why a map is flagged stale: never reviewed; not reviewed for 90 days
 * (lib/journey/review.ts); or figures arrived after its last review, so the
 * review did not see them.
 */
export type StaleReason = 'never-reviewed' | 'review-due' | 'figures-since-review';

export const STALE_WORDS: Readonly<Record<StaleReason, string>> = {
  'never-reviewed': 'Never reviewed',
  'review-due': 'Not reviewed for 90 days',
  'figures-since-review': 'New figures since the review',
};

export interface PortfolioRow {
  id: string;
  title: string;
  role: Role;
  updatedAt: number;
  damaged: false;
  stages: number;
  /** The hotspot stage (DESIGN.md: the largest pain, the earliest on a tie), null when no stage has pain. */
  hotspot: { stageId: string; name: string; pain: number } | null;
  ownershipGaps: number;
  /** Σ contactVolume over the staged touchpoints: the map's own estimate (failure demand). */
  estimatedContacts: number;
  /** The month the measured figures are of, null without figures. */
  measuredPeriod: string | null;
  measuredContacts: number | null;
  /** 100 × Σ satisfied / Σ responses over the staged touchpoints' rows of that month; null without responses. */
  csat: number | null;
  openActions: number;
  overdueActions: number;
  review: ReviewState;
  /** When figures last arrived (meta.figuresAt), null when never. */
  figuresAt: number | null;
  /** Empty when the map is not stale. */
  stale: StaleReason[];
}

export interface DamagedPortfolioRow {
  id: string;
  title: string;
  role: Role;
  updatedAt: number;
  damaged: true;
  damagedMessage: string;
}

export type PortfolioEntry = PortfolioRow | DamagedPortfolioRow;

export function staleReasons(review: ReviewState, figuresAt: number | null): StaleReason[] {
  if (review.kind === 'never') return ['never-reviewed'];
  const reasons: StaleReason[] = [];
  if (review.kind === 'due') reasons.push('review-due');
  if (figuresAt !== null && figuresAt > review.at) reasons.push('figures-since-review');
  return reasons;
}

/** `now` in ms for the review's age; `today` 'YYYY-MM-DD' for overdue actions. */
export function portfolioRow(prepared: PortfolioMap, now: number, today: string): PortfolioRow {
  const { map, annotations } = prepared;
  const hotspotStage = annotations.stages.find((stage) => stage.stageId === annotations.hotspotStageId);
  let openActions = 0;
  let overdueActions = 0;
  for (const action of Object.values(map.actions)) {
    if (!isOpen(action)) continue;
    openActions++;
    if (isOverdue(action, today)) overdueActions++;
  }
  const review = reviewState(map.meta, now);
  const figuresAt = typeof map.meta.figuresAt === 'number' && Number.isFinite(map.meta.figuresAt) ? map.meta.figuresAt : null;
  return {
    id: prepared.id,
    title: prepared.title,
    role: prepared.role,
    updatedAt: prepared.updatedAt,
    damaged: false,
    stages: annotations.stages.length,
    hotspot: hotspotStage === undefined ? null : { stageId: hotspotStage.stageId, name: hotspotStage.name, pain: hotspotStage.pain },
    ownershipGaps: annotations.ownershipGaps,
    estimatedContacts: annotations.failureDemand,
    measuredPeriod: annotations.measuredPeriod,
    measuredContacts: annotations.measuredContacts,
    csat: mapCsat(prepared),
    openActions,
    overdueActions,
    review,
    figuresAt,
    stale: staleReasons(review, figuresAt),
  };
}

/** Pooled as a stage pools its touchpoints (DESIGN.md, "Measured data and outcomes"), over every staged touchpoint of the map. */
function mapCsat(prepared: PortfolioMap): number | null {
  const staged = stagedTouchpoints(prepared.map);
  let responses = 0;
  let satisfied = 0;
  for (const [touchpointId, row] of prepared.rowsByTouchpoint) {
    if (!staged.has(touchpointId) || row.csat === undefined) continue;
    responses += row.csat.responses;
    satisfied += row.csat.satisfied;
  }
  return responses === 0 ? null : (100 * satisfied) / responses;
}

export function damagedRow(input: DamagedMapInput): DamagedPortfolioRow {
  return { id: input.id, title: input.title, role: input.role, updatedAt: input.updatedAt, damaged: true, damagedMessage: input.damagedMessage };
}
