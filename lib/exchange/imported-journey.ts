import { blankMap } from '../journey/templates';
import { JourneyMapSchema, TouchpointInputSchema } from '../journey/validation';
import type { Channel, JourneyMap, Stage, Touchpoint } from '../journey/types';
import { tidyPositions } from '../journey/layout';
import { ImportError, type ImportProblem } from './import-error';

/**
 * What the row formats (CSV, XLSX, Mermaid) read a file into, before it is a
 * map: stages by name in their order, touchpoints a row each. `buildMap`
 * turns it into the plain model of a new map, laid out by stage.
 */
export interface ImportedTouchpoint {
  /** The row (a spreadsheet's number: the header is row 1) or Mermaid line it came from, for errors. */
  row: number;
  /** The stage's name; '' for a touchpoint of no stage. */
  stage: string;
  label: string;
  channel: Channel;
  owner: string | null;
  externalKey: string | null;
  emotion: number | null;
  contactVolume: number;
  painPoints: { text: string; severity: number; frequency: number }[];
}

export interface ImportedJourney {
  title: string;
  persona: string;
  /** Stage names in order (touchpoints may name more: those are added after, in the order first seen). */
  stages: string[];
  touchpoints: ImportedTouchpoint[];
}

/** At most this many touchpoints come in from one file (5,000 is the benchmark's map; ten times that is no workshop). */
export const MAX_IMPORTED_TOUCHPOINTS = 20_000;
/** At most this many stages. */
export const MAX_IMPORTED_STAGES = 200;
/** At most this many columns in a row of a spreadsheet (the export has 14). */
export const MAX_IMPORTED_COLUMNS = 200;

/** Web Crypto's, in the browser and in Node alike: lib0's uuidv4 draws its bytes one call at a time, 76 µs an id (1.5 s of a 5,000-row import). */
const randomId = (): string => globalThis.crypto.randomUUID();

const firstIssue = (error: { issues: ReadonlyArray<{ message: string }> }): string => error.issues[0]?.message ?? 'is not valid';

/**
 * The new map's plain model: a hub (the blank map's), the stages and the
 * touchpoints, each row checked with the same rules as a touchpoint typed on
 * the canvas. Every bad row is reported (by its number, with a sentence) and
 * none is applied: the whole file or nothing.
 */
export function buildMap(journey: ImportedJourney, newId: () => string = randomId): JourneyMap {
  const problems: ImportProblem[] = [];
  if (journey.touchpoints.length > MAX_IMPORTED_TOUCHPOINTS) {
    throw new ImportError(`The file has ${journey.touchpoints.length} touchpoints; a map takes at most ${MAX_IMPORTED_TOUCHPOINTS}`, []);
  }
  const base = blankMap({ title: journey.title, persona: journey.persona }).map;
  const hub = base.touchpoints[base.meta.hubId];
  if (!hub) throw new Error('the blank map has no hub');
  const stages: Stage[] = [];
  const stageIds = new Map<string, string>();
  const addStage = (name: string): string => {
    const key = name.trim().toLowerCase();
    const known = stageIds.get(key);
    if (known) return known;
    const stage = { id: `stage-${newId()}`, name: name.trim(), accountable: null };
    stages.push(stage);
    stageIds.set(key, stage.id);
    return stage.id;
  };
  for (const name of journey.stages) if (name.trim() !== '') addStage(name);

  const touchpoints: Record<string, Touchpoint> = { [hub.id]: hub };
  const keys = new Map<string, number>();
  for (const row of journey.touchpoints) {
    const checked = TouchpointInputSchema.safeParse({
      label: row.label,
      channel: row.channel,
      owner: row.owner,
      emotion: row.emotion,
      contactVolume: row.contactVolume,
      externalKey: row.externalKey,
      painPoints: row.painPoints,
    });
    if (!checked.success) {
      problems.push({ row: row.row, message: firstIssue(checked.error) });
      continue;
    }
    const input = checked.data;
    const externalKey = input.externalKey ?? null;
    if (externalKey !== null) {
      const earlier = keys.get(externalKey);
      if (earlier !== undefined) {
        problems.push({ row: row.row, message: `externalKey ${JSON.stringify(externalKey)} is already row ${earlier}'s; keys are unique within a map` });
        continue;
      }
      keys.set(externalKey, row.row);
    }
    if (row.stage.trim().length > 200) {
      problems.push({ row: row.row, message: 'the stage name must be at most 200 characters' });
      continue;
    }
    const stageId = row.stage.trim() === '' ? null : addStage(row.stage);
    const id = `tp-${newId()}`;
    touchpoints[id] = {
      id,
      kind: 'touchpoint',
      stageId,
      label: input.label,
      channel: input.channel ?? 'other',
      owner: input.owner ?? null,
      emotion: input.emotion ?? null,
      contactVolume: input.contactVolume ?? 0,
      // All at one place: tidyPositions then keeps the file's order within each stage's column.
      x: 0,
      y: 0,
      painPoints: (input.painPoints ?? []).map((p) => ({ id: `pp-${newId()}`, text: p.text, severity: p.severity, frequency: p.frequency })),
      externalKey,
    };
  }
  if (stages.length > MAX_IMPORTED_STAGES) problems.push({ row: null, message: `The file names ${stages.length} stages; a map takes at most ${MAX_IMPORTED_STAGES}` });
  if (problems.length > 0) throw new ImportError(summary(problems), problems);

  const map: JourneyMap = { ...base, stages, touchpoints, connections: {}, actions: {} };
  for (const [id, at] of tidyPositions(map)) {
    const touchpoint = map.touchpoints[id];
    if (touchpoint) Object.assign(touchpoint, at);
  }
  const valid = JourneyMapSchema.safeParse(map);
  if (!valid.success) throw new ImportError(`The imported map is not valid: ${firstIssue(valid.error)}`, []);
  return map;
}

function summary(problems: readonly ImportProblem[]): string {
  const rows = problems.filter((p) => p.row !== null).length;
  return rows > 0 ? `${rows === 1 ? 'One row is' : `${rows} rows are`} not valid; nothing was imported` : (problems[0]?.message ?? 'The file is not valid');
}
