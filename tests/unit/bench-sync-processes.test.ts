/**
 * The pure parts of bench:sync --processes (issue 14 §5): the option, which
 * connections are the writer and the measurers on which process, the edit
 * targets, the metrics scrape's parser, the configurations and the
 * "what limits it" line. The bench itself runs real servers and is run by hand.
 */
import { describe, expect, it } from 'vitest';
import { configurations } from '../bench/sync/cluster-config';
import { processCounts } from '../bench/sync/env';
import { limitLine, type Summary } from '../bench/sync/report-processes';
import { parseSamples, parseTotals } from '../bench/sync/server-metrics';
import { editTargets, fullClientSlots } from '../bench/sync/workload';

describe('processCounts', () => {
  it('reads --processes, --processes= and BENCH_PROCESSES, the flag first; sorted, once each', () => {
    expect(processCounts(['--processes', '4,1,2,2'], {})).toEqual([1, 2, 4]);
    expect(processCounts(['--processes=2'], {})).toEqual([2]);
    expect(processCounts([], { BENCH_PROCESSES: '1,4' })).toEqual([1, 4]);
    expect(processCounts(['--processes', '2'], { BENCH_PROCESSES: '1,4' })).toEqual([2]);
    expect(processCounts([], {})).toBeNull();
  });

  it('refuses what it cannot read, naming where it came from', () => {
    expect(() => processCounts(['--processes'], {})).toThrow(/needs a list/);
    expect(() => processCounts(['--processes', '0,2'], {})).toThrow(/--processes must be whole numbers of at least 1/);
    expect(() => processCounts([], { BENCH_PROCESSES: 'two' })).toThrow(/BENCH_PROCESSES/);
    expect(() => processCounts(['--sizes', '10'], {})).toThrow(/one option/);
  });
});

describe('fullClientSlots', () => {
  it('with one process, spreads the full clients as the comparison with the peers always did', () => {
    const old = (n: number, f: number) => Array.from({ length: f }, (_, k) => Math.floor(((k + 0.5) * n) / f));
    expect(fullClientSlots(500, 6)).toEqual(old(500, 6));
    expect(fullClientSlots(10, 6, 1)).toEqual(old(10, 6));
  });

  it.each([2, 3, 4])('with %i processes: the writer on the first, measurers round robin from the first, every slot distinct and in range', (processes) => {
    const slots = fullClientSlots(1000, 6, processes);
    expect(slots[0]! % processes).toBe(0);
    slots.slice(1).forEach((slot, k) => expect(slot % processes).toBe(k % processes));
    expect(new Set(slots).size).toBe(6);
    expect(slots.every((slot, k) => slot >= 0 && slot < 1000 && (k === 0 || slot > slots[k - 1]!))).toBe(true);
    // Receivers both on the writer's process and on others.
    const processOf = slots.slice(1).map((slot) => slot % processes);
    expect(processOf).toContain(0);
    expect(processOf.some((p) => p !== 0)).toBe(true);
  });

  it('says so when there are too few connections for the full clients over the processes', () => {
    expect(() => fullClientSlots(8, 6, 4)).toThrow(/too few/);
  });
});

describe('editTargets', () => {
  const ids = Array.from({ length: 50 }, (_, i) => `tp-${i}`);

  it("'random' draws as the comparison with the peers always did", () => {
    let state = 12345;
    const old = Array.from({ length: 200 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return ids[state % ids.length];
    });
    expect(editTargets(ids, 200)).toEqual(old);
    expect(editTargets(ids, 200, 'random')).toEqual(old);
  });

  it("'distinct' renames each touchpoint once before any twice, the same way every time", () => {
    const targets = editTargets(ids, 120, 'distinct');
    expect(new Set(targets.slice(0, 50)).size).toBe(50);
    expect(targets.slice(50, 100)).toEqual(targets.slice(0, 50));
    expect(editTargets(ids, 120, 'distinct')).toEqual(targets);
  });
});

describe('parseSamples, parseTotals', () => {
  it('reads the unlabelled samples of a Prometheus exposition', () => {
    const text = [
      '# HELP journeyhub_store_append_seconds Time to append',
      '# TYPE journeyhub_store_append_seconds histogram',
      'journeyhub_store_append_seconds_bucket{le="0.001"} 3',
      'journeyhub_store_append_seconds_sum 0.125',
      'journeyhub_store_append_seconds_count 42',
      'journeyhub_nodejs_eventloop_lag_p99_seconds 0.0123',
      '',
    ].join('\n');
    const samples = parseSamples(text);
    expect(samples.get('journeyhub_store_append_seconds_count')).toBe(42);
    expect(samples.get('journeyhub_store_append_seconds_sum')).toBe(0.125);
    expect(samples.get('journeyhub_nodejs_eventloop_lag_p99_seconds')).toBe(0.0123);
    expect(samples.has('journeyhub_store_append_seconds_bucket')).toBe(false);
  });

  it('sums a labelled counter over its labels', () => {
    const text = ['journeyhub_catch_ups_total{reason="gap"} 2', 'journeyhub_catch_ups_total{reason="poll"} 3', 'journeyhub_connections 7'].join('\n');
    expect(parseTotals(text).get('journeyhub_catch_ups_total')).toBe(5);
    expect(parseTotals(text).get('journeyhub_connections')).toBe(7);
  });
});

describe('configurations', () => {
  it('runs one process on both engines and more only on PostgreSQL + Redis', () => {
    expect(configurations([1, 2, 4], new Set(['sqlite', 'postgres']))).toEqual([
      { processes: 1, engine: 'sqlite' },
      { processes: 1, engine: 'postgres' },
      { processes: 2, engine: 'postgres' },
      { processes: 4, engine: 'postgres' },
    ]);
    expect(configurations([1, 2], new Set(['sqlite']))).toEqual([{ processes: 1, engine: 'sqlite' }]);
  });
});

describe('limitLine', () => {
  const summary = (over: Partial<Summary>): Summary => ({
    config: { processes: 4, engine: 'postgres' },
    connections: 1000,
    runs: 1,
    failedRuns: 0,
    incompleteRuns: 0,
    joinP50: 500,
    joinP99: 900,
    fan: { p50: 5, p95: 20, p99: 40 },
    same: { p50: 4, p95: 10, p99: 12 },
    cross: { p50: 6, p95: 25, p99: 45 },
    rssPerProcess: [150, 140, 140, 140],
    rssSum: 570,
    cpuSeconds: { join: 4, edits: 3 },
    editCores: { servers: 1.2, busiest: 0.4, bench: 0.7, elsewhere: 0.05 },
    joinCores: { servers: 1.5, busiest: 0.5, bench: 0.4, elsewhere: 0 },
    eventLoopP99Ms: 12,
    eventLoopMaxMs: 80,
    appendMeanMs: 1.5,
    redisLagMeanMs: 2,
    catchUps: 0,
    writerProcessShare: 0.4,
    cpus: 2,
    ...over,
  });

  it('names the machine out of cores first, and that the processes share them', () => {
    const line = limitLine(summary({}));
    expect(line).toMatch(/^CPU: the machine's 2 cores were 98 % busy/);
    expect(line).toMatch(/4 processes share 2 cores/);
    expect(line).toMatch(/the writer's process 40 % of the servers' CPU time/);
    expect(line).not.toMatch(/other work on the machine/);
    expect(limitLine(summary({ editCores: { servers: 0.5, busiest: 0.2, bench: 0.2, elsewhere: 1.2 } }))).toMatch(/most of it other work on the machine/);
  });

  it('then one saturated event loop, then the hop between processes, else none', () => {
    expect(limitLine(summary({ editCores: { servers: 0.95, busiest: 0.9, bench: 0.3, elsewhere: 0 } }))).toMatch(/^one event loop/);
    expect(limitLine(summary({ editCores: { servers: 0.5, busiest: 0.2, bench: 0.3, elsewhere: 0 } }))).toMatch(/^the hop between processes/);
    expect(limitLine(summary({ editCores: { servers: 0.5, busiest: 0.2, bench: 0.3, elsewhere: 0 }, cross: { p50: 4, p95: 10, p99: 13 } }))).toMatch(
      /^no core saturated/,
    );
  });
});
