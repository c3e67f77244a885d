/**
 * COLLAB_SLOW_SEND_MS (update-pipeline.ts, held sends): a default an operator
 * need not set, 0 to hold whenever a commit is behind, and a sentence naming
 * the variable for a value the server cannot use.
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
