/**
 * DATABASE_URL (issue 14 §2): unset is SQLite in DATA_DIR; a postgres:// or
 * postgresql:// URL is PostgreSQL; anything else stops the start with a
 * sentence naming the variable, and never echoes the value (it holds a password).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { describeDatabaseUrl } from '../../server/db/postgres';

const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, []);

describe('DATABASE_URL', () => {
  it('unset or empty: SQLite', () => {
    expect(config({}).database).toEqual({ engine: 'sqlite' });
    expect(config({ DATABASE_URL: '' }).database).toEqual({ engine: 'sqlite' });
  });

  it('postgres:// and postgresql:// select PostgreSQL', () => {
    expect(config({ DATABASE_URL: 'postgres://jh:pw@db:5432/jh' }).database).toEqual({ engine: 'postgres', url: 'postgres://jh:pw@db:5432/jh', statementTimeoutMs: 15_000 });
    expect(config({ DATABASE_URL: 'postgresql://db/jh?sslmode=require' }).database).toMatchObject({ engine: 'postgres' });
  });

  it('PG_STATEMENT_TIMEOUT_MS sets how long a statement may run, from 100 ms to 10 minutes, and refuses the rest with a sentence', () => {
    expect(config({ DATABASE_URL: 'postgres://db/jh', PG_STATEMENT_TIMEOUT_MS: '2500' }).database).toMatchObject({ statementTimeoutMs: 2500 });
    expect(() => config({ DATABASE_URL: 'postgres://db/jh', PG_STATEMENT_TIMEOUT_MS: '50' })).toThrow(/PG_STATEMENT_TIMEOUT_MS must be at least 100/);
    expect(() => config({ DATABASE_URL: 'postgres://db/jh', PG_STATEMENT_TIMEOUT_MS: '3600000' })).toThrow(/PG_STATEMENT_TIMEOUT_MS must be at most 600000/);
  });

  it.each(['mysql://root:hunter2@db/jh', 'sqlite:///data/x.db', 'db.example.com:5432', 'postgres://', 'postgres://a b@db/jh', ' postgres://db/jh', 'POSTGRES://db/jh'])(
    'refuses %j with a sentence naming the variable, without the value',
    (value) => {
      let error: unknown;
      try {
        config({ DATABASE_URL: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
      expect(message).not.toContain('hunter2');
    },
  );

  it('describes where a URL points without its password', () => {
    expect(describeDatabaseUrl('postgres://jh:hunter2@db.example.com:6543/journeyhub')).toBe('db.example.com:6543/journeyhub');
    expect(describeDatabaseUrl('postgres://jh:hunter2@db/jh')).toBe('db:5432/jh');
    expect(describeDatabaseUrl('postgres://jh:hunter2@[::1/jh')).toBe('an unreadable URL');
  });
});
