import type { AccountStore } from '../accounts/account-store';
import type { CollabServer } from '../collab/collab-server';
import type { DocStore } from '../store/doc-store';
import type { HistoryStore } from '../store/history-store';
import type { MeasurementStore } from '../store/measurement-store';
import type { Outbox } from './outbox';
import type { RateLimits } from './rate-limits';

/** What the services need: the stores, the secret, and — in the server process — the live collaboration server. */
export interface ServiceContext {
  store: DocStore;
  accounts: AccountStore;
  history: HistoryStore;
  /** The contact center's measured figures (DESIGN.md, "Measured data and outcomes"). */
  measurements: MeasurementStore;
  secret: string;
  /** Null in the CLI: open sockets then learn of role changes at their next role check. */
  collab: CollabServer | null;
  /** In memory in one process; in Redis with REDIS_URL, one budget for every process. */
  rateLimits: RateLimits;
  /** Mail and links (server process); absent in the CLI, which mails nothing. */
  outbox?: Outbox;
}

export interface Actor {
  id: string;
  email: string;
  name: string;
}
