import { z } from 'zod';
import { compareCodeUnits } from './team-name';

/**
 * Sorting a table by its column headers, with plain links (`?sort=…&dir=…`),
 * so that it works without JavaScript. The query is hostile input: anything
 * that is not a known column and direction reads as the default, never an error.
 */

export type SortDir = 'asc' | 'desc';

export interface SortState<K extends string> {
  sort: K;
  dir: SortDir;
}

/** A column's sort value: a number or a string; null sorts last in both directions ("no figures" is not the smallest figure). */
export type SortValue = number | string | null;

export interface SortSpec<K extends string, R> {
  columns: readonly K[];
  defaultSort: K;
  /** The direction a column sorts in when first clicked: text ascending, figures largest first. */
  firstDir: Readonly<Record<K, SortDir>>;
  value: (row: R, column: K) => SortValue;
  /** Rows that go after all others on this column, whatever the direction (a damaged map has no figures at all). */
  sinks?: (row: R, column: K) => boolean;
  /** The last word on a tie, ascending whatever the direction, so that the order never depends on the input's. */
  tieBreak: (a: R, b: R) => number;
}

const SortQueryShape = z.object({ sort: z.unknown(), dir: z.unknown() }).partial();

/** Reads `?sort=&dir=` (Next's searchParams: a string, a list of strings, or nothing); the unknown reads as the default. */
export function parseSort<K extends string, R>(spec: SortSpec<K, R>, query: unknown): SortState<K> {
  const shape = SortQueryShape.safeParse(query);
  const raw = shape.success ? shape.data : {};
  const sortParsed = z.enum(spec.columns as [K, ...K[]]).safeParse(raw.sort);
  const sort = sortParsed.success ? sortParsed.data : spec.defaultSort;
  const dirParsed = z.enum(['asc', 'desc']).safeParse(raw.dir);
  return { sort, dir: dirParsed.success ? dirParsed.data : spec.firstDir[sort] };
}

export function sortRows<K extends string, R>(spec: SortSpec<K, R>, rows: readonly R[], state: SortState<K>): R[] {
  const sign = state.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const sa = spec.sinks?.(a, state.sort) ?? false;
    const sb = spec.sinks?.(b, state.sort) ?? false;
    if (sa !== sb) return sa ? 1 : -1;
    const va = spec.value(a, state.sort);
    const vb = spec.value(b, state.sort);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else {
      const order = typeof va === 'number' && typeof vb === 'number' ? (va < vb ? -1 : va > vb ? 1 : 0) : compareText(String(va), String(vb));
      if (order !== 0) return sign * order;
    }
    return spec.tieBreak(a, b);
  });
}

/** Where a header links to: the other direction on the current column, else the column's first direction. */
export function headerLink<K extends string>(spec: { firstDir: Readonly<Record<K, SortDir>> }, state: SortState<K>, column: K): SortState<K> {
  if (state.sort === column) return { sort: column, dir: state.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: column, dir: spec.firstDir[column] };
}

/** Titles and names as a person reads them: case does not split "billing" from "Billing"; code units settle the rest. */
export function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : compareCodeUnits(a, b);
}
