import type { CollabServer } from './collab/collab-server';
import type { CollabMetrics } from './collab/metrics';
import type { SignupPolicy } from '../lib/permissions/signup-policy';
import type { Logger } from './logger';
import type { ServiceContext } from './services/context';
import type { DocStore } from './store/doc-store';

/**
 * The services of the running process. Next bundles the route handlers
 * apart from server/index.ts, so a module-level singleton would exist twice;
 * the one instance lives on globalThis instead.
 */
export interface AppContext {
  version: string;
  dataDir: string;
  secret: string;
  store: DocStore;
  collab: CollabServer;
  metrics: CollabMetrics;
  logger: Logger;
  services: ServiceContext;
  /** SIGNUP: who may create an account on the sign-in page. */
  signup: SignupPolicy;
}

const KEY = Symbol.for('journeyhub.app-context');
type Holder = { [KEY]?: AppContext };

export function setAppContext(context: AppContext | undefined): void {
  (globalThis as Holder)[KEY] = context;
}

export function getAppContext(): AppContext {
  const context = (globalThis as Holder)[KEY];
  if (!context) throw new Error('JourneyHub services are not running: start the app with `npm start` (server/index.ts), not `next start`.');
  return context;
}
