/** The close codes the browser and the server share (lib/collab/close-codes.ts). */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';

/** y-websocket's default: a close in 4400–4499 is final, the provider stops reconnecting. */
const finalForStockClients = (code: number): boolean => code >= 4400 && code < 4500;

describe('close codes', () => {
  it('keeps the contract\'s refusals (DESIGN.md "Websocket protocol"), all final for a stock client', () => {
    expect([CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound, CloseCode.TooLarge]).toEqual([4401, 4403, 4404, 4413]);
    for (const code of [CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound, CloseCode.TooLarge]) expect(finalForStockClients(code)).toBe(true);
  });

  it('RoleChanged is a private code a stock client reconnects after by itself, and no other code has its number', () => {
    expect(CloseCode.RoleChanged).toBeGreaterThanOrEqual(4000);
    expect(finalForStockClients(CloseCode.RoleChanged)).toBe(false);
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('TooManyRequests (4429) is final for a stock client, TooSlow (4503) is not: a stalled browser reconnects', () => {
    expect(CloseCode.TooManyRequests).toBe(4429);
    expect(finalForStockClients(CloseCode.TooManyRequests)).toBe(true);
    expect(CloseCode.TooSlow).toBe(4503);
    expect(finalForStockClients(CloseCode.TooSlow)).toBe(false);
  });
});
