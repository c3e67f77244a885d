import type * as Y from 'yjs';
import { actionOutcomes, annotateMap } from '../../lib/annotations';
import type { ActionOutcome, MapAnnotations } from '../../lib/annotations/types';
import { roomName } from '../../lib/journey/rooms';
import { figuresChangedUpdate, readTouchpointKeys } from '../../lib/journey/schema';
import { MetricsPushEnvelope, PeriodSchema, parseMetricsRows, type StoredMetricsRow } from '../../lib/measurements/input';
import { readStoredMap } from '../maps/read-map';
import { requireOpenForEdits } from './access';
import type { Actor, ServiceContext } from './context';
import { heldRooms, onMapDoc } from './map-doc';
import { requireRole } from './maps';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';
import { submitUpdate } from './submit-update';

/**
 * The data feed (DESIGN.md, "Measured data and outcomes"): the contact
 * center's figures per touchpoint and month, pushed, listed and removed.
 */

export interface PushAnswer {
  period: string;
  /** Rows stored (each replaced whole). */
  stored: number;
}

/** Replaces, for the period, the whole row of each touchpoint named; a bad row anywhere stores nothing (400 naming each). */
export async function pushMetrics(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<PushAnswer> {
  await requireRole(ctx, actor, mapId, 'editor');
  // A merged workshop copy is read-only: its figures too (409, saying where its work went).
  await requireOpenForEdits(ctx, mapId);
  const envelope = parseInput(MetricsPushEnvelope, input);
  const now = Date.now();
  // Rows and signal in one synchronous run on one copy of the document: the signal's update is relative to the very
  // state the rows were resolved against. The rows are stored before the signal is sent, so a canvas that hears it
  // fetches them.
  const { parsed, signal } = await onMapDoc(ctx, mapId, (doc) => {
    const keys = readTouchpointKeys(doc);
    const byKey = new Map<string, string>();
    for (const [id, key] of keys) if (key !== null) byKey.set(key, id);
    const parsed = parseMetricsRows(envelope.period, envelope.rows, (row) => {
      if (row.touchpointId !== undefined) {
        return keys.has(row.touchpointId) ? { touchpointId: row.touchpointId } : { problem: `no touchpoint of this map has the id ${JSON.stringify(row.touchpointId)}` };
      }
      const id = byKey.get(row.externalKey ?? '');
      return id !== undefined ? { touchpointId: id } : { problem: `no touchpoint of this map has the external key ${JSON.stringify(row.externalKey)}` };
    });
    if (!parsed.ok) {
      const rows = parsed.problems.filter((problem) => 'row' in problem).length;
      throw new ServiceError('bad_request', rows > 0 ? `${rows} row${rows === 1 ? '' : 's'} of the push ${rows === 1 ? 'is' : 'are'} not valid; nothing was stored` : 'The push is not valid; nothing was stored', parsed.problems);
    }
    return { parsed, signal: figuresChangedUpdate(doc, now) };
  });
  await ctx.measurements.replace(mapId, parsed.period, parsed.rows, now);
  await submitSignal(ctx, mapId, signal);
  return { period: parsed.period, stored: parsed.rows.length };
}

const RangeInput = (name: 'from' | 'to', value: string | null): string | null => {
  if (value === null || value === '') return null;
  const parsed = PeriodSchema.safeParse(value);
  if (!parsed.success) throw new ServiceError('bad_request', `${name} must be a month as YYYY-MM (e.g. 2026-11)`, [{ path: name, message: 'must be a month as YYYY-MM' }]);
  return parsed.data;
};

/** The map's rows from `from` to `to` (inclusive; either may be left out), each with its touchpoint's external key as of now. */
export async function listMetrics(ctx: ServiceContext, actor: Actor, mapId: string, range: { from: string | null; to: string | null }): Promise<{ rows: StoredMetricsRow[] }> {
  await requireRole(ctx, actor, mapId, 'viewer');
  const from = RangeInput('from', range.from);
  const to = RangeInput('to', range.to);
  const keys = await onMapDoc(ctx, mapId, readTouchpointKeys);
  const rows = (await ctx.measurements.list(mapId, from, to)).map((row) => ({ ...row, externalKey: keys.get(row.touchpointId) ?? null }));
  return { rows };
}

/** Removes one month of the map's figures. */
export async function deleteMetricsPeriod(ctx: ServiceContext, actor: Actor, mapId: string, period: string): Promise<{ period: string; deleted: number }> {
  await requireRole(ctx, actor, mapId, 'editor');
  await requireOpenForEdits(ctx, mapId);
  const parsed = PeriodSchema.safeParse(period);
  if (!parsed.success) throw new ServiceError('bad_request', 'The period must be a month as YYYY-MM (e.g. 2026-11)', [{ path: 'period', message: 'must be a month as YYYY-MM' }]);
  const deleted = await ctx.measurements.deletePeriod(mapId, parsed.data);
  if (deleted > 0) await signalFiguresChanged(ctx, mapId, Date.now());
  return { period: parsed.data, deleted };
}

/** The map's annotations with its measured figures (all months) for `period` (the latest when null), and the outcomes of done actions. */
export async function measuredAnnotationsOf(ctx: ServiceContext, mapId: string, period: string | null): Promise<MapAnnotations & { outcomes: ActionOutcome[] }> {
  let month: string | undefined;
  if (period !== null && period !== '') {
    const parsed = PeriodSchema.safeParse(period);
    if (!parsed.success) throw new ServiceError('bad_request', 'period must be a month as YYYY-MM (e.g. 2026-11)', [{ path: 'period', message: 'must be a month as YYYY-MM' }]);
    month = parsed.data;
  }
  const { map, discussion } = await readStoredMap(ctx.store, mapId, heldRooms(ctx));
  const rows = await ctx.measurements.list(mapId);
  const measurements = month === undefined ? { rows } : { rows, period: month };
  return { ...annotateMap(map, discussion, measurements), outcomes: actionOutcomes(map, measurements) };
}

/**
 * Writes `meta.figuresAt` into the map document, live: every open canvas hears
 * that its figures changed within a websocket round trip and refetches them
 * (the figures themselves stay out of the document).
 */
async function signalFiguresChanged(ctx: ServiceContext, mapId: string, at: number): Promise<void> {
  await submitSignal(ctx, mapId, await onMapDoc(ctx, mapId, (doc) => figuresChangedUpdate(doc, at)));
}

async function submitSignal(ctx: ServiceContext, mapId: string, update: Uint8Array): Promise<void> {
  const room = roomName(mapId, 'map');
  await submitUpdate(ctx, room, update);
}
