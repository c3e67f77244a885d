/**
 * The bench's settings from the environment and the command line, checked
 * once at start with a sentence naming what is wrong; and what is installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { WorkloadOptions } from './workload';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A comma-separated list of whole numbers of at least `min` (connection counts: 2, process counts: 1). */
export function parseIntList(name: string, raw: string, min: number): number[] {
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value < min)) {
    throw new Error(`${name} must be whole numbers of at least ${min}, comma-separated (got ${raw})`);
  }
  return values;
}

export function intList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return parseIntList(name, raw, 2);
}

export function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

export function nonNegative(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be 0 or more (got ${raw})`);
  return value;
}

/**
 * `--processes 1,2,4` (or `--processes=1,2,4`, or BENCH_PROCESSES=1,2,4): the
 * process counts of the several-processes mode; null: the usual comparison
 * with the peers. The flag wins over the variable.
 */
export function processCounts(argv: readonly string[] = process.argv.slice(2), env: Readonly<Record<string, string | undefined>> = process.env): number[] | null {
  let raw: string | undefined;
  let source = '--processes';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--processes') {
      raw = argv[i + 1];
      if (raw === undefined || raw.startsWith('--')) throw new Error('--processes needs a list of process counts, e.g. --processes 1,2,4');
      i++;
    } else if (arg.startsWith('--processes=')) raw = arg.slice('--processes='.length);
    else throw new Error(`bench:sync takes one option, --processes 1,2,4 (got ${arg}); everything else is set in BENCH_* variables`);
  }
  if (raw === undefined && env.BENCH_PROCESSES) {
    raw = env.BENCH_PROCESSES;
    source = 'BENCH_PROCESSES';
  }
  if (raw === undefined) return null;
  const counts = parseIntList(source, raw, 1);
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** The workload's settings but the size: the same in both modes. */
export function workloadBase(): Omit<WorkloadOptions, 'connections'> {
  return {
    measurers: Math.round(positive('BENCH_MEASURERS', 5)),
    editRate: positive('BENCH_EDIT_RATE', 200),
    editSeconds: positive('BENCH_EDIT_SECONDS', 5),
    joinDeadlineMs: 60_000,
    drainDeadlineMs: 15_000,
    settleMs: 1_000,
  };
}

export function installedVersion(pkg: string): string {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string };
    return json.version ?? '?';
  } catch {
    return 'not installed';
  }
}

/** A full GC between runs, so that one run's garbage (hundreds of MB of received frames) is not collected during the next. */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

export const fmtMs = (ms: number): string => (Number.isNaN(ms) ? '–' : ms >= 100 ? `${Math.round(ms)}` : ms.toFixed(1));
