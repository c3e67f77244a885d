import * as Y from 'yjs';
import { uuidv4 } from 'lib0/random';
import { roomName } from '../../lib/journey/rooms';
import { writeDiscussion, writeMap } from '../../lib/journey/schema';
import { TEMPLATES, type TemplateName } from '../../lib/journey/templates';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import type { DocStore, MapRecord } from '../store/doc-store';

const SYSTEM = { userId: 'system', kind: 'system' } as const;

/**
 * A URL-safe map id: 22 characters of a v4 uuid's randomness. Never with a
 * leading '-': the CLI (node:util parseArgs) would read `--map -x…` as a missing value.
 */
export function newMapId(): string {
  for (;;) {
    const id = Buffer.from(uuidv4().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Creates a map on the server from a template: both documents start from the
 * template here and are stored with the map, so no client ever fills an
 * empty document.
 */
export async function createMapFromTemplate(
  store: DocStore,
  options: { title?: string; template: TemplateName; id?: string; prepare?: (doc: Y.Doc) => void },
): Promise<MapRecord> {
  const { map, discussion } = TEMPLATES[options.template]();
  const title = options.title?.trim() || map.meta.title;
  return createMapFromPlain(store, { title, map, discussion, template: options.template, ...(options.id ? { id: options.id } : {}), ...(options.prepare ? { prepare: options.prepare } : {}) });
}

/** Creates a map whose documents are the plain models given (a template's, or an imported file's), in one transaction. */
export async function createMapFromPlain(
  store: DocStore,
  options: { title: string; map: JourneyMap; discussion: Discussion; template: string; id?: string; prepare?: (doc: Y.Doc) => void },
): Promise<MapRecord> {
  const map = { ...options.map, meta: { ...options.map.meta, title: options.title } };
  const id = options.id ?? newMapId();
  const mapDoc = new Y.Doc();
  const discussionDoc = new Y.Doc();
  try {
    writeMap(mapDoc, map, SYSTEM);
    // More of the map's first state (the demo's actions), stored with it in the same transaction.
    options.prepare?.(mapDoc);
    writeDiscussion(discussionDoc, options.discussion, SYSTEM);
    return await store.createMap({ id, title: options.title, template: options.template }, {
      [roomName(id, 'map')]: Y.encodeStateAsUpdate(mapDoc),
      [roomName(id, 'discussion')]: Y.encodeStateAsUpdate(discussionDoc),
    });
  } finally {
    mapDoc.destroy();
    discussionDoc.destroy();
  }
}
