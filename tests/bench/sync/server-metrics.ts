/**
 * What our server says about itself on /api/metrics (Prometheus text),
 * scraped by the bench between phases: the event-loop delay and the store's
 * append time. prom-client resets its event-loop histogram at every scrape,
 * so a scrape before and one after a phase give that phase's delay.
 */
import http from 'node:http';

export interface MetricsSnapshot {
  /** Event-loop delay since the previous scrape (perf_hooks.monitorEventLoopDelay, via prom-client), ms past the sampling interval. */
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** journeyhub_store_append_seconds: batches appended so far and their total time. */
  appendBatches: number;
  appendSeconds: number;
  /** journeyhub_fanout_lag_seconds: updates received from other processes through Redis so far, and their total lag. */
  fanoutReceived: number;
  fanoutLagSeconds: number;
  /** journeyhub_catch_ups_total, every reason: reads from the store of what a loaded document lacked. */
  catchUps: number;
}

const SCRAPE_TIMEOUT_MS = 5_000;
/**
 * prom-client samples the loop with a 10 ms timer (its default
 * eventLoopMonitoringPrecision, which the server keeps), and the histogram
 * records the whole interval: an idle loop reads 10 ms. What is past it is the delay.
 */
const SAMPLING_INTERVAL_MS = 10;
const delayMs = (seconds: number): number => Math.max(0, seconds * 1000 - SAMPLING_INTERVAL_MS);

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: SCRAPE_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${path} answered ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} took more than ${SCRAPE_TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

/** The unlabelled samples of a Prometheus text exposition, by name. */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)\s+(\S+)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

/** Every sample of a Prometheus text exposition summed by name, labels or not (a labelled counter's total). */
export function parseTotals(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) totals.set(match[1], (totals.get(match[1]) ?? 0) + Number(match[2]));
  }
  return totals;
}

/** One scrape, or null when the server does not answer (the run goes on; the report shows a dash). */
export async function scrapeMetrics(port: number): Promise<MetricsSnapshot | null> {
  let samples: Map<string, number>;
  let totals: Map<string, number>;
  try {
    const text = await get(port, '/api/metrics');
    samples = parseSamples(text);
    totals = parseTotals(text);
  } catch {
    return null;
  }
  const value = (name: string): number => samples.get(name) ?? Number.NaN;
  return {
    eventLoopP50Ms: delayMs(value('journeyhub_nodejs_eventloop_lag_p50_seconds')),
    eventLoopP99Ms: delayMs(value('journeyhub_nodejs_eventloop_lag_p99_seconds')),
    eventLoopMaxMs: delayMs(value('journeyhub_nodejs_eventloop_lag_max_seconds')),
    appendBatches: value('journeyhub_store_append_seconds_count'),
    appendSeconds: value('journeyhub_store_append_seconds_sum'),
    fanoutReceived: value('journeyhub_fanout_lag_seconds_count'),
    fanoutLagSeconds: value('journeyhub_fanout_lag_seconds_sum'),
    // A labelled counter with no sample yet is absent: none so far.
    catchUps: totals.get('journeyhub_catch_ups_total') ?? 0,
  };
}

export const scrapeAll = (ports: readonly number[]): Promise<Array<MetricsSnapshot | null>> => Promise.all(ports.map((port) => scrapeMetrics(port)));
