import type { MapAnnotations } from '../../lib/annotations/types';
import type { JourneyMap } from '../../lib/journey/types';
import type { AccountStore } from '../accounts/account-store';
import type { CollabServer } from '../collab/collab-server';
import type { DocStore } from '../store/doc-store';
import type { HistoryStore } from '../store/history-store';
import type { LiveChanges } from './live-changes';
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
  /** The live documents, for the server's own edits and reads; null in the CLI, which edits the store. */
  collab: CollabServer | null;
  /** Role changes, removals, sign-outs, deletions, merges and restores, to the open sockets of every process. */
  live: LiveChanges;
  /** In memory in one process; in Redis with REDIS_URL, one budget for every process. */
  rateLimits: RateLimits;
  /** Mail and links (server process); absent in the CLI, which mails nothing. */
  outbox?: Outbox;
  /**
   * Renders the PDF report (server/exchange/pdf-report.ts). Handed in by the
   * processes that load it (server/index.ts, the CLI): the route handlers are
   * bundled by Next, whose bundler cannot follow how pdfkit's fonts are found.
   */
  renderPdfReport: RenderPdfReport;
}

export type RenderPdfReport = (input: { map: JourneyMap; annotations: MapAnnotations; generatedAt: Date }) => Promise<Uint8Array>;

export interface Actor {
  id: string;
  email: string;
  name: string;
}
