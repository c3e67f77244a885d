/**
 * What `npm start` and the operators run: the server and the CLI compiled by
 * scripts/build-server.mjs into dist/server/ (JavaScript with source maps, no
 * TypeScript loader). The integration and end-to-end projects compile them
 * once before any test starts (tests/support/build-server.global.ts), and
 * bench:sync before it starts ours.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Node's arguments in package.json's `start` script (its flags, then the entry), so that tests and benches start the server as `npm start` does. */
function startArgs(): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /\bnode((?: --[\w-]+(?:=\S+)?)*) (dist\/server\/index\.js)\b/.exec(scripts.start ?? '');
  if (!match?.[2]) throw new Error("package.json's start script no longer runs `node [flags] dist/server/index.js`");
  return [...(match[1] ?? '').trim().split(' ').filter(Boolean), match[2]];
}

export const SERVER_ARGS = startArgs();
export const CLI_ARGS = ['--enable-source-maps', 'dist/server/cli.js'];

/** Compiles the server and the CLI from the sources as they are now, so that nothing runs a stale build. */
export function buildServer(): void {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: 'inherit' });
}
