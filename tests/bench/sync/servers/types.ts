import type { Fixture } from '../fixture';

/** How a client talks to a server: the y-websocket framing, or Hocuspocus's (document name first, auth before sync). */
export type Wire = { kind: 'y-websocket' } | { kind: 'hocuspocus'; documentName: string; token: string };

export type ClientRole = 'writer' | 'reader';

/** One process of a server that runs as several (bench:sync --processes). */
export interface ServerProcess {
  pid: number;
  port: number;
  /** VmHWM of this process, in bytes, or null once it has exited. */
  peakRss(): number | null;
}

export interface RunningServer {
  /** The (first) process: what the single-process modes measure. */
  pid: number;
  port: number;
  wire: Wire;
  /** The websocket URL for connection number `index` (a reader or the one writer). */
  url(index: number, role: ClientRole): string;
  /** Resident set high-water mark of the server process, in bytes (VmHWM), or null once it has exited. */
  peakRss(): number | null;
  /** Stops the process (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Whatever the process wrote to stderr (for error messages). */
  stderr(): string;
  /**
   * Set when the server runs as several processes of ours (each answers
   * /api/metrics): connection `index` is served by `processes[index % processes.length]`,
   * and the run is reported per process. Unset: one process, `pid`.
   */
  processes?: readonly ServerProcess[];
  /** One process of ours: the port whose /api/metrics gives its event-loop delay. */
  metricsPort?: number;
}

export interface ServerUnderTest {
  /** Short name in the tables. */
  name: string;
  /** What exactly runs, for the report. */
  description: string;
  start(fixture: Fixture, label: string): Promise<RunningServer>;
}
