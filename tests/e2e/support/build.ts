/**
 * The browser tests and the canvas bench run the production build. It is
 * rebuilt here when it is missing or older than what `next build` reads, so
 * that a test never exercises yesterday's canvas.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/server';

// Route handlers and pages import server/: a change there is in the build too.
const BUILD_INPUTS = ['app', 'components', 'lib', 'server', 'proxy.ts', 'next.config.mjs', 'postcss.config.mjs', 'package.json'];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Runs `npm run build` when .next/BUILD_ID is missing or older than the sources; says whether it built. */
export function ensureBuild(): boolean {
  const built = fs.statSync(path.join(REPO_ROOT, '.next', 'BUILD_ID'), { throwIfNoEntry: false });
  const sources = Math.max(...BUILD_INPUTS.map((entry) => newestMtime(path.join(REPO_ROOT, entry))));
  if (built && built.mtimeMs >= sources) return false;
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return true;
}
