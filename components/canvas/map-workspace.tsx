'use client';

import '@xyflow/react/dist/style.css';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { EditOrigin } from '../../lib/journey/origin';
import { deleteTouchpoint, mapUndoScope, markReviewed, tidyUp } from '../../lib/journey/schema';
import { canWrite, type Role } from '../../lib/permissions/roles';
import { CommentsPanel, type Person } from '../panels/comments-panel';
import { Inspector } from '../panels/inspector';
import { InsightsPanel } from '../panels/insights-panel';
import { ReviewStatus } from '../panels/review-status';
import { DotButtons, VoteBar } from '../panels/vote-controls';
import { InboxLink } from '../inbox/inbox-link';
import { Avatars, ConnectionPill } from '../presence/presence-bar';
import { RoleBadge } from '../ui/role-badge';
import { CanvasMinimap } from './canvas-minimap';
import { JourneyCanvas, type CanvasHandle } from './journey-canvas';
import { MapPagesMenu } from './map-pages-menu';
import { downloadImage, type ImageFormat, type ImageScope } from './canvas-image';
import { importRefusal, readMapFile } from './import-into-map';
import { fillEmptyMap } from '../../lib/exchange/fill-empty-map';
import { fileStem } from '../../lib/exchange/formats';
import { Legend } from './legend';
import { MapDetails, MapTitle } from './map-details';
import { ShortcutsDialog } from './shortcuts-dialog';
import { useCollabSession, type CollabSession, type TokenAnswer } from './use-collab-session';
import { useAnnotations, useDiscussion, useJourneyMap, usePeers, useVoteSession } from './use-doc-state';
import { useFigures } from './use-figures';
import { PeriodPicker } from './period-picker';
import { actionOutcomes } from '../../lib/annotations';
import type { ActionOutcome, Measurements } from '../../lib/annotations/types';
import { periodsOf, touchpointFigures } from '../../lib/measurements/touchpoint-figures';

export interface MapWorkspaceProps {
  mapId: string;
  me: Person;
  initialToken: TokenAnswer;
  members: Person[];
  /** Set when this map is a workshop copy of a master. */
  /** masterTitle and masterChanges are null for a person on the copy only. */
  workshop: { masterId: string; masterTitle: string | null; masterChanges: number | null; status: 'open' | 'merged' } | null;
  isMaster: boolean;
  /** Opened from a mention (?touchpoint=…&thread=…): that touchpoint selected, its comments showing. */
  openThread?: { touchpointId: string; commentId: string } | null;
}

export function MapWorkspace(props: MapWorkspaceProps) {
  const session = useCollabSession(props.mapId, props.me.id, props.initialToken);
  if (!session || !session.ready) {
    return (
      <div className="grid h-screen place-items-center bg-slate-50" role="status">
        <p className="text-sm text-slate-600">{session?.lock?.message ?? session?.refusal?.message ?? 'Opening the map…'}</p>
      </div>
    );
  }
  return <Workspace {...props} session={session} />;
}

type Tab = 'details' | 'comments' | 'insights';

/** A field that takes text: there Ctrl+Z and Enter are the field's (a checkbox takes none). */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName) || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)));

function Workspace({ mapId, me, members, session, workshop, isMaster, openThread }: MapWorkspaceProps & { session: CollabSession }) {
  const { mapDoc, discussionDoc, role } = session;
  const awareness = session.mapProvider.awareness;
  // One origin object per user session: the UndoManager tracks it by identity.
  const origin = useMemo<EditOrigin>(() => ({ userId: me.id, kind: 'local' }), [me.id]);
  const map = useJourneyMap(mapDoc);
  const discussion = useDiscussion(discussionDoc);
  // The contact center's figures: fetched again whenever a push changes meta.figuresAt, shown for the month picked (the latest by default).
  const figuresState = useFigures(mapId, map.meta.figuresAt);
  const rows = figuresState.rows;
  const periods = useMemo(() => periodsOf(rows ?? []), [rows]);
  const [pickedPeriod, setPickedPeriod] = useState<string | null>(null);
  const period = pickedPeriod !== null && periods.includes(pickedPeriod) ? pickedPeriod : (periods[0] ?? null);
  const measurements = useMemo<Measurements | undefined>(() => (rows && period !== null ? { rows, period } : undefined), [rows, period]);
  const figures = useMemo(() => touchpointFigures(rows ?? [], period), [rows, period]);
  const annotations = useAnnotations(mapDoc, discussionDoc, measurements);
  const voteSession = useVoteSession(mapDoc);
  const peers = usePeers(awareness);
  // A locked map (removed, deleted) takes nothing more from this person, whatever the last role was.
  const canEdit = canWrite(role, 'map') && !session.lock;
  const canComment = canWrite(role, 'discussion') && !session.lock;

  const [picked, setSelection] = useState<string | null>(openThread?.touchpointId ?? null);
  // A touchpoint someone else deleted is no longer selected.
  const selection = picked && map.touchpoints[picked] ? picked : null;
  const [tab, setTab] = useState<Tab>(openThread ? 'comments' : 'insights');
  // The tab shown and the tab highlighted are one: with no card selected (deleted, by anyone, or its adding undone) that is Insights.
  const shownTab: Tab = selection && map.touchpoints[selection] ? tab : 'insights';
  const canvasRef = useRef<CanvasHandle>(null);
  const [focus, setFocus] = useState<{ id: string; seq: number } | null>(openThread ? { id: openThread.touchpointId, seq: 1 } : null);
  const [message, setMessage] = useState<string | null>(null);
  const [shortcuts, setShortcuts] = useState(false);
  const [legend, setLegend] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);

  const undoManager = useMemo(() => new Y.UndoManager(mapUndoScope(mapDoc), { trackedOrigins: new Set([origin]), captureTimeout: 400 }), [mapDoc, origin]);
  const [history, setHistory] = useState({ undo: false, redo: false });
  useEffect(() => {
    const update = () => setHistory({ undo: undoManager.canUndo(), redo: undoManager.canRedo() });
    undoManager.on('stack-item-added', update);
    undoManager.on('stack-item-popped', update);
    undoManager.on('stack-cleared', update);
    return () => undoManager.destroy();
  }, [undoManager]);

  const showError = useCallback((m: string) => setMessage(m), []);
  const title = map.meta.title;
  const hasTouchpoints = useMemo(() => Object.values(map.touchpoints).some((tp) => tp.kind === 'touchpoint'), [map.touchpoints]);
  const saveImage = useCallback(
    async (format: ImageFormat, scope: ImageScope) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      setMessage(scope === 'map' ? 'Drawing the whole map…' : 'Drawing the view…');
      try {
        const image = await canvas.captureImage(format, scope);
        downloadImage(image, `${fileStem(title)}${scope === 'view' ? '-view' : ''}.${format}`);
        setMessage(`Saved a ${format.toUpperCase()} of ${scope === 'map' ? 'the whole map' : 'the view'} (${image.width} × ${image.height} px)`);
      } catch (error) {
        setMessage(`The picture could not be made: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    [title],
  );
  const importFile = useRef<HTMLInputElement>(null);
  const pourFile = useCallback(
    async (file: File) => {
      setMessage(`Reading ${file.name}…`);
      try {
        const imported = await readMapFile(file);
        undoManager.stopCapturing();
        const { stages, touchpoints } = fillEmptyMap(mapDoc, imported, origin);
        undoManager.stopCapturing();
        setMessage(`Imported ${touchpoints} ${touchpoints === 1 ? 'touchpoint' : 'touchpoints'} in ${stages} ${stages === 1 ? 'stage' : 'stages'} from ${file.name}. Undo (Ctrl/Cmd+Z) takes it back.`);
      } catch (error) {
        setMessage(importRefusal(error));
      }
    },
    [mapDoc, origin, undoManager],
  );
  const tidyLayout = useCallback(() => {
    try {
      // Its own undo step, never merged with an edit made a moment before (the capture timeout).
      undoManager.stopCapturing();
      const moved = tidyUp(mapDoc, origin);
      undoManager.stopCapturing();
      setMessage(moved === 0 ? 'Already tidy: nothing moved' : `Tidied up: ${moved} ${moved === 1 ? 'card' : 'cards'} moved. Undo (Ctrl/Cmd+Z) puts them back.`);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  }, [mapDoc, origin, undoManager]);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 6000);
    return () => clearTimeout(timer);
  }, [message]);

  const select = useCallback((id: string | null) => {
    setSelection(id);
    setTab((t) => (id ? (t === 'insights' ? 'details' : t) : 'insights'));
  }, []);
  const focusTouchpoint = useCallback(
    (id: string) => {
      select(id);
      setFocus((f) => ({ id, seq: (f?.seq ?? 0) + 1 }));
    },
    [select],
  );
  const openInspector = useCallback(() => {
    setTab('details');
    requestAnimationFrame(() => panelRef.current?.querySelector<HTMLElement>('input, select, textarea')?.focus());
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.metaKey || event.ctrlKey;
      if (mod && event.key.toLowerCase() === 'z' && !isTyping(event.target)) {
        event.preventDefault();
        if (!canEdit) return;
        if (event.shiftKey) undoManager.redo();
        else undoManager.undo();
      } else if (mod && event.key.toLowerCase() === 'y' && !isTyping(event.target)) {
        event.preventDefault();
        if (canEdit) undoManager.redo();
      } else if (event.key === '?' && !isTyping(event.target)) {
        setShortcuts((s) => !s);
      } else if (event.key === 'Enter' && !isTyping(event.target)) {
        // A card reached with Tab opens at once (React Flow's own Enter only selects it); otherwise the selected one.
        const focused = event.target instanceof Element ? event.target.closest<HTMLElement>('.react-flow__node-touchpoint, .react-flow__node-hub')?.dataset.id : undefined;
        if (!focused && !selection) return;
        event.preventDefault();
        if (focused) select(focused);
        openInspector();
      } else if (event.key === 'Escape') {
        setShortcuts(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undoManager, canEdit, selection, select, openInspector]);

  const selected = selection ? map.touchpoints[selection] : undefined;
  const actions = map.actions;
  const outcomes = useMemo<ReadonlyMap<string, ActionOutcome> | null>(
    () => (measurements ? new Map(actionOutcomes({ ...map, actions }, measurements).map((o) => [o.actionId, o])) : null),
    // Only the actions and the figures decide outcomes: not every edit of the map.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [actions, measurements],
  );

  return (
    <div className="flex h-screen flex-col bg-slate-50">
      {/* One row at 1280 px in every state: the title gives way (truncated) before anything wraps. */}
      <header className="flex min-w-0 flex-nowrap items-center gap-2 border-b border-slate-200 bg-white px-4 py-2" data-testid="toolbar">
        <Link href="/" className="shrink-0 text-sm whitespace-nowrap text-indigo-700 hover:underline">
          ← Maps
        </Link>
        <MapTitle mapId={mapId} title={map.meta.title} canEdit={canEdit} onError={showError} />
        {canEdit ? <MapDetails mapDoc={mapDoc} origin={origin} persona={map.meta.persona} onError={showError} /> : null}
        <RoleBadge role={role} />
        {isMaster ? <span className="shrink-0 rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white">Master</span> : null}
        <ConnectionPill state={session.state} />
        <div className="ml-auto flex shrink-0 items-center gap-2">
          <PeriodPicker periods={periods} period={period} onPick={setPickedPeriod} />
          <VoteBar mapDoc={mapDoc} discussionDoc={discussionDoc} origin={origin} session={voteSession} discussion={discussion} role={role} userId={me.id} onError={showError} />
          {canEdit ? (
            <>
              <button
                type="button"
                onClick={() => canvasRef.current?.addTouchpoint()}
                disabled={map.stages.length === 0}
                title={map.stages.length === 0 ? 'Add a stage first (“Add stage” on the canvas): touchpoints live in stages' : 'Add a touchpoint to the selected stage, or the one in view'}
                className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold whitespace-nowrap text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-50"
              >
                Add touchpoint
              </button>
              <button type="button" disabled={!history.undo} onClick={() => undoManager.undo()} className="rounded-md px-2 py-1 text-lg leading-none text-slate-700 hover:bg-slate-100 disabled:opacity-40" aria-label="Undo my last change" title="Undo my last change (Ctrl/Cmd+Z)">
                ↶
              </button>
              <button type="button" disabled={!history.redo} onClick={() => undoManager.redo()} className="rounded-md px-2 py-1 text-lg leading-none text-slate-700 hover:bg-slate-100 disabled:opacity-40" aria-label="Redo" title="Redo (Shift+Ctrl/Cmd+Z)">
                ↷
              </button>
            </>
          ) : null}
          <MapPagesMenu
            mapId={mapId}
            onImage={(format, scope) => void saveImage(format, scope)}
            {...(canEdit ? { onTidyUp: () => tidyLayout() } : {})}
            {...(canEdit && !hasTouchpoints ? { onImportFile: () => importFile.current?.click() } : {})}
          />
          <input
            ref={importFile}
            type="file"
            hidden
            aria-label="A file to import into this map"
            accept=".csv,.tsv,.txt,.xlsx,.json,.mmd,.mermaid"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file) void pourFile(file);
            }}
          />
          <button
            type="button"
            onClick={() => setLegend((open) => !open)}
            aria-expanded={legend}
            aria-controls="canvas-legend"
            className={`rounded-md px-2 py-1.5 text-sm ${legend ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
          >
            Legend
          </button>
          <button type="button" onClick={() => setShortcuts(true)} className="grid h-7 w-7 place-items-center rounded-full border border-slate-300 text-sm text-slate-600" aria-label="Keyboard shortcuts">
            ?
          </button>
          <Avatars me={me} peers={peers} />
          <InboxLink />
        </div>
      </header>
      <TruthBanners mapId={mapId} session={session} />
      {workshop && !session.merged ? (
        <div className="flex flex-wrap items-center gap-3 border-b border-indigo-200 bg-indigo-50 px-4 py-1.5 text-sm text-indigo-950" data-testid="workshop-banner">
          {workshop.masterTitle === null || workshop.masterChanges === null ? (
            <span>Workshop copy of a master map that is not shared with you{workshop.status === 'merged' ? ' · merged' : ''}</span>
          ) : (
            <>
              <span>
                Workshop of <Link href={`/maps/${workshop.masterId}`} className="font-semibold underline">{workshop.masterTitle}</Link>
                {workshop.status === 'merged' ? ' · merged' : ` · the master moved ${workshop.masterChanges} ${workshop.masterChanges === 1 ? 'change' : 'changes'} since the fork`}
              </span>
              <Link href={`/maps/${mapId}/merge`} className="font-semibold underline">
                Review and merge
              </Link>
            </>
          )}
        </div>
      ) : null}
      {session.refusal && !session.lock ? (
        <div role="alert" className="flex items-center gap-3 border-b border-rose-200 bg-rose-50 px-4 py-2 text-sm text-rose-900">
          {session.refusal.message}
          {session.refusal.code === 4404 ? (
            <Link href="/" className="font-medium underline">Back to your maps</Link>
          ) : (
            <button type="button" onClick={() => void session.reset()} className="font-medium underline">
              Reload without my unsent changes
            </button>
          )}
        </div>
      ) : null}
      <ReactFlowProvider>
      <div className="flex min-h-0 flex-1">
        {session.lock ? <LockOverlay lock={session.lock} /> : null}
        <main className="relative min-w-0 flex-1" aria-label="Journey canvas">
            <JourneyCanvas
              ref={canvasRef}
              mapDoc={mapDoc}
              origin={origin}
              awareness={awareness}
              map={map}
              discussion={discussion}
              annotations={annotations}
              figures={figures}
              peers={peers}
              canEdit={canEdit}
              selection={selection}
              onSelect={select}
              onOpenInspector={openInspector}
              focus={focus}
              onError={showError}
            />
          {legend ? (
            <section id="canvas-legend" aria-label="Legend" className="absolute top-3 left-3 z-10 max-h-[calc(100%-1.5rem)] w-[400px] overflow-y-auto rounded-lg border border-slate-200 bg-white p-4 shadow-lg">
              <div className="mb-3 flex items-center justify-between">
                <h2 className="font-semibold text-slate-900">Legend</h2>
                <button type="button" onClick={() => setLegend(false)} className="rounded px-2 py-0.5 text-sm text-slate-600 hover:bg-slate-100" aria-label="Close the legend">
                  ✕
                </button>
              </div>
              <Legend />
            </section>
          ) : null}
          {message ? (
            <p role="alert" className="absolute bottom-4 left-1/2 -translate-x-1/2 rounded-md bg-slate-900 px-3 py-2 text-sm text-white shadow-lg">
              {message}
            </p>
          ) : null}
        </main>
        <aside ref={panelRef} className="flex w-[340px] shrink-0 flex-col border-l border-slate-200 bg-white" aria-label="Side panel">
          <div role="tablist" className="flex border-b border-slate-200 text-sm">
            {(['details', 'comments', 'insights'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={shownTab === t}
                disabled={t !== 'insights' && !selected}
                onClick={() => setTab(t)}
                className={`flex-1 px-3 py-2 capitalize disabled:text-slate-300 ${shownTab === t ? 'border-b-2 border-indigo-600 font-semibold text-slate-900' : 'text-slate-600'}`}
              >
                {t}
              </button>
            ))}
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto p-4">
            {shownTab === 'insights' || !selected ? (
              <div className="space-y-4">
                {figuresState.error ? (
                  <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 p-2 text-xs text-rose-900">
                    {figuresState.error}
                  </p>
                ) : null}
                <ReviewStatus
                  meta={map.meta}
                  canEdit={canEdit}
                  onMarkReviewed={() => {
                    try {
                      markReviewed(mapDoc, me.name, Date.now(), origin);
                    } catch (error) {
                      showError(error instanceof Error ? error.message : String(error));
                    }
                  }}
                />
                <InsightsPanel map={map} annotations={annotations} figures={figures} period={period} onFocus={focusTouchpoint} />
              </div>
            ) : (
              <div className="space-y-4">
                <div className="flex items-center justify-between">
                  <h2 className="font-semibold text-slate-900">{selected.label}</h2>
                  {canEdit && selected.kind === 'touchpoint' ? (
                    <button
                      type="button"
                      className="text-xs text-rose-700 hover:text-rose-900"
                      onClick={() => {
                        try {
                          deleteTouchpoint(mapDoc, selected.id, origin);
                          select(null);
                        } catch (error) {
                          showError(error instanceof Error ? error.message : String(error));
                        }
                      }}
                    >
                      Delete
                    </button>
                  ) : null}
                </div>
                <DotButtons discussionDoc={discussionDoc} origin={origin} session={voteSession} discussion={discussion} touchpointId={selected.id} userId={me.id} canVote={canComment} onError={showError} />
                {shownTab === 'details' ? (
                  <Inspector key={selected.id} doc={mapDoc} origin={origin} map={map} touchpoint={selected} canEdit={canEdit} period={period} figures={figures.get(selected.id) ?? null} outcomes={outcomes} />
                ) : (
                  <CommentsPanel doc={discussionDoc} origin={origin} discussion={discussion} touchpointId={selected.id} me={me} members={members} canComment={canComment} isOwner={role === 'owner'} onError={showError} />
                )}
              </div>
            )}
          </div>
          <CanvasMinimap />
        </aside>
      </div>
      </ReactFlowProvider>
      {shortcuts ? <ShortcutsDialog onClose={() => setShortcuts(false)} /> : null}
    </div>
  );
}

/** What changed while the map was open, and why a merged workshop copy is read-only (issue 11: the screen tells the truth). */
function TruthBanners({ mapId, session }: { mapId: string; session: CollabSession }) {
  const { merged, notice } = session;
  return (
    <>
      {merged ? (
        <div className="flex flex-wrap items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-950" data-testid="merged-banner">
          <span>
            This workshop copy was merged into{' '}
            <Link href={`/maps/${merged.masterId}`} className="font-semibold underline">
              {merged.masterTitle}
            </Link>{' '}
            on {new Date(merged.mergedAt).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}; it is read-only now.
          </span>
          <Link href={`/maps/${mapId}/merge`} className="underline">
            What was merged
          </Link>
        </div>
      ) : null}
      {notice ? (
        <div role="status" className="flex items-center gap-3 border-b border-sky-200 bg-sky-50 px-4 py-1.5 text-sm text-sky-950" data-testid="role-notice">
          <span>{notice}</span>
          <button type="button" onClick={session.dismissNotice} className="ml-auto rounded px-2 py-0.5 text-sky-900 hover:bg-sky-100" aria-label="Dismiss this notice">
            OK
          </button>
        </div>
      ) : null}
    </>
  );
}

/** Over the whole workspace (toolbar included): the map is gone for this person, and nothing on it can be changed. */
function LockOverlay({ lock }: { lock: NonNullable<CollabSession['lock']> }) {
  return (
    <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 backdrop-blur-[1px]" data-testid="map-locked">
      <div role="alertdialog" aria-labelledby="map-locked-title" className="max-w-md rounded-lg bg-white p-6 text-center shadow-xl">
        <h2 id="map-locked-title" className="text-base font-semibold text-slate-900">
          {lock.reason === 'deleted' ? 'This map is gone' : 'You no longer have access'}
        </h2>
        <p className="mt-2 text-sm text-slate-700">{lock.message}</p>
        <p className="mt-1 text-sm text-slate-600">Nothing more you do here can be saved.</p>
        <Link href="/" className="mt-4 inline-block rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
          Back to your maps
        </Link>
      </div>
    </div>
  );
}
