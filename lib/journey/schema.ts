import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { uint32, uuidv4 } from 'lib0/random';
import type { z } from 'zod';
import { JourneyError } from './errors';
import { CARD_HEIGHT, LANE_HEADER_HEIGHT, tidyPositions } from './layout';
import type { EditOrigin } from './origin';
import {
  CHANNELS,
  EMOTION_MAX,
  EMOTION_MIN,
  FREQUENCY_MAX,
  FREQUENCY_MIN,
  SCHEMA_VERSION,
  SCHEMA_VERSION_1,
  SEVERITY_MAX,
  SEVERITY_MIN,
  type Action,
  type ActionStatus,
  ACTION_STATUSES,
  type Channel,
  type Comment,
  type Connection,
  type Discussion,
  type JourneyMap,
  type PainPoint,
  type Stage,
  type Touchpoint,
  type Votes,
} from './types';
import {
  ActionInputSchema,
  ActionPatchSchema,
  ActionSchema,
  CommentBodySchema,
  CommentInputSchema,
  ConnectionInputSchema,
  ConnectionLabelSchema,
  DiscussionSchema,
  JourneyMapSchema,
  MapTitleSchema,
  PainPointInputSchema,
  PainPointPatchSchema,
  PersonaSchema,
  PositionSchema,
  NowSchema,
  ResolvedSchema,
  ReviewedAtSchema,
  ReviewerSchema,
  StageAccountableSchema,
  StageIdSchema,
  StageIndexSchema,
  StageInputSchema,
  StageNameSchema,
  TouchpointInputSchema,
  TouchpointPatchSchema,
  VoteInputSchema,
  formatIssues,
  pairKey,
  type ActionInput,
  type ActionPatch,
  type CommentInput,
  type ConnectionInput,
  type PainPointInput,
  type PainPointPatch,
  type Position,
  type StageInput,
  type TouchpointInput,
  type TouchpointPatch,
} from './validation';

/**
 * The one module that knows the Yjs documents of a map (DESIGN.md, "The Yjs
 * documents" and "Schema v2"). Every write validates its input and checks the
 * document first, then applies everything in one `doc.transact(fn, origin)`:
 * a thrown JourneyError means nothing was written.
 */

export { JourneyError, type JourneyErrorCode } from './errors';

const MAP_ROOTS = { meta: 'meta', stages: 'stages', touchpoints: 'touchpoints', connections: 'connections', actions: 'actions' } as const;
const DISCUSSION_ROOTS = { comments: 'comments', votes: 'votes' } as const;

/** The map document's root names, for the shape guard (map-shape.ts); nothing else spells them. */
export const MAP_ROOT_NAMES: Readonly<typeof MAP_ROOTS> = MAP_ROOTS;
/** The discussion document's root names, for the server's checks of tally creators (tally-creators.ts). */
export const DISCUSSION_ROOT_NAMES: Readonly<typeof DISCUSSION_ROOTS> = DISCUSSION_ROOTS;

const metaRoot = (doc: Y.Doc) => doc.getMap<unknown>(MAP_ROOTS.meta);
const stagesRoot = (doc: Y.Doc) => doc.getArray<unknown>(MAP_ROOTS.stages);
const touchpointsRoot = (doc: Y.Doc) => doc.getMap<unknown>(MAP_ROOTS.touchpoints);
const connectionsRoot = (doc: Y.Doc) => doc.getMap<unknown>(MAP_ROOTS.connections);
const actionsRoot = (doc: Y.Doc) => doc.getMap<unknown>(MAP_ROOTS.actions);
const commentsRoot = (doc: Y.Doc) => doc.getMap<unknown>(DISCUSSION_ROOTS.comments);
const votesRoot = (doc: Y.Doc) => doc.getMap<unknown>(DISCUSSION_ROOTS.votes);

/** The discussion document's comments, keyed by id: what its authorship rules (lib/collab/discussion-rules.ts) read. */
export function discussionComments(doc: Y.Doc): Y.Map<unknown> {
  return commentsRoot(doc);
}

/** The discussion document's votes, touchpoint id → user id → dots: what its authorship rules read. */
export function discussionVotes(doc: Y.Doc): Y.Map<unknown> {
  return votesRoot(doc);
}

type YRecord = Y.Map<unknown>;

function isYMap(value: unknown): value is YRecord {
  return value instanceof Y.Map;
}

function isYArray(value: unknown): value is Y.Array<unknown> {
  return value instanceof Y.Array;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Y.AbstractType);
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new JourneyError('invalid', formatIssues(result.error));
  return result.data;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------
// Reading. Tolerant: a document written by a buggy or newer client reads with
// defaults instead of crashing the canvas; a well-formed one reads exactly as
// `doc.toJSON()`.

type Fields = (key: string) => unknown;

function fieldsOf(value: unknown): Fields | null {
  if (isYMap(value)) return (key) => value.get(key);
  if (isPlainObject(value)) return (key) => value[key];
  return null;
}

const readString = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
const readStringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const readFinite = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

function readInt(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function readChannel(value: unknown): Channel {
  return CHANNELS.find((channel) => channel === value) ?? 'other';
}

function readPainPoint(value: unknown): PainPoint | null {
  const get = fieldsOf(value);
  const id = get?.('id');
  if (get === null || typeof id !== 'string' || id === '') return null;
  return {
    id,
    text: readString(get('text'), ''),
    severity: readInt(get('severity'), SEVERITY_MIN, SEVERITY_MAX, SEVERITY_MIN),
    frequency: readInt(get('frequency'), FREQUENCY_MIN, FREQUENCY_MAX, FREQUENCY_MIN),
  };
}

/** Concurrent edits of one pain point leave two copies with its id; the first one wins. */
function readPainPoints(value: unknown): PainPoint[] {
  const items = isYArray(value) ? value.toArray() : Array.isArray(value) ? (value as unknown[]) : [];
  const seen = new Set<string>();
  const painPoints: PainPoint[] = [];
  for (const item of items) {
    const painPoint = readPainPoint(item);
    if (painPoint === null || seen.has(painPoint.id)) continue;
    seen.add(painPoint.id);
    painPoints.push(painPoint);
  }
  return painPoints;
}

function readStage(value: unknown): Stage | null {
  const get = fieldsOf(value);
  const id = get?.('id');
  if (get === null || typeof id !== 'string' || id === '') return null;
  return { id, name: readString(get('name'), ''), accountable: readStringOrNull(get('accountable')) };
}

function readTouchpoint(key: string, value: unknown): Touchpoint | null {
  const get = fieldsOf(value);
  if (get === null) return null;
  const emotion = get('emotion');
  return {
    id: key,
    kind: get('kind') === 'hub' ? 'hub' : 'touchpoint',
    stageId: readStringOrNull(get('stageId')),
    label: readString(get('label'), ''),
    channel: readChannel(get('channel')),
    owner: readStringOrNull(get('owner')),
    emotion: typeof emotion === 'number' && Number.isFinite(emotion) ? readInt(emotion, EMOTION_MIN, EMOTION_MAX, 0) : null,
    contactVolume: readInt(get('contactVolume'), 0, Number.MAX_SAFE_INTEGER, 0),
    x: readFinite(get('x'), 0),
    y: readFinite(get('y'), 0),
    painPoints: readPainPoints(get('painPoints')),
    externalKey: readKey(get('externalKey')),
  };
}

const readKey = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function readStatus(value: unknown): ActionStatus {
  return ACTION_STATUSES.find((status) => status === value) ?? 'proposed';
}

function readAction(key: string, value: unknown): Action | null {
  const get = fieldsOf(value);
  if (get === null) return null;
  const status = readStatus(get('status'));
  const doneAt = get('doneAt');
  const due = get('due');
  return {
    id: key,
    touchpointId: readString(get('touchpointId'), ''),
    painPointId: readKey(get('painPointId')),
    title: readString(get('title'), ''),
    ownerTeam: readKey(get('ownerTeam')),
    due: typeof due === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(due) ? due : null,
    status,
    // doneAt belongs to a done action only, whatever a concurrent edit left.
    doneAt: status === 'done' ? readFinite(doneAt, 0) : null,
    createdAt: readFinite(get('createdAt'), 0),
  };
}

function readConnection(key: string, value: unknown): Connection | null {
  const get = fieldsOf(value);
  if (get === null) return null;
  return {
    id: key,
    source: readString(get('source'), ''),
    target: readString(get('target'), ''),
    label: readString(get('label'), ''),
  };
}

function readComment(key: string, value: unknown): Comment | null {
  const get = fieldsOf(value);
  if (get === null) return null;
  return {
    id: key,
    touchpointId: readString(get('touchpointId'), ''),
    parentId: readStringOrNull(get('parentId')),
    authorId: readString(get('authorId'), ''),
    authorName: readString(get('authorName'), ''),
    body: readString(get('body'), ''),
    createdAt: readFinite(get('createdAt'), 0),
    resolved: get('resolved') === true,
  };
}

/** defineProperty, so that an id such as "__proto__" is a key like any other. */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function readEntries<T>(root: YRecord, read: (key: string, value: unknown) => T | null): Record<string, T> {
  const entries: Record<string, T> = {};
  for (const [key, value] of root.entries()) {
    const entry = read(key, value);
    if (entry !== null) setOwn(entries, key, entry);
  }
  return entries;
}

interface StageEntry {
  id: string;
  /** Index in the raw Y.Array, which may hold more than the stages. */
  index: number;
  map: YRecord;
}

/** Every stage Y.Map, including the copies two concurrent moves of one stage leave behind. */
function stageEntries(doc: Y.Doc): StageEntry[] {
  const entries: StageEntry[] = [];
  stagesRoot(doc).forEach((value, index) => {
    const id = isYMap(value) ? value.get('id') : undefined;
    if (isYMap(value) && typeof id === 'string' && id !== '') entries.push({ id, index, map: value });
  });
  return entries;
}

/** The stages in order, each once: the first copy of a stage is the stage. */
function logicalStages(doc: Y.Doc): StageEntry[] {
  const seen = new Set<string>();
  return stageEntries(doc).filter((entry) => {
    if (seen.has(entry.id)) return false;
    seen.add(entry.id);
    return true;
  });
}

/**
 * Each touchpoint's external key by its id (the hub's too), as readMap reads
 * them, without reading the rest: what a push of measured figures resolves
 * its rows against.
 */
export function readTouchpointKeys(doc: Y.Doc): Map<string, string | null> {
  const keys = new Map<string, string | null>();
  for (const [id, value] of touchpointsRoot(doc).entries()) {
    const get = fieldsOf(value);
    if (get !== null) keys.set(id, readKey(get('externalKey')));
  }
  return keys;
}

export function readMap(doc: Y.Doc): JourneyMap {
  return {
    ...readMeta(doc),
    touchpoints: readEntries(touchpointsRoot(doc), readTouchpoint),
    connections: readEntries(connectionsRoot(doc), readConnection),
    actions: readEntries(actionsRoot(doc), readAction),
  };
}

/** The meta and the stages of a map: everything but its touchpoints and connections. */
function readMeta(doc: Y.Doc): Pick<JourneyMap, 'meta' | 'stages'> {
  const meta = metaRoot(doc);
  const stages: Stage[] = [];
  for (const entry of logicalStages(doc)) {
    const stage = readStage(entry.map);
    if (stage !== null) stages.push(stage);
  }
  return {
    meta: {
      schemaVersion: SCHEMA_VERSION,
      title: readString(meta.get('title'), ''),
      persona: readString(meta.get('persona'), ''),
      hubId: readString(meta.get('hubId'), ''),
      reviewedAt: typeof meta.get('reviewedAt') === 'number' ? readFinite(meta.get('reviewedAt'), 0) : null,
      reviewedBy: readKey(meta.get('reviewedBy')),
      ...(typeof meta.get('figuresAt') === 'number' ? { figuresAt: readFinite(meta.get('figuresAt'), 0) } : {}),
    },
    stages,
  };
}

/**
 * The entries of one root map, read again only where they changed: an entry's
 * plain object is kept (the same object) until a change inside it. Reading a
 * 2,000-touchpoint map whole takes milliseconds; a live canvas reads it after
 * every remote edit.
 */
class IncrementalEntries<T> {
  private readonly cache = new Map<string, { value: unknown; entry: T | null }>();
  private readonly dirty = new Set<string>();
  private record: Record<string, T> | null = null;
  private readonly observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    for (const event of events) {
      if (event.target === this.root) for (const key of event.changes.keys.keys()) this.dirty.add(key);
      else if (typeof event.path[0] === 'string') this.dirty.add(event.path[0]);
    }
  };

  constructor(
    private readonly root: YRecord,
    private readonly read: (key: string, value: unknown) => T | null,
  ) {
    root.observeDeep(this.observer);
  }

  /** The entries now: the same record as last time when nothing changed. */
  entries(): Record<string, T> {
    if (this.record !== null && this.dirty.size === 0) return this.record;
    const record: Record<string, T> = {};
    const seen = new Set<string>();
    for (const [key, value] of this.root.entries()) {
      seen.add(key);
      let cached = this.cache.get(key);
      if (cached === undefined || cached.value !== value || this.dirty.has(key)) {
        cached = { value, entry: this.read(key, value) };
        this.cache.set(key, cached);
      }
      if (cached.entry !== null) setOwn(record, key, cached.entry);
    }
    for (const key of this.cache.keys()) if (!seen.has(key)) this.cache.delete(key);
    this.dirty.clear();
    this.record = record;
    return record;
  }

  dispose(): void {
    this.root.unobserveDeep(this.observer);
  }
}

/** Reads a map document again and again, cheaply: see createMapReader. */
export interface MapReader {
  /** The map now, as readMap reads it; the same object as the last read when nothing changed, and unchanged touchpoints and connections are the same objects. */
  read(): JourneyMap;
  dispose(): void;
}

/**
 * A reader of a map document that reads again only the touchpoints and
 * connections that changed since its last read (stages and meta, a few dozen
 * values, are read whole). What it returns equals readMap(doc).
 */
export function createMapReader(doc: Y.Doc): MapReader {
  const touchpoints = new IncrementalEntries(touchpointsRoot(doc), readTouchpoint);
  const connections = new IncrementalEntries(connectionsRoot(doc), readConnection);
  const actions = new IncrementalEntries(actionsRoot(doc), readAction);
  let last: JourneyMap | null = null;
  return {
    read() {
      const next: JourneyMap = { ...readMeta(doc), touchpoints: touchpoints.entries(), connections: connections.entries(), actions: actions.entries() };
      if (
        last !== null &&
        last.touchpoints === next.touchpoints &&
        last.connections === next.connections &&
        last.actions === next.actions &&
        sameJson(last.meta, next.meta) &&
        sameJson(last.stages, next.stages)
      ) {
        return last;
      }
      last = next;
      return next;
    },
    dispose() {
      touchpoints.dispose();
      connections.dispose();
      actions.dispose();
    },
  };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function readDiscussion(doc: Y.Doc): Discussion {
  const votes: Votes = {};
  for (const [touchpointId, value] of votesRoot(doc).entries()) {
    const inner = isYMap(value) ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : null;
    if (inner === null) continue;
    const byUser: Record<string, number> = {};
    for (const [userId, dots] of inner) {
      if (typeof dots === 'number' && Number.isSafeInteger(dots) && dots >= 0) {
        setOwn(byUser, userId, dots);
      }
    }
    setOwn(votes, touchpointId, byUser);
  }
  return { comments: readEntries(commentsRoot(doc), readComment), votes };
}

export function getHubId(doc: Y.Doc): string | null {
  const hubId = metaRoot(doc).get('hubId');
  return typeof hubId === 'string' && hubId !== '' ? hubId : null;
}

/**
 * The Yjs items that keep the hub in place: its entry in `touchpoints`, its
 * `kind` and `meta.hubId`. An update that deletes one of them removes the hub.
 */
export function hubItems(doc: Y.Doc): Y.Item[] {
  const items: Y.Item[] = [];
  const hubIdItem = metaRoot(doc)._map.get('hubId');
  if (hubIdItem) items.push(hubIdItem);
  const hubId = getHubId(doc);
  const entry = hubId === null ? undefined : touchpointsRoot(doc)._map.get(hubId);
  if (entry) items.push(entry);
  const hub = hubId === null ? undefined : touchpointsRoot(doc).get(hubId);
  const kind = isYMap(hub) ? hub._map.get('kind') : undefined;
  if (kind) items.push(kind);
  return items;
}

export function getStageIds(doc: Y.Doc): string[] {
  return logicalStages(doc).map((entry) => entry.id);
}

// ---------------------------------------------------------------------------
// Building Y types from the plain model

function stageToY(stage: Stage): YRecord {
  return new Y.Map<unknown>([
    ['id', stage.id],
    ['name', stage.name],
    ['accountable', stage.accountable],
  ]);
}

/** Pain points are plain objects in the Y.Array; a fresh copy, because Yjs keeps the reference. */
function painPointToPlain(painPoint: PainPoint): PainPoint {
  return { id: painPoint.id, text: painPoint.text, severity: painPoint.severity, frequency: painPoint.frequency };
}

function touchpointToY(touchpoint: Touchpoint): YRecord {
  const painPoints = new Y.Array<unknown>();
  painPoints.push(touchpoint.painPoints.map(painPointToPlain));
  return new Y.Map<unknown>([
    ['id', touchpoint.id],
    ['kind', touchpoint.kind],
    ['stageId', touchpoint.stageId],
    ['label', touchpoint.label],
    ['channel', touchpoint.channel],
    ['owner', touchpoint.owner],
    ['emotion', touchpoint.emotion],
    ['contactVolume', touchpoint.contactVolume],
    ['x', touchpoint.x],
    ['y', touchpoint.y],
    ['painPoints', painPoints],
    ['externalKey', touchpoint.externalKey],
  ]);
}

function actionToY(action: Action): YRecord {
  return new Y.Map<unknown>([
    ['id', action.id],
    ['touchpointId', action.touchpointId],
    ['painPointId', action.painPointId],
    ['title', action.title],
    ['ownerTeam', action.ownerTeam],
    ['due', action.due],
    ['status', action.status],
    ['doneAt', action.doneAt],
    ['createdAt', action.createdAt],
  ]);
}

function connectionToY(connection: Connection): YRecord {
  return new Y.Map<unknown>([
    ['id', connection.id],
    ['source', connection.source],
    ['target', connection.target],
    ['label', connection.label],
  ]);
}

function commentToY(comment: Comment): YRecord {
  return new Y.Map<unknown>([
    ['id', comment.id],
    ['touchpointId', comment.touchpointId],
    ['parentId', comment.parentId],
    ['authorId', comment.authorId],
    ['authorName', comment.authorName],
    ['body', comment.body],
    ['createdAt', comment.createdAt],
    ['resolved', comment.resolved],
  ]);
}

/** Set only what changes, so an unchanged field neither wins a conflict nor lands on the undo stack. */
function setChanged(map: YRecord, key: string, value: unknown): void {
  if (!map.has(key) || map.get(key) !== value) map.set(key, value);
}

// ---------------------------------------------------------------------------
// Whole documents

function isMapDocEmpty(doc: Y.Doc): boolean {
  return (
    metaRoot(doc).size === 0 &&
    stagesRoot(doc).length === 0 &&
    touchpointsRoot(doc).size === 0 &&
    connectionsRoot(doc).size === 0 &&
    actionsRoot(doc).size === 0
  );
}

/** Fills an empty map document from a plain map (a template or an import). */
export function writeMap(doc: Y.Doc, map: JourneyMap, origin: EditOrigin): void {
  const valid: JourneyMap = parse(JourneyMapSchema, map);
  if (!isMapDocEmpty(doc)) {
    throw new JourneyError('conflict', 'the map document is not empty; a map can only be written into a new document');
  }
  doc.transact(() => {
    const meta = metaRoot(doc);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('title', valid.meta.title);
    meta.set('persona', valid.meta.persona);
    meta.set('hubId', valid.meta.hubId);
    meta.set('reviewedAt', valid.meta.reviewedAt);
    meta.set('reviewedBy', valid.meta.reviewedBy);
    stagesRoot(doc).push(valid.stages.map(stageToY));
    const touchpoints = touchpointsRoot(doc);
    for (const touchpoint of Object.values(valid.touchpoints)) touchpoints.set(touchpoint.id, touchpointToY(touchpoint));
    const connections = connectionsRoot(doc);
    for (const connection of Object.values(valid.connections)) connections.set(connection.id, connectionToY(connection));
    const actions = actionsRoot(doc);
    for (const action of Object.values(valid.actions)) actions.set(action.id, actionToY(action));
  }, origin);
}

/**
 * DESIGN.md, "Schema v2": a v1 document reads as v2 already; the server marks
 * it v2 with this, its own update, the first time it loads it. True when it wrote.
 */
export function upgradeMapDoc(doc: Y.Doc, origin: EditOrigin): boolean {
  const meta = metaRoot(doc);
  if (meta.get('schemaVersion') !== SCHEMA_VERSION_1) return false;
  doc.transact(() => meta.set('schemaVersion', SCHEMA_VERSION), origin);
  return true;
}

/** "Mark reviewed": who looked the map over, and when. */
export function markReviewed(doc: Y.Doc, by: string, at: number, origin: EditOrigin): void {
  const reviewer = parse(ReviewerSchema, by);
  const when = parse(ReviewedAtSchema, at);
  doc.transact(() => {
    metaRoot(doc).set('reviewedAt', when);
    metaRoot(doc).set('reviewedBy', reviewer);
  }, origin);
}

/** Measured figures of the map changed at `at` (ms): open canvases hear it and refetch them. */
export function markFiguresChanged(doc: Y.Doc, at: number, origin: EditOrigin): void {
  doc.transact(() => metaRoot(doc).set('figuresAt', figuresAtValue(at)), origin);
}

const figuresAtValue = (at: number): number => Math.max(0, Math.trunc(at));

/**
 * The update markFiguresChanged would make on `doc` as client `clientId`,
 * made without changing `doc`: the server writes the signal against a live
 * room's document, which may only change once the update is stored, and
 * copying a 5,000-touchpoint document per push costs more than the push.
 * Byte for byte what Yjs itself encodes (tests/unit/measured-signal.test.ts):
 * one map item whose left origin is the key's current item, which it deletes.
 */
export function figuresChangedUpdate(doc: Y.Doc, at: number, clientId: number = freshClientId(doc)): Uint8Array {
  if (doc.store.clients.has(clientId)) throw new RangeError(`client ${clientId} has already written this document`);
  const meta = metaRoot(doc);
  const current = meta._map.get('figuresAt') ?? null;
  const origin = current === null ? null : current.lastId;
  // Without an origin the item names its parent; with one Yjs infers it (Item.write).
  const item = new Y.Item(Y.createID(clientId, 0), null, origin, null, null, origin === null ? meta : null, 'figuresAt', new Y.ContentAny([figuresAtValue(at)]));
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(clientId);
  encoding.writeVarUint(encoder.restEncoder, 0);
  item.write(encoder, 0);
  // The delete set: the replaced value, unless it is deleted already (a deleted key).
  if (current === null || current.deleted) {
    encoding.writeVarUint(encoder.restEncoder, 0);
  } else {
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, current.id.client);
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeDsClock(current.id.clock);
    encoder.writeDsLen(current.length);
  }
  return encoder.toUint8Array();
}

/** A random 32-bit client id (as Yjs draws them) that has not written `doc`. */
function freshClientId(doc: Y.Doc): number {
  let id = uint32();
  while (doc.store.clients.has(id)) id = uint32();
  return id;
}

/** Fills an empty discussion document from a plain discussion. */
export function writeDiscussion(doc: Y.Doc, discussion: Discussion, origin: EditOrigin): void {
  const valid: Discussion = parse(DiscussionSchema, discussion);
  if (commentsRoot(doc).size !== 0 || votesRoot(doc).size !== 0) {
    throw new JourneyError(
      'conflict',
      'the discussion document is not empty; a discussion can only be written into a new document',
    );
  }
  doc.transact(() => {
    const comments = commentsRoot(doc);
    for (const comment of Object.values(valid.comments)) comments.set(comment.id, commentToY(comment));
    const votes = votesRoot(doc);
    for (const [touchpointId, byUser] of Object.entries(valid.votes)) {
      votes.set(touchpointId, new Y.Map<unknown>(Object.entries(byUser)));
    }
  }, origin);
}

// ---------------------------------------------------------------------------
// Map meta

export function setMapTitle(doc: Y.Doc, title: string, origin: EditOrigin): void {
  const valid = parse(MapTitleSchema, title);
  doc.transact(() => setChanged(metaRoot(doc), 'title', valid), origin);
}

export function setPersona(doc: Y.Doc, persona: string, origin: EditOrigin): void {
  const valid = parse(PersonaSchema, persona);
  doc.transact(() => setChanged(metaRoot(doc), 'persona', valid), origin);
}

// ---------------------------------------------------------------------------
// Stages

function stageCopies(doc: Y.Doc, stageId: string): [StageEntry, ...StageEntry[]] {
  const [first, ...rest] = stageEntries(doc).filter((entry) => entry.id === stageId);
  if (first === undefined) throw new JourneyError('not_found', `stage ${quote(stageId)} does not exist`);
  return [first, ...rest];
}

function requireStage(doc: Y.Doc, stageId: string): void {
  stageCopies(doc, stageId);
}

/** Deletes from the end, so the indexes of the copies still to delete stay valid. */
function deleteStageCopies(doc: Y.Doc, stageId: string): void {
  const root = stagesRoot(doc);
  const copies = stageEntries(doc).filter((entry) => entry.id === stageId);
  for (const copy of copies.reverse()) root.delete(copy.index, 1);
}

export function addStage(doc: Y.Doc, input: StageInput, origin: EditOrigin): string {
  const valid = parse(StageInputSchema, input);
  const stages = logicalStages(doc);
  const id = valid.id ?? uuidv4();
  if (stages.some((stage) => stage.id === id)) {
    throw new JourneyError('duplicate', `a stage with id ${quote(id)} already exists`);
  }
  const at = valid.index ?? stages.length;
  if (at > stages.length) {
    throw new JourneyError('invalid', `index must be between 0 and ${stages.length} (got ${at})`);
  }
  doc.transact(() => {
    const root = stagesRoot(doc);
    root.insert(stages[at]?.index ?? root.length, [stageToY({ id, name: valid.name, accountable: valid.accountable ?? null })]);
  }, origin);
  return id;
}

export function renameStage(doc: Y.Doc, stageId: string, name: string, origin: EditOrigin): void {
  const valid = parse(StageNameSchema, name);
  const copies = stageCopies(doc, stageId);
  doc.transact(() => {
    for (const copy of copies) setChanged(copy.map, 'name', valid);
  }, origin);
}

export function setStageAccountable(doc: Y.Doc, stageId: string, team: string | null, origin: EditOrigin): void {
  const valid = parse(StageAccountableSchema, team);
  const copies = stageCopies(doc, stageId);
  doc.transact(() => {
    for (const copy of copies) setChanged(copy.map, 'accountable', valid);
  }, origin);
}

/**
 * Moves a stage to `toIndex` of the resulting order. Y.Array has no move: the
 * stage is deleted and a fresh Y.Map with its content inserted. Any extra
 * copies of the stage are dropped on the way.
 */
export function moveStage(doc: Y.Doc, stageId: string, toIndex: number, origin: EditOrigin): void {
  const index = parse(StageIndexSchema, toIndex);
  const [first] = stageCopies(doc, stageId);
  const count = logicalStages(doc).length;
  if (index > count - 1) {
    throw new JourneyError('invalid', `index must be between 0 and ${count - 1} (got ${index})`);
  }
  const content = Object.entries(first.map.toJSON() as Record<string, unknown>);
  doc.transact(() => {
    deleteStageCopies(doc, stageId);
    const root = stagesRoot(doc);
    root.insert(logicalStages(doc)[index]?.index ?? root.length, [new Y.Map<unknown>(content)]);
  }, origin);
}

/** Its touchpoints stay on the map, unstaged (stageId null). */
export function deleteStage(doc: Y.Doc, stageId: string, origin: EditOrigin): void {
  requireStage(doc, stageId);
  doc.transact(() => {
    deleteStageCopies(doc, stageId);
    for (const value of touchpointsRoot(doc).values()) {
      if (isYMap(value) && value.get('stageId') === stageId) value.set('stageId', null);
    }
  }, origin);
}

/** Room between cards stacked in a column. */
const STACK_GAP = 24;

/**
 * Deletes a stage and moves its touchpoints to another stage, in one
 * transaction (one undo). They keep their place across the column and are
 * stacked, in their order, below the lowest card of the stage they join, so
 * that none lands on top of another.
 */
export function deleteStageMovingTouchpoints(doc: Y.Doc, stageId: string, toStageId: string, origin: EditOrigin): void {
  const target = parse(StageIdSchema, toStageId);
  requireStage(doc, stageId);
  if (target === null) throw new JourneyError('invalid', 'choose the stage its touchpoints move to');
  if (target === stageId) throw new JourneyError('invalid', 'its touchpoints cannot move to the stage being deleted');
  requireStage(doc, target);
  const moving: Array<{ map: YRecord; y: number }> = [];
  let bottom = LANE_HEADER_HEIGHT;
  for (const value of touchpointsRoot(doc).values()) {
    if (!isYMap(value)) continue;
    const y = readFinite(value.get('y'), 0);
    if (value.get('stageId') === stageId) moving.push({ map: value, y });
    else if (value.get('stageId') === target) bottom = Math.max(bottom, y + CARD_HEIGHT);
  }
  moving.sort((a, b) => a.y - b.y);
  doc.transact(() => {
    deleteStageCopies(doc, stageId);
    moving.forEach(({ map }, i) => {
      map.set('stageId', target);
      setChanged(map, 'y', bottom + STACK_GAP + i * (CARD_HEIGHT + STACK_GAP));
    });
  }, origin);
}

/** Deletes a stage, its touchpoints and every connection to or from them, in one transaction (one undo). */
export function deleteStageWithTouchpoints(doc: Y.Doc, stageId: string, origin: EditOrigin): void {
  requireStage(doc, stageId);
  const gone = new Set<string>();
  for (const [key, value] of touchpointsRoot(doc).entries()) {
    if (isYMap(value) && value.get('stageId') === stageId && !isHub(doc, key, value)) gone.add(key);
  }
  doc.transact(() => {
    deleteStageCopies(doc, stageId);
    removeTouchpointsWithConnections(doc, gone);
  }, origin);
}

// ---------------------------------------------------------------------------
// Touchpoints

function requireTouchpoint(doc: Y.Doc, id: string): YRecord {
  const touchpoint = touchpointsRoot(doc).get(id);
  if (!isYMap(touchpoint)) throw new JourneyError('not_found', `touchpoint ${quote(id)} does not exist`);
  return touchpoint;
}

function isHub(doc: Y.Doc, id: string, touchpoint: YRecord): boolean {
  return touchpoint.get('kind') === 'hub' || getHubId(doc) === id;
}

function checkStageOf(doc: Y.Doc, id: string, touchpoint: YRecord, stageId: string | null | undefined): void {
  if (stageId === undefined || stageId === null) return;
  if (isHub(doc, id, touchpoint)) {
    throw new JourneyError('hub_protected', 'the contact-center hub belongs to no stage; its stageId stays null');
  }
  requireStage(doc, stageId);
}

/** A pain point from its input, with an id not in `usedIds` (which it then joins). */
function newPainPoint(input: z.output<typeof PainPointInputSchema>, usedIds: Set<string>): PainPoint {
  const id = input.id ?? uuidv4();
  if (usedIds.has(id)) throw new JourneyError('duplicate', `a pain point with id ${quote(id)} already exists on this touchpoint`);
  usedIds.add(id);
  return { id, text: input.text, severity: input.severity, frequency: input.frequency };
}

/** External keys are unique within a map (DESIGN.md, "Schema v2"): the figures of one key land on one touchpoint. */
function checkExternalKeyFree(doc: Y.Doc, key: string | null | undefined, forId: string): void {
  if (key === null || key === undefined) return;
  for (const [id, value] of touchpointsRoot(doc).entries()) {
    if (id !== forId && isYMap(value) && value.get('externalKey') === key) {
      throw new JourneyError('duplicate', `external key ${quote(key)} is already the key of touchpoint ${quote(readString(value.get('label'), id))}`);
    }
  }
}

/** Adds a touchpoint of kind 'touchpoint'; the hub only comes with the map. */
export function addTouchpoint(doc: Y.Doc, input: TouchpointInput, origin: EditOrigin): string {
  const valid = parse(TouchpointInputSchema, input);
  const id = valid.id ?? uuidv4();
  if (touchpointsRoot(doc).has(id)) throw new JourneyError('duplicate', `a touchpoint with id ${quote(id)} already exists`);
  checkExternalKeyFree(doc, valid.externalKey, id);
  const stageId = valid.stageId ?? null;
  if (stageId !== null) requireStage(doc, stageId);
  const painPointIds = new Set<string>();
  const touchpoint: Touchpoint = {
    id,
    kind: 'touchpoint',
    stageId,
    label: valid.label,
    channel: valid.channel ?? 'other',
    owner: valid.owner ?? null,
    emotion: valid.emotion ?? null,
    contactVolume: valid.contactVolume ?? 0,
    x: valid.x ?? 0,
    y: valid.y ?? 0,
    painPoints: (valid.painPoints ?? []).map((painPoint) => newPainPoint(painPoint, painPointIds)),
    externalKey: valid.externalKey ?? null,
  };
  doc.transact(() => touchpointsRoot(doc).set(id, touchpointToY(touchpoint)), origin);
  return id;
}

export function updateTouchpoint(doc: Y.Doc, id: string, patch: TouchpointPatch, origin: EditOrigin): void {
  const valid = parse(TouchpointPatchSchema, patch);
  const touchpoint = requireTouchpoint(doc, id);
  checkStageOf(doc, id, touchpoint, valid.stageId);
  checkExternalKeyFree(doc, valid.externalKey, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(valid)) {
      if (value !== undefined) setChanged(touchpoint, key, value);
    }
  }, origin);
}

/**
 * "Tidy up": every card to its place in its stage's column (tidyPositions),
 * as one change, so that one undo puts them all back. Returns how many moved.
 */
export function tidyUp(doc: Y.Doc, origin: EditOrigin): number {
  const positions = tidyPositions(readMap(doc));
  let moved = 0;
  doc.transact(() => {
    for (const [id, at] of positions) {
      const touchpoint = touchpointsRoot(doc).get(id);
      if (!(touchpoint instanceof Y.Map)) continue;
      if (touchpoint.get('x') === at.x && touchpoint.get('y') === at.y) continue;
      setChanged(touchpoint as YRecord, 'x', at.x);
      setChanged(touchpoint as YRecord, 'y', at.y);
      moved += 1;
    }
  }, origin);
  return moved;
}

export function moveTouchpointToStage(
  doc: Y.Doc,
  id: string,
  stageId: string | null,
  origin: EditOrigin,
  position?: Position,
): void {
  const validStageId = parse(StageIdSchema, stageId);
  const validPosition = position === undefined ? undefined : parse(PositionSchema, position);
  const touchpoint = requireTouchpoint(doc, id);
  checkStageOf(doc, id, touchpoint, validStageId);
  doc.transact(() => {
    setChanged(touchpoint, 'stageId', validStageId);
    if (validPosition !== undefined) {
      setChanged(touchpoint, 'x', validPosition.x);
      setChanged(touchpoint, 'y', validPosition.y);
    }
  }, origin);
}

/** Deletes the touchpoint and every connection to or from it. */
export function deleteTouchpoint(doc: Y.Doc, id: string, origin: EditOrigin): void {
  deleteTouchpoints(doc, [id], origin);
}

/**
 * Deletes several touchpoints and every connection to or from them in one
 * transaction, with one pass over the connections (a merge removes many).
 */
export function deleteTouchpoints(doc: Y.Doc, ids: readonly string[], origin: EditOrigin): void {
  const gone = new Set(ids);
  for (const id of gone) {
    const touchpoint = requireTouchpoint(doc, id);
    if (isHub(doc, id, touchpoint)) throw new JourneyError('hub_protected', 'the contact-center hub cannot be deleted');
  }
  doc.transact(() => removeTouchpointsWithConnections(doc, gone), origin);
}

/** Inside a transaction: the touchpoints, and every connection to or from them, in one pass over the connections. */
function removeTouchpointsWithConnections(doc: Y.Doc, gone: ReadonlySet<string>): void {
  const isGone = (end: unknown): boolean => typeof end === 'string' && gone.has(end);
  const touchpoints = touchpointsRoot(doc);
  for (const id of gone) touchpoints.delete(id);
  const connections = connectionsRoot(doc);
  for (const [key, value] of [...connections.entries()]) {
    if (isYMap(value) && (isGone(value.get('source')) || isGone(value.get('target')))) connections.delete(key);
  }
}

// ---------------------------------------------------------------------------
// Connections

function requireConnection(doc: Y.Doc, id: string): YRecord {
  const connection = connectionsRoot(doc).get(id);
  if (!isYMap(connection)) throw new JourneyError('not_found', `connection ${quote(id)} does not exist`);
  return connection;
}

/** Each connection of the document with the pairKey of its two ends, in order. */
function* links(doc: Y.Doc): Generator<[pair: string, id: string]> {
  for (const [key, value] of connectionsRoot(doc).entries()) {
    const source = isYMap(value) ? value.get('source') : undefined;
    const target = isYMap(value) ? value.get('target') : undefined;
    if (typeof source === 'string' && typeof target === 'string') yield [pairKey(source, target), key];
  }
}

/**
 * A new connection from its input, checked against the document; `linkedBy`
 * names the connection that already links a pair, `taken` the ids of the
 * connections being added along with it.
 */
function newConnection(
  doc: Y.Doc,
  input: ConnectionInput,
  linkedBy: (pair: string) => string | undefined,
  taken: ReadonlySet<string>,
): { connection: Connection; pair: string } {
  const valid = parse(ConnectionInputSchema, input);
  if (valid.source === valid.target) {
    throw new JourneyError('self_loop', `a connection cannot link touchpoint ${quote(valid.source)} to itself`);
  }
  requireTouchpoint(doc, valid.source);
  requireTouchpoint(doc, valid.target);
  const id = valid.id ?? uuidv4();
  if (connectionsRoot(doc).has(id) || taken.has(id)) {
    throw new JourneyError('duplicate', `a connection with id ${quote(id)} already exists`);
  }
  const pair = pairKey(valid.source, valid.target);
  const existing = linkedBy(pair);
  if (existing !== undefined) {
    throw new JourneyError(
      'duplicate',
      `touchpoints ${quote(valid.source)} and ${quote(valid.target)} are already connected (connection ${quote(existing)})`,
    );
  }
  return { connection: { id, source: valid.source, target: valid.target, label: valid.label ?? '' }, pair };
}

export function addConnection(doc: Y.Doc, input: ConnectionInput, origin: EditOrigin): string {
  const linkedBy = (pair: string): string | undefined => {
    for (const [candidate, id] of links(doc)) if (candidate === pair) return id;
    return undefined;
  };
  const { connection } = newConnection(doc, input, linkedBy, new Set());
  doc.transact(() => connectionsRoot(doc).set(connection.id, connectionToY(connection)), origin);
  return connection.id;
}

/**
 * Adds several connections in one transaction, with the checks of
 * addConnection (also against each other), indexing the document's links
 * once instead of once per connection (a merge adds many).
 */
export function addConnections(doc: Y.Doc, inputs: readonly ConnectionInput[], origin: EditOrigin): string[] {
  const pairs = new Map<string, string>();
  for (const [pair, id] of links(doc)) if (!pairs.has(pair)) pairs.set(pair, id);
  const taken = new Set<string>();
  const added: Connection[] = [];
  for (const input of inputs) {
    const { connection, pair } = newConnection(doc, input, (candidate) => pairs.get(candidate), taken);
    pairs.set(pair, connection.id);
    taken.add(connection.id);
    added.push(connection);
  }
  doc.transact(() => {
    const connections = connectionsRoot(doc);
    for (const connection of added) connections.set(connection.id, connectionToY(connection));
  }, origin);
  return added.map((connection) => connection.id);
}

export function updateConnectionLabel(doc: Y.Doc, id: string, label: string, origin: EditOrigin): void {
  const valid = parse(ConnectionLabelSchema, label);
  const connection = requireConnection(doc, id);
  doc.transact(() => setChanged(connection, 'label', valid), origin);
}

/**
 * Whether the touchpoint drives contacts to the contact center, as one
 * undoable step: `linked` adds a connection from it to the hub unless one
 * already joins them (either direction counts, DESIGN.md); unlinked removes
 * every direct connection between the two, also those two people added at once.
 */
export function setHubLink(doc: Y.Doc, touchpointId: string, linked: boolean, origin: EditOrigin): void {
  const hubId = getHubId(doc);
  if (hubId === null) throw new JourneyError('not_found', 'this map has no contact-center hub');
  if (touchpointId === hubId) throw new JourneyError('self_loop', 'the contact-center hub cannot be linked to itself');
  requireTouchpoint(doc, touchpointId);
  const pair = pairKey(touchpointId, hubId);
  const existing = [...links(doc)].filter(([candidate]) => candidate === pair).map(([, id]) => id);
  if (linked) {
    if (existing.length === 0) addConnection(doc, { source: touchpointId, target: hubId }, origin);
    return;
  }
  if (existing.length === 0) return;
  doc.transact(() => {
    const connections = connectionsRoot(doc);
    for (const id of existing) connections.delete(id);
  }, origin);
}

export function deleteConnection(doc: Y.Doc, id: string, origin: EditOrigin): void {
  requireConnection(doc, id);
  doc.transact(() => connectionsRoot(doc).delete(id), origin);
}

// ---------------------------------------------------------------------------
// Pain points

/** The touchpoint's pain-point Y.Array, replacing a missing or non-Yjs one (inside a transaction). */
function painPointArray(touchpoint: YRecord): Y.Array<unknown> {
  const current = touchpoint.get('painPoints');
  if (isYArray(current)) return current;
  const array = new Y.Array<unknown>();
  array.push(readPainPoints(current).map(painPointToPlain));
  touchpoint.set('painPoints', array);
  return array;
}

function requirePainPoint(touchpoint: YRecord, touchpointId: string, painPointId: string): PainPoint {
  const painPoint = readPainPoints(touchpoint.get('painPoints')).find((entry) => entry.id === painPointId);
  if (painPoint === undefined) {
    throw new JourneyError('not_found', `pain point ${quote(painPointId)} does not exist on touchpoint ${quote(touchpointId)}`);
  }
  return painPoint;
}

/** Indexes of every copy of a pain point, last first, so deleting by them keeps the rest valid. */
function painPointIndexes(array: Y.Array<unknown>, painPointId: string): number[] {
  const indexes: number[] = [];
  array.forEach((item, index) => {
    if (readPainPoint(item)?.id === painPointId) indexes.unshift(index);
  });
  return indexes;
}

export function addPainPoint(doc: Y.Doc, touchpointId: string, input: PainPointInput, origin: EditOrigin): string {
  const valid = parse(PainPointInputSchema, input);
  const touchpoint = requireTouchpoint(doc, touchpointId);
  const usedIds = new Set(readPainPoints(touchpoint.get('painPoints')).map((existing) => existing.id));
  const painPoint = newPainPoint(valid, usedIds);
  doc.transact(() => painPointArray(touchpoint).push([painPointToPlain(painPoint)]), origin);
  return painPoint.id;
}

export function updatePainPoint(
  doc: Y.Doc,
  touchpointId: string,
  painPointId: string,
  patch: PainPointPatch,
  origin: EditOrigin,
): void {
  const valid = parse(PainPointPatchSchema, patch);
  const touchpoint = requireTouchpoint(doc, touchpointId);
  const current = requirePainPoint(touchpoint, touchpointId, painPointId);
  const updated: PainPoint = {
    id: current.id,
    text: valid.text ?? current.text,
    severity: valid.severity ?? current.severity,
    frequency: valid.frequency ?? current.frequency,
  };
  // Pain points are plain objects, so an edit replaces the whole object in place.
  doc.transact(() => {
    const array = painPointArray(touchpoint);
    for (const index of painPointIndexes(array, painPointId)) {
      array.delete(index, 1);
      array.insert(index, [painPointToPlain(updated)]);
    }
  }, origin);
}

export function removePainPoint(doc: Y.Doc, touchpointId: string, painPointId: string, origin: EditOrigin): void {
  const touchpoint = requireTouchpoint(doc, touchpointId);
  requirePainPoint(touchpoint, touchpointId, painPointId);
  doc.transact(() => {
    const array = painPointArray(touchpoint);
    for (const index of painPointIndexes(array, painPointId)) array.delete(index, 1);
  }, origin);
}

// ---------------------------------------------------------------------------
// Comments (discussion document)

function requireComment(doc: Y.Doc, id: string): YRecord {
  const comment = commentsRoot(doc).get(id);
  if (!isYMap(comment)) throw new JourneyError('not_found', `comment ${quote(id)} does not exist`);
  return comment;
}

export function addComment(doc: Y.Doc, input: CommentInput, origin: EditOrigin): string {
  const valid = parse(CommentInputSchema, input);
  const id = valid.id ?? uuidv4();
  if (commentsRoot(doc).has(id)) throw new JourneyError('duplicate', `a comment with id ${quote(id)} already exists`);
  const parentId = valid.parentId ?? null;
  if (parentId !== null) {
    const parentTouchpointId = requireComment(doc, parentId).get('touchpointId');
    if (parentTouchpointId !== valid.touchpointId) {
      throw new JourneyError(
        'invalid',
        `a reply must be on the same touchpoint as the comment it replies to (${quote(parentId)} is on ${quote(String(parentTouchpointId))}, not ${quote(valid.touchpointId)})`,
      );
    }
  }
  const comment: Comment = {
    id,
    touchpointId: valid.touchpointId,
    parentId,
    authorId: valid.authorId,
    authorName: valid.authorName,
    body: valid.body,
    createdAt: valid.createdAt,
    resolved: false,
  };
  doc.transact(() => commentsRoot(doc).set(id, commentToY(comment)), origin);
  return id;
}

export function editComment(doc: Y.Doc, id: string, body: string, origin: EditOrigin): void {
  const valid = parse(CommentBodySchema, body);
  const comment = requireComment(doc, id);
  doc.transact(() => setChanged(comment, 'body', valid), origin);
}

export function setCommentResolved(doc: Y.Doc, id: string, resolved: boolean, origin: EditOrigin): void {
  const valid = parse(ResolvedSchema, resolved);
  const comment = requireComment(doc, id);
  doc.transact(() => setChanged(comment, 'resolved', valid), origin);
}

/**
 * Deletes one comment. Replies stay: the server lets an author delete only
 * their own comments (DESIGN.md, "Authorship"), so a cascade would be refused.
 */
export function deleteComment(doc: Y.Doc, id: string, origin: EditOrigin): void {
  requireComment(doc, id);
  doc.transact(() => commentsRoot(doc).delete(id), origin);
}

// ---------------------------------------------------------------------------
// Votes (discussion document)

/** Real Yjs clients draw 32-bit ids; tally creators live above them, so that the two never meet. */
const TALLY_CREATOR_BASE = 2 ** 32;

/** True for the client ids of tally creators (tallyCreatorId): shared by everyone, owned by nobody. */
export function isTallyCreatorId(clientId: number): boolean {
  return clientId >= TALLY_CREATOR_BASE;
}

/**
 * The Yjs client id under which everyone creates a touchpoint's tally. Two
 * people who cast the first dot on a touchpoint at once would otherwise each
 * create an inner map under the same key, and one map — with the dots in it —
 * would lose; created under this id at clock 0 with the same content, the two
 * creations are one and the same item, which Yjs merges. Two touchpoints must
 * never share a creator (their clock-0 items would be taken for one), hence
 * a 53-bit hash (cyrb53) above every random client id.
 */
export function tallyCreatorId(touchpointId: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < touchpointId.length; i++) {
    const ch = touchpointId.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return TALLY_CREATOR_BASE + (hash % (Number.MAX_SAFE_INTEGER - TALLY_CREATOR_BASE));
}

/**
 * A touchpoint's tally, created the same way by everyone when it does not
 * exist yet (see tallyCreatorId). Call within a transaction: the creation and
 * what is written into the tally then go out as one update, accepted or
 * refused whole.
 */
function tallyOf(doc: Y.Doc, touchpointId: string, transaction: Y.Transaction): Y.Map<unknown> {
  const votes = votesRoot(doc);
  const current = votes.get(touchpointId);
  if (isYMap(current)) return current;
  const creator = new Y.Doc();
  creator.clientID = tallyCreatorId(touchpointId);
  creator.getMap<unknown>(DISCUSSION_ROOTS.votes).set(touchpointId, new Y.Map<unknown>());
  const wasLocal = transaction.local;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(creator));
  // Applying an update marks the transaction remote, and Yjs takes a remote transaction that also
  // changes this client's own state for a client-id clash (and gives the document a new id). This
  // one is still this client's own change.
  transaction.local = wasLocal;
  creator.destroy();
  const created = votes.get(touchpointId);
  if (isYMap(created)) return created;
  // The shared tally was created once and deleted since (by an owner): this one is ours alone.
  const own = new Y.Map<unknown>();
  votes.set(touchpointId, own);
  return own;
}

/**
 * Sets a user's dots on a touchpoint; 0 removes the entry. A touchpoint's
 * inner map is created once, the same by everyone (tallyOf), and never
 * replaced: replacing it would drop the others' dots.
 */
export function setVotes(doc: Y.Doc, touchpointId: string, userId: string, dots: number, origin: EditOrigin): void {
  const valid = parse(VoteInputSchema, { touchpointId, userId, dots });
  doc.transact((transaction) => {
    const current = votesRoot(doc).get(valid.touchpointId);
    if (valid.dots === 0) {
      if (isYMap(current)) current.delete(valid.userId);
      return;
    }
    setChanged(tallyOf(doc, valid.touchpointId, transaction), valid.userId, valid.dots);
  }, origin);
}

/** Ends a vote session: every dot goes, the per-touchpoint maps stay (see setVotes). */
export function clearVotes(doc: Y.Doc, origin: EditOrigin): void {
  doc.transact(() => {
    const votes = votesRoot(doc);
    for (const [touchpointId, value] of [...votes.entries()]) {
      if (isYMap(value)) {
        for (const userId of [...value.keys()]) value.delete(userId);
      } else {
        votes.delete(touchpointId);
      }
    }
  }, origin);
}

// ---------------------------------------------------------------------------
// Actions (schema v2): what a team will do about a touchpoint or a pain point

function requireAction(doc: Y.Doc, id: string): YRecord {
  const action = actionsRoot(doc).get(id);
  if (!isYMap(action)) throw new JourneyError('not_found', `action ${quote(id)} does not exist`);
  return action;
}

function checkPainPointOf(doc: Y.Doc, touchpointId: string, painPointId: string | null | undefined): void {
  if (painPointId === null || painPointId === undefined) return;
  const touchpoint = requireTouchpoint(doc, touchpointId);
  requirePainPoint(touchpoint, touchpointId, painPointId);
}

/** Adds an action on a touchpoint that exists (and on one of its pain points, when named); `now` is its createdAt. */
export function addAction(doc: Y.Doc, input: ActionInput, now: number, origin: EditOrigin): string {
  const valid = parse(ActionInputSchema, input);
  const id = valid.id ?? uuidv4();
  if (actionsRoot(doc).has(id)) throw new JourneyError('duplicate', `an action with id ${quote(id)} already exists`);
  requireTouchpoint(doc, valid.touchpointId);
  checkPainPointOf(doc, valid.touchpointId, valid.painPointId);
  const status = valid.status ?? 'proposed';
  const createdAt = parse(NowSchema, now);
  const action: Action = {
    id,
    touchpointId: valid.touchpointId,
    painPointId: valid.painPointId ?? null,
    title: valid.title,
    ownerTeam: valid.ownerTeam ?? null,
    due: valid.due ?? null,
    status,
    doneAt: status === 'done' ? createdAt : null,
    createdAt,
  };
  doc.transact(() => actionsRoot(doc).set(id, actionToY(action)), origin);
  return id;
}

/** Changes an action; `doneAt` becomes `now` when the status becomes done and null when it leaves done. */
export function updateAction(doc: Y.Doc, id: string, patch: ActionPatch, now: number, origin: EditOrigin): void {
  const valid = parse(ActionPatchSchema, patch);
  const action = requireAction(doc, id);
  if (valid.painPointId !== undefined) checkPainPointOf(doc, readString(action.get('touchpointId'), ''), valid.painPointId);
  const wasDone = action.get('status') === 'done';
  const doneAt = parse(NowSchema, now);
  doc.transact(() => {
    for (const [key, value] of Object.entries(valid)) {
      if (value !== undefined) setChanged(action, key, value);
    }
    if (valid.status === 'done' && !wasDone) action.set('doneAt', doneAt);
    if (valid.status !== undefined && valid.status !== 'done') setChanged(action, 'doneAt', null);
  }, origin);
}

/**
 * Writes an action whole as another copy of the map has it (a merge, a
 * refresh, a restored version): its id, times and status as they are there.
 * An action the document has is changed field by field, so that a concurrent
 * edit of another field survives. Its touchpoint need not be on the map: an
 * action outlives its touchpoint.
 */
export function putAction(doc: Y.Doc, action: Action, origin: EditOrigin): void {
  const valid: Action = parse(ActionSchema, action);
  doc.transact(() => {
    const existing = actionsRoot(doc).get(valid.id);
    if (!isYMap(existing)) {
      actionsRoot(doc).set(valid.id, actionToY(valid));
      return;
    }
    for (const [key, value] of Object.entries(valid)) setChanged(existing, key, value);
  }, origin);
}

export function deleteAction(doc: Y.Doc, id: string, origin: EditOrigin): void {
  requireAction(doc, id);
  doc.transact(() => actionsRoot(doc).delete(id), origin);
}

// ---------------------------------------------------------------------------
// Undo scope and vote sessions

/** The shared types a per-user Y.UndoManager tracks on a map document. */
export function mapUndoScope(doc: Y.Doc): Array<Y.Map<unknown> | Y.Array<unknown>> {
  return [metaRoot(doc), stagesRoot(doc), touchpointsRoot(doc), connectionsRoot(doc), actionsRoot(doc)];
}

/**
 * A dot-voting session, kept in the map document's meta (`meta.voteSession`):
 * starting and ending one is a change to the map, made by its owner or an
 * editor; the dots themselves live in the discussion document.
 */
export interface VoteSession {
  dotsPerPerson: number;
  startedBy: string;
  startedAt: number;
}

export const MAX_DOTS_PER_PERSON = 20;

export function getVoteSession(doc: Y.Doc): VoteSession | null {
  const get = fieldsOf(metaRoot(doc).get('voteSession'));
  if (!get) return null;
  const dots = get('dotsPerPerson');
  if (typeof dots !== 'number' || !Number.isInteger(dots) || dots < 1) return null;
  return { dotsPerPerson: Math.min(dots, MAX_DOTS_PER_PERSON), startedBy: readString(get('startedBy'), ''), startedAt: readFinite(get('startedAt'), 0) };
}

export function setVoteSession(doc: Y.Doc, session: VoteSession | null, origin: EditOrigin): void {
  if (session !== null && (!Number.isInteger(session.dotsPerPerson) || session.dotsPerPerson < 1 || session.dotsPerPerson > MAX_DOTS_PER_PERSON)) {
    throw new JourneyError('invalid', `dots per person must be between 1 and ${MAX_DOTS_PER_PERSON} (got ${session.dotsPerPerson})`);
  }
  doc.transact(() => {
    if (session === null) metaRoot(doc).delete('voteSession');
    else metaRoot(doc).set('voteSession', { ...session });
  }, origin);
}
