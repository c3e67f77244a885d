import type { Node } from '@xyflow/react';
import type { StageAnnotation } from '../../../lib/annotations/types';
import type { Stage, Touchpoint } from '../../../lib/journey/types';
import type { TouchpointFigures } from '../../../lib/measurements/touchpoint-figures';

/** Colours of the people who have the touchpoint selected. */
export type PresenceRing = Array<{ name: string; color: string }>;

export type TouchpointNodeData = {
  touchpoint: Touchpoint;
  openThreads: number;
  votes: number;
  /** Open actions on it (proposed or in progress), and how many of those are past their due date. */
  openActions: number;
  overdueActions: number;
  /** The contact center's figures for the period shown, when it has a row for this touchpoint. */
  figures: TouchpointFigures | null;
  presence: PresenceRing;
};

export type HubNodeData = {
  touchpoint: Touchpoint;
  failureDemand: number;
  presence: PresenceRing;
};

/** A stage header being dragged: where the pointer is across the columns (flow x) and the gap it would drop into. */
export type StageDrag = { stageId: string; name: string; x: number; slot: number };

export type StageLaneData = {
  stage: Stage;
  index: number;
  /** How many stages the map has: the slots a header can be dropped into. */
  count: number;
  height: number;
  annotation: StageAnnotation | null;
  hotspot: boolean;
  canEdit: boolean;
  /** Just added by this person: its name opens in edit. */
  autoEdit: boolean;
} & StageLaneHandlers;

export type StageLaneHandlers = {
  onRename: (stageId: string, name: string) => void;
  onSetAccountable: (stageId: string, team: string | null) => void;
  /** Moves the stage to `toIndex` of the resulting order. */
  onMove: (stageId: string, toIndex: number) => void;
  onRequestDelete: (stageId: string) => void;
  onStageDrag: (drag: StageDrag | null) => void;
  onEdited: () => void;
};

export type TouchpointFlowNode = Node<TouchpointNodeData, 'touchpoint'>;
export type HubFlowNode = Node<HubNodeData, 'hub'>;
export type StageLaneFlowNode = Node<StageLaneData, 'stageLane'>;
export type JourneyFlowNode = TouchpointFlowNode | HubFlowNode | StageLaneFlowNode;
