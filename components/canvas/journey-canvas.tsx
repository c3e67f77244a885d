'use client';

import {
  Controls,
  Panel,
  ReactFlow,
  ViewportPortal,
  useReactFlow,
  useStore,
  type Connection as FlowConnection,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent, type Ref } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { MapAnnotations } from '../../lib/annotations/types';
import type { TouchpointFigures } from '../../lib/measurements/touchpoint-figures';
import { CARD_HEIGHT, CARD_WIDTH, EMOTION_CURVE_HEIGHT, EMOTION_CURVE_TOP, LANE_HEADER_HEIGHT, LANE_WIDTH, READABLE_ZOOM, cardCover, freeSlot, laneHeight, laneLeft, openingViewport, stageAtX } from '../../lib/journey/layout';
import { stageNameProblem, stageRefusal, teamNameProblem } from '../../lib/journey/field-messages';
import { plainMessage } from '../../lib/journey/plain-words';
import type { EditOrigin } from '../../lib/journey/origin';
import {
  addConnection,
  addStage,
  addTouchpoint,
  deleteConnection,
  deleteStage,
  deleteStageMovingTouchpoints,
  deleteStageWithTouchpoints,
  deleteTouchpoint,
  moveStage,
  moveTouchpointToStage,
  renameStage,
  setStageAccountable,
  updateConnectionLabel,
  updateTouchpoint,
} from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import { AddStageColumn, StageDropMarker, StageEmptyState, TouchpointsHint } from './add-stage-button';
import { buildEdges, buildNodes, presenceBySelection, type CardCache } from './build-flow';
import { DeleteStageDialog, type StageDeletion } from './delete-stage-dialog';
import { CanvasEditingContext, type CanvasEditing, type EditTarget } from './canvas-editing';
import { CardCoverContext, ConnectionEdge, type ConnectionFlowEdge } from './edges/labelled-edge';
import { HubNode } from './nodes/hub-node';
import type { JourneyFlowNode, StageDrag, StageLaneHandlers } from './nodes/node-types';
import { StageLaneNode } from './nodes/stage-lane-node';
import { TouchpointNode } from './nodes/touchpoint-node';
import { PeerCursors } from '../presence/peer-cursors';
import { captureCanvas, type CanvasImage, type ImageFormat, type ImageScope } from './canvas-image';
import { cardAt, overviewCards } from './overview-drawing';
import { OverviewLayer } from './overview-layer';
import { reuseUnchanged, sameData, useReused } from './reuse-unchanged';
import type { Peer } from './use-doc-state';

const nodeTypes: NodeTypes = { touchpoint: TouchpointNode, hub: HubNode, stageLane: StageLaneNode };
const edgeTypes: EdgeTypes = { connection: ConnectionEdge };

/** What the workspace around the canvas asks of it. */
export interface CanvasHandle {
  /** A new card in the selected card's stage, or the stage most in view, in a free slot, in view, its label in edit. */
  addTouchpoint: () => void;
  /** The canvas as a PNG or SVG: the whole map, or what is in view (canvas-image.ts). */
  captureImage: (format: ImageFormat, scope: ImageScope) => Promise<CanvasImage>;
}

export interface JourneyCanvasProps {
  mapDoc: Y.Doc;
  origin: EditOrigin;
  awareness: Awareness;
  map: JourneyMap;
  discussion: Discussion;
  annotations: MapAnnotations | null;
  /** The contact center's figures for the period shown, by touchpoint id (none on a saved version). */
  figures?: ReadonlyMap<string, TouchpointFigures>;
  peers: Peer[];
  canEdit: boolean;
  selection: string | null;
  onSelect: (id: string | null) => void;
  onOpenInspector: () => void;
  /** A touchpoint to bring into view (a click in the insights panel); the number changes per request. */
  focus: { id: string; seq: number } | null;
  onError: (message: string) => void;
  ref?: Ref<CanvasHandle>;
}

const NO_EDGES: ConnectionFlowEdge[] = [];
const NEW_LABEL = 'New touchpoint';
/** How long after a click in the overview a double-click is its second half, not a wish to add a card. */
const DOUBLE_CLICK_MS = 600;

const keepIfSame = <T,>(previous: T, next: T): T => (sameData(previous, next) ? previous : next);

/** Runs a schema write, turning a refused one (JourneyError) into a message for the person, in plain words. */
function attempt(onError: (m: string) => void, write: () => void): void {
  try {
    write();
  } catch (error) {
    onError(plainMessage(error instanceof Error ? error.message : String(error)));
  }
}

export function JourneyCanvas({ ref, focus, onOpenInspector, ...props }: JourneyCanvasProps) {
  const { mapDoc, origin, awareness, map, discussion, annotations, figures, peers, canEdit, selection, onSelect, onError } = props;
  const flow = useReactFlow<JourneyFlowNode, ConnectionFlowEdge>();
  const flowRoot = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<Map<string, { x: number; y: number }>>(new Map());
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());

  // Stages: what the headers, the menu, the drag and the delete dialog do. A refused value is told in words, never the schema's.
  const [stageDrag, setStageDrag] = useState<StageDrag | null>(null);
  const [deletingStage, setDeletingStage] = useState<string | null>(null);
  const [editingStage, setEditingStage] = useState<string | null>(null);
  const stageWrite = useCallback(
    (action: string, write: () => void) => {
      try {
        write();
      } catch (error) {
        onError(stageRefusal(error, action));
      }
    },
    [onError],
  );
  const laneHandlers = useMemo<StageLaneHandlers>(
    () => ({
      onRename: (stageId, name) => {
        const problem = stageNameProblem(name);
        if (problem) return onError(problem);
        stageWrite('rename the stage', () => renameStage(mapDoc, stageId, name.trim(), origin));
      },
      onSetAccountable: (stageId, team) => {
        const problem = team === null ? null : teamNameProblem(team);
        if (problem) return onError(problem);
        stageWrite('set the accountable team', () => setStageAccountable(mapDoc, stageId, team, origin));
      },
      onMove: (stageId, toIndex) => stageWrite('move the stage', () => moveStage(mapDoc, stageId, toIndex, origin)),
      onRequestDelete: setDeletingStage,
      onStageDrag: setStageDrag,
      onEdited: () => setEditingStage(null),
    }),
    [mapDoc, origin, onError, stageWrite],
  );

  // Others' cursors move many times a second; the cards change only when someone selects another one.
  const presence = useReused(useMemo(() => presenceBySelection(peers), [peers]), keepIfSame);
  // Zoomed out too far to read a card, the cards and connections are one picture (OverviewLayer), not nodes.
  const overview = useStore((s) => s.transform[2] < READABLE_ZOOM);
  // A cache the builds fill and read, never state to render from: one per canvas.
  const [cardCache] = useState<CardCache>(() => new Map());
  const built = useMemo(
    () => buildNodes({ map, discussion, annotations, figures, presence, selection, dragging, measured, canEdit, laneHandlers, editingStage, overview, cardCache }),
    [map, discussion, annotations, figures, presence, selection, dragging, measured, canEdit, laneHandlers, editingStage, overview, cardCache],
  );
  const nodes = useReused(built, reuseUnchanged);
  const edges = useReused(useMemo(() => buildEdges(map, canEdit), [map, canEdit]), reuseUnchanged);
  const cards = useMemo(() => (overview ? overviewCards(map) : []), [overview, map]);
  const cover = useMemo(() => cardCover(map), [map]);
  const overviewClickAt = useRef(0);
  // In the overview the pane shows a pointer over a card: there a click opens it.
  const [overCard, setOverCard] = useState(false);
  const onPaneMouseMove = useCallback(
    (event: ReactMouseEvent) => setOverCard(overview && cardAt(cards, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY })) !== null),
    [overview, cards, flow],
  );

  // In the overview a click on a card selects it and zooms in to it; elsewhere it clears the selection.
  const onPaneClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!overview) return onSelect(null);
      overviewClickAt.current = Date.now();
      const card = cardAt(cards, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
      onSelect(card?.id ?? null);
      if (card) void flow.setCenter(card.x + CARD_WIDTH / 2, card.y + CARD_HEIGHT / 2, { zoom: 1, duration: 300 });
    },
    [overview, cards, flow, onSelect],
  );

  const commitPosition = useCallback(
    (id: string, position: { x: number; y: number }) => {
      const tp = map.touchpoints[id];
      if (!tp) return;
      attempt(onError, () => {
        if (tp.kind === 'hub') updateTouchpoint(mapDoc, id, { x: Math.round(position.x), y: Math.round(position.y) }, origin);
        else moveTouchpointToStage(mapDoc, id, stageAtX(map, position.x + CARD_WIDTH / 2), origin, { x: Math.round(position.x), y: Math.round(position.y) });
      });
    },
    [map, mapDoc, origin, onError],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<JourneyFlowNode>[]) => {
      let drags: Map<string, { x: number; y: number }> | null = null;
      let sizes: Map<string, { width: number; height: number }> | null = null;
      // A click on another card comes as two changes, in either order: the new one selected, the old one not.
      let picked: string | null = null;
      let dropped = false;
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) {
          sizes ??= new Map(measured);
          sizes.set(change.id, change.dimensions);
        } else if (change.type === 'select') {
          if (change.selected) picked = change.id;
          else if (selection === change.id) dropped = true;
        } else if (change.type === 'position' && change.position) {
          drags ??= new Map(dragging);
          if (change.dragging) drags.set(change.id, change.position);
          else {
            // The end of a drag, or a nudge with the arrow keys: now it is an edit.
            drags.delete(change.id);
            commitPosition(change.id, change.position);
          }
        }
      }
      if (picked !== null) onSelect(picked);
      else if (dropped) onSelect(null);
      if (drags) setDragging(drags);
      if (sizes) setMeasured(sizes);
    },
    [dragging, measured, selection, onSelect, commitPosition],
  );

  const onConnect = useCallback(
    (c: FlowConnection) => attempt(onError, () => addConnection(mapDoc, { source: c.source, target: c.target }, origin)),
    [mapDoc, origin, onError],
  );

  const onNodesDelete = useCallback(
    (deleted: JourneyFlowNode[]) => {
      for (const node of deleted) if (node.type === 'touchpoint') attempt(onError, () => deleteTouchpoint(mapDoc, node.id, origin));
      onSelect(null);
    },
    [mapDoc, origin, onError, onSelect],
  );

  const onEdgesDelete = useCallback(
    (deleted: ConnectionFlowEdge[]) => {
      for (const edge of deleted) attempt(onError, () => deleteConnection(mapDoc, edge.id, origin));
    },
    [mapDoc, origin, onError],
  );

  // Writes read the map of the last render; kept in a ref so that the editing context stays one object while the map changes.
  const mapRef = useRef(map);
  useEffect(() => {
    mapRef.current = map;
  }, [map]);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);

  const [editing, setEditing] = useState<EditTarget | null>(null);
  const editingContext = useMemo<CanvasEditing>(
    () => ({
      editing: canEdit ? editing : null,
      canEdit,
      startEdit: setEditing,
      cancel: () => setEditing(null),
      commit: (target, label) => {
        setEditing(null);
        const now = mapRef.current;
        const current = target.kind === 'card' ? now.touchpoints[target.id]?.label : now.connections[target.id]?.label;
        if (current === undefined || current === label.trim()) return;
        attempt(onError, () => {
          if (target.kind === 'card') updateTouchpoint(mapDoc, target.id, { label }, origin);
          else updateConnectionLabel(mapDoc, target.id, label, origin);
        });
      },
    }),
    [editing, canEdit, mapDoc, origin, onError],
  );

  /** Adds a card to the stage, in the free slot nearest to `nearY`, brings it into view and opens its label for typing. */
  const addCard = useCallback(
    (stageId: string, nearY?: number) => {
      const slot = freeSlot(mapRef.current, stageId, nearY);
      attempt(onError, () => {
        const id = addTouchpoint(mapDoc, { label: NEW_LABEL, stageId, ...slot }, origin);
        onSelect(id);
        setEditing({ kind: 'card', id });
        const view = flow.getViewport();
        const left = -view.x / view.zoom;
        const top = -view.y / view.zoom;
        const inView = slot.x >= left && slot.y >= top && slot.x + CARD_WIDTH <= left + paneWidth / view.zoom && slot.y + CARD_HEIGHT <= top + paneHeight / view.zoom;
        if (!inView || view.zoom < READABLE_ZOOM) void flow.setCenter(slot.x + CARD_WIDTH / 2, slot.y + CARD_HEIGHT / 2, { zoom: Math.max(view.zoom, 0.8), duration: 300 });
      });
    },
    [mapDoc, origin, onError, onSelect, flow, paneWidth, paneHeight],
  );

  useImperativeHandle(
    ref,
    () => ({
      captureImage: (format: ImageFormat, scope: ImageScope) => {
        const root = flowRoot.current;
        if (!root) return Promise.reject(new Error('The canvas is not on screen yet'));
        return captureCanvas(root, flow, mapRef.current, format, scope);
      },
      addTouchpoint: () => {
        const now = mapRef.current;
        const selectedStage = selection === null ? null : (now.touchpoints[selection]?.stageId ?? null);
        const view = flow.getViewport();
        const left = -view.x / view.zoom;
        const right = left + paneWidth / view.zoom;
        // The stage most in view: the one under the middle of the pane (the first or last when the pane is past them);
        // when every stage is in view, none is more than another, and the journey starts with the first.
        const everyStage = left <= 0 && right >= laneLeft(now.stages.length);
        const column = everyStage ? 0 : Math.min(Math.max(Math.floor((left + right) / 2 / LANE_WIDTH), 0), now.stages.length - 1);
        const stageId = selectedStage && now.stages.some((s) => s.id === selectedStage) ? selectedStage : (now.stages[column]?.id ?? null);
        if (stageId) addCard(stageId);
      },
    }),
    [selection, flow, paneWidth, addCard],
  );

  // Double-click in a stage's column adds a touchpoint there; on a card it edits the card's label, on a connection its label.
  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!canEdit || overview || Date.now() - overviewClickAt.current < DOUBLE_CLICK_MS) return;
      const target = event.target as HTMLElement;
      if (target.closest('.react-flow__node-touchpoint, .react-flow__node-hub, .react-flow__edge, .react-flow__edgelabel-renderer, input, button')) return;
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const stageId = stageAtX(map, at.x);
      if (stageId) addCard(stageId, at.y - CARD_HEIGHT / 2);
    },
    [canEdit, overview, flow, map, addCard],
  );

  // Enter on a connection reached with Tab opens its label (React Flow's own Enter only selects it).
  const onKeyDown = useCallback(
    (event: ReactKeyboardEvent) => {
      if (event.key !== 'Enter' || !canEdit || !(event.target instanceof Element)) return;
      const id = event.target.closest<HTMLElement>('.react-flow__edge')?.dataset.id;
      if (!id) return;
      event.preventDefault();
      event.stopPropagation();
      setEditing({ kind: 'connection', id });
    },
    [canEdit],
  );

  // Presence: my cursor (in flow coordinates, so it lands on the same spot at any zoom) and my selection.
  const frame = useRef(0);
  const onPointerMove = useCallback(
    (event: React.PointerEvent) => {
      const { clientX, clientY } = event;
      if (frame.current) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        const p = flow.screenToFlowPosition({ x: clientX, y: clientY });
        awareness.setLocalStateField('cursor', { x: Math.round(p.x), y: Math.round(p.y) });
      });
    },
    [awareness, flow],
  );
  useEffect(() => awareness.setLocalStateField('selection', selection), [awareness, selection]);

  // The first view, once the map is there and the pane has a size (React Flow's fitView would show the whole map, unreadable when it is big).
  const opened = useRef(false);
  const hasContent = map.stages.length > 0 || Object.keys(map.touchpoints).length > 0;
  useEffect(() => {
    if (opened.current || paneWidth === 0 || paneHeight === 0 || !hasContent) return;
    opened.current = true;
    void flow.setViewport(openingViewport(map, { width: paneWidth, height: paneHeight }));
  }, [paneWidth, paneHeight, hasContent, map, flow]);

  // A new stage goes after the last one, named "New stage" with its name in edit; the view moves so that it is on screen.
  const onAddStage = useCallback(() => {
    const index = map.stages.length;
    stageWrite('add a stage', () => {
      const id = addStage(mapDoc, { name: 'New stage' }, origin);
      setEditingStage(id);
      const view = flow.getViewport();
      const left = laneLeft(index) * view.zoom + view.x;
      // Room for the new column and the "Add stage" one after it.
      const right = laneLeft(index + 2) * view.zoom + view.x;
      const shift = right > paneWidth ? right - paneWidth + 16 : left < 0 ? left - 16 : 0;
      if (shift !== 0) void flow.setViewport({ ...view, x: view.x - shift });
    });
  }, [map.stages.length, mapDoc, origin, flow, paneWidth, stageWrite]);

  const hasCards = useMemo(() => Object.values(map.touchpoints).some((tp) => tp.kind === 'touchpoint'), [map.touchpoints]);
  const stageToDelete = deletingStage === null ? undefined : map.stages.find((s) => s.id === deletingStage);
  const touchpointsIn = (stageId: string) => Object.values(map.touchpoints).filter((tp) => tp.kind === 'touchpoint' && tp.stageId === stageId).length;
  const confirmStageDeletion = (stageId: string, deletion: StageDeletion) => {
    setDeletingStage(null);
    stageWrite('delete the stage', () => {
      if (deletion.kind === 'move') deleteStageMovingTouchpoints(mapDoc, stageId, deletion.toStageId, origin);
      else if (deletion.kind === 'delete') deleteStageWithTouchpoints(mapDoc, stageId, origin);
      else deleteStage(mapDoc, stageId, origin);
    });
  };

  useEffect(() => {
    if (!focus) return;
    const node = flow.getNode(focus.id);
    if (node) void flow.setCenter(node.position.x + CARD_WIDTH / 2, node.position.y + 60, { zoom: 1.1, duration: 400 });
  }, [focus, flow]);

  return (
    <CanvasEditingContext value={editingContext}>
      <CardCoverContext value={cover}>
        <ReactFlow<JourneyFlowNode, ConnectionFlowEdge>
          ref={flowRoot}
          nodes={nodes}
          edges={overview ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onConnect={onConnect}
          onNodesDelete={onNodesDelete}
          onEdgesDelete={onEdgesDelete}
          onNodeDoubleClick={(_, node) => {
            if (node.type === 'touchpoint' && canEdit) setEditing({ kind: 'card', id: node.id });
            else if (node.type !== 'stageLane') onOpenInspector();
          }}
          onEdgeDoubleClick={(_, edge) => (canEdit ? setEditing({ kind: 'connection', id: edge.id }) : undefined)}
          onDoubleClick={onDoubleClick}
          onKeyDown={onKeyDown}
          onPointerMove={onPointerMove}
          onPointerLeave={() => awareness.setLocalStateField('cursor', null)}
          onPaneClick={onPaneClick}
          onPaneMouseMove={onPaneMouseMove}
          onPaneMouseLeave={() => setOverCard(false)}
          isValidConnection={(c) => c.source !== c.target}
          nodesDraggable={canEdit}
          nodesConnectable={canEdit}
          elementsSelectable
          // A connection is a tab stop only for those who can label it: Enter opens its label.
          edgesFocusable={canEdit}
          deleteKeyCode={canEdit ? ['Delete', 'Backspace'] : null}
          zoomOnDoubleClick={false}
          onlyRenderVisibleElements
          // Far enough out to see a 2,000-touchpoint map whole: the overview draws it as one picture at any zoom.
          minZoom={0.03}
          maxZoom={2}
          proOptions={{ hideAttribution: true }}
          // A plain pane, no dot grid: the stage columns are the grid, and React Flow's pattern is drawn
          // again over the whole pane on every frame of a pan (a quarter of the CPU time of panning here).
          className={`bg-slate-50 ${overview && overCard ? 'overview-over-card' : ''}`}
        >
          <Controls showInteractive={false} fitViewOptions={{ padding: 0.1 }} />
          {map.stages.length === 0 ? (
            <Panel position="top-center" className="mt-24">
              <StageEmptyState canEdit={canEdit} onAdd={onAddStage} />
            </Panel>
          ) : canEdit && !hasCards ? (
            <Panel position="top-center">
              <TouchpointsHint />
            </Panel>
          ) : null}
          {canEdit && stageToDelete ? (
            <DeleteStageDialog
              stage={stageToDelete}
              stages={map.stages}
              touchpoints={touchpointsIn(stageToDelete.id)}
              onConfirm={(deletion) => confirmStageDeletion(stageToDelete.id, deletion)}
              onCancel={() => setDeletingStage(null)}
            />
          ) : null}
          {overview ? (
            <Panel position="top-center" className="rounded-full bg-slate-900/80 px-3 py-1 text-xs text-white" data-testid="overview-hint">
              Overview · zoom in, or click a card, to read and edit
            </Panel>
          ) : null}
          <ViewportPortal>
            {overview ? <OverviewLayer map={map} cards={cards} presence={presence} selection={selection} /> : null}
            <EmotionOverlay annotations={annotations} stageCount={map.stages.length} />
            {canEdit && map.stages.length > 0 ? <AddStageColumn index={map.stages.length} onAdd={onAddStage} /> : null}
            {stageDrag ? <StageDropMarker drag={stageDrag} height={laneHeight(map)} /> : null}
            <PeerCursors awareness={awareness} />
          </ViewportPortal>
        </ReactFlow>
      </CardCoverContext>
    </CanvasEditingContext>
  );
}

/** The emotion curve drawn across the stage headers, in flow coordinates. */
function EmotionOverlay({ annotations, stageCount }: { annotations: MapAnnotations | null; stageCount: number }) {
  if (!annotations || stageCount === 0) return null;
  const top = EMOTION_CURVE_TOP;
  const height = EMOTION_CURVE_HEIGHT;
  const y = (e: number) => top + ((2 - e) / 4) * height;
  const points = annotations.emotionCurve.map((p, i) => ({ ...p, x: laneLeft(i) + LANE_WIDTH / 2 }));
  let d = '';
  let open = false;
  for (const p of points) {
    if (p.emotion === null) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${p.x},${y(p.emotion).toFixed(1)}`;
    open = true;
  }
  const width = laneLeft(stageCount);
  return (
    <svg className="pointer-events-none absolute overflow-visible" style={{ left: 0, top }} width={width} height={height} viewBox={`0 ${top} ${width} ${height}`} aria-label="Emotion across the stages" role="img">
      <text x={4} y={top - 14} fontSize={12} fontWeight={600} fill="#3730a3">
        Emotion curve <tspan fontWeight={400} fill="#64748b">· each stage&apos;s average emotion, −2 to +2</tspan>
      </text>
      <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke="#cbd5e1" strokeDasharray="4 4" />
      <text x={4} y={y(2) + 4} fontSize={11} fill="#64748b">+2</text>
      <text x={4} y={y(-2) + 4} fontSize={11} fill="#64748b">−2</text>
      <path d={d} fill="none" stroke="#4f46e5" strokeWidth={3} strokeLinejoin="round" />
      {points.map((p) => (p.emotion === null ? null : <circle key={p.stageId} cx={p.x} cy={y(p.emotion)} r={6} fill={p.emotion < 0 ? '#e11d48' : '#059669'} stroke="white" strokeWidth={2} />))}
    </svg>
  );
}

