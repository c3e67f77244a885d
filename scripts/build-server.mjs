/**
 * `npm run build`'s second half: the custom server (server/index.ts) and the
 * operators' CLI (server/cli.ts) compiled to JavaScript in dist/server/, so
 * that `npm start` runs no TypeScript loader. Packages stay imports (one copy
 * of yjs, next and the rest, shared with Next's own build); our modules are
 * bundled, with source maps for stack traces that name the .ts lines.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  absWorkingDir: root,
  // The SQLite writer thread's entry sits beside the chunks that start it (server/store/sqlite-writer.ts).
  entryPoints: { index: 'server/index.ts', cli: 'server/cli.ts', 'sqlite-writer-thread': 'server/store/sqlite-writer-thread.ts' },
  outdir: 'dist/server',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  // A chunk of its own for what a process loads only when asked (the PDF report, with pdfkit and its fonts).
  splitting: true,
  target: 'node20',
  sourcemap: true,
  alias: { '@': root },
  logLevel: 'warning',
});
console.log('Compiled the server and the CLI into dist/server/');
