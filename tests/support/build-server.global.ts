import { buildServer } from './built-server';

/** Vitest global setup: no test runs a stale build of the server or the CLI. */
export default function setup(): void {
  buildServer();
}
