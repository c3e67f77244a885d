import { Position, type NodeHandle } from '@xyflow/react';
import type { MapAnnotations } from '../../lib/annotations/types';
import { actionCountsByTouchpoint, localDate } from '../../lib/journey/actions';
import { CARD_HEIGHT, CARD_WIDTH, LANE_WIDTH, displayPosition, laneHeight, laneLeft, stageIndexOf } from '../../lib/journey/layout';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import type { TouchpointFigures } from '../../lib/measurements/touchpoint-figures';
import type { ConnectionFlowEdge } from './edges/labelled-edge';
import type { Peer } from './use-doc-state';
import type { JourneyFlowNode, PresenceRing, StageLaneHandlers } from './nodes/node-types';

export interface FlowInput {
  map: JourneyMap;
  discussion: Discussion;
  annotations: MapAnnotations | null;
  /** The contact center's figures for the period shown, by touchpoint id. */
  figures?: ReadonlyMap<string, TouchpointFigures>;
  /** Who else has which touchpoint selected (presenceBySelection). */
  presence: Presence;
  selection: string | null;
  /** Positions of cards being dragged here, which win over the document until dropped. */
  dragging: ReadonlyMap<string, { x: number; y: number }>;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  canEdit: boolean;
  laneHandlers: StageLaneHandlers;
  /** The stage this person just added, whose name opens in edit. */
  editingStage?: string | null;
  /** Zoomed out past reading: the cards are drawn by the overview layer, not as nodes. */
  overview?: boolean;
  /** The card nodes of the last build, kept across builds by the caller: see CardCache. */
  cardCache?: CardCache;
}

/**
 * Card nodes by touchpoint id with what they were built from. A card whose
 * touchpoint (the same object: createMapReader keeps unchanged ones), column,
 * selection, threads, dots and presence are as before is the same node object
 * as before, so one remote edit on a 2,000-card map builds one node, and
 * reuseUnchanged and React Flow see the other 1,999 unchanged at a glance.
 */
export type CardCache = Map<string, { deps: readonly unknown[]; node: JourneyFlowNode }>;

const sameDeps = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/** The rings around selected cards, by touchpoint id: all the cards need of the others' presence (not their cursors). */
export type Presence = Readonly<Record<string, PresenceRing>>;

export function presenceBySelection(peers: readonly Peer[]): Presence {
  const presence: Record<string, PresenceRing> = {};
  for (const peer of peers) {
    if (peer.selection) (presence[peer.selection] ??= []).push({ name: peer.user.name, color: peer.user.color });
  }
  return presence;
}

const HANDLE_SIZE = 10;
const NO_PRESENCE: PresenceRing = [];
const CARD_SIZE = { width: CARD_WIDTH, height: CARD_HEIGHT };

/**
 * A card's handles as touchpoint-node.tsx draws them: 10 px, centred on its
 * left (in) and right (out) edges. Declared, they let React Flow place edges to
 * cards it has not drawn; otherwise it would draw every card once to find
 * them, 2,000 on a big map, before showing only those in view.
 */
const CARD_HANDLES: NodeHandle[] = [
  { id: null, type: 'target', position: Position.Left, x: -HANDLE_SIZE / 2, y: (CARD_HEIGHT - HANDLE_SIZE) / 2, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { id: null, type: 'source', position: Position.Right, x: CARD_WIDTH - HANDLE_SIZE / 2, y: (CARD_HEIGHT - HANDLE_SIZE) / 2, width: HANDLE_SIZE, height: HANDLE_SIZE },
];

/** The React Flow nodes of a map: stage columns, touchpoint cards, the hub. */
export function buildNodes(input: FlowInput): JourneyFlowNode[] {
  const { map, discussion, annotations, presence, selection, dragging, measured, canEdit } = input;
  const stageIndex = stageIndexOf(map);
  const byStage = new Map(annotations?.stages.map((a) => [a.stageId, a]) ?? []);
  const height = laneHeight(map);

  const openThreads = new Map<string, number>();
  for (const c of Object.values(discussion.comments)) {
    if (c.parentId === null && !c.resolved) openThreads.set(c.touchpointId, (openThreads.get(c.touchpointId) ?? 0) + 1);
  }
  const actions = actionCountsByTouchpoint(map, localDate(new Date()));
  const dots = new Map<string, number>();
  for (const [touchpointId, tally] of Object.entries(discussion.votes)) {
    let total = 0;
    for (const n of Object.values(tally)) total += n;
    dots.set(touchpointId, total);
  }

  const nodes: JourneyFlowNode[] = map.stages.map((stage, index) => ({
    id: `lane:${stage.id}`,
    type: 'stageLane',
    position: { x: laneLeft(index) + 4, y: 0 },
    // React Flow keeps a node hidden until it has a size; a column's is known, and only cards are measured.
    width: LANE_WIDTH - 8,
    height,
    draggable: false,
    selectable: false,
    deletable: false,
    focusable: false,
    connectable: false,
    zIndex: -1,
    data: {
      stage,
      index,
      count: map.stages.length,
      height,
      annotation: byStage.get(stage.id) ?? null,
      hotspot: annotations?.hotspotStageId === stage.id,
      canEdit,
      autoEdit: input.editingStage === stage.id,
      ...input.laneHandlers,
    },
  }));

  const cache = input.cardCache;
  const seen = new Set<string>();
  for (const tp of Object.values(map.touchpoints)) {
    const dragged = dragging.get(tp.id);
    let deps: unknown[] | null = null;
    if (cache && tp.kind === 'touchpoint') {
      seen.add(tp.id);
      const column = tp.stageId === null ? undefined : stageIndex.get(tp.stageId);
      deps = [tp, column, map.stages.length, dragged?.x, dragged?.y, selection === tp.id, canEdit, input.overview === true, openThreads.get(tp.id), dots.get(tp.id), actions.get(tp.id)?.open, actions.get(tp.id)?.overdue, input.figures?.get(tp.id), presence[tp.id]];
      const cached = cache.get(tp.id);
      if (cached && sameDeps(cached.deps, deps)) {
        nodes.push(cached.node);
        continue;
      }
    }
    const position = dragged ?? displayPosition(tp, stageIndex, map.stages.length);
    const common = {
      id: tp.id,
      position,
      selected: selection === tp.id,
      draggable: canEdit,
      connectable: canEdit,
      ariaLabel: tp.kind === 'hub' ? `Hub: ${tp.label}` : `Touchpoint: ${tp.label}`,
    };
    if (tp.kind === 'hub') {
      // The one node whose size its content decides: measured by React Flow, kept here so a new node object does not lose it.
      const size = measured.get(tp.id);
      nodes.push({ ...common, ...(size ? { measured: size } : {}), type: 'hub', deletable: false, data: { touchpoint: tp, failureDemand: annotations?.failureDemand ?? 0, presence: presence[tp.id] ?? [] } });
    } else {
      const node: JourneyFlowNode = {
        ...common,
        ...CARD_SIZE,
        measured: CARD_SIZE,
        hidden: input.overview === true,
        handles: CARD_HANDLES,
        type: 'touchpoint',
        deletable: canEdit,
        data: {
          touchpoint: tp,
          openThreads: openThreads.get(tp.id) ?? 0,
          votes: dots.get(tp.id) ?? 0,
          openActions: actions.get(tp.id)?.open ?? 0,
          overdueActions: actions.get(tp.id)?.overdue ?? 0,
          figures: input.figures?.get(tp.id) ?? null,
          presence: presence[tp.id] ?? NO_PRESENCE,
        },
      };
      if (cache && deps) cache.set(tp.id, { deps, node });
      nodes.push(node);
    }
  }
  if (cache) for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);

  return nodes;
}

/** The React Flow edges of a map: its connections (dashed to and from the hub), labelled by ConnectionEdge. */
export function buildEdges(map: JourneyMap, canEdit: boolean): ConnectionFlowEdge[] {
  const edges: ConnectionFlowEdge[] = [];
  for (const c of Object.values(map.connections)) {
    const source = map.touchpoints[c.source];
    const target = map.touchpoints[c.target];
    if (!source || !target) continue;
    const toHub = target.kind === 'hub' || source.kind === 'hub';
    edges.push({
      id: c.id,
      source: c.source,
      target: c.target,
      type: 'connection',
      data: { label: c.label },
      ariaLabel: `Connection from ${source.label} to ${target.label}${c.label ? `: ${c.label}` : ''}${canEdit ? '. Enter to change its label' : ''}`,
      deletable: canEdit,
      style: toHub ? { stroke: '#6366f1', strokeDasharray: '6 4' } : { stroke: '#94a3b8' },
    });
  }
  return edges;
}
