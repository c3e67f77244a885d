/**
 * What `npm start` and the operators run: the server and the CLI compiled by
 * scripts/build-server.mjs into dist/server/ (JavaScript with source maps, no
 * TypeScript loader). The integration and end-to-end projects compile them
 * once before any test starts (tests/support/build-server.global.ts), and
 * bench:sync before it starts ours.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_ARGS = ['--enable-source-maps', 'dist/server/index.js'];
export const CLI_ARGS = ['--enable-source-maps', 'dist/server/cli.js'];

/** Compiles the server and the CLI from the sources as they are now, so that nothing runs a stale build. */
export function buildServer(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: 'inherit' });
}
