/**
 * The push half of `npm run bench:metrics`: 5,000 touchpoints × 24 months
 * (120,000 rows) sent as 24 `PUT /api/maps/:id/metrics` with a `metrics`
 * token to the real server (production build) on a real SQLite file.
 * Informational: prints the time; target under 5 s for the 24 pushes.
 */
import { performance } from 'node:perf_hooks';
import { TestServer } from '../support/server';
import { buildFixture, createBenchToken, freshDataDir, removeFixture } from './sync/fixture';
import { shiftPeriod } from '../../lib/measurements/period';

export const PUSH_TARGET_MS = 5_000;

export interface PushBench {
  /** All pushes, one after the other. */
  ms: number;
  /** Each push; the first also loads the route's code and the map's room. */
  pushMs: number[];
  rows: number;
  bytes: number;
}

export async function benchPush(touchpoints: number, months: number): Promise<PushBench> {
  const fixture = await buildFixture(touchpoints, 0);
  const dataDir = freshDataDir(fixture, 'metrics');
  const token = await createBenchToken(dataDir, 'metrics', 'bench feed');
  // The production idle time (tests use 200 ms to see rooms leave memory): a feed's pushes find the map's room loaded.
  const server = await TestServer.start({ env: { DATA_DIR: dataDir, COLLAB_IDLE_MS: '30000' } });
  try {
    const bodies = Array.from({ length: months }, (_, m) =>
      JSON.stringify({
        period: shiftPeriod('2025-01', m),
        rows: fixture.touchpointIds.map((touchpointId, i) => ({
          touchpointId,
          contacts: (i * 7 + m) % 2_000,
          csat: { responses: 100, satisfied: (i + m) % 100 },
          ces: { responses: 50, mean: 1 + ((i + m) % 6) },
          nps: { promoters: (i % 50) + 1, passives: m % 50, detractors: (i + m) % 50 },
          verbatims: i % 10 === 0 ? [{ text: `Customer ${i} said something about month ${m}`, score: 3, at: '2025-01-15' }] : undefined,
        })),
      }),
    );
    const put = async (body: string) => {
      const res = await fetch(new URL(`/api/maps/${fixture.mapId}/metrics`, server.url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`push answered ${res.status}: ${text.slice(0, 300)}`);
    };
    const pushMs: number[] = [];
    const start = performance.now();
    for (const body of bodies) {
      const pushStart = performance.now();
      await put(body);
      pushMs.push(performance.now() - pushStart);
    }
    const ms = performance.now() - start;
    return { ms, pushMs, rows: touchpoints * months, bytes: bodies.reduce((sum, b) => sum + b.length, 0) };
  } finally {
    await server.stop();
    removeFixture(fixture);
  }
}
