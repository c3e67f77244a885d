/**
 * A room's chain of stored updates (server/collab/seq-chain.ts): what the
 * document holds, what waits for an earlier update, and what a catch-up
 * from the store releases. Seqs are shared by every room, so a room's
 * updates are linked by prevSeq, not numbered 1, 2, 3.
 */
import { describe, expect, it } from 'vitest';
import { MAX_WAITING, SeqChain } from '../../server/collab/seq-chain';

const u = (n: number) => Uint8Array.of(n);

describe('SeqChain', () => {
  it('applies an update that follows what it holds, and moves through on', () => {
    const chain = new SeqChain(10);
    expect(chain.offer({ prevSeq: 10, seq: 14, update: u(14) })).toEqual([u(14)]);
    expect(chain.through).toBe(14);
    expect(chain.hasGap).toBe(false);
  });

  it('an update it holds already (a duplicate, or one the load read) is not applied twice', () => {
    const chain = new SeqChain(20);
    expect(chain.offer({ prevSeq: 12, seq: 15, update: u(15) })).toEqual([]);
    expect(chain.offer({ prevSeq: 15, seq: 20, update: u(20) })).toEqual([]);
    expect(chain.through).toBe(20);
  });

  it('an update after one it has not seen waits, and is applied right after the missing one, in store order', () => {
    const chain = new SeqChain(1);
    expect(chain.offer({ prevSeq: 5, seq: 9, update: u(9) })).toEqual([]);
    expect(chain.offer({ prevSeq: 3, seq: 5, update: u(5) })).toEqual([]);
    expect(chain.hasGap).toBe(true);
    expect(chain.through).toBe(1);
    expect(chain.highest).toBe(9);
    expect(chain.offer({ prevSeq: 1, seq: 3, update: u(3) })).toEqual([u(3), u(5), u(9)]);
    expect(chain.through).toBe(9);
    expect(chain.hasGap).toBe(false);
  });

  it('its own stored updates (already in the document) are links without a payload', () => {
    const chain = new SeqChain(1);
    expect(chain.offer({ prevSeq: 2, seq: 4, update: null })).toEqual([]);
    expect(chain.hasGap).toBe(true);
    expect(chain.offer({ prevSeq: 1, seq: 2, update: u(2) })).toEqual([u(2)]);
    expect(chain.through).toBe(4);
  });

  it('a catch-up that read the store up to a seq drops the waiting updates it covered and releases those after', () => {
    const chain = new SeqChain(1);
    chain.offer({ prevSeq: 4, seq: 6, update: u(6) });
    chain.offer({ prevSeq: 6, seq: 8, update: u(8) });
    chain.offer({ prevSeq: 9, seq: 12, update: u(12) });
    expect(chain.caughtUp(6)).toEqual([u(8)]);
    expect(chain.through).toBe(8);
    expect(chain.hasGap).toBe(true);
    expect(chain.caughtUp(12)).toEqual([]);
    expect(chain.through).toBe(12);
    expect(chain.hasGap).toBe(false);
  });

  it('a prevSeq below through (an update set aside in between) still follows', () => {
    const chain = new SeqChain(10);
    expect(chain.offer({ prevSeq: 7, seq: 11, update: u(11) })).toEqual([u(11)]);
  });

  it('a flood of updates that never follow is bounded: past MAX_WAITING they are not kept, and only a catch-up clears the gap', () => {
    const chain = new SeqChain(0);
    for (let i = 0; i < MAX_WAITING + 50; i++) chain.offer({ prevSeq: 1_000_000 + i, seq: 1_000_001 + i, update: u(1) });
    expect(chain.highest).toBe(1_000_000 + MAX_WAITING);
    expect(chain.caughtUp(1)).toEqual([]);
    expect(chain.hasGap).toBe(true); // the kept ones still wait
    chain.caughtUp(2_000_000);
    expect(chain.hasGap).toBe(false);
    expect(chain.through).toBe(2_000_000);
  });
});
