import type { Node } from '@xyflow/react';
import type { StageAnnotation } from '../../../lib/annotations/types';
import type { Stage, Touchpoint } from '../../../lib/journey/types';

/** Colours of the people who have the touchpoint selected. */
export type PresenceRing = Array<{ name: string; color: string }>;

export type TouchpointNodeData = {
  touchpoint: Touchpoint;
  openThreads: number;
  votes: number;
  presence: PresenceRing;
};

export type HubNodeData = {
  touchpoint: Touchpoint;
  failureDemand: number;
  presence: PresenceRing;
};

export type StageLaneData = {
  stage: Stage;
  index: number;
  height: number;
  annotation: StageAnnotation | null;
  hotspot: boolean;
  canEdit: boolean;
  onRename: (stageId: string, name: string) => void;
  onSetAccountable: (stageId: string, team: string | null) => void;
};

export type TouchpointFlowNode = Node<TouchpointNodeData, 'touchpoint'>;
export type HubFlowNode = Node<HubNodeData, 'hub'>;
export type StageLaneFlowNode = Node<StageLaneData, 'stageLane'>;
export type JourneyFlowNode = TouchpointFlowNode | HubFlowNode | StageLaneFlowNode;
