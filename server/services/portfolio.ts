import { preparePortfolioMap, type DamagedMapInput, type PortfolioMap } from '../../lib/portfolio/portfolio-map';
import { damagedRow, portfolioRow, type PortfolioEntry } from '../../lib/portfolio/portfolio-row';
import { PORTFOLIO_SORT, type PortfolioColumn } from '../../lib/portfolio/portfolio-sort';
import { parseSort, sortRows, type SortState } from '../../lib/portfolio/table-sort';
import { TEAMS_SORT, teamsOf, type TeamColumn, type TeamsView } from '../../lib/portfolio/teams';
import type { Role } from '../../lib/permissions/roles';
import { DamagedMapError, damagedMessage } from '../maps/damaged-map';
import { readStoredMap } from '../maps/read-map';
import type { MapRecord } from '../store/doc-store';
import type { Actor, ServiceContext } from './context';
import { heldRooms } from './map-doc';

/**
 * The lead's view across maps (issue 13 §4): every map the person is a member
 * of — never another's — read once and annotated with its latest month of
 * figures, for the portfolio and the teams page.
 */

export interface PortfolioMaps {
  maps: PortfolioMap[];
  damaged: DamagedMapInput[];
}

/** The calendar date in UTC: the server cannot know the reader's, and a due date is a day, not an instant. */
export const utcDate = (now: number): string => new Date(now).toISOString().slice(0, 10);

async function loadOne(ctx: ServiceContext, record: MapRecord, role: Role): Promise<PortfolioMap | DamagedMapInput> {
  const about = { id: record.id, title: record.title, role, updatedAt: record.updatedAt };
  try {
    const { map } = await readStoredMap(ctx.store, record.id, heldRooms(ctx));
    const period = await ctx.measurements.latestPeriod(record.id);
    const rows = period === null ? [] : await ctx.measurements.list(record.id, period, period);
    return preparePortfolioMap({ ...about, map, rows });
  } catch (error) {
    if (!(error instanceof DamagedMapError)) throw error;
    return { ...about, damaged: true, damagedMessage: damagedMessage(role) };
  }
}

/**
 * Every map the actor is a member of; a damaged map is set aside, never
 * failing the page. One map at a time: the store answers synchronously and
 * decoding a document is CPU work on this one thread, so loading them all at
 * once saves nothing (npm run bench:portfolio measured it slower: 334 ms
 * against 213 ms for 50 demo maps) and holds every map's documents in memory
 * together. What is avoided is reading more than the page shows: only the
 * latest month of figures, no outcomes.
 */
export async function loadPortfolioMaps(ctx: ServiceContext, actor: Actor): Promise<PortfolioMaps> {
  const memberships = await ctx.accounts.listMemberships(actor.id);
  const roles = new Map(memberships.map((m) => [m.mapId, m.role]));
  const records = (await ctx.store.listMaps()).filter((m) => roles.has(m.id));
  const loaded: Array<PortfolioMap | DamagedMapInput> = [];
  for (const record of records) loaded.push(await loadOne(ctx, record, roles.get(record.id) ?? 'viewer'));
  const maps: PortfolioMap[] = [];
  const damaged: DamagedMapInput[] = [];
  for (const entry of loaded) {
    if ('damaged' in entry) damaged.push(entry);
    else maps.push(entry);
  }
  return { maps, damaged };
}

export interface PortfolioAnswer extends SortState<PortfolioColumn> {
  /** The date overdue actions are counted against (UTC). */
  today: string;
  maps: PortfolioEntry[];
}

/** The portfolio, sorted by `query` (`{ sort, dir }`; anything unknown reads as the default). */
export async function portfolio(ctx: ServiceContext, actor: Actor, query: unknown, now: number = Date.now()): Promise<PortfolioAnswer> {
  const { maps, damaged } = await loadPortfolioMaps(ctx, actor);
  const today = utcDate(now);
  const state = parseSort(PORTFOLIO_SORT, query);
  const rows: PortfolioEntry[] = [...maps.map((m) => portfolioRow(m, now, today)), ...damaged.map(damagedRow)];
  return { ...state, today, maps: sortRows(PORTFOLIO_SORT, rows, state) };
}

export interface TeamsAnswer extends SortState<TeamColumn>, TeamsView {
  today: string;
  /** Maps that cannot be read: their teams are missing from the figures. */
  damaged: Array<{ id: string; title: string }>;
  /** How many maps the figures are over. */
  mapCount: number;
}

export async function teams(ctx: ServiceContext, actor: Actor, query: unknown, now: number = Date.now()): Promise<TeamsAnswer> {
  const { maps, damaged } = await loadPortfolioMaps(ctx, actor);
  const today = utcDate(now);
  const state = parseSort(TEAMS_SORT, query);
  const view = teamsOf(maps, today);
  return { ...state, today, teams: sortRows(TEAMS_SORT, view.teams, state), nobody: view.nobody, damaged: damaged.map(({ id, title }) => ({ id, title })), mapCount: maps.length };
}
