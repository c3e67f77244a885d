import { z } from 'zod';
import type { Discussion, JourneyMap } from '../journey/types';
import { DiscussionSchema, ID_MAX_LENGTH, JourneyMapSchema, NAME_MAX_LENGTH } from '../journey/validation';
import { ImportError, type ImportProblem } from './import-error';
import { MAX_IMPORTED_STAGES, MAX_IMPORTED_TOUCHPOINTS } from './imported-journey';

/**
 * The JSON exchange file: both documents of a map in full, so that importing
 * it gives back the same map (its ids, positions, actions, and the
 * discussion when it was exported with it).
 *
 *   { "format": "journeyhub-map", "version": 1, "exportedAt": "<ISO>",
 *     "map": <the map document's JSON>, "discussion": <the discussion's JSON> | omitted }
 */
export const JSON_FORMAT = 'journeyhub-map';
export const JSON_FORMAT_VERSION = 1;

export interface MapExport {
  format: typeof JSON_FORMAT;
  version: typeof JSON_FORMAT_VERSION;
  exportedAt: string;
  map: JourneyMap;
  discussion?: Discussion;
}

export function exportJson(map: JourneyMap, discussion: Discussion | null, exportedAt: Date): string {
  // figuresAt is the server's signal to open canvases, not part of the journey.
  const { figuresAt: _signal, ...meta } = map.meta;
  const file: MapExport = { format: JSON_FORMAT, version: JSON_FORMAT_VERSION, exportedAt: exportedAt.toISOString(), map: { ...map, meta } };
  if (discussion) file.discussion = discussion;
  return `${JSON.stringify(file, null, 2)}\n`;
}

const FileSchema = z.object({
  format: z.literal(JSON_FORMAT, { error: `format must be "${JSON_FORMAT}": export a map from JourneyHub as JSON to get such a file` }),
  version: z.literal(JSON_FORMAT_VERSION, { error: `version must be ${JSON_FORMAT_VERSION}` }),
  exportedAt: z.string().optional(),
  map: JourneyMapSchema,
  discussion: DiscussionSchema.optional(),
});

/** The most problems a refusal lists: enough to fix a file, never a second copy of a hostile one. */
const MAX_PROBLEMS = 50;

/** How many entries of each kind a map takes: counted before each one is checked. */
const MAX_ENTRIES: ReadonlyArray<[document: 'map' | 'discussion', root: string, what: string, max: number]> = [
  ['map', 'touchpoints', 'touchpoints', MAX_IMPORTED_TOUCHPOINTS],
  ['map', 'stages', 'stages', MAX_IMPORTED_STAGES],
  ['map', 'connections', 'connections', 5 * MAX_IMPORTED_TOUCHPOINTS],
  ['map', 'actions', 'actions', 50_000],
  ['discussion', 'comments', 'comments', 50_000],
  ['discussion', 'votes', 'touchpoints with dots', MAX_IMPORTED_TOUCHPOINTS],
];

function checkCounts(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  for (const [document, root, what, max] of MAX_ENTRIES) {
    const entries = (data as Record<string, unknown>)[document];
    const value = typeof entries === 'object' && entries !== null ? (entries as Record<string, unknown>)[root] : undefined;
    if (typeof value !== 'object' || value === null) continue;
    const count = Array.isArray(value) ? value.length : Object.keys(value).length;
    if (count > max) throw new ImportError(`The ${document} has ${count.toLocaleString('en-US')} ${what}; a map takes at most ${max.toLocaleString('en-US')}`, [{ row: null, path: `${document}.${root}`, message: `at most ${max.toLocaleString('en-US')}` }]);
  }
}

/** Reads a JSON exchange file; an ImportError names every problem by its path. */
export function importJson(text: string): { map: JourneyMap; discussion: Discussion | null } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportError(`The file is not JSON: ${(error as Error).message}`, []);
  }
  checkCounts(data);
  const parsed = FileSchema.safeParse(data);
  if (!parsed.success) {
    const problems: ImportProblem[] = parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => ({ row: null, path: issue.path.map(String).join('.'), message: issue.message }));
    throw new ImportError(`The file is not a map JourneyHub can read: ${problems[0]?.path ? `${problems[0].path}: ` : ''}${problems[0]?.message ?? 'unknown problem'}`, problems);
  }
  const { figuresAt: _signal, ...meta } = parsed.data.map.meta;
  return { map: { ...parsed.data.map, meta }, discussion: parsed.data.discussion ?? null };
}

const IMPORTED_PREFIX = 'imported:';
const IMPORTED_SUFFIX = ' (imported)';

/**
 * Who an imported discussion is by: only the person importing may come in as
 * themselves. Everyone else's comments and dots keep their words and names but
 * under an id that is nobody's here (`imported:<id>`) and a name marked
 * "(imported)": a file must not put words in someone's mouth on this server
 * (DESIGN.md, "Authorship": a comment's author is its sender, as the server knows them).
 */
export function attributeImported(discussion: Discussion, importerId: string): Discussion {
  const foreign = (id: string): string => (id === importerId || id.startsWith(IMPORTED_PREFIX) ? id : `${IMPORTED_PREFIX}${id}`.slice(0, ID_MAX_LENGTH));
  const named = (name: string): string => (name.endsWith(IMPORTED_SUFFIX) ? name : `${name.slice(0, NAME_MAX_LENGTH - IMPORTED_SUFFIX.length)}${IMPORTED_SUFFIX}`);
  const comments = Object.fromEntries(
    Object.entries(discussion.comments).map(([id, comment]) => [id, comment.authorId === importerId ? comment : { ...comment, authorId: foreign(comment.authorId), authorName: named(comment.authorName) }]),
  );
  const votes = Object.fromEntries(
    Object.entries(discussion.votes).map(([touchpointId, byUser]) => [touchpointId, Object.fromEntries(Object.entries(byUser).map(([userId, dots]) => [foreign(userId), dots]))]),
  );
  return { comments, votes };
}
