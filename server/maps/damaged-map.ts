import type { Role } from '../../lib/permissions/roles';
import { ServiceError } from '../services/service-error';

/** What a person is told about a map whose stored state cannot be read, by what they can do about it. */
export function damagedMessage(role: Role | null): string {
  return role === 'owner'
    ? 'This map is damaged: its stored state cannot be read. Restore a saved version from its history to repair it.'
    : 'This map is damaged: its stored state cannot be read. Its owner can restore a saved version from its history.';
}

/**
 * A map document that cannot be loaded or read even with its bad log updates
 * set aside (its snapshot is not a Yjs update, or throws while applied). A
 * conflict, not a server error: the map exists, and a restore repairs it.
 */
export class DamagedMapError extends ServiceError {
  constructor(
    readonly mapId: string,
    readonly room: string,
    readonly reason: string,
  ) {
    super('conflict', damagedMessage(null), { damaged: true, mapId });
  }
}

export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)) || 'unknown error';
