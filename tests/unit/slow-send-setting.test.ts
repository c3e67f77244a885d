/**
 * COLLAB_SLOW_SEND_MS (update-pipeline.ts, held sends) and COLLAB_SLOW_COMMIT_MS
 * (SqliteDocStore.appendNow, the pause after a slow commit on the event loop):
 * defaults an operator need not set, and a sentence naming the variable for a
 * value the server cannot use.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

/** An environment of only these variables, as the server would see it. */
const env = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: 'production', ...vars });

describe('COLLAB_SLOW_SEND_MS', () => {
  it('defaults to 2 ms and takes 0 and fractions', () => {
    expect(loadConfig(env({}), []).slowSendMs).toBe(2);
    expect(loadConfig(env({ COLLAB_SLOW_SEND_MS: '0' }), []).slowSendMs).toBe(0);
    expect(loadConfig(env({ COLLAB_SLOW_SEND_MS: '0.5' }), []).slowSendMs).toBe(0.5);
  });

  it('refuses a negative or huge value, or one that is not a number, with a sentence', () => {
    expect(() => loadConfig(env({ COLLAB_SLOW_SEND_MS: '-1' }), [])).toThrow(ConfigError);
    expect(() => loadConfig(env({ COLLAB_SLOW_SEND_MS: '-1' }), [])).toThrow(/COLLAB_SLOW_SEND_MS must be 0 or more/);
    expect(() => loadConfig(env({ COLLAB_SLOW_SEND_MS: '5000' }), [])).toThrow(/COLLAB_SLOW_SEND_MS must be at most 1000/);
    expect(() => loadConfig(env({ COLLAB_SLOW_SEND_MS: 'soon' }), [])).toThrow(/COLLAB_SLOW_SEND_MS/);
  });
});

describe('COLLAB_SLOW_COMMIT_MS', () => {
  it('defaults to 10 ms and takes a larger value', () => {
    expect(loadConfig(env({}), []).slowCommitMs).toBe(10);
    expect(loadConfig(env({ COLLAB_SLOW_COMMIT_MS: '250' }), []).slowCommitMs).toBe(250);
  });

  it('refuses 0, a huge value, or one that is not a number, with a sentence', () => {
    expect(() => loadConfig(env({ COLLAB_SLOW_COMMIT_MS: '0' }), [])).toThrow(/COLLAB_SLOW_COMMIT_MS must be at least 1/);
    expect(() => loadConfig(env({ COLLAB_SLOW_COMMIT_MS: '100000' }), [])).toThrow(/COLLAB_SLOW_COMMIT_MS must be at most 60000/);
    expect(() => loadConfig(env({ COLLAB_SLOW_COMMIT_MS: 'soon' }), [])).toThrow(/COLLAB_SLOW_COMMIT_MS/);
  });
});
