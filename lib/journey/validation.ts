import { z } from 'zod';
import {
  ACTION_STATUSES,
  CHANNELS,
  EMOTION_MAX,
  EMOTION_MIN,
  FREQUENCY_MAX,
  FREQUENCY_MIN,
  SCHEMA_VERSION,
  SEVERITY_MAX,
  SEVERITY_MIN,
  type Action,
  type Comment,
  type Connection,
  type JourneyMap,
  type Touchpoint,
} from './types';

/**
 * zod schemas of the plain model (DESIGN.md, "The Yjs documents") and of the
 * input of every write in lib/journey/schema.ts. Every message names the field
 * and the value it got, so that a person can fix the input from the message.
 */

export const ID_MAX_LENGTH = 200;
export const NAME_MAX_LENGTH = 200;
export const PERSONA_MAX_LENGTH = 500;
export const PAIN_POINT_TEXT_MAX_LENGTH = 500;
export const COMMENT_BODY_MAX_LENGTH = 5000;
export const EXTERNAL_KEY_MAX_LENGTH = 100;
export const ACTION_TITLE_MAX_LENGTH = 200;

type IssueInput = { input?: unknown };

function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `an ${typeof value}`;
}

function lengthOf(value: unknown): string {
  return typeof value === 'string' ? String(value.length) : show(value);
}

function typeMessage(field: string, expected: string) {
  return (issue: IssueInput): string =>
    issue.input === undefined ? `${field} is required` : `${field} must be ${expected} (got ${show(issue.input)})`;
}

function tooLong(field: string, max: number) {
  return (issue: IssueInput): string => `${field} must be at most ${max} characters (got ${lengthOf(issue.input)})`;
}

/** A trimmed string; `required` means non-empty after trimming. */
function text(field: string, max: number, required: boolean) {
  const trimmed = z.string({ error: typeMessage(field, 'text') }).trim();
  const nonEmpty = required ? trimmed.min(1, { error: `${field} must not be empty` }) : trimmed;
  return nonEmpty.max(max, { error: tooLong(field, max) });
}

function id(field: string) {
  return z
    .string({ error: typeMessage(field, 'an id') })
    .min(1, { error: `${field} must not be empty` })
    .max(ID_MAX_LENGTH, { error: tooLong(field, ID_MAX_LENGTH) });
}

function nullableId(field: string) {
  return z
    .string({ error: typeMessage(field, 'an id or null') })
    .min(1, { error: `${field} must not be empty (use null for none)` })
    .max(ID_MAX_LENGTH, { error: tooLong(field, ID_MAX_LENGTH) })
    .nullable();
}

/** A team name or null; DESIGN.md: "an empty owner is no owner", so '' reads as null. */
function team(field: string) {
  return z
    .string({ error: typeMessage(field, 'a team name or null') })
    .trim()
    .max(NAME_MAX_LENGTH, { error: tooLong(field, NAME_MAX_LENGTH) })
    .nullable()
    .transform((value) => (value === '' ? null : value));
}

function intBetween(field: string, min: number, max: number, expected = `a whole number between ${min} and ${max}`) {
  return z.number({ error: typeMessage(field, expected) }).refine(
    (value) => Number.isInteger(value) && value >= min && value <= max,
    {
      error: (issue) =>
        typeof issue.input === 'number' && !Number.isInteger(issue.input)
          ? `${field} must be a whole number between ${min} and ${max} (got ${show(issue.input)})`
          : `${field} must be between ${min} and ${max} (got ${show(issue.input)})`,
    },
  );
}

function intAtLeast(field: string, min: number) {
  return z.number({ error: typeMessage(field, `a whole number of at least ${min}`) }).refine(
    (value) => Number.isSafeInteger(value) && value >= min,
    {
      error: (issue) =>
        typeof issue.input === 'number' && issue.input < min
          ? `${field} must be at least ${min} (got ${show(issue.input)})`
          : `${field} must be a whole number (got ${show(issue.input)})`,
    },
  );
}

function finiteNumber(field: string) {
  return z.number({ error: typeMessage(field, 'a finite number') });
}

function bool(field: string) {
  return z.boolean({ error: typeMessage(field, 'true or false') });
}

function object<T extends z.ZodRawShape>(what: string, shape: T) {
  return z.object(shape, { error: typeMessage(what, 'an object') });
}

/** For write inputs: a misspelt or read-only field is an error, not silently dropped. */
function strictObject<T extends z.ZodRawShape>(what: string, shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
        return `${keys} ${issue.keys.length === 1 ? 'is not a field' : 'are not fields'} of ${what}`;
      }
      return typeMessage(what, 'an object')(issue);
    },
  });
}

const channel = z.enum(CHANNELS, {
  error: (issue) =>
    issue.input === undefined
      ? 'channel is required'
      : `channel must be one of ${CHANNELS.join(', ')} (got ${show(issue.input)})`,
});

const kind = z.enum(['touchpoint', 'hub'], { error: typeMessage('kind', 'touchpoint or hub') });

const emotion = intBetween('emotion', EMOTION_MIN, EMOTION_MAX, `a whole number between ${EMOTION_MIN} and ${EMOTION_MAX}, or null`).nullable();
const severity = intBetween('severity', SEVERITY_MIN, SEVERITY_MAX);
const frequency = intBetween('frequency', FREQUENCY_MIN, FREQUENCY_MAX);
const contactVolume = intAtLeast('contactVolume', 0);
const dots = intAtLeast('dots', 0);
const title = text('title', NAME_MAX_LENGTH, true);
const persona = text('persona', PERSONA_MAX_LENGTH, false);
const stageName = text('name', NAME_MAX_LENGTH, true);
const touchpointLabel = text('label', NAME_MAX_LENGTH, true);
const connectionLabel = text('label', NAME_MAX_LENGTH, false);
const painPointText = text('text', PAIN_POINT_TEXT_MAX_LENGTH, true);
const commentBody = text('body', COMMENT_BODY_MAX_LENGTH, true);
const authorName = text('authorName', NAME_MAX_LENGTH, true);
const createdAt = intAtLeast('createdAt', 0);
const actionTitle = text('title', ACTION_TITLE_MAX_LENGTH, true);
const actionStatus = z.enum(ACTION_STATUSES, {
  error: (issue) =>
    issue.input === undefined ? 'status is required' : `status must be one of ${ACTION_STATUSES.join(', ')} (got ${show(issue.input)})`,
});

/** A key as stored: 1–100 characters, no surrounding spaces to tell two keys apart. */
const storedExternalKey = z
  .string({ error: typeMessage('externalKey', 'text or null') })
  .min(1, { error: 'externalKey must not be empty (use null for none)' })
  .max(EXTERNAL_KEY_MAX_LENGTH, { error: tooLong('externalKey', EXTERNAL_KEY_MAX_LENGTH) })
  .refine((value) => value.trim() === value, { error: 'externalKey must not start or end with a space' })
  .nullable();

/** A key as typed: trimmed, and '' clears it. */
const externalKeyInput = z
  .string({ error: typeMessage('externalKey', 'text or null') })
  .trim()
  .max(EXTERNAL_KEY_MAX_LENGTH, { error: tooLong('externalKey', EXTERNAL_KEY_MAX_LENGTH) })
  .nullable()
  .transform((value) => (value === '' ? null : value));

/** A calendar date 'YYYY-MM-DD' that exists (2026-02-30 does not). */
function calendarDate(field: string) {
  return z.string({ error: typeMessage(field, 'a date YYYY-MM-DD or null') }).refine(
    (value) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return false;
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    },
    { error: (issue) => `${field} must be a date YYYY-MM-DD (got ${show(issue.input)})` },
  );
}

// ---------------------------------------------------------------------------
// The plain model

export const MapMetaSchema = object('meta', {
  schemaVersion: z.literal(SCHEMA_VERSION, { error: typeMessage('schemaVersion', String(SCHEMA_VERSION)) }),
  title,
  persona,
  hubId: id('hubId'),
  reviewedAt: intAtLeast('reviewedAt', 0).nullable(),
  reviewedBy: text('reviewedBy', NAME_MAX_LENGTH, true).nullable(),
  // When the server last stored measured figures for the map (ms): the signal open canvases hear to refetch them.
  figuresAt: intAtLeast('figuresAt', 0).nullable().optional(),
});

export const StageSchema = object('stage', {
  id: id('id'),
  name: stageName,
  accountable: team('accountable'),
});

export const PainPointSchema = object('pain point', {
  id: id('id'),
  text: painPointText,
  severity,
  frequency,
});

export const TouchpointSchema = object('touchpoint', {
  id: id('id'),
  kind,
  stageId: nullableId('stageId'),
  label: touchpointLabel,
  channel,
  owner: team('owner'),
  emotion,
  contactVolume,
  x: finiteNumber('x'),
  y: finiteNumber('y'),
  painPoints: z.array(PainPointSchema, { error: typeMessage('painPoints', 'a list') }),
  externalKey: storedExternalKey,
});

export const ConnectionSchema = object('connection', {
  id: id('id'),
  source: id('source'),
  target: id('target'),
  label: connectionLabel,
});

export const ActionSchema = object('action', {
  id: id('id'),
  touchpointId: id('touchpointId'),
  painPointId: nullableId('painPointId'),
  title: actionTitle,
  ownerTeam: team('ownerTeam'),
  due: calendarDate('due').nullable(),
  status: actionStatus,
  doneAt: intAtLeast('doneAt', 0).nullable(),
  createdAt,
});

export const CommentSchema = object('comment', {
  id: id('id'),
  touchpointId: id('touchpointId'),
  parentId: nullableId('parentId'),
  authorId: id('authorId'),
  authorName,
  body: commentBody,
  createdAt,
  resolved: bool('resolved'),
});

export const VotesSchema = z.record(
  z.string(),
  z.record(z.string(), dots, { error: typeMessage('votes of a touchpoint', 'an object of userId → dots') }),
  { error: typeMessage('votes', 'an object of touchpointId → votes') },
);

/** An invariant issue's message names its subject, so formatIssues prints no path before it. */
const SELF_CONTAINED = { selfContained: true } as const;

function mapInvariants(map: JourneyMap, ctx: z.RefinementCtx): void {
  const report = (message: string, path: PropertyKey[]): void => {
    ctx.addIssue({ code: 'custom', message, path, params: SELF_CONTAINED });
  };

  const stageIds = new Set<string>();
  for (const [index, stage] of map.stages.entries()) {
    if (stageIds.has(stage.id)) report(`stage id ${show(stage.id)} is used by more than one stage`, ['stages', index, 'id']);
    stageIds.add(stage.id);
  }

  const touchpoints = Object.entries(map.touchpoints);
  const hubs = touchpoints.filter(([, touchpoint]) => touchpoint.kind === 'hub');
  if (hubs.length !== 1) {
    const found = hubs.length === 0 ? 'none' : hubs.map(([key]) => show(key)).join(', ');
    report(`the map must have exactly one touchpoint of kind "hub", the contact center (found ${found})`, ['touchpoints']);
  }
  const hub = hubs.length === 1 ? hubs[0]?.[1] : undefined;
  if (hub !== undefined) {
    if (hub.id !== map.meta.hubId) {
      report(`meta.hubId must be the id of the hub, ${show(hub.id)} (got ${show(map.meta.hubId)})`, ['meta', 'hubId']);
    }
    if (hub.stageId !== null) {
      report(`the hub ${show(hub.id)} must not be in a stage (got stageId ${show(hub.stageId)})`, ['touchpoints', hub.id, 'stageId']);
    }
  }

  for (const [key, touchpoint] of touchpoints) {
    checkKey('touchpoint', key, touchpoint, ['touchpoints', key, 'id'], report);
    if (touchpoint.stageId !== null && !stageIds.has(touchpoint.stageId)) {
      report(
        `touchpoint ${show(key)} is in stage ${show(touchpoint.stageId)}, which does not exist`,
        ['touchpoints', key, 'stageId'],
      );
    }
    const painPointIds = new Set<string>();
    for (const [index, painPoint] of touchpoint.painPoints.entries()) {
      if (painPointIds.has(painPoint.id)) {
        report(
          `touchpoint ${show(key)} has more than one pain point with id ${show(painPoint.id)}`,
          ['touchpoints', key, 'painPoints', index, 'id'],
        );
      }
      painPointIds.add(painPoint.id);
    }
  }

  const linked = new Map<string, string>();
  for (const [key, connection] of Object.entries(map.connections)) {
    const path = ['connections', key];
    checkKey('connection', key, connection, [...path, 'id'], report);
    for (const end of ['source', 'target'] as const) {
      if (!(connection[end] in map.touchpoints)) {
        report(`connection ${show(key)} has ${end} ${show(connection[end])}, which is not a touchpoint`, [...path, end]);
      }
    }
    if (connection.source === connection.target) {
      report(`connection ${show(key)} links touchpoint ${show(connection.source)} to itself`, path);
      continue;
    }
    const pair = pairKey(connection.source, connection.target);
    const earlier = linked.get(pair);
    if (earlier !== undefined) {
      report(
        `connections ${show(earlier)} and ${show(key)} both link ${show(connection.source)} and ${show(connection.target)}`,
        path,
      );
    } else {
      linked.set(pair, key);
    }
  }

  const keyed = new Map<string, string>();
  for (const [key, touchpoint] of touchpoints) {
    if (touchpoint.externalKey === null) continue;
    const earlier = keyed.get(touchpoint.externalKey);
    if (earlier !== undefined) {
      report(`touchpoints ${show(earlier)} and ${show(key)} both have external key ${show(touchpoint.externalKey)}`, ['touchpoints', key, 'externalKey']);
    } else {
      keyed.set(touchpoint.externalKey, key);
    }
  }

  for (const [key, action] of Object.entries(map.actions)) {
    checkKey('action', key, action, ['actions', key, 'id'], report);
    if ((action.status === 'done') !== (action.doneAt !== null)) {
      report(`action ${show(key)} must have doneAt exactly when its status is done`, ['actions', key, 'doneAt']);
    }
  }
}

function checkKey(
  what: string,
  key: string,
  entry: Touchpoint | Connection | Comment | Action,
  path: PropertyKey[],
  report: (message: string, path: PropertyKey[]) => void,
): void {
  if (entry.id !== key) report(`${what} stored under key ${show(key)} has id ${show(entry.id)}; they must be equal`, path);
}

/** The same for either direction, so a→b and b→a count as one link. */
export function pairKey(a: string, b: string): string {
  return a < b ? JSON.stringify([a, b]) : JSON.stringify([b, a]);
}

export const JourneyMapSchema = object('map', {
  meta: MapMetaSchema,
  stages: z.array(StageSchema, { error: typeMessage('stages', 'a list') }),
  touchpoints: z.record(z.string(), TouchpointSchema, { error: typeMessage('touchpoints', 'an object of id → touchpoint') }),
  connections: z.record(z.string(), ConnectionSchema, { error: typeMessage('connections', 'an object of id → connection') }),
  actions: z.record(z.string(), ActionSchema, { error: typeMessage('actions', 'an object of id → action') }),
}).superRefine(mapInvariants);

export const DiscussionSchema = object('discussion', {
  comments: z.record(z.string(), CommentSchema, { error: typeMessage('comments', 'an object of id → comment') }),
  votes: VotesSchema,
}).superRefine((discussion, ctx) => {
  const report = (message: string, path: PropertyKey[]): void => {
    ctx.addIssue({ code: 'custom', message, path, params: SELF_CONTAINED });
  };
  const comments = discussion.comments;
  for (const [key, comment] of Object.entries(comments)) {
    checkKey('comment', key, comment, ['comments', key, 'id'], report);
    // A reply whose parent is gone is allowed: deleteComment leaves the replies of others in place.
    const parent = comment.parentId === null ? undefined : comments[comment.parentId];
    if (parent === undefined) continue;
    if (parent.touchpointId !== comment.touchpointId) {
      report(
        `comment ${show(key)} is on touchpoint ${show(comment.touchpointId)} but replies to a comment on ${show(parent.touchpointId)}`,
        ['comments', key, 'parentId'],
      );
    } else if (repliesInACircle(comments, key)) {
      report(`comment ${show(key)} is part of a circle of replies`, ['comments', key, 'parentId']);
    }
  }
});

function repliesInACircle(comments: Record<string, Comment>, start: string): boolean {
  const seen = new Set<string>();
  let current: string | null = start;
  while (current !== null) {
    if (seen.has(current)) return true;
    seen.add(current);
    current = comments[current]?.parentId ?? null;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Inputs of the writes in lib/journey/schema.ts

export const MapTitleSchema = title;
export const PersonaSchema = persona;
export const StageNameSchema = stageName;
export const StageAccountableSchema = team('accountable');
export const ConnectionLabelSchema = connectionLabel;
export const CommentBodySchema = commentBody;
export const ResolvedSchema = bool('resolved');
export const StageIdSchema = nullableId('stageId');
export const StageIndexSchema = intAtLeast('index', 0);

export const StageInputSchema = strictObject('a new stage', {
  name: stageName,
  accountable: team('accountable').optional(),
  index: intAtLeast('index', 0).optional(),
  id: id('id').optional(),
});

export const PositionSchema = strictObject('a position', {
  x: finiteNumber('x'),
  y: finiteNumber('y'),
});

export const PainPointInputSchema = strictObject('a new pain point', {
  text: painPointText,
  severity,
  frequency,
  id: id('id').optional(),
});

export const PainPointPatchSchema = strictObject('a pain point update', {
  text: painPointText.optional(),
  severity: severity.optional(),
  frequency: frequency.optional(),
});

export const TouchpointInputSchema = strictObject('a new touchpoint', {
  label: touchpointLabel,
  stageId: nullableId('stageId').optional(),
  channel: channel.optional(),
  owner: team('owner').optional(),
  emotion: emotion.optional(),
  contactVolume: contactVolume.optional(),
  x: finiteNumber('x').optional(),
  y: finiteNumber('y').optional(),
  painPoints: z.array(PainPointInputSchema, { error: typeMessage('painPoints', 'a list') }).optional(),
  externalKey: externalKeyInput.optional(),
  id: id('id').optional(),
});

/** Every field of a touchpoint but id, kind and painPoints (those have their own writes). */
export const TouchpointPatchSchema = strictObject('a touchpoint update', {
  stageId: nullableId('stageId').optional(),
  label: touchpointLabel.optional(),
  channel: channel.optional(),
  owner: team('owner').optional(),
  emotion: emotion.optional(),
  contactVolume: contactVolume.optional(),
  x: finiteNumber('x').optional(),
  y: finiteNumber('y').optional(),
  externalKey: externalKeyInput.optional(),
});

export const ConnectionInputSchema = strictObject('a new connection', {
  source: id('source'),
  target: id('target'),
  label: connectionLabel.optional(),
  id: id('id').optional(),
});

export const CommentInputSchema = strictObject('a new comment', {
  touchpointId: id('touchpointId'),
  parentId: nullableId('parentId').optional(),
  authorId: id('authorId'),
  authorName,
  body: commentBody,
  createdAt,
  id: id('id').optional(),
});

export const ActionInputSchema = strictObject('a new action', {
  touchpointId: id('touchpointId'),
  painPointId: nullableId('painPointId').optional(),
  title: actionTitle,
  ownerTeam: team('ownerTeam').optional(),
  due: calendarDate('due').nullable().optional(),
  status: actionStatus.optional(),
  id: id('id').optional(),
});

/** What a person changes on an action; doneAt follows the status. */
export const ActionPatchSchema = strictObject('an action update', {
  painPointId: nullableId('painPointId').optional(),
  title: actionTitle.optional(),
  ownerTeam: team('ownerTeam').optional(),
  due: calendarDate('due').nullable().optional(),
  status: actionStatus.optional(),
});

export const ReviewerSchema = text('reviewedBy', NAME_MAX_LENGTH, true);
export const ReviewedAtSchema = intAtLeast('reviewedAt', 0);
/** The clock a write is given (lib/ reads no clock of its own). */
export const NowSchema = intAtLeast('the time', 0);

export const VoteInputSchema = strictObject('a vote', {
  touchpointId: id('touchpointId'),
  userId: id('userId'),
  dots,
});

export type StageInput = z.input<typeof StageInputSchema>;
export type Position = z.input<typeof PositionSchema>;
export type PainPointInput = z.input<typeof PainPointInputSchema>;
export type PainPointPatch = z.input<typeof PainPointPatchSchema>;
export type TouchpointInput = z.input<typeof TouchpointInputSchema>;
export type TouchpointPatch = z.input<typeof TouchpointPatchSchema>;
export type ConnectionInput = z.input<typeof ConnectionInputSchema>;
export type CommentInput = z.input<typeof CommentInputSchema>;
export type ActionInput = z.input<typeof ActionInputSchema>;
export type ActionPatch = z.input<typeof ActionPatchSchema>;

// ---------------------------------------------------------------------------

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

/**
 * One readable line from a ZodError: the issues joined by "; ", each prefixed
 * with where it is when the message does not already say it.
 * e.g. `touchpoints.t1: emotion must be between -2 and 2 (got 7)`.
 */
export function formatIssues(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    if (issue.code === 'custom' && issue.params?.selfContained === true) return issue.message;
    const path = [...issue.path];
    const last = path[path.length - 1];
    if (typeof last === 'string' && issue.message.startsWith(`${last} `)) path.pop();
    return path.length === 0 ? issue.message : `${pathText(path)}: ${issue.message}`;
  });
  return [...new Set(lines)].join('; ');
}
