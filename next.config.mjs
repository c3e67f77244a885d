/**
 * JavaScript, not TypeScript: `npm start` would otherwise load Next's SWC
 * compiler (a 100 MB native library) to read this file at every start, for
 * tens of megabytes of the process's memory.
 *
 * @type {import('next').NextConfig}
 */
const config = {
  reactStrictMode: true,
  // Native and Node-only packages stay outside the bundle: the route handlers
  // then share one better-sqlite3 build and one module graph with server/index.ts;
  // pdfkit and exceljs read their own data files (fonts, metrics) from their package folders.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'ws', 'pino', 'prom-client', 'yjs', 'y-protocols', 'lib0', 'pdfkit', 'fontkit', 'exceljs'],
  poweredByHeader: false,
  // `tsc --noEmit` checks the whole project (server/ and tests/ too) in `npm run check` and CI; a second pass here only slows the build.
  typescript: { ignoreBuildErrors: true },
};

export default config;
