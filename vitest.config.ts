import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The second integration run (JOURNEYHUB_TEST_ENGINE=postgres+redis,
 * tests/support/engine.ts) leaves out the files whose every test already picks
 * its engines (the store and fan-out contracts run each engine; the others set
 * their own DATABASE_URL/REDIS_URL or open the stores themselves): a second run
 * of them would repeat the first one exactly.
 */
const SAME_ON_EVERY_ENGINE = [
  'tests/integration/store-contract/**',
  'tests/integration/fanout-contract.test.ts',
  'tests/integration/rate-limits.test.ts',
  'tests/integration/catch-up.test.ts',
  'tests/integration/redis-server.test.ts',
  'tests/integration/cross-process-control.test.ts',
  'tests/integration/presence-across-processes.test.ts',
  // On main since this branch began (i14-cluster): each starts its servers on its own PostgreSQL and Redis.
  'tests/integration/cluster*.test.ts',
  'tests/integration/postgres-*.test.ts',
  'tests/integration/metrics-store.test.ts',
];
const secondEngineRun = process.env.JOURNEYHUB_TEST_ENGINE === 'postgres+redis';

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...(secondEngineRun ? SAME_ON_EVERY_ENGINE : [])],
          environment: 'node',
          globalSetup: ['tests/support/build-server.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts real servers on real ports; two cores, so keep it to one file at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/build-server.global.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
