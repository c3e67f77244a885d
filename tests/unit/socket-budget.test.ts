/** Per-socket budgets (server/collab/socket-budget.ts) and their settings (server/config.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { DEFAULT_SOCKET_BUDGET, SocketBudget } from '../../server/collab/socket-budget';

describe('SocketBudget', () => {
  it('takes a burst up to each limit, refills over its window, and says which limit was passed', () => {
    const budget = new SocketBudget({ messagesPer10s: 3, bytesPer10s: 100, syncRepliesPerMinute: 2 }, 0);
    expect([budget.message(10, 0), budget.message(10, 0), budget.message(10, 0)]).toEqual([null, null, null]);
    expect(budget.message(10, 0)?.over).toBe('messages');
    // A tenth of the window gives back a tenth of the messages (0.3): not one whole message yet.
    expect(budget.message(10, 1_000)?.over).toBe('messages');
    expect(budget.message(10, 4_000)).toBeNull();
    const bytes = new SocketBudget({ messagesPer10s: 100, bytesPer10s: 100, syncRepliesPerMinute: 2 }, 0);
    expect(bytes.message(60, 0)).toBeNull();
    expect(bytes.message(60, 0)?.over).toBe('bytes');
    expect([budget.syncReply(0), budget.syncReply(0)]).toEqual([null, null]);
    expect(budget.syncReply(0)?.reason).toMatch(/more than 2 sync requests in a minute/);
    expect(budget.syncReply(30_000)).toBeNull();
  });

  it('the defaults leave room for the browser: one SyncStep1 every 10 s and 900 presence echoes a second', () => {
    const budget = new SocketBudget(DEFAULT_SOCKET_BUDGET, 0);
    const refused: unknown[] = [];
    for (let t = 0; t <= 600_000; t += 10_000) refused.push(budget.syncReply(t));
    // A minute of echoes, 900 a second, 300 bytes each.
    for (let i = 0; i < 900 * 60; i++) refused.push(budget.message(300, Math.floor(i / 0.9)));
    expect(refused.filter((r) => r !== null)).toEqual([]);
  });
});

/** An environment of only these variables, as the server would see it. */
const env = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: 'production', ...vars });

describe('socket settings', () => {
  it('have defaults, and refuse a byte budget below the largest message with a sentence', () => {
    const config = loadConfig(env({}), []);
    expect(config.socketBudget).toEqual({ messagesPer10s: 10_000, bytesPer10s: 32 * 1024 * 1024, syncRepliesPerMinute: 12 });
    expect(config.maxBufferedBytes).toBe(64 * 1024 * 1024);
    expect(config.maxPresenceBytes).toBe(8 * 1024);
    expect(loadConfig(env({ MAX_MESSAGE_BYTES: String(32 * 1024 * 1024) }), []).socketBudget.bytesPer10s).toBe(64 * 1024 * 1024);
    expect(() => loadConfig(env({ COLLAB_BYTE_BUDGET: '65536', MAX_MESSAGE_BYTES: '131072' }), [])).toThrow(ConfigError);
    expect(() => loadConfig(env({ COLLAB_BYTE_BUDGET: '65536', MAX_MESSAGE_BYTES: '131072' }), [])).toThrow(/COLLAB_BYTE_BUDGET must be at least MAX_MESSAGE_BYTES/);
    expect(() => loadConfig(env({ COLLAB_SYNC_BUDGET: '3' }), [])).toThrow(/COLLAB_SYNC_BUDGET must be at least 7/);
  });
});
