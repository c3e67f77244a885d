/**
 * Runs the operators' CLI (`node dist/server/cli.js …`, compiled from server/cli.ts) against a
 * server's DATA_DIR and AUTH_SECRET, as an operator would while it runs.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { prepareEngine, usesTestEngine } from './engine';
import { CLI_ARGS } from './built-server';
import { TestServer, REPO_ROOT } from './server';
import { waitFor } from './wait';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON object on the last line of stdout (with --json), or null. */
  json: Record<string, unknown> | null;
}

const CLI_TIMEOUT_MS = 30_000;

/** `extra`: more environment (DATABASE_URL, REDIS_URL, REDIS_PREFIX of the servers it runs beside); without DATABASE_URL in it, the engine of DATA_DIR (tests/support/engine.ts). */
export async function runCli(dataDir: string, args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  if (usesTestEngine(extra)) await prepareEngine(dataDir);
  const env: NodeJS.ProcessEnv = { ...process.env, ...TestServer.environment(dataDir, { env: extra }) };
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let result: CliResult | null = null;
  child.once('close', (code: number | null) => {
    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    let json: Record<string, unknown> | null = null;
    if (last.startsWith('{')) {
      try {
        json = JSON.parse(last) as Record<string, unknown>;
      } catch {
        json = null;
      }
    }
    result = { code, stdout, stderr, json };
  });
  return waitFor(() => result, { timeout: CLI_TIMEOUT_MS, message: `cli ${args.join(' ')}` }, (wake) => {
    child.on('close', wake);
    return () => {
      child.off('close', wake);
      // Past the deadline: no CLI left running.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
  });
}

/** Expects a command that succeeded with --json; its object. */
export function cliOk(result: CliResult): Record<string, unknown> {
  expect(result.stderr, result.stdout).toBe('');
  expect(result.code).toBe(0);
  expect(result.json).not.toBeNull();
  return result.json ?? {};
}

/** Expects a command that failed: its exit code and the sentence on stderr. */
export function cliFailed(result: CliResult, code: 1 | 2, sentence: string): void {
  expect({ code: result.code, firstLine: result.stderr.split('\n')[0] }).toEqual({ code, firstLine: sentence });
}
