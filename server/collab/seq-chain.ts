/**
 * Which of a room's stored updates this process's copy of the document holds
 * (issue 14 §3). Seqs come from one sequence for every room, so a room's
 * updates are not numbered 1, 2, 3: each one is stored with the seq of the
 * room's update before it (DocStore.append's prevSeq), and the chain of those
 * links says what is missing.
 *
 * `through` is the seq up to which the document holds everything stored.
 * An update whose prevSeq is at most `through` extends it; one whose prevSeq
 * is past it waits here (another process's update published before the one
 * it follows arrived, or a message Redis lost), and the room catches up from
 * the store unless the missing update arrives first. Nothing newer than a gap
 * is applied before the gap is filled.
 */
export interface Link {
  seq: number;
  prevSeq: number;
  /** The update, or null for one the document holds already (this process applied it after storing it). */
  update: Uint8Array | null;
}

/** Past this many waiting updates, more are not kept: the store has them, and the catch-up reads them there. */
export const MAX_WAITING = 10_000;

export class SeqChain {
  private readonly waiting = new Map<number, Link>();
  /** Some update was not kept for lack of room (MAX_WAITING): only a catch-up can fill the gap. */
  private overflowed = false;

  constructor(private last: number) {}

  /** Everything stored up to this seq is in the document. */
  get through(): number {
    return this.last;
  }

  /** Updates are waiting for an earlier one: the room should catch up from the store soon. */
  get hasGap(): boolean {
    return this.overflowed || this.waiting.size > 0;
  }

  /** The highest seq known to exist (applied or waiting). */
  get highest(): number {
    let highest = this.last;
    for (const seq of this.waiting.keys()) if (seq > highest) highest = seq;
    return highest;
  }

  /**
   * A stored update, from this process or another. Returns the updates to
   * apply now, in order: this one and any it unblocks, or nothing when it is
   * already held or must wait.
   */
  offer(link: Link): Uint8Array[] {
    if (link.seq <= this.last || this.waiting.has(link.seq)) return [];
    if (link.prevSeq > this.last) {
      if (this.waiting.size < MAX_WAITING) this.waiting.set(link.seq, link);
      else this.overflowed = true;
      return [];
    }
    const ready: Uint8Array[] = [];
    if (link.update) ready.push(link.update);
    this.last = link.seq;
    this.release(ready);
    return ready;
  }

  /**
   * The store was read after `through`: the document now holds everything up
   * to `seq` (what was read is applied). Returns the waiting updates that now
   * follow, to apply in order.
   */
  caughtUp(seq: number): Uint8Array[] {
    const ready: Uint8Array[] = [];
    if (seq > this.last) this.last = seq;
    this.overflowed = false;
    this.release(ready);
    return ready;
  }

  /** Moves every waiting link that now follows `through` out, in seq order, dropping those already covered. */
  private release(ready: Uint8Array[]): void {
    let moved = true;
    while (moved && this.waiting.size > 0) {
      moved = false;
      for (const seq of [...this.waiting.keys()].sort((a, b) => a - b)) {
        const link = this.waiting.get(seq);
        if (!link) continue;
        if (link.seq <= this.last) {
          this.waiting.delete(seq);
          continue;
        }
        if (link.prevSeq > this.last) continue;
        this.waiting.delete(seq);
        if (link.update) ready.push(link.update);
        this.last = link.seq;
        moved = true;
      }
    }
  }
}
