import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server, on its own registry (tests run several servers in one process). */
export function createCollabMetrics(options: { keptAside?: () => Promise<number> } = {}) {
  const { keptAside } = options;
  const registry = new Registry();
  // prom-client's defaults are named process_* and nodejs_*: journeyhub_process_resident_memory_bytes, not journeyhub_process_process_….
  collectDefaultMetrics({ register: registry, prefix: 'journeyhub_' });
  return {
    registry,
    connections: new Gauge({ name: 'journeyhub_connections', help: 'Open collaboration sockets', registers: [registry] }),
    docsLoaded: new Gauge({ name: 'journeyhub_docs_loaded', help: 'Documents held in memory', registers: [registry] }),
    messagesIn: new Counter({ name: 'journeyhub_messages_in_total', help: 'Websocket messages received', registers: [registry] }),
    messagesOut: new Counter({ name: 'journeyhub_messages_out_total', help: 'Websocket messages sent', registers: [registry] }),
    bytesIn: new Counter({ name: 'journeyhub_bytes_in_total', help: 'Websocket bytes received', registers: [registry] }),
    bytesOut: new Counter({ name: 'journeyhub_bytes_out_total', help: 'Websocket bytes sent', registers: [registry] }),
    refused: new Counter({
      name: 'journeyhub_refused_total',
      help: 'Refused connections and writes, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    storedUpdatesSetAside: new Counter({
      name: 'journeyhub_stored_updates_set_aside_total',
      help: 'Stored updates that could not be applied while loading a document, moved out of the log by this process',
      registers: [registry],
    }),
    storedUpdatesKeptAside: new Gauge({
      name: 'journeyhub_stored_updates_kept_aside',
      help: 'Rows the set-aside table keeps for an operator (updates that could not be applied, states replaced by a restore)',
      registers: [registry],
      async collect() {
        if (keptAside) this.set(await keptAside());
      },
    }),
    appendSeconds: new Histogram({
      name: 'journeyhub_store_append_seconds',
      help: 'Time to append one batch of updates to the store',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    appendsOnLoop: new Counter({
      name: 'journeyhub_store_appends_on_loop_total',
      help: 'Batches committed on the event loop rather than the writer thread: SQLite, the thread idle and sends quick (COLLAB_SLOW_SEND_MS), saving the hop to the thread and back',
      registers: [registry],
    }),
    documentReads: new Counter({
      name: 'journeyhub_document_reads_total',
      help: 'Reads of a map document as stored (a page, annotations, a list, an export, a diff, a version) by where they came from: memory (the room held here is exactly what is stored; memory_checked: once a snapshot another process wrote was checked against it), or the store because the room is not loaded here (store_not_loaded), lacks updates stored since (store_behind), or its snapshot was rewritten by another writer (store_snapshot_changed)',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    sendsHeld: new Counter({
      name: 'journeyhub_sends_held_total',
      help: 'Stored batches held for the commit behind them and sent with it, one frame, because sending held the event loop (COLLAB_SLOW_SEND_MS)',
      registers: [registry],
    }),
    catchUps: new Counter({
      name: 'journeyhub_catch_ups_total',
      help: 'Reads of what a loaded document lacked from the store, by reason (gap: an update arrived before the one it follows; reconnect: the Redis link came back; poll: the store held an update no message brought)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    catchUpUpdates: new Counter({
      name: 'journeyhub_catch_up_updates_total',
      help: 'Stored updates (and snapshots) read and applied by catch-ups',
      registers: [registry],
    }),
    catchUpSeconds: new Histogram({
      name: 'journeyhub_catch_up_seconds',
      help: 'Time to read and apply what a loaded document lacked',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
    fanoutLagSeconds: new Histogram({
      name: 'journeyhub_fanout_lag_seconds',
      help: 'From another process publishing a document update to this process receiving it (clocks of different hosts may differ)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    fanoutRefused: new Counter({
      name: 'journeyhub_fanout_refused_total',
      help: 'Messages from other processes that were not applied, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    compactSeconds: new Histogram({
      name: 'journeyhub_store_compact_seconds',
      help: 'Time to compact one document',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
  };
}

export type CollabMetrics = ReturnType<typeof createCollabMetrics>;
