/**
 * What `npm start` and the operators run: the server and the CLI compiled by
 * scripts/build-server.mjs into dist/server/ (JavaScript with source maps, no
 * TypeScript loader). The integration and end-to-end projects compile them
 * once before any test starts (tests/support/build-server.global.ts).
 */
export const SERVER_ARGS = ['--enable-source-maps', 'dist/server/index.js'];
export const CLI_ARGS = ['--enable-source-maps', 'dist/server/cli.js'];
