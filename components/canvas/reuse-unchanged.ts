'use client';

import { useState } from 'react';

/**
 * Keeping what did not change. Every read of a document builds new objects,
 * and React Flow re-renders a node whose object is new; with 2,000 cards, one
 * edit (or one card's first measurement) would redraw them all. So each new
 * node and edge that equals, field by field, the one of the same id before is
 * replaced by that one, and an unchanged list by the previous list.
 */

/** Structural equality of plain data (objects, arrays, primitives); functions and other instances by identity. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  const recordB = b as Record<string, unknown>;
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(recordB, key) && sameData((a as Record<string, unknown>)[key], recordB[key]));
}

/** `next`, with each item equal to the previous item of its id replaced by it; `previous` itself when nothing changed. */
export function reuseUnchanged<T extends { id: string }>(previous: T[], next: T[]): T[] {
  const before = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const result = next.map((item, index) => {
    const old = before.get(item.id);
    const kept = old !== undefined && sameData(old, item) ? old : item;
    if (kept !== previous[index]) changed = true;
    return kept;
  });
  return changed ? result : previous;
}

/** `next`, or the value of the previous render when `reuse` says it is the same (React's "information from previous renders"). */
export function useReused<T>(next: T, reuse: (previous: T, next: T) => T): T {
  const [kept, setKept] = useState(next);
  const value = reuse(kept, next);
  if (value !== kept) setKept(value);
  return value;
}
