/** A configuration of bench:sync --processes: how many processes of ours, on which engines. */
export type ClusterEngine = 'sqlite' | 'postgres';

export const ENGINES: readonly ClusterEngine[] = ['sqlite', 'postgres'];

export interface ClusterConfig {
  processes: number;
  engine: ClusterEngine;
}

export const ENGINE_TITLE: Record<ClusterEngine, string> = { sqlite: 'SQLite, in-process fan-out', postgres: 'PostgreSQL + Redis' };

/** The name of a configuration in the tables and the JSON, e.g. `2×postgres`. */
export const clusterName = (config: ClusterConfig): string => `${config.processes}×${config.engine}`;

/** One process: both engines; more: PostgreSQL + Redis, the only way several processes share a room. */
export function configurations(counts: readonly number[], engines: ReadonlySet<ClusterEngine>): ClusterConfig[] {
  const configs: ClusterConfig[] = [];
  for (const processes of counts) {
    for (const engine of ENGINES) {
      if (!engines.has(engine) || (engine === 'sqlite' && processes > 1)) continue;
      configs.push({ processes, engine });
    }
  }
  return configs;
}
