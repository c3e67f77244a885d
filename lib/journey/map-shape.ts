import * as Y from 'yjs';
import type { z } from 'zod';
import { MAP_ROOT_NAMES, MAX_DOTS_PER_PERSON, getHubId, hubItems } from './schema';
import { ActionSchema, ConnectionSchema, ID_MAX_LENGTH, MapMetaSchema, NAME_MAX_LENGTH, PainPointSchema, StageSchema, TouchpointSchema } from './validation';

/**
 * The shape guard of the map document (DESIGN.md, "The map document keeps its
 * shape"): decides whether an update may reach the store, from the update's
 * decoded structs and the document as it is, without applying anything.
 * Applying a hostile update to a scratch copy is what would cost (a deep
 * chain of nested types is recursive to integrate and to delete), so the
 * guard never does: it reads each new item's place in the schema and its content.
 */

export type ShapeVerdict = { ok: true } | { ok: false; reason: string };

export interface ShapeLimits {
  /** The document's size now (an estimate that never undercounts much), in bytes. */
  docBytes: number;
  maxDocBytes: number;
}

/** More new items than any person's edit makes; past it the update is refused unread. */
export const MAX_ITEMS_PER_UPDATE = 200_000;
/** root → touchpoint → painPoints: nothing in the schema nests deeper. */
const MAX_TYPE_DEPTH = 3;

/**
 * 'gone': inside something the document has deleted and collected. Yjs drops
 * such an item as it integrates it (a concurrent edit of a deleted touchpoint),
 * so it is let through unread rather than refusing an honest client forever.
 */
type NodeKind =
  | 'meta'
  | 'stages'
  | 'touchpoints'
  | 'connections'
  | 'actions'
  | 'stage'
  | 'touchpoint'
  | 'connection'
  | 'action'
  | 'painPoints'
  | 'gone';

interface Node {
  kind: NodeKind;
  /** A touchpoint's key in `touchpoints` (for the hub rules); null elsewhere. */
  entry: string | null;
}

/** Where an item sits: in which shared type, under which key (null in an array). */
interface Place {
  node: Node;
  key: string | null;
}

class Refusal extends Error {}

const ROOT_NODES = new Map<string, NodeKind>([
  [MAP_ROOT_NAMES.meta, 'meta'],
  [MAP_ROOT_NAMES.stages, 'stages'],
  [MAP_ROOT_NAMES.touchpoints, 'touchpoints'],
  [MAP_ROOT_NAMES.connections, 'connections'],
  [MAP_ROOT_NAMES.actions, 'actions'],
]);

const ARRAY_NODES: ReadonlySet<NodeKind> = new Set(['stages', 'painPoints']);

const WHAT: Record<NodeKind, string> = {
  meta: 'the map details',
  stages: 'the stages',
  touchpoints: 'the touchpoints',
  connections: 'the connections',
  actions: 'the actions',
  stage: 'a stage',
  touchpoint: 'a touchpoint',
  connection: 'a connection',
  action: 'an action',
  painPoints: "a touchpoint's pain points",
  gone: 'a deleted part of the map',
};

type FieldRules = Readonly<Record<string, z.ZodType>>;

const touchpointFields: FieldRules = Object.fromEntries(Object.entries(TouchpointSchema.shape).filter(([key]) => key !== 'painPoints'));

const FIELDS: Partial<Record<NodeKind, FieldRules>> = {
  meta: MapMetaSchema.shape,
  stage: StageSchema.shape,
  touchpoint: touchpointFields,
  connection: ConnectionSchema.shape,
  action: ActionSchema.shape,
};

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'has the wrong type';
}

function checkVoteSession(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Refusal('voteSession must be an object');
  const { dotsPerPerson, startedBy, startedAt, ...rest } = value as Record<string, unknown>;
  const fine =
    Object.keys(rest).length === 0 &&
    typeof dotsPerPerson === 'number' &&
    Number.isInteger(dotsPerPerson) &&
    dotsPerPerson >= 1 &&
    dotsPerPerson <= MAX_DOTS_PER_PERSON &&
    typeof startedBy === 'string' &&
    startedBy.length <= NAME_MAX_LENGTH &&
    typeof startedAt === 'number' &&
    Number.isFinite(startedAt);
  if (!fine) throw new Refusal(`voteSession must be { dotsPerPerson: 1..${MAX_DOTS_PER_PERSON}, startedBy, startedAt }`);
}

/** Checks one map document update against the schema; refuses the first thing out of shape. */
export function checkMapUpdate(doc: Y.Doc, update: Uint8Array, limits: ShapeLimits, pending: PendingUpdates | readonly Uint8Array[] = []): ShapeVerdict {
  const queued = pending instanceof PendingUpdates ? pending : PendingUpdates.of(pending);
  if (limits.docBytes + update.byteLength > limits.maxDocBytes) {
    return { ok: false, reason: `the map would grow past its size limit (${Math.round(limits.maxDocBytes / 1024)} KiB)` };
  }
  try {
    new ShapeCheck(doc, queued).run(update);
    return { ok: true };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Updates accepted and not yet in the document (a server's queue and the
 * batch it is storing), decoded and indexed once as they are accepted: the
 * next update may build on them. Checking each update against the whole
 * queue decoded anew cost time in the square of the queue, and a store that
 * slowed down (PostgreSQL under load) made the queue, and so every check,
 * longer until the event loop stalled. Where the items sit (their Place) is
 * kept too: typing makes an origin chain as long as the queue.
 */
export class PendingUpdates {
  /** Their items by client, in clock order. */
  readonly items = new Map<number, Y.Item[]>();
  /** Where each item sits, once worked out (shared by the checks, see ShapeCheck.placeOf). */
  readonly places = new Map<Y.Item, Place>();
  /** Their bytes: what the document may grow by before they are applied. */
  bytes = 0;

  static of(updates: readonly Uint8Array[]): PendingUpdates {
    const pending = new PendingUpdates();
    for (const update of updates) pending.add(update);
    return pending;
  }

  /** An update that passed its checks; throws if it does not decode (it did, to pass). */
  add(update: Uint8Array): void {
    this.bytes += update.byteLength;
    indexItems(this.items, Y.decodeUpdate(update).structs);
  }

  /** The clock after the last item of `client` among them (0: none): where that client's next update starts. */
  clockAfter(client: number): number {
    const last = this.items.get(client)?.at(-1);
    return last ? last.id.clock + last.length : 0;
  }

  /** `bytes` of them are in the document now; their items stay (a lookup finds the document's first). */
  applied(bytes: number): void {
    this.bytes = Math.max(0, this.bytes - bytes);
  }

  clear(): void {
    this.items.clear();
    this.places.clear();
    this.bytes = 0;
  }
}

/** Adds the structs' items to `index` by client, keeping each client's list in clock order. */
function indexItems(index: Map<number, Y.Item[]>, structs: readonly (Y.Item | Y.GC | Y.Skip)[]): void {
  const touched = new Set<Y.Item[]>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    let list = index.get(struct.id.client);
    if (!list) index.set(struct.id.client, (list = []));
    const last = list.at(-1);
    list.push(struct);
    if (last && last.id.clock > struct.id.clock) touched.add(list);
  }
  for (const list of touched) list.sort((a, b) => a.id.clock - b.id.clock);
}

function findItem(list: readonly Y.Item[] | undefined, clock: number): Y.Item | null {
  if (!list) return null;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const item = list[middle];
    if (!item) return null;
    if (clock < item.id.clock) high = middle - 1;
    else if (clock >= item.id.clock + item.length) low = middle + 1;
    else return item;
  }
  return null;
}

class ShapeCheck {
  /** Items of this update, by client, in clock order (those of updates queued before it are in `pending`). */
  private readonly fresh = new Map<number, Y.Item[]>();
  private readonly places: Map<Y.Item, Place>;
  private readonly hubId: string | null;
  private readonly roots: Map<unknown, NodeKind>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly pending: PendingUpdates,
  ) {
    this.places = pending.places;
    this.hubId = getHubId(doc);
    this.roots = new Map();
    for (const [name, kind] of ROOT_NODES) {
      const type = doc.share.get(name);
      if (type) this.roots.set(type, kind);
    }
  }

  run(update: Uint8Array): void {
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      throw new Refusal('the update cannot be read');
    }
    const items = decoded.structs.filter((struct): struct is Y.Item => struct instanceof Y.Item && !this.known(struct));
    if (items.length > MAX_ITEMS_PER_UPDATE) throw new Refusal(`an update may create at most ${MAX_ITEMS_PER_UPDATE} items`);
    indexItems(this.fresh, items);
    for (const item of items) this.checkItem(item);
    this.checkDeletes(decoded.ds);
  }

  /** Wholly in the document already: Yjs skips it, so there is nothing to check. */
  private known(item: Y.Item): boolean {
    return item.id.clock + item.length <= Y.getState(this.doc.store, item.id.client);
  }

  /**
   * The item holding `id`: in the document, or new (this update or a queued
   * one); 'gone' when the document collected it; null when nobody has it.
   */
  private lookup(id: Y.ID): Y.Item | 'gone' | null {
    if (id.clock < Y.getState(this.doc.store, id.client)) {
      const structs = this.doc.store.clients.get(id.client);
      if (!structs) return null;
      const struct = structs[Y.findIndexSS(structs, id.clock)];
      return struct instanceof Y.Item ? struct : 'gone';
    }
    return findItem(this.fresh.get(id.client), id.clock) ?? findItem(this.pending.items.get(id.client), id.clock);
  }

  /** Where `start` sits; origin chains are followed without recursion, type nesting to MAX_TYPE_DEPTH. */
  private placeOf(start: Y.Item, depth: number): Place {
    const chain: Y.Item[] = [];
    let item: Y.Item = start;
    let place: Place | undefined;
    for (;;) {
      place = this.places.get(item);
      if (place) break;
      const parent: unknown = item.parent;
      if (parent instanceof Y.AbstractType) {
        place = this.placeInType(parent, item.parentSub, depth);
        break;
      }
      if (typeof parent === 'string') {
        const kind = ROOT_NODES.get(parent);
        if (kind === undefined) throw new Refusal(`"${parent.slice(0, 40)}" is not part of a map`);
        place = { node: { kind, entry: null }, key: item.parentSub };
        break;
      }
      if (parent instanceof Y.ID) {
        const typeItem = this.lookup(parent);
        if (typeItem === null) throw new Refusal('the update changes something the map does not have');
        place = { node: typeItem === 'gone' ? GONE : this.nodeOf(typeItem, depth + 1), key: item.parentSub };
        break;
      }
      const neighbour = item.origin ?? item.rightOrigin;
      const next = neighbour === null ? null : this.lookup(neighbour);
      if (next === null || next === item) throw new Refusal('the update changes something the map does not have');
      if (next === 'gone') {
        place = { node: GONE, key: null };
        break;
      }
      chain.push(item);
      item = next;
    }
    for (const link of chain) this.places.set(link, place);
    this.places.set(start, place);
    return place;
  }

  private placeInType(type: { readonly _item: Y.Item | null }, key: string | null, depth: number): Place {
    const root = this.roots.get(type);
    if (root !== undefined) return { node: { kind: root, entry: null }, key };
    if (type._item === null) throw new Refusal('the update changes something that is not part of a map');
    return { node: this.nodeOf(type._item, depth + 1), key };
  }

  /** The schema node of the shared type that `typeItem` holds; refused where the schema has none. */
  private nodeOf(typeItem: Y.Item, depth: number): Node {
    if (depth > MAX_TYPE_DEPTH) throw new Refusal('shared types nest deeper than the map schema allows');
    const place = this.placeOf(typeItem, depth);
    if (place.node.kind === 'gone' || (typeItem.deleted && typeItem.parent instanceof Y.AbstractType)) return GONE;
    const node = childNode(place, typeItem.content);
    if (node === null) throw new Refusal(`a shared type has no place in ${WHAT[place.node.kind]}${place.key === null ? '' : ` (under "${place.key.slice(0, 40)}")`}`);
    return node;
  }

  private checkItem(item: Y.Item): void {
    const place = this.placeOf(item, 0);
    if (place.node.kind === 'gone') return;
    const isArray = ARRAY_NODES.has(place.node.kind);
    if (isArray !== (place.key === null)) throw new Refusal(`${WHAT[place.node.kind]} cannot hold that kind of entry`);
    if (place.key !== null && place.key.length > ID_MAX_LENGTH) throw new Refusal(`a key in ${WHAT[place.node.kind]} is longer than ${ID_MAX_LENGTH} characters`);
    const content = item.content;
    if (content instanceof Y.ContentDeleted) return;
    if (content instanceof Y.ContentType) {
      this.nodeOf(item, 1);
      this.checkHubKept(place);
      return;
    }
    if (!(content instanceof Y.ContentAny)) throw new Refusal(`${WHAT[place.node.kind]} cannot hold that kind of content`);
    for (const value of content.arr as unknown[]) this.checkValue(place, value);
  }

  private checkValue(place: Place, value: unknown): void {
    const { node, key } = place;
    if (node.kind === 'painPoints') {
      const result = PainPointSchema.safeParse(value);
      if (!result.success) throw new Refusal(`a pain point: ${firstIssue(result.error)}`);
      return;
    }
    if (key === null) throw new Refusal(`${WHAT[node.kind]} hold shared types, not plain values`);
    if (node.kind === 'meta' && key === 'voteSession') return checkVoteSession(value);
    // Every open canvas fetches the figures again when this changes: a client that could write it could make them all fetch at its pace.
    if (node.kind === 'meta' && key === 'figuresAt') throw new Refusal('figuresAt is written by the server when the contact center sends figures, not by a client');
    const rule = FIELDS[node.kind]?.[key];
    if (rule === undefined) throw new Refusal(`"${key.slice(0, 40)}" is not a field of ${WHAT[node.kind]}`);
    const result = rule.safeParse(value);
    if (!result.success) throw new Refusal(`${WHAT[node.kind]}: ${firstIssue(result.error)}`);
    if (node.kind === 'meta' && key === 'hubId' && this.hubId !== null && value !== this.hubId) {
      throw new Refusal('the contact-center hub cannot be replaced');
    }
    if (node.kind === 'touchpoint' && key === 'kind') this.checkKind(node, value);
    if (node.kind === 'touchpoint' && key === 'externalKey' && typeof value === 'string') this.checkExternalKey(node, value);
  }

  /** Touchpoint key by external key: the document's, then this update's as they are read. */
  private externalKeys: Map<string, string> | null = null;

  /** An external key names one touchpoint of the map (DESIGN.md, "Schema v2"). */
  private checkExternalKey(node: Node, externalKey: string): void {
    if (this.externalKeys === null) {
      this.externalKeys = new Map();
      for (const [id, touchpoint] of this.doc.getMap<unknown>(MAP_ROOT_NAMES.touchpoints).entries()) {
        const existing = touchpoint instanceof Y.Map ? touchpoint.get('externalKey') : undefined;
        if (typeof existing === 'string') this.externalKeys.set(existing, id);
      }
    }
    const holder = this.externalKeys.get(externalKey);
    if (holder !== undefined && holder !== node.entry) {
      throw new Refusal(`external key "${externalKey.slice(0, 40)}" is already the key of another touchpoint`);
    }
    if (node.entry !== null) this.externalKeys.set(externalKey, node.entry);
  }

  /** A new entry under the hub's key would replace the hub. */
  private checkHubKept(place: Place): void {
    if (this.hubId !== null && place.node.kind === 'touchpoints' && place.key === this.hubId) {
      throw new Refusal('the contact-center hub cannot be replaced');
    }
  }

  /** The hub keeps its kind; no other touchpoint becomes one. */
  private checkKind(node: Node, kind: unknown): void {
    if (this.hubId === null) return;
    const isHubEntry = node.entry === this.hubId;
    if (isHubEntry && kind !== 'hub') throw new Refusal('the contact-center hub cannot become a touchpoint');
    if (!isHubEntry && kind === 'hub') throw new Refusal('a map has one contact-center hub; no other touchpoint can become one');
  }

  private checkDeletes(ds: ReturnType<typeof Y.decodeUpdate>['ds']): void {
    for (const item of hubItems(this.doc)) {
      const ranges = ds.clients.get(item.id.client) ?? [];
      if (ranges.some((range) => item.id.clock >= range.clock && item.id.clock < range.clock + range.len)) {
        throw new Refusal('the contact-center hub cannot be deleted');
      }
    }
  }
}

const GONE: Node = { kind: 'gone', entry: null };

function childNode(place: Place, content: Y.Item['content']): Node | null {
  if (!(content instanceof Y.ContentType)) return null;
  const type: unknown = content.type;
  const isMap = type instanceof Y.Map;
  switch (place.node.kind) {
    case 'stages':
      return isMap && place.key === null ? { kind: 'stage', entry: null } : null;
    case 'touchpoints':
      return isMap && place.key !== null ? { kind: 'touchpoint', entry: place.key } : null;
    case 'connections':
      return isMap && place.key !== null ? { kind: 'connection', entry: null } : null;
    case 'actions':
      return isMap && place.key !== null ? { kind: 'action', entry: null } : null;
    case 'touchpoint':
      return type instanceof Y.Array && place.key === 'painPoints' ? { kind: 'painPoints', entry: null } : null;
    default:
      return null;
  }
}
