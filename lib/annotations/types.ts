/**
 * The result of `annotateMap` (DESIGN.md, "Per-stage annotations (contract)").
 * Every field is defined there; the comments here only restate the edge cases.
 */

/** `none` when pain is 0; else by pain per touchpoint: < 5 low, < 10 medium, < 15 high, else critical. */
export type PainLevel = 'none' | 'low' | 'medium' | 'high' | 'critical';

/**
 * `empty`: no touchpoints (wins over everything else); `owned`: accountable set;
 * `fragmented`: no accountable, two or more owners; `unowned`: no accountable, no owner.
 */
export type Ownership = 'empty' | 'owned' | 'fragmented' | 'unowned';

export interface StageAnnotation {
  stageId: string;
  name: string;
  /** Touchpoints of kind `touchpoint` in the stage (the hub never counts). */
  touchpoints: number;
  /** Mean of their non-null emotions, null when none has one. */
  emotion: number | null;
  /** Σ severity × frequency over the stage's touchpoints and their pain points. */
  pain: number;
  /** pain / touchpoints, 0 when the stage has no touchpoints. */
  painPerTouchpoint: number;
  painLevel: PainLevel;
  /** Distinct owners of its touchpoints, sorted by code unit. */
  owners: string[];
  /** The stage's own accountable team, else the single owner, else null. */
  accountable: string | null;
  ownership: Ownership;
  /** Ids of its touchpoints with no owner, sorted by code unit. */
  unownedTouchpoints: string[];
  /** How many of its touchpoints reach the hub through connections, either direction, any number of steps. */
  hubLinked: number;
  /** hubLinked / touchpoints, null when the stage has no touchpoints. */
  hubCoverage: number | null;
  /** Σ contactVolume of its touchpoints. */
  failureDemand: number;
  /** Thread-opening (parentId null), unresolved comments on its touchpoints. */
  openComments: number;
  /** Σ dots on its touchpoints. */
  votes: number;
  /**
   * null when accountable is set; else the owner carrying the most pain in the
   * stage, then the most touchpoints, then the first by code unit; when the
   * stage has no owner at all, the hub's owner (null without one).
   */
  suggestedOwner: string | null;
  /** Only when measurements with rows were given. */
  measured?: StageMeasured;
}

export interface EmotionPoint {
  stageId: string;
  emotion: number | null;
}

export interface MapAnnotations {
  /** One per stage, in the map's order. */
  stages: StageAnnotation[];
  /** The stage with the largest pain, the earliest on a tie; null when every stage has 0. */
  hotspotStageId: string | null;
  emotionCurve: EmotionPoint[];
  /** How many stages are `fragmented` or `unowned`. */
  ownershipGaps: number;
  /** Σ hubLinked / Σ touchpoints over the stages, null when that is 0. */
  hubCoverage: number | null;
  /** Σ of the stages' failureDemand: unstaged touchpoints do not count. */
  failureDemand: number;
  /** Touchpoints (kind `touchpoint`) whose stageId is null or names no stage. */
  unstaged: number;
  /** The period P the stages' `measured` describe; null without measured rows. */
  measuredPeriod: string | null;
  /** Σ of the stages' measured contacts; null when all are null (or there are no rows). */
  measuredContacts: number | null;
}

/**
 * The contact center's figures of one touchpoint for one month (DESIGN.md,
 * "Measured data and outcomes"), as `annotateMap` and `actionOutcomes` take them.
 */
export interface MeasurementRow {
  touchpointId: string;
  /** 'YYYY-MM', a calendar month in UTC. */
  period: string;
  contacts?: number;
  csat?: { responses: number; satisfied: number };
  ces?: { responses: number; mean: number };
  nps?: { promoters: number; passives: number; detractors: number };
}

export interface Measurements {
  rows: readonly MeasurementRow[];
  /** The month to annotate; the latest month among the rows when absent. */
  period?: string;
}

/** A stage's measured figures for the period P, over its touchpoints' rows. */
export interface StageMeasured {
  period: string;
  /** Σ contacts; null when no row has contacts. */
  contacts: number | null;
  /** 100 × Σ satisfied / Σ responses; null when there are no responses. */
  csat: number | null;
  /** Σ (mean × responses) / Σ responses; null when none. */
  ces: number | null;
  /** 100 × (Σ promoters − Σ detractors) / Σ answers; null when none. */
  nps: number | null;
  /** The stage's contacts for each of the six months ending with P, oldest first; null for a month without contacts. */
  contactsTrend: (number | null)[];
}

/** Contacts and CSAT of a done action's touchpoint in the three months before and the three after the month it was done. */
export interface ActionOutcome {
  actionId: string;
  contactsBefore: number | null;
  contactsAfter: number | null;
  csatBefore: number | null;
  csatAfter: number | null;
}
