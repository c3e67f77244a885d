/**
 * Where stages sit relative to the order at the fork. On one side, the stages
 * that kept their relative order since the fork (the longest such run) are
 * fixed points; every other stage sits in the gap after the nearest fixed
 * point before it, at an index in that gap. Sorting by (the fork index of the
 * anchor, the index in the gap, the id) gives back each side's own order, and
 * merges two sides the same way whichever is applied to which: the changed
 * stages of both sides take their keys from their own side, the rest keep
 * theirs.
 */

export interface StageSlot {
  /** A stage of the fork order that kept its place (the stage itself for one that did), null before any. */
  anchor: string | null;
  /** -1 for a stage that kept its place, else its index in the gap after the anchor. */
  slot: number;
}

/**
 * The stages of `order` that kept their relative order since `baseOrder`: a
 * longest run of increasing fork indexes, and of those the one that takes the
 * earliest stages of `order`. Dragging a stage one place to the right could
 * be read as its neighbour moving left; reading it as the dragged stage
 * moving is what lets two sides that moved the same stage see the same stage
 * moved. O(n log n), and the same answer for the same input.
 */
export function keptInPlace(baseOrder: readonly string[], order: readonly string[]): Set<string> {
  const baseIndex = new Map(baseOrder.map((id, index) => [id, index] as const));
  const ids: string[] = [];
  const values: number[] = [];
  for (const id of order) {
    const index = baseIndex.get(id);
    if (index !== undefined) {
      ids.push(id);
      values.push(index);
    }
  }
  // longest[i]: the longest increasing run that starts at i. heads[k]: the
  // largest first value of a run of length k + 1 in the suffix seen so far
  // (decreasing in k).
  const longest: number[] = new Array<number>(values.length).fill(0);
  const heads: number[] = [];
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i] ?? 0;
    let low = 0;
    let high = heads.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((heads[middle] ?? 0) > value) low = middle + 1;
      else high = middle;
    }
    longest[i] = low + 1;
    heads[low] = value;
  }
  const kept = new Set<string>();
  let need = heads.length;
  let last = -1;
  for (let i = 0; i < values.length && need > 0; i++) {
    const value = values[i] ?? 0;
    if (longest[i] === need && value > last) {
      const id = ids[i];
      if (id !== undefined) kept.add(id);
      last = value;
      need--;
    }
  }
  return kept;
}

export function stageSlots(baseOrder: readonly string[], order: readonly string[]): Map<string, StageSlot> {
  const kept = keptInPlace(baseOrder, order);
  const slots = new Map<string, StageSlot>();
  let anchor: string | null = null;
  let slot = 0;
  for (const id of order) {
    if (kept.has(id)) {
      slots.set(id, { anchor: id, slot: -1 });
      anchor = id;
      slot = 0;
    } else {
      slots.set(id, { anchor, slot: slot++ });
    }
  }
  return slots;
}

export function sameSlot(a: StageSlot, b: StageSlot): boolean {
  return a.anchor === b.anchor && a.slot === b.slot;
}

/** `ids` in the order of their slots; every id must have one, and every anchor must be in `baseOrder`. */
export function orderBySlots(
  ids: readonly string[],
  slotOf: (id: string) => StageSlot,
  baseOrder: readonly string[],
): string[] {
  const baseIndex = new Map(baseOrder.map((id, index) => [id, index] as const));
  const keyed = ids.map((id) => {
    const { anchor, slot } = slotOf(id);
    return { id, anchor: anchor === null ? -1 : (baseIndex.get(anchor) ?? -1), slot };
  });
  keyed.sort((a, b) => a.anchor - b.anchor || a.slot - b.slot || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((entry) => entry.id);
}
