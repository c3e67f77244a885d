import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  // Native and Node-only packages stay outside the bundle: the route handlers
  // then share one better-sqlite3 build and one module graph with server/index.ts.
  serverExternalPackages: ['better-sqlite3', 'ws', 'pino', 'prom-client'],
  poweredByHeader: false,
};

export default config;
